import unicodedata
from datetime import date

import pytest
from hypothesis import given, strategies as st

from kh.errors import KhError
from kh.text import fold, nfc, parse_date, parse_day_month


@pytest.mark.parametrize("raw", ["2021-06-16", "16/6/2021", "16/06/2021", "ngày 16 tháng 6 năm 2021",
                                 "16 tháng 06 năm 2021", "  Ngày 16 tháng 6 năm 2021 "])
def test_dates_in_every_accepted_form(raw):
    assert parse_date(raw) == date(2021, 6, 16)


@pytest.mark.parametrize("raw", ["31/02/2021", "29/02/2023", "2021-13-01", "0/1/2021", "16-6-2021",
                                 "16/6", "2021/06/16", "", "hôm nay"])
def test_dates_that_do_not_exist_or_are_malformed_are_refused(raw):
    with pytest.raises(KhError):
        parse_date(raw)


def test_leap_day_exists_only_in_leap_years():
    assert parse_date("29/02/2024") == date(2024, 2, 29)
    with pytest.raises(KhError, match="no day 29 in month 2"):
        parse_date("29/02/2023")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_any_date_reads_back_from_iso_and_vietnamese_forms(d):
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.day}/{d.month}/{d.year}") == d
    assert parse_date(f"ngày {d.day} tháng {d.month} năm {d.year}") == d


@given(st.text(max_size=30))
def test_date_parser_only_returns_a_date_or_refuses(s):
    try:
        assert isinstance(parse_date(s), date)
    except KhError:
        pass


def test_day_month_refuses_days_that_are_not_in_every_year():
    assert parse_day_month("16/6") == (16, 6)
    assert parse_day_month("05/7") == (5, 7)
    for bad in ("29/02", "31/04", "16.6", "16/6/2021"):
        with pytest.raises(KhError):
            parse_day_month(bad)


def test_decomposed_text_matches_composed():
    composed = "Sở Y tế"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert nfc(decomposed) == composed
    assert fold(decomposed) == fold("SỞ  Y TẾ")
