"""kh gap on the seed plans, through the real CLI and store: every kind of target, roll-ups over
communes and unit versions, flows against stocks, and the period running or over."""

import pytest


def rec(k, plan, ref, value, unit, period, of=None, as_of="2031-01-01"):
    extra = ["--of", str(of)] if of is not None else []
    k.ok("record", plan, ref, str(value), "--unit", unit, "--period", period, *extra, "--as-of", as_of)


def gap(k, plan, ref, *args):
    [row] = k.ok("gap", "--plan", plan, "--ref", ref, "-f", "json", *args).json()
    return row


def test_change_against_a_baseline_year_sums_months_across_the_province(world):
    rec(world, "na-2021", "III.1-1", 1504, "40", "2020")
    rec(world, "na-2021", "III.1-1", 500, "16663", "2021-01")   # a commune of Vinh
    rec(world, "na-2021", "III.1-1", 579, "16666", "2021-06")   # another
    rec(world, "na-2021", "III.1-1", 500, "40", "2021-12")      # the province's own cases
    r = gap(world, "na-2021", "III.1-1", "--as-of", "2022-01-10")
    assert (r["unit"], r["period"], r["period_start"], r["period_end"]) == ("40", "2021", "2020-12-15", "2021-12-14")
    # 1,579 is short of 1,580, but the province's other communes sent nothing: they could close it
    assert (r["baseline"], r["value"], r["actual"], r["needed"], r["status"]) == (1504, 1579, 4.99, None, "incomplete")
    assert r["units_reported"] == 2 and r["units_expected"] > 400 and r["target_basis"] == "plan"
    rec(world, "na-2021", "III.1-1", 1, "16669", "2021-09")
    met = gap(world, "na-2021", "III.1-1", "--as-of", "2022-01-10")
    # ≥ reached: whatever the silent communes send, it stays met
    assert (met["status"], met["needed"], met["units_reported"]) == ("met", 0, 3)
    # the district of Vinh alone: its communes' 1080, with no baseline of its own
    vinh = gap(world, "na-2021", "III.1-1", "--unit", "412", "--as-of", "2022-01-10")
    assert (vinh["value"], vinh["status"]) == (1080, "no_data")


def test_a_quarter_sums_only_its_months(world):
    for month, v in (("2021-01", 10), ("2021-02", 20), ("2021-03", 30), ("2021-04", 40)):
        rec(world, "na-2021", "III.3-3", v, "16663", month)
    assert gap(world, "na-2021", "III.3-3", "--period", "2021-Q1", "--as-of", "2022-01-10")["value"] == 60
    assert gap(world, "na-2021", "III.3-3", "--period", "2021", "--as-of", "2022-01-10")["value"] == 100


def test_shares_pool_numerators_and_denominators_and_stocks_take_the_latest(world):
    rec(world, "na-2021", "III.4-1", 5, "16663", "2021-06", of=10)
    rec(world, "na-2021", "III.4-1", 9, "16663", "2021-12", of=10)
    rec(world, "na-2021", "III.4-1", 30, "16666", "2021-12", of=90)
    r = gap(world, "na-2021", "III.4-1", "--unit", "412", "--as-of", "2022-01-10")
    # (9 + 30) / (10 + 90) = 39 %, not the average of 90 % and 33 %; June's 5/10 is not added
    assert (r["value"], r["denominator"], r["actual"], r["needed"], r["status"]) == (39, 100, 39, None, "incomplete")
    # a commune alone is complete: the verdict stands
    own = gap(world, "na-2021", "III.4-1", "--unit", "16666", "--as-of", "2022-01-10")
    assert (own["actual"], own["needed"], own["status"], own["units_expected"]) == (33.33, 33, "not_met", 1)


def test_count_at_least_says_how_many_more(world):
    rec(world, "na-2021", "III.3-3", 7, "40", "2021")
    r = gap(world, "na-2021", "III.3-3", "--as-of", "2022-01-10")
    assert (r["actual"], r["gap"], r["needed"], r["status"]) == (7, 3, None, "incomplete")
    assert r["units_reported"] == 0  # the province's own figure is no commune's


def test_decrease_against_the_previous_year(world):
    rec(world, "na-2021", "III.3-1", 1000, "40", "2020-12")
    rec(world, "na-2021", "III.3-1", 1000, "40", "2021-12")
    r = gap(world, "na-2021", "III.3-1", "--as-of", "2022-01-10")
    assert (r["baseline"], r["actual"], r["needed"], r["status"]) == (1000, 0, 1, "not_met")


