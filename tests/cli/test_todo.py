"""kh todo: the figures a unit reports for a period, the reports its assignees owe, their open
tasks — built from a plan written by the test for units picked from the country's list, so
that the rules are tested, not one example."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from kh import planfile
from kh.periods import bounds, parse_period
from tests.conftest import PG_URL, PLANS, by, postgres_only, sqlite_only, sqlite_plans
from tests.store.test_access import as_role, roles  # noqa: F401 (a fixture)

UNITS = list(csv.DictReader(io.StringIO((PLANS.parent.parent / "data" / "units.csv").read_text(encoding="utf-8"))))


def communes(province: str, after: str = "2025-07-01", n: int = 2) -> list[dict]:
    """The first ``n`` communes directly under a province in the 2025 tree."""
    return [u for u in UNITS if u["parent"] == province and u["kind"] == "commune"
            and u["valid_from"] == after][:n]


def plan_file(tmp_path, pid: str, area: str, units: list[dict], *, cutoff="calendar",
              start="2026-01-01", end="2026-12-31") -> str:
    """A province plan: a count and a share the communes report, one figure the province
    reports, a monthly report and a task for each commune's police by name, one obligation
    of 'các xã, phường' as a whole."""
    police = [f"Công an {u['name']}" for u in units]
    people = "\n".join(f'[[assignees]]\nname = "{p}"\nkind = "agency"\n' for p in police)
    text = f'''format = 1
[plan]
id = "{pid}"
title = "Kế hoạch thử {pid}"
issuer = "UBND tỉnh"
level = "province"
area = "{area}"
start = {start}
end = {end}
cutoff = {cutoff!r}

{people}
[[assignees]]
name = "Ủy ban nhân dân các xã, phường"
kind = "local_government"

[[assignees]]
name = "Sở Y tế"
kind = "agency"

[[tasks]]
ref = "IV.1"
text = "Rà soát người nghiện trên địa bàn"
lead = {police!r}
due = {{ date = {end}, relation = "by" }}

[[tasks]]
ref = "IV.2"
text = "Kiểm tra cơ sở y tế"
lead = ["Sở Y tế"]

[[indicators]]
ref = "III.1"
name = "Số vụ bắt giữ"
counts = "vụ"
kind = "count"
comparator = ">="
target = 12
measure = "flow"
periodicity = "yearly"
source = "ít nhất 12 vụ"

[[indicators]]
ref = "III.2"
name = "Tỷ lệ người nghiện được cai"
counts = "người"
kind = "share"
comparator = ">="
target = 50
measure = "flow"
periodicity = "yearly"
source = "ít nhất 50 %"

[[indicators]]
ref = "III.3"
name = "Số mô hình cấp tỉnh"
counts = "mô hình"
kind = "count"
comparator = ">="
target = 1
measure = "flow"
periodicity = "yearly"
reported_by = "province"
source = "01 mô hình"

[[obligations]]
key = "bc-thang"
name = "Báo cáo tháng"
owed_by = {police!r}
to = "Công an tỉnh"
deadline_text = "trước ngày 20 hằng tháng"
due = {{ every = "month", day = 20, relation = "before" }}
source = "báo cáo tháng"

[[obligations]]
key = "kh-nam-xa"
name = "Kế hoạch năm của xã"
owed_by = ["Ủy ban nhân dân các xã, phường"]
to = "UBND tỉnh"
deadline_text = "cuối năm"
due = {{ every = "year", after_end = 0 }}
source = "kế hoạch năm"
'''
    path = tmp_path / f"{pid}.toml"
    path.write_text(text, encoding="utf-8")
    planfile.loads(text, path.name)  # the test's own plan must be a valid one
    return str(path)


@pytest.fixture
def scene(world, tmp_path):
    """World + the test plan over Lạng Sơn (20) and another over a second province."""
    mine = communes("20")
    other_province = next(u["code"] for u in UNITS if u["kind"] == "province" and u["valid_from"] == "2025-07-01"
                          and u["code"] != "20" and communes(u["code"]))
    world.ok("plan", "import", plan_file(tmp_path, "t-20", "20", mine))
    world.ok("plan", "import", plan_file(tmp_path, "t-x", other_province, communes(other_province), cutoff=15))
    return world, mine, other_province


def figures(rows):
    return {r["item"]: r for r in rows if r["section"] == "figure" and r["plan"] == "t-20"}


def test_the_figures_a_commune_reports_follow_its_kind_and_its_plans_area(scene):
    kh, (a, b), elsewhere = scene
    rows = kh.ok("todo", "--unit", a["code"], "--period", "2026-03", "--as-of", "2026-04-02", "-f", "json").json()
    assert {r["plan"] for r in rows if r["section"] == "figure"} >= {"t-20"}
    assert "t-x" not in {r["plan"] for r in rows}  # another province's plan is not his
    mine = figures(rows)
    # The commune reports the two commune indicators, not the province's one.
    assert set(mine) == {"III.1", "III.2"}
    seeds_here = {i.ref for p in (planfile.load(PLANS / "ls-mtqg-2030.toml"),) for i in p.indicators
                  if i.reported_by == "commune"}
    assert {r["item"] for r in rows if r["plan"] == "ls-mtqg-2030" and r["section"] == "figure"} == seeds_here
    assert all(r["status"] == "missing" and r["value"] is None for r in mine.values())
    first, last = bounds(parse_period("2026-03"))
    assert (mine["III.1"]["period_start"], mine["III.1"]["period_end"]) == (first.isoformat(), last.isoformat())

    # The province reports its own indicator, and not the communes'.
    prov = kh.ok("todo", "--unit", "20", "--period", "2026", "--as-of", "2027-01-05", "-f", "json").json()
    assert {r["item"] for r in prov if r["plan"] == "t-20" and r["section"] == "figure"} == {"III.3"}


def test_recorded_covered_missing_and_the_last_value_before_the_period(scene):
    kh, (a, b), _ = scene
    u = a["code"]
    kh.ok("record", "t-20", "III.1", "4", "--unit", u, "--period", "2026-01", "--as-of", "2026-06-01", *by("cb"))
    kh.ok("record", "t-20", "III.1", "7", "--unit", u, "--period", "2026-02", "--as-of", "2026-06-01", *by("cb"))
    kh.ok("record", "t-20", "III.2", "3", "--of", "8", "--unit", u, "--period", "2026-Q1", "--as-of", "2026-06-01",
          *by("cb"))
    kh.ok("record", "t-20", "III.1", "9", "--unit", b["code"], "--period", "2026-03", "--as-of", "2026-06-01",
          *by("cb"))
    march = figures(kh.ok("todo", "-u", u, "--period", "2026-03", "--as-of", "2026-06-01", "-f", "json").json())
    # III.1: nothing for March (b's figure is b's), last = February's; III.2: the quarter covers March.
    assert (march["III.1"]["status"], march["III.1"]["last_value"], march["III.1"]["last_period"]) == \
        ("missing", 7, "2026-02")
    assert (march["III.2"]["status"], march["III.2"]["value"], march["III.2"]["denominator"]) == ("covered", 3, 8)
    feb = figures(kh.ok("todo", "-u", u, "--period", "2026-02", "--as-of", "2026-06-01", "-f", "json").json())
    assert (feb["III.1"]["status"], feb["III.1"]["value"], feb["III.1"]["last_period"]) == ("recorded", 7, "2026-01")
    other = figures(kh.ok("todo", "-u", b["code"], "--period", "2026-03", "--as-of", "2026-06-01", "-f", "json").json())
    assert other["III.1"]["status"] == "recorded" and other["III.2"]["status"] == "missing"
    april = figures(kh.ok("todo", "-u", u, "--period", "2026-04", "--as-of", "2026-06-01", "-f", "json").json())
    assert (april["III.2"]["last_value"], april["III.2"]["last_denominator"], april["III.2"]["last_period"]) == \
        (3, 8, "2026-Q1")


@sqlite_only
def test_a_units_figures_are_sought_by_unit_in_the_current_figure_index(scene):
    """Both of kh todo's figure statements (the period's, and the last before it) seek the unit in
    ux_figure_current; SQLite would rather read the country's figures of each indicator from the
    month index, which covers them."""
    kh, (a, _), _ = scene
    plans = sqlite_plans(kh, ["todo", "-u", a["code"], "--period", "2026-03", "--as-of", "2026-06-01", "-f", "csv"],
                         "SELECT figure.plan_id")
    plans += sqlite_plans(kh, ["todo", "-u", a["code"], "--period", "2026-03", "--as-of", "2026-06-01", "-f", "csv"],
                          "SELECT anon_1.plan_id")
    assert len(plans) == 2
    for plan in plans:
        assert any("USING INDEX ux_figure_current (plan_id=? AND ref=? AND unit=?)" in step for step in plan), plan


def test_a_units_figures_around_a_period_are_those_of_a_plain_filter(scene, tmp_path):
    """figures_around seeks every wanted plan × ref and keeps the wanted pairs: the same rows as
    filtering all the store's current figures, with refs wanted in one plan and not the other."""
    from kh.store import open_store
    from kh.store.todo_rows import figures_around

    kh, (a, b), _ = scene
    kh.ok("plan", "import", plan_file(tmp_path, "t-20b", "20", [a, b]))
    for plan, ref, value, unit, period in (
            ("t-20", "III.1", "4", a, "2026-01"), ("t-20", "III.1", "7", a, "2026-03"), ("t-20", "III.2", "2", a, "2026-02"),
            ("t-20b", "III.1", "5", a, "2026-02"), ("t-20b", "III.2", "3", a, "2026-01"),
            ("t-20b", "III.2", "1", a, "2026-03"), ("t-20", "III.1", "9", b, "2026-02")):
        kh.ok("record", plan, ref, value, *(["--of", "9"] if ref == "III.2" else []), "--unit", unit["code"],
              "--period", period, "--as-of", "2026-06-01", *by("cb"))
    kh.ok("record", "t-20", "III.1", "8", "--unit", a["code"], "--period", "2026-03", "--replace",
          "--as-of", "2026-06-01", *by("cb"))
    everything = kh.ok("figures", "-f", "json").json()
    wanted = {"t-20": ["III.1"], "t-20b": ["III.2"]}
    store = open_store(str(kh.db))
    try:
        with store.read() as conn:
            for month in ("2026-01", "2026-02", "2026-03", "2026-04"):
                lo, hi = bounds(parse_period(month), 1)
                here, last = figures_around(conn, a["code"], wanted, parse_period(month))
                mine = [f for f in everything if f["unit"] == a["code"] and f["ref"] in wanted[f["plan"]]]
                assert [(f["plan"], f["ref"], f["period"], f["value"]) for f in here] == sorted(
                    (f["plan"], f["ref"], f["period"], f["value"]) for f in mine
                    if f["period_start"] <= hi.isoformat() and f["period_end"] >= lo.isoformat())
                before = {}
                for f in sorted(mine, key=lambda f: f["period_end"]):
                    if f["period_end"] < lo.isoformat():
                        before[f["plan"], f["ref"]] = (f["plan"], f["ref"], f["period"], f["value"])
                assert sorted((f["plan"], f["ref"], f["period"], f["value"]) for f in last) == sorted(before.values())
    finally:
        store.close()


