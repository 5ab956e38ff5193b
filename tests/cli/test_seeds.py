"""The five seed plans, imported through the real CLI, hold what the documents say."""

import re

import pytest

from tests.conftest import SEEDS


def items(tasks, section):
    """Distinct numbered items of a PHÂN CÔNG section, from the task refs (III.1.a → 1)."""
    return {re.split(r"[.-]", t["ref"][len(section) + 1:])[0] for t in tasks if t["ref"].startswith(section + ".")}


def by_ref(kh, plan):
    return {i["ref"]: i for i in kh.ok("indicator", "list", "--plan", plan, "-f", "json").json()}


def test_all_five_import(kh_seeded):
    ids = [p["id"] for p in kh_seeded.ok("plan", "list", "-f", "json").json()]
    assert sorted(ids) == ["bk-238-2017", "ls-2024-thang6", "ls-mtqg-2030", "na-2021", "qt-2024-xkmt"]


def test_ls_2024_thang6(kh_seeded):
    tasks = kh_seeded.ok("task", "list", "--plan", "ls-2024-thang6", "-f", "json").json()
    assert len(items(tasks, "III")) == 13
    rows = kh_seeded.ok("deadlines", "--plan", "ls-2024-thang6", "-f", "json").json()
    plans_due = {r["assignee"]: r["due"] for r in rows if r["deadline_text"].endswith("04/6/2024")}
    # IV.1 names 13 bodies, each of which sends its own plan before 04/6/2024.
    assert len(plans_due) == 13 and set(plans_due.values()) == {"2024-06-03"}
    assert {r["due"] for r in rows if "05/7/2024" in r["deadline_text"]} == {"2024-07-04"}


def test_qt_2024_xkmt(kh_seeded):
    tasks = kh_seeded.ok("task", "list", "--plan", "qt-2024-xkmt", "-f", "json").json()
    assert len(items(tasks, "III")) == 6
    shown = kh_seeded.ok("plan", "show", "qt-2024-xkmt", "-f", "json").json()[0]
    assert [p["end"] for p in shown["phases"]] == ["2024-12-14", "2025-12-31"]
    assert shown["phases"][1]["start"] == "2024-12-15"
    assert [s["number"] for s in shown["steps"]] == [1, 2, 3, 4, 5]
    assert shown["plan"]["number"] == "" and "issued_on" not in shown["plan"]
    kinds = [i["kind"] for i in by_ref(kh_seeded, "qt-2024-xkmt").values()]
    assert kinds.count("zero") >= 3


def test_na_2021(kh_seeded):
    ind = by_ref(kh_seeded, "na-2021")
    section3 = [r for r in ind if r.startswith("III.")]
    assert len(section3) >= 12
    assert {r.split("-")[0] for r in section3} == {f"III.{n}" for n in range(1, 9)}
    arrests = ind["III.1-1"]
    assert (arrests["kind"], arrests["comparator"], arrests["target"], arrests["baseline"]) == ("change", ">=", "5", "2020")
    assert (ind["III.5-1"]["target"], ind["III.5-2"]["target"]) == ("80", "40")
    assert any(i["kind"] == "share_of_baseline" and i["target"] == "20" and i["baseline"] == "2020" for i in ind.values())
    assert any(i["kind"] == "share" and i["comparator"] == ">=" and i["target"] == "70" for i in ind.values())
    tasks = kh_seeded.ok("task", "list", "--plan", "na-2021", "-f", "json").json()
    assert len(items(tasks, "IV")) == 21
    dues = {r["deadline_text"]: r["due"] for r in kh_seeded.ok("deadlines", "--plan", "na-2021", "-f", "json").json()}
    assert sorted(set(dues.values())) == ["2021-02-09", "2021-06-15", "2021-12-15"]


def test_ls_mtqg_2030(kh_seeded):
    ind = by_ref(kh_seeded, "ls-mtqg-2030")
    letters = {re.match(r"II\.3\.(\w)", r).group(1) for r in ind if r.startswith("II.3.")}
    assert letters == set("abcdđeghi")
    yearly = [(ind[r]["comparator"], ind[r]["target"], ind[r]["baseline"], ind[r]["periodicity"])
              for r in ("II.3.d-1", "II.3.d-2", "II.3.d-3")]
    assert yearly == [(">", "3", "previous", "yearly"), (">", "3", "previous", "yearly"), (">", "5", "previous", "yearly")]
    assert (ind["II.3.a-2"]["comparator"], ind["II.3.a-2"]["target"], ind["II.3.a-2"]["periodicity"]) == (">=", "50", "by_year 2030")
    tasks = kh_seeded.ok("task", "list", "--plan", "ls-mtqg-2030", "-f", "json").json()
    assert len(items(tasks, "V")) == 17


def test_bk_238_2017(kh_seeded):
    plan = kh_seeded.ok("plan", "show", "bk-238-2017", "-f", "json").json()[0]["plan"]
    assert (plan["number"], plan["issued_on"]) == ("238/KH-UBND", "2017-06-30")
    ind = by_ref(kh_seeded, "bk-238-2017")
    first = ind["IV.4.2-1"]
    assert first["kind"] == "milestones" and first["target"] == "2018: 75; 2020: 100"
    assert any(i["per_unit"] == "district" for i in ind.values())
    tasks = kh_seeded.ok("task", "list", "--plan", "bk-238-2017", "-f", "json").json()
    assert len(items(tasks, "IV")) == 14
    rows = kh_seeded.ok("deadlines", "--plan", "bk-238-2017", "-f", "json").json()
    assert any(r["period"] == "2018" and r["due"] == "2018-12-31" and "2018" in r["deadline_text"] for r in rows)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_export_import_export_is_identical_through_the_store(kh, path, tmp_path):
    kh.ok("plan", "import", path)
    first = kh.ok("plan", "export", path.stem).out
    again = tmp_path / "again.toml"
    again.write_text(first, encoding="utf-8")
    assert kh.ok("plan", "import", again).out.startswith("Updated")
    assert kh.ok("plan", "export", path.stem).out == first


def test_every_seed_sentence_is_kept_as_its_source(kh_seeded):
    for ind in kh_seeded.ok("plan", "show", "na-2021", "-f", "json").json()[0]["indicators"]:
        assert ind["source"].strip()
