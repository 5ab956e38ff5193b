"""Decimals where the measure has them (issue 12, point 6), through the real CLI on a real store:
an indicator declares ``decimals = N``; "1,5" and "1.5" are one and a half; ambiguous forms are
refused naming the place; figures stay exact (Decimal) from the record to csv/json/xlsx, the gap
report, bundles and history; a plan re-import that changes the decimals keeps every figure."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import PG_URL, ROOT, Kh, new_target, store_fingerprint

EXCHANGE = ROOT / "tests" / "fixtures" / "exchange" / "lc-2025.toml"
AS_OF = "2025-12-20"
COMMUNE, OTHER = "06211", "06187"  # Xã Cao Lộc, Phường Kỳ Lừa (Lạng Sơn, after 1/7/2025)
AREA = '''
[[indicators]]
ref = "III.9"
name = "Diện tích cây có chứa chất ma túy bị phá bỏ"
counts = "ha"
decimals = {decimals}
kind = "count"
comparator = ">="
target = 2.5
measure = "flow"
periodicity = "yearly"
reported_by = "province"
source = "phá bỏ ít nhất 2,5 ha"
'''


def _plan(tmp_path: Path, decimals: int | None, name: str = "lc.toml") -> Path:
    text = EXCHANGE.read_text(encoding="utf-8")
    extra = AREA.format(decimals=decimals) if decimals else AREA.replace("decimals = {decimals}\n", "")
    head, tail = text.split("[[obligations]]", 1)
    path = tmp_path / name
    path.write_text(head + extra + "\n[[obligations]]" + tail, encoding="utf-8")
    return path


def _copy(world_db, tmp_path: Path, name: str) -> Kh:
    if PG_URL:
        from sqlalchemy.engine import make_url

        return Kh(new_target(tmp_path, name, template=make_url(world_db).database))
    db = tmp_path / f"{name}.sqlite"
    shutil.copy(world_db, db)
    return Kh(db)


@pytest.fixture
def store(_world_template, tmp_path) -> Kh:
    k = _copy(_world_template, tmp_path, "store")
    k.ok("plan", "import", _plan(tmp_path, 2))
    return k


def _record(k: Kh, value: str, unit: str = COMMUNE, period: str = "2025", *extra: str):
    return k("record", "lc-2025", "III.9", value, "--unit", unit, "--period", period, "--as-of", AS_OF, *extra)


def _exact(r) -> list[dict]:
    return json.loads(r.out, parse_float=Decimal)


def _gap(k: Kh, unit: str = "20") -> dict:
    [row] = _exact(k.ok("gap", "--plan", "lc-2025", "--ref", "III.9", "--unit", unit, "--period", "2025",
                        "--as-of", "2026-01-10", "-f", "json"))
    return row


def test_both_separators_read_one_and_a_half_and_the_sum_is_exact(store):
    assert _record(store, "1,5", "20", "2025-03").code == 0
    assert _record(store, "0.25", "20", "2025-09").code == 0
    figures = _exact(store.ok("figures", "--plan", "lc-2025", "--ref", "III.9", "-f", "json"))
    assert sorted(f["value"] for f in figures) == [Decimal("0.25"), Decimal("1.5")]
    assert all(isinstance(f["value"], Decimal) for f in figures)
    row = _gap(store)  # the province has reported: a verdict, and what is needed, in hectares
    assert (row["value"], row["actual"], row["gap"], row["needed"], row["status"]) == \
        (Decimal("1.75"), Decimal("1.75"), Decimal("0.75"), Decimal("0.75"), "not_met")
    _record(store, "0,75", "20", "2025-10")
    assert (_gap(store)["needed"], _gap(store)["status"]) == (0, "met")
    csv = store.ok("figures", "--plan", "lc-2025", "--ref", "III.9", "-f", "csv").out
    assert ",1.5," in csv and ",0.25," in csv
    # 0.1 + 0.2 is 0.3 here, not 0.30000000000000004: the store sums integers (× 10^2).
    _record(store, "0,1", OTHER, "2025-03")
    _record(store, "0,2", OTHER, "2025-04")
    assert _gap(store, OTHER)["value"] == Decimal("0.3")


def test_many_hundredths_sum_exactly_through_an_import(store, tmp_path):
    """1,000 monthly figures of 0,01 … 0,99 ha: the roll-up is the exact decimal sum."""
    import random

    rng = random.Random(12)
    lines = ["plan,ref,unit,period,value"]
    expected = Decimal(0)
    units = [COMMUNE, OTHER]
    for unit in units:
        for month in range(1, 13):
            v = Decimal(rng.randrange(1, 10 ** 4)).scaleb(-2)
            expected += v
            text = f"{v:f}"
            lines.append(f'lc-2025,III.9,{unit},2025-{month:02d},"{text.replace(".", ",")}"' if month % 2
                         else f"lc-2025,III.9,{unit},2025-{month:02d},{text}")
    path = tmp_path / "ha.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store.ok("record", "import", path, "--as-of", AS_OF)
    assert _gap(store)["value"] == expected


def test_ambiguous_forms_and_too_many_places_are_refused_naming_the_place(store, tmp_path):
    before = store_fingerprint(store.db)
    cases = {"1.234": "looks like a thousands separator", "1,234": "write digits only: 1234",
             "1,255": "thousands separator", "1,005": "1005", "0,125": "has 3 decimal places",
             "1.234,5": "without thousands separators", "-0,5": "negative", "1,5ha": "not a number"}
    for value, words in cases.items():
        r = store.refused("record", "lc-2025", "III.9", value, "--unit", COMMUNE, "--period", "2025",
                          "--as-of", AS_OF)
        assert r.err.startswith("kh: VALUE: ") and words in r.err, (value, r.err)
    # A count keeps today's strict parsing: no decimals at all.
    r = store.refused("record", "lc-2025", "III.1", "1,5", "--unit", COMMUNE, "--period", "2025", "--as-of", AS_OF)
    assert "not a whole number" in r.err
    path = tmp_path / "bad.csv"
    path.write_text('plan,ref,unit,period,value\nlc-2025,III.9,06211,2025-01,"0,5"\n'
                    'lc-2025,III.9,06211,2025-02,"1.500"\n', encoding="utf-8")
    r = store.refused("record", "import", path, "--as-of", AS_OF)
    assert f"{path}:3: value: '1.500'" in r.err
    assert store_fingerprint(store.db) == before


def test_a_spreadsheet_number_cell_is_taken_when_its_places_are_allowed(store, tmp_path):
    from openpyxl import Workbook

    def book(value) -> Path:
        wb = Workbook()
        ws = wb.active
        ws.title = "Số liệu"
        ws.append(["plan", "ref", "unit", "period", "value"])
        ws.append(["lc-2025", "III.9", COMMUNE, "2025", value])
        path = tmp_path / f"f{abs(hash(repr(value)))}.xlsx"
        wb.save(path)
        return path

    r = store.refused("record", "import", book(1.0000000001), "--as-of", AS_OF)
    assert "[Số liệu] row 2, column E (value): '1.0000000001' has 10 decimal places" in r.err
    r = store.refused("record", "import", book(1.255), "--as-of", AS_OF)
    assert "'1.255' has 3 decimal places" in r.err
    store.ok("record", "import", book(1.5), "--as-of", AS_OF)
    assert _gap(store, COMMUNE)["value"] == Decimal("1.5")
    # Back out as a workbook: a number cell with two decimals, read back by kh record import.
    out = tmp_path / "out.xlsx"
    store.ok("figures", "--plan", "lc-2025", "--ref", "III.9", "-f", "xlsx", "-o", out)
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    head = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=head.index("value") + 1)
    assert cell.data_type == "n" and Decimal(str(cell.value)) == Decimal("1.5")
    assert cell.number_format == "#,##0.00"
    gap = tmp_path / "gap.xlsx"
    store.ok("gap", "--plan", "lc-2025", "--ref", "III.9", "--unit", COMMUNE, "--period", "2025",
             "--as-of", "2026-01-10", "-f", "xlsx", "-o", gap)
    ws = load_workbook(gap).active
    head = [c.value for c in ws[1]]
    value = ws.cell(row=2, column=head.index("value") + 1)
    assert value.data_type == "n" and Decimal(str(value.value)) == Decimal("1.5") and value.number_format == "#,##0.00"


def test_csv_output_imports_back_unchanged(store, tmp_path):
    _record(store, "1,5")
    _record(store, "12", OTHER)
    import csv
    import io

    out = store.ok("figures", "--plan", "lc-2025", "--ref", "III.9", "-f", "csv").out
    rows = list(csv.DictReader(io.StringIO(out)))
    path = tmp_path / "back.csv"
    cols = ["plan", "ref", "unit", "period", "value", "denominator", "note"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    store.ok("record", "import", str(path), "--replace", "--as-of", AS_OF)
    again = _exact(store.ok("figures", "--plan", "lc-2025", "--ref", "III.9", "--history", "-f", "json"))
    assert sorted(f["value"] for f in again) == [Decimal("1.5"), Decimal("1.5"), Decimal("12"), Decimal("12")]


def test_history_shows_the_figures_as_written(store):
    _record(store, "1,5")
    _record(store, "1,75", COMMUNE, "2025", "--replace")
    rows = store.ok("history", "--plan", "lc-2025", "-f", "json").json()
    assert [(r["action"], r["old"], r["new"]) for r in rows if r["what"] == "figure"] == [
        ("add", None, "1.5"), ("replace", "1.5", "1.75")]
    r = store.refused("record", "lc-2025", "III.9", "2", "--unit", COMMUNE, "--period", "2025", "--as-of", AS_OF)
    assert "already recorded (1.75," in r.err


def test_a_plan_reimport_that_changes_decimals_keeps_every_figure(store, tmp_path):
    _record(store, "1,5")
    _record(store, "2", OTHER)
    store.ok("plan", "import", _plan(tmp_path, 3, "three.toml"))  # more places: converted exactly
    assert _gap(store)["value"] == Decimal("3.5")
    _record(store, "0,125", OTHER, "2025", "--replace")
    one = _plan(tmp_path, 1, "one.toml")
    before = store_fingerprint(store.db)
    r = store.refused("plan", "import", str(one))
    line = one.read_text(encoding="utf-8").splitlines().index("decimals = 1") + 1
    assert f"{one}:{line}: indicators[2].decimals: III.9 would keep 1 decimal place(s), but its figure for " \
           f"{OTHER} in 2025 is 0.125" in r.err
    assert store_fingerprint(store.db) == before
    _record(store, "0,1", OTHER, "2025", "--replace")
    # The 0.125 it replaced stays in the history as it was: still refused, saying so.
    assert "a replaced figure for 06187 in 2025, 0.125, stays in the history" in store.refused("plan", "import", str(one)).err
    assert _gap(store)["value"] == Decimal("1.6")
    store.ok("plan", "import", str(_plan(tmp_path, 4, "four.toml")))  # and up again: history converted too
    figures = _exact(store.ok("figures", "--plan", "lc-2025", "--ref", "III.9", "--history", "-f", "json"))
    assert sorted(f["value"] for f in figures) == [Decimal("0.1"), Decimal("0.125"), Decimal("1.5"), Decimal("2")]
    assert _gap(store)["value"] == Decimal("1.6")


def test_bundles_carry_decimals_exactly(_world_template, tmp_path):
    commune, province = _copy(_world_template, tmp_path, "commune"), _copy(_world_template, tmp_path, "province")
    plan = _plan(tmp_path, 3)
    for k in (commune, province):
        k.ok("plan", "import", plan)
    _record(commune, "1,2340")  # three places: 1.234 ha, written so that no separator is in doubt
    commune.ok("admin", "keys", "--unit", COMMUNE, "--out", tmp_path / "keys")
    out = tmp_path / "b.khb"
    commune.ok("bundle", "export", "--unit", COMMUNE, "--period", "2025", "--key", tmp_path / "keys" / f"{COMMUNE}.key",
               "-o", out)
    from kh import bundle as fmt

    [fig] = [f for f in fmt.read(out.read_bytes(), "b")["parts"]["figures"] if f["ref"] == "III.9"]
    assert fig["value"] == "1.2340"
    province.ok("admin", "trust", COMMUNE, tmp_path / "keys" / f"{COMMUNE}.pub")
    province.ok("bundle", "import", out, "--on", "2025-12-20")
    assert _gap(province, COMMUNE)["value"] == Decimal("1.234")
    # The same bundle again: equal figures, nothing to change.
    assert province("bundle", "import", out, "--on", "2025-12-20").code in (0, 1)


def test_plan_file_declares_decimals_from_one_to_six(kh, tmp_path):
    for bad in ("0", "7", '"2"', "1.5"):
        path = tmp_path / "bad.toml"
        path.write_text(_plan(tmp_path, 2).read_text(encoding="utf-8").replace("decimals = 2", f"decimals = {bad}"),
                        encoding="utf-8")
        r = kh.refused("plan", "import", path)
        assert re.search(r"bad\.toml:\d+: indicators\[2\]\.decimals", r.err), r.err


def test_the_seed_plans_declare_decimals_where_their_words_need_them():
    from kh import planfile

    places = {(p.id, i.ref): i.decimals for f in sorted((ROOT / "examples" / "plans").glob("*.toml"))
              for p in [planfile.load(f)] for i in p.indicators}
    assert places[("na-2021", "III.4-2")] == 1  # "tỷ lệ cai nghiện thành công": the rate, 60,4 %
    hectares = {k for k, v in places.items() if v == 2}
    assert ("na-2021", "III.8-2") in hectares and ("ls-mtqg-2030", "II.3.b-3") in hectares
    assert places[("na-2021", "III.1-1")] is None  # cases stay whole