def test_tren_is_strict_every_year_against_the_previous(world):
    rec(world, "ls-mtqg-2030", "II.3.d-3", 100, "20", "2025")
    rec(world, "ls-mtqg-2030", "II.3.d-3", 105, "20", "2026")
    r = gap(world, "ls-mtqg-2030", "II.3.d-3", "--period", "2026", "--as-of", "2027-01-05")
    assert (r["actual"], r["needed"], r["status"]) == (5, None, "incomplete")
    world.ok("record", "ls-mtqg-2030", "II.3.d-3", "106", "--unit", "20", "--period", "2026", "--replace",
             "--as-of", "2027-01-05")
    assert gap(world, "ls-mtqg-2030", "II.3.d-3", "--period", "2026", "--as-of", "2027-01-05")["status"] == "met"


@pytest.mark.parametrize("so_far,status,needed", [(60, "on_track", 44), (50, "incomplete", None)])
def test_a_running_year_is_judged_against_the_share_that_has_passed(world, so_far, status, needed):
    rec(world, "ls-mtqg-2030", "II.3.d-1", 100, "20", "2025")
    rec(world, "ls-mtqg-2030", "II.3.d-1", so_far, "06187", "2026-03", as_of="2026-07-01")
    r = gap(world, "ls-mtqg-2030", "II.3.d-1", "--as-of", "2026-07-01")
    assert r["period"] == "2026"  # the current year, without --period
    # 60 is on track whatever comes; 50 is behind only if the silent communes send nothing
    assert (r["status"], r["needed"]) == (status, needed)
    own = gap(world, "ls-mtqg-2030", "II.3.d-1", "--unit", "06187", "--period", "2026", "--as-of", "2026-07-01")
    assert own["units_expected"] == own["units_reported"] == 1


def test_flows_follow_merged_communes_and_stocks_count_only_units_alive_at_the_end(world):
    # 06187 was Thị trấn Cao Lộc (district 183) until 30/6/2025, then Phường Kỳ Lừa (province 20)
    rec(world, "ls-mtqg-2030", "II.3.d-1", 7, "06187", "2025-03")
    rec(world, "ls-mtqg-2030", "II.3.d-1", 5, "06187", "2025-09")
    assert gap(world, "ls-mtqg-2030", "II.3.d-1", "--period", "2025", "--as-of", "2026-01-05")["value"] == 12
    rec(world, "ls-mtqg-2030", "II.3.a-1", 50, "06190", "2025-05")  # Xã Bảo Lâm, merged into 06184
    rec(world, "ls-mtqg-2030", "II.3.a-1", 45, "06184", "2025-11")  # Phường Đồng Đăng after the merger
    r = gap(world, "ls-mtqg-2030", "II.3.a-1", "--period", "2025", "--as-of", "2026-01-05")
    assert r["value"] == 45  # not 95: Bảo Lâm's people are counted in Đồng Đăng's December figure
    h1 = gap(world, "ls-mtqg-2030", "II.3.a-1", "--period", "2025-H1", "--as-of", "2026-01-05")
    assert h1["value"] == 50


def test_zero_target_over_a_commune_that_was_merged(world):
    # qt-2024-xkmt covers Xã Quang Trung (14824), merged into 14818 on 1/7/2025
    rec(world, "qt-2024-xkmt", "I.2-1", 0, "14824", "2024-12")
    r = gap(world, "qt-2024-xkmt", "I.2-1", "--period", "2025", "--as-of", "2026-01-10")
    # 14818 itself has not reported: nothing so far is not "nothing happened"
    assert (r["unit"], r["value"], r["status"]) == ("14818", 0, "incomplete")
    rec(world, "qt-2024-xkmt", "I.2-1", 0, "14818", "2025-09")
    r = gap(world, "qt-2024-xkmt", "I.2-1", "--period", "2025", "--as-of", "2026-01-10")
    assert (r["value"], r["status"]) == (0, "met")
    world.ok("record", "qt-2024-xkmt", "I.2-1", "1", "--unit", "14818", "--period", "2025-09", "--replace",
             "--as-of", "2026-01-10")
    r = gap(world, "qt-2024-xkmt", "I.2-1", "--period", "2025", "--as-of", "2026-01-10")
    assert (r["value"], r["gap"], r["needed"], r["status"]) == (1, 1, None, "not_met")


def test_milestones_each_judged_in_its_year_and_progress_between(world):
    # a commune of Thành phố Bắc Kạn, judged on its own: nothing is missing
    rec(world, "bk-238-2017", "IV.4.2-1", 70, "01834", "2018", of=100)
    rec(world, "bk-238-2017", "IV.4.2-1", 80, "01834", "2019", of=100)
    rec(world, "bk-238-2017", "IV.4.2-1", 100, "01834", "2020", of=100)

    def year(y):
        return gap(world, "bk-238-2017", "IV.4.2-1", "--unit", "01834", "--period", y, "--as-of", "2021-01-10")

    y2018 = year("2018")
    assert (y2018["target"], y2018["needed"], y2018["status"], y2018["target_basis"]) == (75, 5, "not_met", "plan")
    y2019 = year("2019")  # halfway from 75 to 100
    assert (y2019["target"], y2019["status"], y2019["target_basis"]) == (87.5, "behind", "interpolated")
    y2020 = year("2020")
    assert (y2020["target"], y2020["status"]) == (100, "met")
    # the province's row: the other communes are silent, and a share can fall as well as rise
    assert gap(world, "bk-238-2017", "IV.4.2-1", "--period", "2020", "--as-of", "2021-01-10")["status"] == "incomplete"