def test_what_was_done_is_read_for_the_plans_own_reports_and_tasks(scene, tmp_path):
    """done_by names the plans' kinds and items so that SQLite seeks the covering index: the same
    rows as a plain read of every completion of the assignees, kept to the plans' own reports and
    tasks, across two plans with the same keys; and the index is sought, not read whole."""
    from kh.store import open_store, plans as store_plans
    from kh.store.todo_rows import done_by
    from tests.conftest import query

    kh, (a, b), _ = scene
    kh.ok("plan", "import", plan_file(tmp_path, "t-20b", "20", [a, b]))
    police = f"Công an {a['name']}"
    for plan, item, who, period, on in (("t-20", "bc-thang", police, "2026-01", "2026-02-10"),
                                        ("t-20", "bc-thang", police, "2026-02", "2026-03-25"),
                                        ("t-20b", "bc-thang", police, "2026-01", "2026-02-11"),
                                        ("t-20", "bc-thang", f"Công an {b['name']}", "2026-01", "2026-02-12"),
                                        ("t-20b", "kh-nam-xa", "Ủy ban nhân dân các xã, phường", "2026", "2026-03-01")):
        kh.ok("submit", plan, item, "-a", who, "--period", period, "--on", on, "--as-of", "2026-05-25", *by("cb"))
    kh.ok("task", "done", "t-20", "IV.1", "-a", police, "--on", "2026-04-01", "--as-of", "2026-05-25", *by("cb"))
    who = [police, "Ủy ban nhân dân các xã, phường"]
    everything = query(kh.db, "SELECT plan_id, kind, item, assignee, period, done_on FROM completion "
                              "WHERE undone_at IS NULL")
    store = open_store(str(kh.db))
    try:
        with store.read() as conn:
            for ids in (["t-20"], ["t-20b"], ["t-20", "t-20b"]):
                plans = [store_plans.load(conn, i) for i in ids]
                for day in (date(2026, 2, 28), date(2026, 5, 25)):
                    own = {(p.id, "obligation", o.key) for p in plans for o in p.obligations} | \
                          {(p.id, "task", t.ref) for p in plans for t in p.tasks}
                    plain = {i: {} for i in ids}
                    for plan, kind, item, assignee, period, on in everything:
                        on = on if isinstance(on, date) else date.fromisoformat(on)
                        if (plan, kind, item) in own and assignee in who and on <= day:
                            plain[plan][(kind, item, assignee, period)] = on
                    assert done_by(conn, plans, who, day) == plain
    finally:
        store.close()
    if not PG_URL:
        [plan] = sqlite_plans(kh, ["todo", "-u", a["code"], "--as-of", "2026-05-25", "-f", "csv"],
                              "SELECT completion.plan_id")
        assert any("COVERING INDEX ix_completion_done (plan_id=? AND undone_at=? AND kind=? AND item=? AND assignee=?)"
                   in step for step in plan), plan


