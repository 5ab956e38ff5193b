"""CSV formula injection (issue 14, point 8): text a spreadsheet would run (= + - @, tab, CR
first) gets a leading ' in CSV, with or without --bom; JSON stays exact; -f csv-raw is exact."""

import csv
import io

import pytest

from tests.conftest import PG_URL, by
from tests.core.test_planfile import MINIMAL

EVIL = ["=HYPERLINK(\"http://x\",\"bấm\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


@pytest.mark.parametrize("evil", EVIL)
def test_notes_and_names_that_start_a_formula_are_neutralised_in_csv_only(world, evil):
    args = ["record", "na-2021", "III.1-1", "7", "--unit", "40", "--period", "2020", "--note", evil]
    if PG_URL is None:
        args += ["--by", evil]
    world.ok(*args)
    stored = world.ok("figures", "-f", "json").json()[0]  # exact (a leading tab is trimmed on input)
    assert stored["note"] == evil.strip()

    def safe(v):
        return "'" + v if v[0] in "=+-@\t\r" else v

    for extra in ([], ["--bom"]):
        row = _csv(world.ok("figures", "-f", "csv", *extra).out)[0]
        assert row["note"] == safe(stored["note"])
        if PG_URL is None:
            assert row["recorded_by"] == safe(stored["recorded_by"])
        assert row["value"] == "7"
    assert _csv(world.ok("figures", "-f", "csv-raw").out)[0]["note"] == stored["note"]


@pytest.mark.parametrize("cell", EVIL)
def test_the_csv_writer_neutralises_every_formula_start(cell):
    from kh.render import render

    for value in (cell, [cell, "x"]):
        buf = io.StringIO()
        render([{"a": value, "n": -3}], ["a", "n"], "csv", out=buf)
        body = buf.getvalue().split("\n", 1)[1]  # (a CR is not a row's end to Python's writer)
        assert body.lstrip('"').startswith("'" + cell[0]) and body.rstrip().endswith(",-3")
        buf = io.StringIO()
        render([{"a": value}], ["a"], "csv-raw", out=buf)
        assert buf.getvalue().split("\n", 1)[1].lstrip('"').startswith(cell[0])


def test_an_assignee_named_like_a_formula_is_neutralised_and_numbers_stay_numbers(kh, tmp_path):
    plan = tmp_path / "evil.toml"
    plan.write_text(MINIMAL.replace('"Sở Y tế"', '"=cmd|\' /C calc\'!A0"'), encoding="utf-8")
    kh.ok("plan", "import", plan)
    rows = _csv(kh.ok("deadlines", "-f", "csv", "--as-of", "2021-12-31").out)
    assert rows and all(r["assignee"].startswith("'=cmd") for r in rows)
    assert all(not r["days_overdue"].startswith("'") for r in rows if r.get("days_overdue"))
    raw = _csv(kh.ok("deadlines", "-f", "csv-raw", "--as-of", "2021-12-31").out)
    assert all(r["assignee"].startswith("=cmd") for r in raw)


def test_a_negative_gap_stays_a_number_in_csv(world):
    world.ok("record", "na-2021", "III.3-3", "14", "--unit", "40", "--period", "2021", *by("x"),
             "--as-of", "2022-01-10")  # a count target of at least 10, passed by 4
    rows = _csv(world.ok("gap", "--plan", "na-2021", "--period", "2021", "--as-of", "2022-01-10", "-f", "csv").out)
    numbers = ("value", "gap", "needed", "target", "actual", "denominator")
    assert [r["gap"] for r in rows if r["ref"] == "III.3-3"] == ["-4"]
    assert not any(r[c].startswith("'") for r in rows for c in numbers if r.get(c))
    # The comparator '=' is text that starts a formula: neutralised too (json and csv-raw keep it).
    assert {r["comparator"] for r in rows} >= {"'=", ">="}
