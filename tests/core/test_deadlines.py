from datetime import date

from kh.deadlines import occurrences
from kh.model import DeadlineRule, Plan
from kh.periods import ND09


def plan(start, end, cutoff=1):
    return Plan(id="p", title="t", issuer="i", level="province", start=start, end=end, cutoff_day=cutoff)


def test_truoc_ngay_is_due_the_day_before():
    rule = DeadlineRule("once", date=date(2021, 6, 16), relation="before")
    [occ] = occurrences(rule, plan(date(2021, 1, 1), date(2021, 12, 31)))
    assert occ.due == date(2021, 6, 15)


def test_den_ngay_is_due_that_day():
    rule = DeadlineRule("once", date=date(2024, 7, 5), relation="by")
    assert occurrences(rule, plan(date(2024, 6, 1), date(2024, 6, 30)))[0].due == date(2024, 7, 5)


def test_before_the_first_of_march_in_a_leap_year_is_the_29th():
    rule = DeadlineRule("once", date=date(2024, 3, 1), relation="before")
    assert occurrences(rule, plan(date(2024, 1, 1), date(2024, 12, 31)))[0].due == date(2024, 2, 29)
    rule = DeadlineRule("once", date=date(2023, 3, 1), relation="before")
    assert occurrences(rule, plan(date(2023, 1, 1), date(2023, 12, 31)))[0].due == date(2023, 2, 28)


def test_year_only_is_due_on_the_last_day_of_that_year():
    [occ] = occurrences(DeadlineRule("year", year=2018), plan(date(2017, 1, 1), date(2020, 12, 31)))
    assert occ.due == date(2018, 12, 31) and str(occ.period) == "2018"


def test_recurring_rule_repeats_every_year_of_a_six_year_plan():
    rule = DeadlineRule("recurring", every="half", on=["16/6", "16/12"], relation="before")
    occs = occurrences(rule, plan(date(2025, 1, 1), date(2030, 12, 31), ND09))
    assert len(occs) == 12
    assert [o.due for o in occs[:2]] == [date(2025, 6, 15), date(2025, 12, 15)]
    assert occs[-1].due == date(2030, 12, 15) and str(occs[-1].period) == "2030-H2"


def test_recurring_rule_keeps_to_the_plan_span():
    rule = DeadlineRule("recurring", every="half", after_end=0)
    occs = occurrences(rule, plan(date(2024, 12, 1), date(2025, 12, 31)))
    assert [str(o.period) for o in occs] == ["2024-H2", "2025-H1", "2025-H2"]
    assert occs[0].due == date(2024, 12, 31)


def test_day_of_the_last_month_follows_thong_tu_13():
    rule = DeadlineRule("recurring", every="quarter", day=16, relation="before")
    occs = occurrences(rule, plan(date(2022, 1, 1), date(2022, 12, 31), ND09))
    assert [o.due for o in occs] == [date(2022, 3, 15), date(2022, 6, 15), date(2022, 9, 15), date(2022, 12, 15)]


def test_after_end_counts_from_the_periods_last_day_under_the_cutoff():
    rule = DeadlineRule("recurring", every="year", after_end=5)
    [occ] = occurrences(rule, plan(date(2021, 1, 1), date(2021, 12, 31), ND09))
    assert occ.due == date(2021, 12, 19)  # the ND09 year ends 14/12
