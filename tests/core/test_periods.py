from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from kh.errors import KhError
from kh.periods import CALENDAR, ND09, Period, bounds, parse_period, period_containing


@pytest.mark.parametrize("raw,kind,index", [("2021", "year", 1), ("2021-H1", "half", 1),
                                            ("2021-h2", "half", 2), ("2021-Q3", "quarter", 3),
                                            ("2021-06", "month", 6)])
def test_parse(raw, kind, index):
    p = parse_period(raw)
    assert (p.year, p.kind, p.index) == (2021, kind, index)
    assert str(p) == raw.upper()


@pytest.mark.parametrize("raw", ["2021-H3", "2021-Q0", "2021-13", "2021-00", "21", "2021-6", "năm 21", "16/6/2021",
                                 "6/21", "2021/6", "quý 5/2021", "13/2021", "H3/2021"])
def test_refused(raw):
    with pytest.raises(KhError):
        parse_period(raw)


def test_calendar_bounds():
    assert bounds(parse_period("2024-02"), CALENDAR) == (date(2024, 2, 1), date(2024, 2, 29))
    assert bounds(parse_period("2021-Q2"), CALENDAR) == (date(2021, 4, 1), date(2021, 6, 30))
    assert bounds(parse_period("2021"), CALENDAR) == (date(2021, 1, 1), date(2021, 12, 31))


def test_nd09_bounds_are_the_decree_table():
    # DOMAIN.md: monthly 15th of the previous month → 14th; 6-month 15/12 → 14/6; yearly 15/12 → 14/12
    assert bounds(parse_period("2021-06"), ND09) == (date(2021, 5, 15), date(2021, 6, 14))
    assert bounds(parse_period("2021-01"), ND09) == (date(2020, 12, 15), date(2021, 1, 14))
    assert bounds(parse_period("2021-H1"), ND09) == (date(2020, 12, 15), date(2021, 6, 14))
    assert bounds(parse_period("2021-Q3"), ND09) == (date(2021, 6, 15), date(2021, 9, 14))
    assert bounds(parse_period("2021"), ND09) == (date(2020, 12, 15), date(2021, 12, 14))


@given(st.integers(1990, 2090), st.sampled_from(["year", "half", "quarter"]), st.integers(1, 28))
def test_months_tile_every_period_without_gap_or_overlap(year, kind, cutoff):
    outer = Period(year, kind, 1)
    months = [Period(year, "month", m) for m in range(outer.first_month, outer.last_month + 1)]
    first, last = bounds(outer, cutoff)
    assert bounds(months[0], cutoff)[0] == first and bounds(months[-1], cutoff)[1] == last
    for a, b in zip(months, months[1:]):
        assert bounds(a, cutoff)[1] + timedelta(days=1) == bounds(b, cutoff)[0]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
       st.sampled_from(["year", "half", "quarter", "month"]), st.sampled_from([CALENDAR, ND09, 20]))
def test_every_day_lies_in_the_period_said_to_contain_it(day, kind, cutoff):
    p = period_containing(day, kind, cutoff)
    start, end = bounds(p, cutoff)
    assert start <= day <= end


def test_vietnamese_period_names():
    from kh.periods import period_name

    assert [period_name(p) for p in ("2021", "2021-H1", "2021-H2", "2021-Q2", "2021-Q4", "2021-06", "2021-12")] == [
        "năm 2021", "6 tháng đầu năm 2021", "6 tháng cuối năm 2021", "quý II/2021", "quý IV/2021",
        "tháng 6/2021", "tháng 12/2021"]
    assert [period_name(p, "en") for p in ("2021", "2021-H2", "2021-Q3", "2021-06")] == [
        "2021", "second half of 2021", "Q3 2021", "June 2021"]
