"""kh figures -f csv, imported back with kh record import into a fresh store, gives the same
figures: the columns kh figures adds are left out (said once on stderr), and the notes that -f csv
protects from spreadsheets come back as they were stored."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import PG_URL, Kh, by, new_target

# Notes a spreadsheet would take for formulas, or that look like their protection.
NOTES = ["=HYPERLINK(\"http://x\")", "+84 912", "-5 so với tháng trước", "@SUM(A1)", "'=đã có dấu nháy",
         "''-hai dấu nháy", "'bình thường", "Bắt giữ tại cửa khẩu, \"Đồng Đăng\"\ndòng hai", None]


def fresh(template: Kh, tmp_path) -> Kh:
    """Another store with the same plans and units and no figures."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    if PG_URL:
        from sqlalchemy.engine import make_url

        return Kh(new_target(tmp_path, "fresh", template=make_url(template.db).database))
    db = tmp_path / "fresh.sqlite"
    shutil.copy(template.db, db)
    return Kh(db)


def listing(kh: Kh) -> list[tuple]:
    return [(f["plan"], f["ref"], f["unit"], f["period"], f["value"], f["denominator"], f["note"])
            for f in kh.ok("figures", "-f", "json").json()]


# -f csv, what the guide tells officers to use (csv-raw writes '=x as it is, which reads back as =x).
@pytest.mark.parametrize("fmt,bom", [("csv", False), ("csv", True), ("xlsx", False)])
def test_figures_csv_imports_back_unchanged(_world_template, tmp_path, fmt, bom):
    src = fresh(Kh(_world_template), tmp_path / "a")
    dst = fresh(Kh(_world_template), tmp_path / "b")
    rows = tmp_path / "in.csv"
    lines = ["plan,ref,unit,period,value,denominator,note"]
    for i, note in enumerate(NOTES):
        cell = "" if note is None else '"' + note.replace('"', '""') + '"'
        lines.append(f"ls-mtqg-2030,II.3.d-1,{['06211', '06187', '05977'][i % 3]},2026-{i + 1:02d},{i * 7},,{cell}")
    lines.append("ls-mtqg-2030,II.3.a-2,06211,2026-Q3,3,8,tỷ lệ")
    lines.append("na-2021,III.1-1,40,2020,1504,,")
    rows.write_text("\n".join(lines) + "\n", encoding="utf-8")
    src.ok("record", "import", rows, "--as-of", "2026-12-01", *by("cb xã"))
    before = listing(src)
    assert len(before) == len(NOTES) + 2

    out = tmp_path / f"figures.{fmt}"
    src.ok("figures", "-f", fmt, *(["--bom"] if bom else []), "-o", out)
    r = dst.ok("record", "import", out, "--as-of", "2026-12-01", *by("tỉnh"))
    said = [line for line in r.err.splitlines() if line]
    assert len(said) == 1 and "period_start, period_end, recorded_at, recorded_by" in said[0], r.err
    assert listing(dst) == before
    # Importing the same file again is refused as already recorded: nothing was lost or doubled.
    dst.refused("record", "import", out, "--as-of", "2026-12-01", *by("tỉnh"))


def test_an_unknown_column_is_still_refused(world, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("plan,ref,unit,period,value,recorded_at,colour\nna-2021,III.1-1,40,2020,1,,red\n", encoding="utf-8")
    assert "colour" in world.refused("record", "import", f, "--as-of", "2026-12-01").err


def test_the_formula_rule_is_undone_exactly():
    from hypothesis import given, strategies as st

    from kh.render import neutralise_formula, restore_formula

    @given(st.text(alphabet="'=+-@\tab ", max_size=8))
    def both_ways(text):
        protected = neutralise_formula(text)
        assert restore_formula(protected) == text
        assert protected[:1] not in ("=", "+", "-", "@", "\t", "\r")  # never runs in a spreadsheet

    both_ways()
