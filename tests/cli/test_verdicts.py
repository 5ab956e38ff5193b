"""Verdicts that know who reported (issue 12): coverage in every row, and met / not_met only
when the silent units could not change it. A plan and units of our own, through the real CLI."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Kh, new_target

UNITS = """code,name,kind,parent,valid_from,valid_to,successors
90,Tỉnh Thử,province,,,,
901,Huyện Một,district,90,,,
902,Huyện Hai,district,90,,,
90011,Xã An,commune,901,,,
90012,Xã Bình,commune,901,,,
90021,Xã Cường,commune,902,,,
90022,Xã Dũng,commune,902,,,
"""
COMMUNES = ["90011", "90012", "90021", "90022"]

PLAN = """format = 1
[plan]
id = "thu"
title = "Kế hoạch thử"
issuer = "UBND tỉnh Thử"
level = "province"
area = "90"
start = 2021-01-01
end = 2021-12-31
cutoff = "calendar"

[[indicators]]
ref = "A"
name = "Số vụ bắt giữ"
counts = "vụ"
kind = "count"
comparator = ">="
target = 10
measure = "flow"
periodicity = "yearly"
source = "ít nhất 10 vụ"

[[indicators]]
ref = "B"
name = "Người nghiện mới"
counts = "người"
kind = "zero"
measure = "flow"
periodicity = "yearly"
source = "không phát sinh"

[[indicators]]
ref = "C"
name = "Số người nghiện"
counts = "người"
kind = "decrease"
comparator = ">"
target = 0
measure = "stock"
periodicity = "yearly"
baseline = "previous"
source = "giảm số người nghiện"

[[indicators]]
ref = "D"
name = "Tỷ lệ cai nghiện"
counts = "người"
kind = "share"
comparator = ">="
target = 70
measure = "stock"
periodicity = "yearly"
source = "70 % trở lên"

