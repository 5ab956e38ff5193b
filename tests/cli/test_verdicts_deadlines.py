"""Issue 12, deadlines: --as-of replays what was sent and done; recurring rules start and end
with a period; kh rates, the reporting rate."""

from __future__ import annotations

from fractions import Fraction

import pytest


def rows(k, *args):
    return k.ok(*args, "-f", "json").json()


def test_a_report_sent_later_is_not_sent_on_an_earlier_as_of(kh_seeded):
    kh_seeded.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--period", "2021-H1", "--on", "20/6/2021",
                 "--as-of", "2021-06-20")
    then = [r for r in rows(kh_seeded, "deadlines", "--plan", "na-2021", "--as-of", "2021-06-17")
            if r["obligation"] == "bc-6-thang" and r["assignee"] == "Sở Y tế"]
    assert [(r["status"], r["submitted_on"]) for r in then] == [("overdue", None)]  # not done_late on the 20th
    later = [r for r in rows(kh_seeded, "deadlines", "--plan", "na-2021", "--as-of", "2021-06-21")
             if r["obligation"] == "bc-6-thang" and r["assignee"] == "Sở Y tế"]
    assert [(r["status"], r["submitted_on"]) for r in later] == [("done_late", "2021-06-20")]
    # the overdue list of 1/7/2021 names a report that was sent only in 2022
    kh_seeded.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Tư pháp", "--period", "2021-H1", "--on", "5/1/2022",
                 "--as-of", "2022-01-05")
    late = {(r["obligation"], r["assignee"]) for r in rows(kh_seeded, "overdue", "--plan", "na-2021", "--as-of", "2021-07-01")}
    assert ("bc-6-thang", "Sở Tư pháp") in late and ("bc-6-thang", "Sở Y tế") not in late
    assert ("bc-6-thang", "Sở Tư pháp") not in {
        (r["obligation"], r["assignee"]) for r in rows(kh_seeded, "overdue", "--plan", "na-2021", "--as-of", "2022-01-06")}


def test_a_task_done_later_is_open_on_an_earlier_as_of(kh_seeded):
    task = next(r for r in rows(kh_seeded, "task", "list", "--plan", "ls-2024-thang6", "--as-of", "2024-06-01")
                if r["due"] and r["role"] == "lead")
    kh_seeded.ok("task", "done", "ls-2024-thang6", task["ref"], "-a", task["assignee"], "--on", task["due"],
                 "--as-of", task["due"])

    def status(as_of):
        return next(r["status"] for r in rows(kh_seeded, "task", "list", "--plan", "ls-2024-thang6", "--as-of", as_of)
                    if r["ref"] == task["ref"] and r["assignee"] == task["assignee"] and r["due"] == task["due"])

    assert status("2024-05-01") in ("not_due", "due_soon")
    assert status("2024-12-31") == "done_on_time"


def test_bk_238_2017_owes_its_first_six_monthly_report_for_2017_h2(kh_seeded):
    six = [r for r in rows(kh_seeded, "deadlines", "--plan", "bk-238-2017", "--as-of", "2017-07-01")
           if r["obligation"] == "bc-6-thang"]
    assert six and min(r["period"] for r in six) == "2017-H2"
    assert not [r for r in rows(kh_seeded, "overdue", "--plan", "bk-238-2017", "--as-of", "2017-07-01")
                if r["obligation"] == "bc-6-thang"]


@pytest.mark.parametrize("value,message", [('"2017-H3"', "not a period"), ('"2016-H2"', "outside the plan's span"),
                                           ("2021", "outside the plan's span")])
def test_a_recurring_rule_refuses_a_first_period_it_cannot_have(kh, tmp_path, value, message):
    text = open("examples/plans/bk-238-2017.toml", encoding="utf-8").read()
    bad = text.replace('from = "2017-H2"', f"from = {value}")
    assert bad != text
    (tmp_path / "bad.toml").write_text(bad, encoding="utf-8")
    err = kh.refused("plan", "import", str(tmp_path / "bad.toml")).err
    assert "due.from" in err and message in err


def test_until_ends_a_recurrence_and_survives_export(kh, tmp_path):
    text = open("examples/plans/bk-238-2017.toml", encoding="utf-8").read()
    text = text.replace('from = "2017-H2"', 'from = "2017-H2", until = "2019-H1"')
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    kh.ok("plan", "import", str(tmp_path / "p.toml"))
    six = [r for r in rows(kh, "deadlines", "--plan", "bk-238-2017", "--as-of", "2021-01-01")
           if r["obligation"] == "bc-6-thang"]
    assert sorted({r["period"] for r in six}) == ["2017-H2", "2018-H1", "2018-H2", "2019-H1"]
    exported = kh.ok("plan", "export", "bk-238-2017").out
    assert 'from = "2017-H2"' in exported and 'until = "2019-H1"' in exported


def test_rates_count_what_the_deadline_list_says(kh_seeded):
    kh_seeded.ok("submit", "na-2021", "ke-hoach-2021", "-a", "Sở Y tế", "--on", "5/2/2021", "--as-of", "2021-02-05")
    kh_seeded.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--on", "20/6/2021", "--as-of", "2021-06-20")
    kh_seeded.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Tài chính", "--on", "1/6/2021", "--as-of", "2021-06-01")
    as_of = "2021-07-01"
    listed = [r for r in rows(kh_seeded, "deadlines", "--plan", "na-2021", "--as-of", as_of) if r["due"] < as_of]
    by_ob = {r["group"]: r for r in rows(kh_seeded, "rates", "--plan", "na-2021", "--as-of", as_of, "--by", "obligation")}
    for key in {r["obligation"] for r in listed}:
        mine = [r for r in listed if r["obligation"] == key]
        got = by_ob[f"na-2021 {key}"]
        on_time = sum(r["status"] == "done_on_time" for r in mine)
        late = sum(r["status"] == "done_late" for r in mine)
        assert (got["due"], got["sent_on_time"], got["sent_late"], got["missing"]) == \
            (len(mine), on_time, late, len(mine) - on_time - late)
        assert got["rate_sent"] == round(float(Fraction(100 * (on_time + late), len(mine))), 2)
        assert got["rate_on_time"] == round(float(Fraction(100 * on_time, len(mine))), 2)
    assert "na-2021 bc-nam" not in by_ob  # due in December: not yet due on 1/7
    health = rows(kh_seeded, "rates", "--plan", "na-2021", "--as-of", as_of, "--assignee", "Sở Y tế")
    assert [(r["group"], r["due"], r["sent_on_time"], r["sent_late"], r["missing"]) for r in health] == \
        [("Sở Y tế", 2, 1, 1, 0)]
    # as it was on 17/6: the report of the 20th was not sent yet
    before = rows(kh_seeded, "rates", "--plan", "na-2021", "--as-of", "2021-06-17", "--assignee", "Sở Y tế")
    assert [(r["sent_on_time"], r["sent_late"], r["missing"]) for r in before] == [(1, 0, 1)]
    assert rows(kh_seeded, "rates", "--plan", "na-2021", "--as-of", as_of, "--period", "2022") == []
    vi = kh_seeded.ok("--lang", "vi", "rates", "--plan", "na-2021", "--as-of", as_of).out
    assert "Tỷ lệ báo cáo đúng hạn" in vi and "Tổng" in vi
    assert "--period" in kh_seeded.refused("rates", "--period", "2021-H3").err
