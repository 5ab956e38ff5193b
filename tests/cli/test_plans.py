"""kh plan import/list/show/export through the real CLI: updates, refusals, nothing written."""

import unicodedata

from tests.conftest import PLANS, store_fingerprint
from tests.core.test_planfile import MINIMAL


def write(tmp_path, text, name="p.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_reimport_updates_the_plan_in_place(kh, tmp_path):
    kh.ok("plan", "import", write(tmp_path, MINIMAL))
    changed = MINIMAL.replace('title = "Kế hoạch thử"', 'title = "Kế hoạch thử (sửa)"')
    assert kh.ok("plan", "import", write(tmp_path, changed)).out.startswith("Updated test-2021")
    plans = kh.ok("plan", "list", "-f", "json").json()
    assert [(p["id"], p["title"]) for p in plans] == [("test-2021", "Kế hoạch thử (sửa)")]


def test_refused_file_writes_nothing_and_says_where(kh, tmp_path):
    kh.ok("plan", "import", PLANS / "na-2021.toml")
    before = store_fingerprint(kh.db)
    good = write(tmp_path, MINIMAL, "good.toml")
    bad = write(tmp_path, MINIMAL.replace('id = "test-2021"', 'id = "bad-2021"').replace("comparator", "comparitor"), "bad.toml")
    r = kh.refused("plan", "import", good, bad)
    assert "bad.toml:" in r.err and "comparitor" in r.err
    assert store_fingerprint(kh.db) == before  # not even good.toml


def test_two_files_with_one_id_are_refused(kh, tmp_path):
    r = kh.refused("plan", "import", write(tmp_path, MINIMAL, "a.toml"), write(tmp_path, MINIMAL, "b.toml"))
    assert "also in" in r.err


def test_missing_or_non_utf8_file_is_refused(kh, tmp_path):
    assert "cannot read" in kh.refused("plan", "import", tmp_path / "nope.toml").err
    latin = tmp_path / "cp1258.toml"
    latin.write_bytes(MINIMAL.encode("cp1258", errors="replace"))
    assert "not UTF-8" in kh.refused("plan", "import", latin).err


def test_unknown_plan_suggests_the_close_one(kh_seeded):
    r = kh_seeded.refused("plan", "show", "na-2012")
    assert "did you mean 'na-2021'" in r.err
    kh_seeded.refused("plan", "export", "nope")
    kh_seeded.refused("indicator", "list", "--plan", "nope")


def test_assignee_matches_any_case_unicode_form_or_prefix(kh_seeded):
    exact = kh_seeded.ok("deadlines", "--plan", "na-2021", "-a", "Sở Y tế", "-f", "json").json()
    assert exact and {r["assignee"] for r in exact} == {"Sở Y tế"}
    decomposed = unicodedata.normalize("NFD", "sở y tế")
    assert kh_seeded.ok("deadlines", "--plan", "na-2021", "-a", decomposed, "-f", "json").json() == exact
    assert kh_seeded.ok("deadlines", "--plan", "na-2021", "-a", "SỞ Y", "-f", "json").json() == exact
    assert "several" in kh_seeded.refused("deadlines", "--plan", "na-2021", "-a", "Sở").err
    assert "did you mean" in kh_seeded.refused("task", "list", "-a", "Sở Y tê").err


def test_tasks_have_one_row_per_assignee_with_role(kh_seeded):
    rows = kh_seeded.ok("task", "list", "--plan", "ls-2024-thang6", "-f", "json").json()
    iii12 = [r for r in rows if r["ref"] == "III.12"]
    assert {(r["assignee"], r["role"]) for r in iii12} >= {("Sở Nội vụ", "lead"), ("Công an tỉnh", "support")}


def test_show_table_is_localised(kh_seeded):
    out = kh_seeded.ok("--lang", "vi", "plan", "show", "na-2021").out
    assert "Chỉ tiêu" in out and "Nhiệm vụ" in out
    assert "Indicators" in kh_seeded.ok("--lang", "en", "plan", "show", "na-2021").out


def test_locale_chooses_vietnamese(kh_seeded):
    out = kh_seeded.ok("plan", "list", env={"LANG": "vi_VN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}).out
    assert "Mã" in out and "Số hiệu" in out