def test_per_district_target_is_judged_alone_and_counted_in_the_roll_up(world):
    rec(world, "bk-238-2017", "I.3-4", 1, "058", "2018")
    rec(world, "bk-238-2017", "I.3-4", 0, "060", "2018")
    province = gap(world, "bk-238-2017", "I.3-4", "--period", "2018", "--as-of", "2019-01-10")
    assert (province["value"], province["denominator"], province["status"]) == (1, 8, "not_met")
    assert gap(world, "bk-238-2017", "I.3-4", "--unit", "058", "--period", "2018", "--as-of", "2019-01-10")["status"] == "met"
    assert gap(world, "bk-238-2017", "I.3-4", "--unit", "060", "--period", "2018", "--as-of", "2019-01-10")["status"] == "not_met"
    assert gap(world, "bk-238-2017", "I.3-4", "--unit", "061", "--period", "2018", "--as-of", "2019-01-10")["status"] == "no_data"


def test_share_of_a_frozen_baseline(world):
    rec(world, "na-2021", "III.3-4", 150, "40", "2020")   # hotspots known in 2020
    rec(world, "na-2021", "III.3-4", 29, "40", "2021")    # eliminated in 2021
    r = gap(world, "na-2021", "III.3-4", "--as-of", "2022-01-10")
    assert (r["baseline"], r["actual"], r["needed"], r["status"]) == (150, 19.33, None, "incomplete")


def test_every_indicator_of_a_plan_gets_a_row_and_unrecorded_ones_say_no_data(world):
    rows = world.ok("gap", "--plan", "na-2021", "--as-of", "2022-01-10", "-f", "json").json()
    assert len(rows) == 21 and {r["status"] for r in rows} == {"no_data"}
    assert set(rows[0]) == {"plan", "ref", "indicator", "unit", "unit_name", "period", "period_start",
                            "period_end", "kind", "comparator", "target", "baseline", "value",
                            "denominator", "actual", "gap", "needed", "status", "units_expected",
                            "units_reported", "target_basis", "reason", "reason_text"}
    assert {(r["reason"], r["reason_text"]) for r in rows} == {("no_figures", "no figures for 2021")}


def test_gap_refuses_what_it_cannot_find(world):
    assert "--period" in world.refused("gap", "--period", "2021-H3").err
    assert "--unit" in world.refused("gap", "--unit", "9999999").err
    assert "did you mean 'na-2021'" in world.refused("gap", "--plan", "na-2012").err
    assert "did you mean" in world.refused("gap", "--plan", "na-2021", "--ref", "III.11").err


def test_gap_table_speaks_vietnamese(world):
    rec(world, "na-2021", "III.3-3", 7, "40", "2021")
    out = world.ok("--lang", "vi", "gap", "--plan", "na-2021", "--ref", "III.3-3", "--as-of", "2022-01-10").out
    assert "Chưa đủ số liệu" in out and "≥ 10 xã" in out and "7 (0/" in out


def test_an_abolished_district_collects_nothing_after_it_ended(world):
    rec(world, "ls-mtqg-2030", "II.3.d-1", 7, "06187", "2025-03")   # still in district 183
    rec(world, "ls-mtqg-2030", "II.3.d-1", 60, "06187", "2026-03")  # Phường Kỳ Lừa, province 20
    before = gap(world, "ls-mtqg-2030", "II.3.d-1", "--unit", "183", "--period", "2025-Q1", "--as-of", "2026-07-01")
    assert before["value"] == 7
    after = gap(world, "ls-mtqg-2030", "II.3.d-1", "--unit", "183", "--period", "2026", "--as-of", "2026-07-01")
    # docs/gap.md's example: the district collects nothing of 2026, and expects no commune
    assert (after["value"], after["status"], after["units_expected"]) == (None, "no_data", 0)
    province = gap(world, "ls-mtqg-2030", "II.3.d-1", "--period", "2026", "--as-of", "2026-07-01")
    assert province["value"] == 60 and province["units_reported"] == 1
    rec(world, "ls-mtqg-2030", "II.3.a-1", 45, "06184", "2025-11")  # Phường Đồng Đăng, new since July
    stock = gap(world, "ls-mtqg-2030", "II.3.a-1", "--unit", "183", "--period", "2025", "--as-of", "2026-01-05")
    assert stock["value"] is None