[[indicators]]
ref = "E"
name = "Số vụ vi phạm"
counts = "vụ"
kind = "count"
comparator = "<="
target = 5
measure = "flow"
periodicity = "yearly"
source = "không quá 5 vụ"
"""
ASOF = "2022-02-01"


@pytest.fixture
def thu(tmp_path) -> Kh:
    k = Kh(new_target(tmp_path))
    k.ok("init")
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "thu.toml").write_text(PLAN, encoding="utf-8")
    k.ok("unit", "import", str(tmp_path / "units.csv"))
    k.ok("plan", "import", str(tmp_path / "thu.toml"))
    return k


def rec(k, ref, value, unit, period="2021", of=None, replace=False):
    extra = (["--of", str(of)] if of is not None else []) + (["--replace"] if replace else [])
    k.ok("record", "thu", ref, str(value), "--unit", unit, "--period", period, *extra, "--as-of", ASOF)


def row(k, ref, *args):
    [r] = k.ok("gap", "--plan", "thu", "--ref", ref, "--period", "2021", "--as-of", ASOF, "-f", "json", *args).json()
    return r


def test_the_issue_decrease_where_one_commune_fell_silent(thu):
    # two communes of Huyện Một had 50 addicts each; in 2021 one recorded 60 and the other nothing
    rec(thu, "C", 50, "90011", "2020")
    rec(thu, "C", 50, "90012", "2020")
    rec(thu, "C", 60, "90011", "2021")
    r = row(thu, "C", "--unit", "901")
    assert (r["baseline"], r["value"], r["units_expected"], r["units_reported"]) == (100, 60, 2, 1)
    assert (r["status"], r["needed"]) == ("incomplete", None)  # not "decrease 40, met"
    rec(thu, "C", 45, "90012", "2021")
    r = row(thu, "C", "--unit", "901")
    assert (r["value"], r["status"], r["units_reported"]) == (105, "not_met", 2)


def test_a_zero_target_broken_by_one_commune_is_not_met_with_the_rest_silent(thu):
    rec(thu, "B", 0, "90011")
    assert row(thu, "B")["status"] == "incomplete"  # one commune of four saying 0 is not "met"
    rec(thu, "B", 2, "90021")
    r = row(thu, "B")
    assert (r["status"], r["units_expected"], r["units_reported"]) == ("not_met", 4, 2)


def test_a_count_already_reached_is_met_and_coverage_shows_in_the_table(thu):
    rec(thu, "A", 12, "90011")
    r = row(thu, "A")
    assert (r["status"], r["needed"], r["units_expected"], r["units_reported"]) == ("met", 0, 4, 1)
    assert "12 (1/4)" in thu.ok("gap", "--plan", "thu", "--ref", "A", "--period", "2021", "--as-of", ASOF).out
    vi = thu.ok("--lang", "vi", "gap", "--plan", "thu", "--ref", "E", "--period", "2021", "--as-of", ASOF).out
    rec(thu, "E", 3, "90011")
    vi = thu.ok("--lang", "vi", "gap", "--plan", "thu", "--ref", "E", "--period", "2021", "--as-of", ASOF).out
    assert "Chưa đủ số liệu" in vi and "3 (1/4)" in vi


def test_a_province_figure_is_no_communes_report_unless_the_plan_says_so(thu, tmp_path):
    rec(thu, "A", 3, "90")
    r = row(thu, "A")
    assert (r["value"], r["units_reported"], r["status"]) == (3, 0, "incomplete")
    plan = PLAN.replace('source = "ít nhất 10 vụ"', 'source = "ít nhất 10 vụ"\nreported_by = "province"')
    (tmp_path / "thu2.toml").write_text(plan, encoding="utf-8")
    thu.ok("plan", "import", str(tmp_path / "thu2.toml"))
    r = row(thu, "A")
    assert (r["units_expected"], r["units_reported"], r["status"]) == (1, 1, "not_met")
    assert 'reported_by = "province"' in thu.ok("plan", "export", "thu").out


def test_a_refused_reporting_level_names_the_line(thu, tmp_path):
    plan = PLAN.replace('source = "ít nhất 10 vụ"', 'source = "ít nhất 10 vụ"\nreported_by = "ward"')
    (tmp_path / "bad.toml").write_text(plan, encoding="utf-8")
    err = thu.refused("plan", "import", str(tmp_path / "bad.toml")).err
    assert "indicators[0].reported_by" in err and "'ward'" in err


_figure = st.tuples(st.sampled_from(COMMUNES), st.integers(0, 30), st.integers(1, 40))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(_figure, max_size=4, unique_by=lambda f: f[0]),
       base=st.lists(_figure, max_size=4, unique_by=lambda f: f[0]),
       later=st.lists(st.tuples(st.integers(0, 10 ** 6), st.integers(0, 10 ** 6)), min_size=4, max_size=4),
       ref=st.sampled_from("ABCDE"))
def test_nothing_the_silent_units_send_flips_a_printed_verdict(tmp_path_factory, before, base, later, ref):
    k = Kh(new_target(tmp_path_factory.mktemp("v")))
    k.ok("init")
    d = tmp_path_factory.mktemp("f")
    (d / "u.csv").write_text(UNITS, encoding="utf-8")
    (d / "p.toml").write_text(PLAN, encoding="utf-8")
    k.ok("unit", "import", str(d / "u.csv"))
    k.ok("plan", "import", str(d / "p.toml"))

    def figs(items, period):
        out = []
        for unit, a, b in items:
            num, den = (min(a, b), b) if ref == "D" else (a, None)
            out.append(f"thu,{ref},{unit},{period},{num},{den if den is not None else ''},")
        return out

    csv = ["plan,ref,unit,period,value,denominator,note", *figs(base, "2020"), *figs(before, "2021")]
    (d / "f.csv").write_text("\n".join(csv) + "\n", encoding="utf-8")
    if len(csv) > 1:
        k.ok("record", "import", str(d / "f.csv"), "--as-of", ASOF)
    rows = {r["unit"]: r for u in ("90", "901", "902")
            for r in k.ok("gap", "--plan", "thu", "--ref", ref, "--unit", u, "--period", "2021",
                          "--as-of", ASOF, "-f", "json").json()}
    silent = [c for c in COMMUNES if c not in {u for u, _, _ in before}]
    more = [(c, max(a, b), max(a, b) + min(a, b)) if ref == "D" else (c, a, b) for c, (a, b) in zip(silent, later)]
    if more:
        (d / "g.csv").write_text("\n".join(["plan,ref,unit,period,value,denominator,note",
                                            *figs([(c, a, b) if ref != "D" else (c, a, b) for c, a, b in more],
                                                  "2021")]) + "\n", encoding="utf-8")
        k.ok("record", "import", str(d / "g.csv"), "--as-of", ASOF)
    for u, r in rows.items():
        if r["status"] in ("met", "not_met"):
            [after] = k.ok("gap", "--plan", "thu", "--ref", ref, "--unit", u, "--period", "2021",
                           "--as-of", ASOF, "-f", "json").json()
            assert after["status"] == r["status"], (u, r, after)


def test_a_month_of_a_yearly_count_is_never_met_and_says_its_target_is_pro_rata(thu):
    rec(thu, "A", 5, "90011", "2021-07")
    [r] = thu.ok("gap", "--plan", "thu", "--ref", "A", "--unit", "90011", "--period", "2021-07", "--as-of", ASOF,
                 "-f", "json").json()
    assert (r["target"], r["target_basis"], r["status"]) == (0.83, "pro_rata", "on_track")
    out = thu.ok("gap", "--plan", "thu", "--ref", "A", "--unit", "90011", "--period", "2021-07", "--as-of", ASOF).out
    assert "pro rata" in out
    year = row(thu, "A", "--unit", "90011")
    assert (year["target_basis"], year["status"]) == ("plan", "not_met")  # 5 of 10 for the year


def test_a_stock_is_its_latest_figure_in_the_window_unless_it_carries_forward(thu, tmp_path):
    rec(thu, "C", 50, "90011", "2020-06")
    assert row(thu, "C", "--unit", "90011")["status"] == "no_data"  # nothing in 2021: silent
    plan = PLAN.replace('source = "giảm số người nghiện"', 'source = "giảm số người nghiện"\ncarry_forward = true')
    (tmp_path / "cf.toml").write_text(plan, encoding="utf-8")
    thu.ok("plan", "import", str(tmp_path / "cf.toml"))
    r = row(thu, "C", "--unit", "90011")
    assert (r["value"], r["baseline"], r["units_reported"]) == (50, 50, 1)
    assert "carry_forward = true" in thu.ok("plan", "export", "thu").out
    bad = PLAN.replace('source = "ít nhất 10 vụ"', 'source = "ít nhất 10 vụ"\ncarry_forward = true')
    (tmp_path / "bad.toml").write_text(bad, encoding="utf-8")
    assert "indicators[0].carry_forward" in thu.refused("plan", "import", str(tmp_path / "bad.toml")).err


def test_a_fixed_whole_takes_numerators_only(thu, tmp_path):
    plan = PLAN.replace('source = "70 % trở lên"', 'source = "70 % trở lên"\ndenominator_measure = "fixed"\n'
                                                   'denominator_value = 20').replace(
        'ref = "D"\nname = "Tỷ lệ cai nghiện"\ncounts = "người"\nkind = "share"\ncomparator = ">="\ntarget = 70\n'
        'measure = "stock"', 'ref = "D"\nname = "Tỷ lệ cai nghiện"\ncounts = "người"\nkind = "share"\n'
        'comparator = ">="\ntarget = 70\nmeasure = "flow"')
    (tmp_path / "fx.toml").write_text(plan, encoding="utf-8")
    thu.ok("plan", "import", str(tmp_path / "fx.toml"))
    err = thu.refused("record", "thu", "D", "3", "--of", "20", "--unit", "90011", "--period", "2021-03",
                      "--as-of", ASOF).err
    assert "fixes the whole of D at 20" in err
    rec(thu, "D", 9, "90011", "2021-03")
    rec(thu, "D", 6, "90021", "2021-09")
    r = row(thu, "D")
    # 15 of the plan's 20 = 75 % ≥ 70 %: met, whatever the silent communes add to the numerator
    assert (r["value"], r["denominator"], r["actual"], r["status"]) == (15, 20, 75, "met")


def test_a_flow_over_a_register_sums_numerators_and_takes_the_latest_whole(world):
    # bk-238-2017 I.3-1 "mỗi năm đưa hơn 1 % số người nghiện (có hồ sơ) … ra khỏi diện"
    for month in ("2018-03", "2018-09"):
        world.ok("record", "bk-238-2017", "I.3-1", "1", "--of", "100", "--unit", "01834", "--period", month,
                 "--as-of", "2019-01-10")
    [r] = world.ok("gap", "--plan", "bk-238-2017", "--ref", "I.3-1", "--unit", "01834", "--period", "2018",
                   "--as-of", "2019-01-10", "-f", "json").json()
    assert (r["value"], r["denominator"], r["actual"], r["status"]) == (2, 100, 2, "met")  # not 2/200 = 1 %


def test_a_figure_outside_the_plans_area_is_refused_naming_both(world):
    before = world.ok("figures", "-f", "csv").out
    err = world.refused("record", "qt-2024-xkmt", "I.2-1", "1", "--unit", "40", "--period", "2025-03",
                        "--as-of", "2026-01-01").err
    assert "40 (Tỉnh Nghệ An) is not in the area of plan qt-2024-xkmt (14824, Xã Quang Trung)" in err
    # 14818 was Phường Ngọc Trạo before 1/7/2025 and is Phường Quang Trung, the plan's area, after
    err = world.refused("record", "qt-2024-xkmt", "I.2-1", "1", "--unit", "14818", "--period", "2025-03",
                        "--as-of", "2026-01-01").err
    assert "14818 (Phường Ngọc Trạo) is not in the area" in err
    world.ok("record", "qt-2024-xkmt", "I.2-1", "0", "--unit", "14818", "--period", "2025-09", "--as-of", "2026-01-01")
    world.ok("record", "qt-2024-xkmt", "I.2-1", "0", "--unit", "14824", "--period", "2025-03", "--as-of", "2026-01-01")
    err = world.refused("record", "qt-2024-xkmt", "I.2-1", "0", "--unit", "14824", "--period", "2025-09",
                        "--as-of", "2026-01-01").err
    assert "it ceased on 2025-07-01; its successor is 14818 Phường Quang Trung" in err
    vi = world.refused("--lang", "vi", "record", "qt-2024-xkmt", "I.2-1", "1", "--unit", "40", "--period",
                       "2025-03", "--as-of", "2026-01-01").err
    assert "không thuộc địa bàn của kế hoạch qt-2024-xkmt" in vi
    assert before != world.ok("figures", "-f", "csv").out  # the two accepted ones only


def test_known_at_leaves_out_what_was_recorded_after_that_day(thu):
    from datetime import datetime, timedelta, timezone

    today = (datetime.now(timezone.utc) + timedelta(hours=7)).date()  # the day in Vietnam
    rec(thu, "A", 12, "90011")
    assert row(thu, "A", "--known-at", str(today))["value"] == 12
    before = row(thu, "A", "--known-at", str(today - timedelta(days=1)))
    assert (before["value"], before["status"]) == (None, "no_data")
    assert "--known-at" in thu.refused("gap", "--plan", "thu", "--known-at", "31/02/2021").err