def test_reports_owed_by_name_and_by_kind_until_sent(scene):
    kh, (a, b), _ = scene
    day = date(2026, 5, 25)
    rows = kh.ok("todo", "-u", a["code"], "--as-of", day.isoformat(), "-f", "json").json()
    reports = [r for r in rows if r["section"] == "report" and r["plan"] == "t-20"]
    police = f"Công an {a['name']}"
    assert {r["assignee"] for r in reports} == {police}  # the yearly plan is not due yet
    december = kh.ok("todo", "-u", a["code"], "--as-of", "2026-12-28", "-f", "json").json()
    # An assignee named for every commune at once binds this one too.
    assert [(r["item"], r["assignee"], r["status"]) for r in december if r["plan"] == "t-20" and
            r["section"] == "report" and r["item"] == "kh-nam-xa"] == \
        [("kh-nam-xa", "Ủy ban nhân dân các xã, phường", "due_soon")]
    monthly = sorted(r["period"] for r in reports if r["item"] == "bc-thang")
    # January to April are overdue (due the 19th), May is due soon or within the month.
    assert monthly == [f"2026-{m:02d}" for m in range(1, 6)]
    st = {r["period"]: r["status"] for r in reports if r["item"] == "bc-thang"}
    assert st["2026-01"] == "overdue" and st["2026-05"] == "overdue"  # the 19th has passed
    assert all(r["unit"] == a["code"] for r in rows)
    kh.ok("submit", "t-20", "bc-thang", "-a", police, "--period", "2026-03", "--on", "2026-03-18",
          "--as-of", day.isoformat(), *by("cb"))
    after = kh.ok("todo", "-u", a["code"], "--as-of", day.isoformat(), "-f", "json").json()
    assert "2026-03" not in {r["period"] for r in after if r["item"] == "bc-thang"}
    # The other commune's police owes its own months still; the task of Sở Y tế is nobody's here.
    theirs = kh.ok("todo", "-u", b["code"], "--as-of", day.isoformat(), "-f", "json").json()
    assert "2026-03" in {r["period"] for r in theirs if r["item"] == "bc-thang"}
    tasks = {r["item"] for r in theirs if r["section"] == "task" and r["plan"] == "t-20"}
    assert tasks == {"IV.1"}
    # As of an earlier day, the report not yet due is listed as due soon.
    early = kh.ok("todo", "-u", a["code"], "--as-of", "2026-05-15", "-f", "json").json()
    assert {r["period"]: r["status"] for r in early if r["item"] == "bc-thang"}["2026-05"] == "due_soon"


