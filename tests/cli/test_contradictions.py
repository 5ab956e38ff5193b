"""Entries that contradict the indicator are refused with the line and the reason (issue 12,
point 4; docs/gap.md, "Entries that contradict the plan"): numerators of a share whose whole is
measured apart never add up to more than that whole."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import PG_URL, ROOT, Kh, new_target, store_fingerprint

AT = ["--as-of", "2019-01-10"]
FIXED = '''
[[indicators]]
ref = "III.7"
name = "Tỷ lệ điểm phức tạp được triệt xóa"
counts = "điểm"
kind = "share"
comparator = ">="
target = 80
measure = "flow"
denominator_measure = "fixed"
denominator_value = 10
periodicity = "{periodicity}"
source = "triệt xóa ít nhất 80 % trong 10 điểm phức tạp"
'''


def _stock(k: Kh, value: str, of: str, period: str, unit: str = "06", *extra: str):
    return k("record", "bk-238-2017", "I.2-3", value, "--of", of, "--unit", unit, "--period", period, *AT, *extra)


def test_numerators_of_a_register_never_add_up_past_it(world):
    assert _stock(world, "60", "100", "2018-03").code == 0
    before = store_fingerprint(world.db)
    r = world.refused("record", "bk-238-2017", "I.2-3", "50", "--of", "100", "--unit", "06", "--period", "2018-09", *AT)
    assert "06's numerators in 2018 would add up to 110 by 2018-09, more than its register of 100" in r.err
    assert store_fingerprint(world.db) == before
    assert _stock(world, "30", "100", "2018-09").code == 0  # 90 of 100
    assert _stock(world, "5", "90", "2018-06").code == 0  # 65 of 90 in June, still 95 of 100 in September
    # Another year starts again; another unit has its own register.
    assert _stock(world, "80", "100", "2019-01").code == 0
    assert _stock(world, "50", "60", "2018-09", "058").code == 0
    # A correction is checked against what it leaves: a register lowered below what was counted.
    r = world.refused("record", "bk-238-2017", "I.2-3", "30", "--of", "80", "--unit", "06", "--period", "2018-09",
                      *AT, "--replace")
    assert "06's numerators in 2018 would add up to 95 by 2018-09, more than its register of 80 then" in r.err
    # kh gap reads the register's latest figure: 95 of 100.
    [row] = world.ok("gap", "--plan", "bk-238-2017", "--ref", "I.2-3", "--unit", "06", "--period", "2018",
                     "--as-of", "2019-01-10", "-f", "json").json()
    assert (row["value"], row["denominator"]) == (95 + 50, 100 + 60)


def _import_refused(world, path, *periods: str) -> str:
    """Import 40 of 100 for Hà Giang (06) in each of ``periods``: refused, nothing written;
    returns the refusal."""
    path.write_text("plan,ref,unit,period,value,denominator\n"
                    + "".join(f"bk-238-2017,I.2-3,06,{p},40,100\n" for p in periods), encoding="utf-8")
    before = store_fingerprint(world.db)
    err = world.refused("record", "import", str(path), *AT).err
    assert store_fingerprint(world.db) == before
    return err


def test_an_import_names_the_line_that_tips_the_register(world, tmp_path):
    path = tmp_path / "reg.csv"
    err = _import_refused(world, path, "2018-02", "2018-05", "2018-08")
    assert err.startswith(f"kh: {path}:4: ") and "would add up to 120 by 2018-08" in err


def test_a_repeated_row_is_refused_before_the_line_that_tips_the_register(world, tmp_path):
    """Into an empty store, a repeated row is left to the unique index of current figures
    (kh.store.figure_rows.record), unless another refusal comes first: then the repeat is still
    the one named, as it always was."""
    path = tmp_path / "both.csv"
    err = _import_refused(world, path, "2018-02", "2018-05", "2018-08", "2018-05")
    assert err.startswith(f"kh: {path}:5: ") and "as line 3" in err


@pytest.fixture
def fixed(_world_template, tmp_path):
    def make(periodicity: str) -> Kh:
        if PG_URL:
            from sqlalchemy.engine import make_url

            k = Kh(new_target(tmp_path, f"f{periodicity}", template=make_url(_world_template).database))
        else:
            db = tmp_path / f"f{periodicity}.sqlite"
            shutil.copy(_world_template, db)
            k = Kh(db)
        text = (ROOT / "tests" / "fixtures" / "exchange" / "lc-2025.toml").read_text(encoding="utf-8")
        head, tail = text.split("[[obligations]]", 1)
        plan = tmp_path / f"fixed-{periodicity}.toml"
        plan.write_text(head + FIXED.format(periodicity=periodicity) + "\n[[obligations]]" + tail, encoding="utf-8")
        k.ok("plan", "import", str(plan))
        return k
    return make


@pytest.mark.parametrize("periodicity", ["yearly", "span"])
def test_numerators_of_a_fixed_whole_never_add_up_past_the_plans_number(fixed, periodicity):
    k = fixed(periodicity)
    rec = ["record", "lc-2025", "III.7"]
    k.ok(*rec, "6", "--unit", "06211", "--period", "2025-08", "--as-of", "2025-12-20")
    before = store_fingerprint(k.db)
    r = k.refused(*rec, "5", "--unit", "06187", "--period", "2025-09", "--as-of", "2025-12-20")
    assert "the plan fixes the whole of III.7 at 10, but its numerators in" in r.err and "add up to 11" in r.err
    assert store_fingerprint(k.db) == before
    k.ok(*rec, "4", "--unit", "06187", "--period", "2025-09", "--as-of", "2025-12-20")
    # A correction that keeps the total within the whole is fine; one that passes it is not.
    k.ok(*rec, "5", "--unit", "06211", "--period", "2025-08", "--replace", "--as-of", "2025-12-20")
    assert "add up to 11" in k.refused(*rec, "7", "--unit", "06211", "--period", "2025-08", "--replace",
                                       "--as-of", "2025-12-20").err
