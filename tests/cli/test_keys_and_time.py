"""Issue 15, points 4, 5 and 6: the obligation key in sight and kh submit by prefix; times in the
local zone; what kh submit says about the day it records; kh --version; periods written 3/2025."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kh.text import search_key
from tests.conftest import PLANS, by, store_fingerprint


def _obligations(plan_id: str) -> dict[str, str]:
    from kh.planfile import load

    return {o.key: o.name for o in load(PLANS / f"{plan_id}.toml").obligations}


def test_deadlines_and_overdue_show_the_key(kh_seeded):
    keys = set(_obligations("na-2021"))
    for args in (["deadlines", "--plan", "na-2021", "-a", "Sở Y tế", "--as-of", "2021-07-01"],
                 ["overdue", "--plan", "na-2021", "-a", "Sở Y tế", "--as-of", "2021-07-01"]):
        table = kh_seeded.ok(*args).out
        shown = {k for k in keys if k in table}
        rows = kh_seeded.ok(*args, "-f", "json").json()
        assert rows and shown == {r["obligation"] for r in rows if r["obligation"] in keys}
        assert kh_seeded.ok(*args, "-f", "csv").out.splitlines()[0].split(",")[1] == "obligation"


def _unique_prefixes(named: dict[str, str]):
    """For each key: its shortest prefix no other key starts with, and the same of its name."""
    def shortest(text, others):
        for n in range(1, len(text) + 1):
            if not any(o.startswith(text[:n]) for o in others):
                return text[:n]
        return None

    for key, name in named.items():
        yield key, shortest(key, [k for k in named if k != key]), \
            shortest(search_key(name), [search_key(v) for k, v in named.items() if k != key])


def test_submit_takes_the_key_a_prefix_of_it_or_of_the_name(world):
    named = _obligations("na-2021")
    who = "Sở Y tế"
    periods = {r["obligation"]: r["period"] for r in world.ok("deadlines", "-p", "na-2021", "-a", who, "-f", "json").json()}
    for key, key_prefix, name_prefix in _unique_prefixes(named):
        for typed in filter(None, [key, key_prefix, name_prefix and name_prefix.upper()]):
            period = ["--period", periods[key]] if periods[key] else []
            out = world.ok("submit", "na-2021", typed, "-a", who, *period, "--on", "1/6/2021", "--as-of", "2021-12-31",
                           *by("cb")).out
            assert key in out, (typed, out)
            world.ok("submit", "na-2021", key, "-a", who, *period, "--undo", "--as-of", "2021-12-31", *by("cb"))


def test_a_prefix_of_two_obligations_lists_them(world):
    named = _obligations("na-2021")
    keys = sorted(named)
    common = next(keys[0][:n] for n in range(len(keys[0]), 0, -1)
                  if sum(k.startswith(keys[0][:n]) for k in keys) > 1)
    both = [k for k in keys if k.startswith(common)]
    before = store_fingerprint(world.db)
    r = world.refused("submit", "na-2021", common, "-a", "Sở Y tế", "--as-of", "2021-12-31")
    assert r.err.startswith("kh: OBLIGATION: ") and all(f"{k} ({named[k]})" in r.err for k in both)
    assert "khớp với nhiều chế độ báo cáo" in world.refused("--lang", "vi", "submit", "na-2021", common,
                                                            "-a", "Sở Y tế", "--as-of", "2021-12-31").err
    assert store_fingerprint(world.db) == before


@pytest.mark.parametrize("zone, offset", [("Asia/Ho_Chi_Minh", timedelta(hours=7)),
                                          ("America/New_York", timedelta(hours=-5)),
                                          ("Asia/Kolkata", timedelta(hours=5, minutes=30))])
def test_times_are_local_with_their_zone(world, zone, offset):
    env = {"TZ": zone}
    before = datetime.now(timezone.utc)
    world.ok("record", "na-2021", "III.1-1", "5", "--unit", "40", "--period", "2021", "--as-of", "2022-01-05",
             *by("cb"), env=env)
    after = datetime.now(timezone.utc)
    [f] = world.ok("figures", "-f", "json", env=env).json()
    at = datetime.fromisoformat(f["recorded_at"])
    assert at.utcoffset() == offset and before - timedelta(seconds=1) <= at <= after
    [h] = world.ok("history", "--what", "figure", "-f", "json", env=env).json()
    assert datetime.fromisoformat(h["at"]).utcoffset() == offset
    csv_at = world.ok("figures", "-f", "csv", env=env).out.splitlines()[1].split(",")[9]
    assert datetime.fromisoformat(csv_at) == at
    label = (f"{'+' if offset >= timedelta(0) else '-'}{abs(int(offset.total_seconds())) // 3600:02d}"
             + (f":{abs(int(offset.total_seconds())) // 60 % 60:02d}" if offset.total_seconds() % 3600 else ""))
    shown = at.astimezone(timezone(offset)).strftime("%Y-%m-%d %H:%M")
    table = world.ok("history", "--what", "figure", env={**env, "COLUMNS": "200"}).out
    assert f"{shown} {label}" in table, table


def test_submit_without_on_says_the_day_and_how_late(world):
    r = world.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--as-of", "2021-07-10", *by("cb"))
    assert "on 2021-07-10" in r.out
    assert "no --on" in r.err and "2021-07-10" in r.err and "25 days after its due day 2021-06-15" in r.err
    assert "--undo" in r.err and "--on DATE" in r.err
    on_time = world.ok("submit", "na-2021", "bc-nam", "-a", "Sở Y tế", "--as-of", "2021-12-01", *by("cb"))
    assert "no --on" in on_time.err and "days after" not in on_time.err
    with_on = world.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Tư pháp", "--on", "1/6/2021",
                       "--as-of", "2021-07-10", *by("cb"))
    assert with_on.err == ""


def test_submitting_again_on_another_day_says_how_to_correct_it(world):
    world.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--on", "14/6/2021", "--as-of", "2021-07-10", *by("cb"))
    before = store_fingerprint(world.db)
    r = world.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--on", "10/6/2021", "--as-of", "2021-07-10")
    assert "nothing changed" in r.out and "2021-06-14" in r.err and "--undo" in r.err and "--on 2021-06-10" in r.err
    vi = world.ok("--lang", "vi", "submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--on", "10/6/2021",
                  "--as-of", "2021-07-10")
    assert "Để sửa" in vi.err and "--undo" in vi.err
    same = world.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--on", "14/6/2021", "--as-of", "2021-07-10")
    assert same.err == ""
    assert store_fingerprint(world.db) == before


def test_version(kh):
    from importlib.metadata import version

    for flag in ("--version", "-V"):
        assert kh.ok(flag, db=False).out.strip() == f"kh {version('kh')}"


@pytest.mark.parametrize("typed, canonical", [
    ("3/2025", "2025-03"), ("03/2025", "2025-03"), ("tháng 3/2025", "2025-03"), ("Tháng 3 năm 2025", "2025-03"),
    ("Q2/2025", "2025-Q2"), ("quý 2/2025", "2025-Q2"), ("quý II/2025", "2025-Q2"), ("QUÝ IV năm 2025", "2025-Q4"),
    ("H1/2025", "2025-H1"), ("6 tháng đầu năm 2025", "2025-H1"), ("6 tháng cuối năm 2025", "2025-H2"),
    ("năm 2025", "2025"), ("2025-03", "2025-03")])
def test_periods_as_people_write_them(typed, canonical):
    from kh.periods import parse_period

    assert str(parse_period(typed)) == canonical


def test_every_period_name_kh_prints_reads_back():
    from kh.periods import KINDS, Period, parse_period, period_name

    per_year = {"year": 1, "half": 2, "quarter": 4, "month": 12}
    for kind in KINDS:
        for i in range(1, per_year[kind] + 1):
            p = Period(2026, kind, i)
            assert parse_period(period_name(p)) == p and parse_period(str(p)) == p
            if kind == "month":
                assert parse_period(f"{i}/2026") == p


@pytest.mark.parametrize("typed, says", [
    ("16/6/2021", "is a day, not a period; for its month write 6/2021"),
    ("3/25", "write the year with its four digits"),
    ("13/2025", "there is no month 13"),
    ("2025/3", "is not a period"),
    ("quý 5/2025", "is not a period"),
    ("3/0001", "years run from 1900 to 2999"),
])
def test_periods_that_are_not_are_refused_with_why(world, typed, says):
    r = world.refused("record", "na-2021", "III.1-1", "5", "--unit", "40", "--period", typed, "--as-of", "2022-01-05")
    assert r.err.startswith("kh: --period: ") and says in r.err


def test_a_written_period_is_recorded_and_found_as_its_canonical_form(world):
    world.ok("record", "na-2021", "III.1-1", "7", "--unit", "40", "--period", "3/2021", "--as-of", "2022-01-05", *by("cb"))
    assert [f["period"] for f in world.ok("figures", "--period", "quý I/2021", "-f", "json").json()] == ["2021-03"]
    assert [f["period"] for f in world.ok("figures", "--period", "3/2021", "-f", "json").json()] == ["2021-03"]