def test_the_default_period_is_the_last_month_ended_under_the_plans_cut_off(scene):
    kh, _, elsewhere = scene
    day = date(2026, 5, 20)
    u = communes(elsewhere)[0]["code"]
    rows = kh.ok("todo", "-u", u, "--as-of", day.isoformat(), "-f", "json").json()
    # The plan over that province cuts months on the 15th: the month reported is the latest
    # one of its months that has ended by that day.
    months = [parse_period(f"{y}-{m:02d}") for y in (2025, 2026) for m in range(1, 13)]
    expected = str(max((p for p in months if bounds(p, 15)[1] <= day), key=lambda p: bounds(p, 15)[1]))
    assert {r["period"] for r in rows if r["section"] == "figure"} == {expected}
    # Calendar months (Lạng Sơn's plans): on 20/5 the month ended last is April.
    here = kh.ok("todo", "-u", communes("20")[0]["code"], "--as-of", day.isoformat(), "-f", "json").json()
    assert {r["period"] for r in here if r["section"] == "figure"} == {"2026-04"}
    assert {r["period"] for r in kh.ok("todo", "-u", communes("20")[0]["code"], "--as-of", "2026-05-31",
                                       "-f", "json").json() if r["section"] == "figure"} == {"2026-05"}
    out = kh.ok("--lang", "vi", "todo", "-u", u, "--as-of", day.isoformat()).out
    assert f"kỳ báo cáo tháng {int(expected[5:])}/{expected[:4]} ({expected})" in out
    assert "Chưa nhập" in out and "Báo cáo phải gửi" in out and "Nhiệm vụ chưa hoàn thành" in out


