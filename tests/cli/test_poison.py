"""One bad plan file must not poison the store (issue 14, point 4): every number and date of a
plan file is checked on import, with FILE:LINE; and a plan whose stored rows were damaged
behind kh's back is named in one line while every other plan's report still prints."""

import json

import pytest

from tests.conftest import PG_URL, store_fingerprint
from tests.core.test_planfile import MINIMAL

TASK_DUE = MINIMAL.replace('support = ["Sở Y tế"]\n', 'support = ["Sở Y tế"]\ndue = { date = 2021-09-30 }\n')


def _plan(tmp_path, text, name="bad.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# (what is changed in MINIMAL, words on the line it is on, words of the one line)
BAD = {
    "due year 0": (lambda t: t.replace("due = { date = 2021-06-16, relation = \"before\", covers = \"2021-H1\" }",
                                       "due = { year = 0 }"), "due = ", ["obligations[0].due.year", "outside the plan's span"]),
    "due year far away": (lambda t: t.replace("due = { date = 2021-06-16, relation = \"before\", covers = \"2021-H1\" }",
                                              "due = { year = 9999, outside_span = true }"), "due = ",
                          ["obligations[0].due.year", "1900 – 2999"]),
    "target nan": (lambda t: t.replace("target = 5", "target = nan"), "target = ", ["indicators[0].target", "nan"]),
    "target inf": (lambda t: t.replace("target = 5", "target = inf"), "target = ", ["indicators[0].target", "inf"]),
    "target -inf": (lambda t: t.replace("target = 5", "target = -inf"), "target = ", ["indicators[0].target", "inf"]),
    "target huge": (lambda t: t.replace("target = 5", "target = 1e300"), "target = ", ["indicators[0].target", "too large"]),
    "baseline_value inf": (lambda t: t.replace("baseline = 2020", "baseline = 2020\nbaseline_value = inf"), "baseline_value",
                           ["indicators[0].baseline_value", "inf"]),
    "baseline year 0": (lambda t: t.replace("baseline = 2020", "baseline = 0"), "baseline = ", ["indicators[0].baseline", "0 lies"]),
    "baseline after the plan": (lambda t: t.replace("baseline = 2020", "baseline = 2030"), "baseline = ",
                                ["indicators[0].baseline", "2030 lies"]),
    "plan start year 1": (lambda t: t.replace("start = 2021-01-01", "start = 0001-01-01"), "start = ",
                          ["plan.start", "years run from 1900 to 2999"]),
    "plan end year 9999": (lambda t: t.replace("end = 2021-12-31", "end = 9999-12-31"), "end = ",
                           ["plan.end", "years run from 1900 to 2999"]),
    "deadline after the plan": (lambda t: t.replace("date = 2021-06-16, relation = \"before\", covers = \"2021-H1\"",
                                                    "date = 2023-06-16"), "due = ",
                                ["obligations[0].due.date", "outside the plan's span", "outside_span = true"]),
    "deadline before the plan": (lambda t: t.replace("date = 2021-06-16", "date = 2019-06-16"), "due = ",
                                 ["obligations[0].due.date", "outside the plan's span"]),
    "task due after the plan": (lambda t: TASK_DUE.replace("2021-09-30", "2024-09-30"), "due = { date = 2024",
                                ["tasks[0].due.date", "outside the plan's span"]),
    "covers year 1": (lambda t: t.replace('covers = "2021-H1"', 'covers = "0001-H1"'), "due = ",
                      ["obligations[0].due.covers", "years run from 1900 to 2999"]),
    "step number huge": (lambda t: t + "\n[[steps]]\nnumber = 99999999999999999999\ntext = \"x\"\n", None,
                         ["steps[0].number"]),
    "NUL in a name": (lambda t: t.replace('name = "Số vụ bắt giữ"', 'name = "Số vụ\\u0000"'), "Số vụ\\u0000",
                      ["indicators[0].name", "NUL"]),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_number_or_date_in_a_plan_file_is_refused_with_its_line(case, kh, tmp_path):
    change, marker, words = BAD[case]
    text = change(MINIMAL)
    before = store_fingerprint(kh.db)
    err = kh.refused("plan", "import", _plan(tmp_path, text)).err
    if marker:
        line = next(n for n, x in enumerate(text.splitlines(), 1) if marker in x)
        assert f"bad.toml:{line}:" in err, err
    else:
        assert "bad.toml:" in err, err
    for w in words:
        assert w in err, err
    assert "internal error" not in err
    assert store_fingerprint(kh.db) == before


def test_a_plan_file_nested_thousands_deep_is_refused_in_one_line(kh, tmp_path):
    deep = MINIMAL + "note_deep = " + "[" * 5000 + "]" * 5000 + "\n"
    err = kh.refused("plan", "import", _plan(tmp_path, deep)).err
    assert "bad.toml" in err and ("nested too deeply" in err or "invalid TOML" in err), err


def test_a_day_outside_the_span_is_taken_when_the_file_says_so(kh, tmp_path):
    text = MINIMAL.replace("date = 2021-06-16, relation = \"before\", covers = \"2021-H1\"",
                           "date = 2022-01-15, outside_span = true")
    kh.ok("plan", "import", _plan(tmp_path, text, "ok.toml"))
    exported = kh.ok("plan", "export", "test-2021").out
    assert "outside_span = true" in exported
    again = _plan(tmp_path, exported, "again.toml")
    kh.ok("plan", "import", again)
    assert kh.ok("plan", "export", "test-2021").out == exported
    # A report due after the plan about a period inside it says so with covers.
    text = MINIMAL.replace("date = 2021-06-16, relation = \"before\", covers = \"2021-H1\"",
                           "date = 2022-01-05, covers = \"2021\"")
    kh.ok("plan", "import", _plan(tmp_path, text, "covers.toml"))


def _plant(db, sql, **params):
    """Change the store behind kh's back, as a hand edit or a bad restore would."""
    import sqlalchemy as sa

    from tests.conftest import _url

    engine = sa.create_engine(_url(db), poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text(sql), params)
    engine.dispose()


def test_one_damaged_plan_in_the_store_leaves_every_other_report_printing(kh_seeded):
    kh = kh_seeded
    healthy = {c: kh.ok(*c.split(), "--as-of", "2024-06-01", "-f", "json").json()
               for c in ("overdue", "deadlines", "task list", "gap")}
    _plant(kh.db, "update obligation set due = :due where plan_id = 'bk-238-2017' and key = 'so-ket-giua-ky'",
           due=json.dumps({"year": 0}))
    _plant(kh.db, "update indicator set target = :t where plan_id = 'na-2021' and ref = 'III.1-1'",
           t=float("inf") if PG_URL is None else float("inf"))
    _plant(kh.db, "update task set due = :due where plan_id = 'qt-2024-xkmt'",
           due=json.dumps({"date": "0001-01-01", "relation": "before"}))
    damaged = {"overdue": {"bk-238-2017", "qt-2024-xkmt"}, "deadlines": {"bk-238-2017"},
               "task list": {"qt-2024-xkmt"}, "gap": {"na-2021"}}
    for command, bad in damaged.items():
        r = kh(*command.split(), "--as-of", "2024-06-01", "-f", "json")
        assert r.code == 0, r.err
        lines = r.err.strip().splitlines()
        assert "internal error" not in r.err and "Traceback" not in r.err
        assert sorted(lines) == sorted(lines) and len(lines) == len(bad), r.err
        for plan in bad:
            assert sum(f"kh: plan {plan}: skipped" in line for line in lines) == 1, r.err
        rows = r.json()
        # Every other plan's rows are exactly what they were before.
        assert rows == [row for row in healthy[command] if row["plan"] not in bad]
        assert rows, command
    # Asked about the damaged plan alone: one refusal saying what to do.
    for args in (["deadlines", "--plan", "bk-238-2017"], ["gap", "--plan", "na-2021"],
                 ["plan", "show", "qt-2024-xkmt"]):
        err = kh.refused(*args, "--as-of", "2024-06-01").err
        assert "import its plan file again" in err
    assert "nhập lại tệp kế hoạch" in kh("--lang", "vi", "overdue", "--as-of", "2024-06-01").err
