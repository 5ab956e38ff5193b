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


from kh.deadlines import (DONE_LATE, DONE_ON_TIME, DUE_SOON, NOT_DUE, OPEN, OVERDUE, next_working_day,
                          status)


def test_status_the_day_before_the_day_and_the_day_after():
    due = date(2021, 6, 15)  # "trước ngày 16/6/2021"
    assert status(due, None, date(2021, 6, 7), 7) == (NOT_DUE, None)
    assert status(due, None, date(2021, 6, 8), 7) == (DUE_SOON, None)
    assert status(due, None, date(2021, 6, 14), 7) == (DUE_SOON, None)
    assert status(due, None, date(2021, 6, 15), 7) == (DUE_SOON, None)  # still on time that day
    assert status(due, None, date(2021, 6, 16), 7) == (OVERDUE, 1)
    assert status(due, None, date(2021, 7, 1), 0) == (OVERDUE, 16)
    assert status(due, None, date(2021, 6, 14), 0) == (NOT_DUE, None)


def test_done_on_the_due_day_is_on_time_and_the_day_after_is_late():
    due = date(2021, 6, 15)
    assert status(due, date(2021, 6, 15), date(2021, 12, 1), 7) == (DONE_ON_TIME, None)
    assert status(due, date(2021, 6, 16), date(2021, 12, 1), 7) == (DONE_LATE, 1)
    assert status(None, None, date(2021, 12, 1), 7) == (OPEN, None)


def test_a_recurring_day_before_1_march_is_29_february_in_leap_years():
    rule = DeadlineRule("recurring", every="year", on=["01/3"], relation="before")
    dues = [o.due for o in occurrences(rule, plan(date(2025, 1, 1), date(2030, 12, 31)))]
    assert dues == [date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29),
                    date(2029, 2, 28), date(2030, 2, 28)]


def test_working_days_move_off_weekends_holidays_and_tet_but_not_off_swapped_saturdays():
    assert next_working_day(date(2026, 8, 22)) == date(2026, 8, 22)  # a Saturday worked in 2026
    assert next_working_day(date(2026, 8, 29)) == date(2026, 9, 3)   # weekend, swapped day, Quốc khánh
    assert next_working_day(date(2026, 2, 16)) == date(2026, 2, 23)  # Tết Bính Ngọ
    assert next_working_day(date(2026, 6, 15)) == date(2026, 6, 15)  # an ordinary Monday


def test_working_days_are_a_plan_setting_off_by_default():
    rule = DeadlineRule("once", date=date(2026, 8, 30), relation="before")  # due Sat 29/8
    p = plan(date(2026, 1, 1), date(2026, 12, 31))
    assert occurrences(rule, p)[0].due == date(2026, 8, 29)
    p.working_days = True
    assert occurrences(rule, p)[0].due == date(2026, 9, 3)


def _seed(plan_id):
    from kh import planfile
    from tests.conftest import PLANS

    return planfile.loads((PLANS / f"{plan_id}.toml").read_text(encoding="utf-8"), f"{plan_id}.toml")


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(plan_id=st.sampled_from(["na-2021", "bk-238-2017", "ls-mtqg-2030"]), seed=st.integers(0, 10**6),
       as_of=st.dates(date(2017, 1, 1), date(2031, 12, 31)), near=st.none() | st.integers(-1, 1))
def test_the_overdue_fast_path_lists_exactly_the_overdue_rows(plan_id, seed, as_of, near):
    """obligation_rows(only=OVERDUE) — per assignee, the periods sent, read grouped (Sent) —
    gives the rows of the full listing whose status is overdue, whatever was sent."""
    import random

    from kh.deadlines import OVERDUE, Sent, obligation_rows

    from datetime import timedelta

    p = _seed(plan_id)
    rng = random.Random(seed)
    if near is not None:  # the day before, of, or after a due day: where statuses change
        dues = sorted({occ.due for ob in p.obligations for occ in occurrences(ob.due, p)})
        as_of = rng.choice(dues) + timedelta(days=near)
    done = {}
    for ob in p.obligations:
        for occ in occurrences(ob.due, p):
            for name in p.debtors(ob):
                if rng.random() < 0.5:
                    done[("obligation", ob.key, name, str(occ.period) if occ.period else "")] = occ.due
    full = [r for r in obligation_rows(p, done, as_of) if r["status"] == OVERDUE]
    key = lambda r: (r["obligation"], r["assignee"], str(r["period"]), r["due"])  # noqa: E731
    for given_done in (done, Sent.of(done)):
        fast = obligation_rows(p, given_done, as_of, only=OVERDUE)
        assert sorted(fast, key=key) == sorted(full, key=key)


def test_rows_within_a_period_are_those_it_covers_and_one_offs_due_inside_it():
    from kh.deadlines import rows_within
    from kh.periods import parse_period

    rows = [dict(plan="a", period="2021-Q2", due=date(2021, 7, 10)),   # inside H1
            dict(plan="a", period="2021-H1", due=date(2021, 6, 15)),   # the period itself
            dict(plan="a", period="2021", due=date(2021, 12, 15)),     # wider: not inside
            dict(plan="a", period="2021-07", due=date(2021, 7, 20)),   # after
            dict(plan="a", period="", due=date(2021, 6, 30)),          # one-off, calendar: inside
            dict(plan="b", period="", due=date(2021, 6, 30))]          # one-off, nd09: H1 ends 14/6
    within = rows_within(rows, parse_period("2021-H1"), {"a": 1, "b": ND09})
    assert within == rows[:2] + [rows[4]]
