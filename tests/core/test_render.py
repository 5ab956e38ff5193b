"""kh/render.py directly: the csv and json contract (column order, empty cells, exact counts,
ISO dates, the BOM), and a table that reads at 80 columns in either language."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone
from fractions import Fraction

import pytest

from kh import i18n
from kh.render import plain, render

ROWS = [
    dict(ref="III.1", name="Số vụ, người “bắt giữ”", value=Fraction(12), share=Fraction(1, 3),
         due=date(2021, 6, 15), at=datetime(2021, 6, 16, 8, 30), note=None, lead=["Sở Y tế", "Công an tỉnh"],
         per_unit=True, extra="not a column"),
    dict(ref="III.2", name="Hai", value=Fraction(5, 2), share=None, due=None, at=None, note="",
         lead=[], per_unit=False),
]
# The row's moment (stored UTC) as csv/json give it: local time with the offset.
AT_LOCAL = datetime(2021, 6, 16, 8, 30, tzinfo=timezone.utc).astimezone().isoformat(timespec="seconds")
COLUMNS = ["ref", "name", "value", "share", "due", "at", "note", "lead", "per_unit"]


@pytest.fixture(autouse=True)
def english():
    i18n.set_lang("en")
    yield
    i18n.set_lang("en")


def rendered(fmt: str, rows=ROWS, columns=COLUMNS, **kw) -> str:
    out = io.StringIO()
    render(rows, columns, fmt, out=out, **kw)
    return out.getvalue()


def test_plain_keeps_counts_exact_and_rounds_only_what_is_not_whole():
    assert plain(Fraction(12)) == 12 and type(plain(Fraction(12))) is int
    assert plain(Fraction(1, 3)) == 0.33
    assert plain(Fraction(5, 2)) == 2.5
    assert plain(date(2021, 6, 15)) == "2021-06-15"
    # A stored moment is UTC: it comes out in the local zone with its offset, the same instant.
    shown = plain(datetime(2021, 6, 16, 8, 30))
    assert datetime.fromisoformat(shown) == datetime(2021, 6, 16, 8, 30, tzinfo=timezone.utc)
    assert datetime.fromisoformat(shown).utcoffset() is not None
    assert plain(5.0) == 5 and plain(None) is None and plain("x") == "x"


def test_csv_has_the_columns_in_order_and_one_row_per_item():
    text = rendered("csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == COLUMNS  # the header is the English column names, never translated
    assert rows[1] == ["III.1", "Số vụ, người “bắt giữ”", "12", "0.33", "2021-06-15", AT_LOCAL,
                       "", "Sở Y tế; Công an tỉnh", "true"]
    assert rows[2] == ["III.2", "Hai", "2.5", "", "", "", "", "", "false"]
    assert "not a column" not in text and text.endswith("\n") and "\r" not in text


def test_csv_header_stays_english_in_vietnamese():
    i18n.set_lang("vi")
    assert rendered("csv").splitlines()[0] == ",".join(COLUMNS)


def test_bom_starts_csv_only():
    assert rendered("csv", bom=True).startswith("\ufeffref,")
    assert not rendered("csv").startswith("\ufeff")
    assert not rendered("json", bom=True).startswith("\ufeff")


def test_empty_csv_is_the_header_and_empty_json_is_an_empty_array():
    assert rendered("csv", rows=[]) == ",".join(COLUMNS) + "\n"
    assert json.loads(rendered("json", rows=[])) == []


def test_json_is_one_array_with_the_columns_as_keys():
    data = json.loads(rendered("json"))
    assert [list(d) for d in data] == [COLUMNS, COLUMNS]
    assert data[0] == {"ref": "III.1", "name": "Số vụ, người “bắt giữ”", "value": 12, "share": 0.33,
                       "due": "2021-06-15", "at": AT_LOCAL, "note": None,
                       "lead": ["Sở Y tế", "Công an tỉnh"], "per_unit": True}
    assert data[1]["value"] == 2.5 and data[1]["due"] is None and data[1]["note"] == ""
    assert "\\u" not in rendered("json")  # Vietnamese written as itself


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_table_reads_at_80_columns(lang, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    i18n.set_lang(lang)
    rows = [dict(ref=f"III.{i}", task="Chủ trì, phối hợp với các sở, ngành tổ chức tuyên truyền " * 3,
                 due=date(2021, 6, 15), status="overdue") for i in range(3)]
    text = rendered("table", rows=rows, columns=["ref", "task", "due", "status"])
    assert max(len(line) for line in text.splitlines()) <= 80
    assert i18n.value("status", "overdue") in text  # statuses whole, in the language asked
    assert "2021-06-15" in text and "III.2" in text
    assert i18n.t("col.due") in text  # the header, localised


def test_an_empty_table_says_so():
    assert rendered("table", rows=[]).strip() == i18n.t("msg.nothing")
    i18n.set_lang("vi")
    assert rendered("table", rows=[]).strip() == i18n.t("msg.nothing") != "Nothing matches."


def test_a_table_shows_markup_as_text():
    text = rendered("table", rows=[dict(ref="[bold]x[/bold]")], columns=["ref"])
    assert "[bold]x[/bold]" in text