def test_the_unit_may_be_named(scene):
    kh, (a, _), _ = scene
    by_code = kh.ok("todo", "-u", a["code"], "--period", "2026-03", "--as-of", "2026-04-02", "-f", "json").json()
    by_name = kh.ok("todo", "-u", a["name"], "--plan", "t-20", "--period", "2026-03", "--as-of", "2026-04-02",
                    "-f", "json").json()
    assert by_name == [r for r in by_code if r["plan"] == "t-20"]


def test_refusals(scene, world):
    kh, (a, _), _ = scene
    assert "--unit" in kh.refused("todo", "--as-of", "2026-05-01").err
    merged = next(u for u in UNITS if u["valid_to"] == "2025-06-30" and u["kind"] == "commune")
    err = kh.refused("todo", "-u", merged["code"], "--period", "2026-01").err
    assert "did not exist during 2026-01" in err and "successor" in err
    assert "no unit with code" in kh.refused("todo", "-u", "999999").err
    assert "2026-13" in kh.refused("todo", "-u", a["code"], "--period", "2026-13").err
    assert "hãy chọn đơn vị bằng --unit" in kh.refused("--lang", "vi", "todo").err


@postgres_only
def test_an_officer_on_postgresql_sees_his_granted_unit_without_naming_it(scene, roles):
    kh, (a, b), _ = scene
    officer = roles("todo")
    police = f"Công an {a['name']}"
    kh.ok("admin", "officer", officer, "--unit", a["code"], "-a", police, "--password", "pw-t")
    me = as_role(kh, officer, "pw-t")
    rows = me.ok("todo", "--as-of", "2026-05-25", "-f", "json").json()
    assert {r["unit"] for r in rows} == {a["code"]}
    # His reports are those of the assignees he reports for (the grant), not guessed from names.
    assert {r["assignee"] for r in rows if r["section"] != "figure"} == {police}
