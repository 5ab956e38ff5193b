"""--format xlsx on the listings and kh record import FILE.xlsx, through the real CLI; each
workbook opened with openpyxl and compared with the same listing as JSON."""

from datetime import date, datetime

import pytest

from tests.conftest import by, store_fingerprint

openpyxl = pytest.importorskip("openpyxl")

LISTINGS = [
    ["plan", "list"],
    ["indicator", "list", "--plan", "na-2021"],
    ["task", "list", "--plan", "ls-2024-thang6", "--as-of", "2024-07-01"],
    ["deadlines", "--plan", "na-2021", "--as-of", "2021-07-01"],
    ["overdue", "--as-of", "2021-07-01"],
    ["figures", "--plan", "na-2021"],
    ["gap", "--plan", "na-2021", "--period", "2021", "--as-of", "2022-01-10"],
    ["unit", "list"],
    ["rates", "--plan", "na-2021", "--as-of", "2021-07-01", "--by", "obligation"],
    ["history", "--plan", "na-2021"],
    ["unit", "find", "cao loc"],
    ["todo", "--unit", "40", "--period", "2021", "--as-of", "2022-01-10"],
]


def _xlsx_commands():
    """Every command whose --format offers xlsx, as its path below kh ("indicator list")."""
    import typer

    from kh.cli import app

    def walk(cmd, path):
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, path + [name])
        fmt = [p for p in getattr(cmd, "params", []) if "--format" in getattr(p, "opts", [])]
        if fmt and "xlsx" in {getattr(m, "value", m) for m in type(fmt[0].default)}:  # the Format enum
            yield " ".join(path)

    return sorted(walk(typer.main.get_command(app), []))


def test_every_workbook_is_named_in_both_languages_and_tested(world, tmp_path):
    from kh.catalogue import MESSAGES

    found = _xlsx_commands()
    assert "rates" in found and "overdue" in found  # the walk sees the commands
    # plan show is several tables, not one listing: it refuses a workbook, naming the listings.
    assert "kh indicator list" in world.refused("plan", "show", "na-2021", "-f", "xlsx").err
    found.remove("plan show")
    for path in found:
        en, vi = MESSAGES["sheet." + path.replace(" ", ".")]
        assert en and vi and en != vi and len(vi) <= 31, path  # Excel's limit on a sheet's name
    tested = {p for p in found for a in LISTINGS if a[: len(p.split())] == p.split()}
    # kh admin list answers only on PostgreSQL (its sheet name is checked above).
    assert set(found) - {"admin list"} <= tested, set(found) - tested


def _record_some(world):
    for ref, value, of in (("III.1-1", "130", None), ("III.4-1", "140", "200")):
        world.ok("record", "na-2021", ref, value, *(["--of", of] if of else []), "--unit", "40", "--period", "2021",
                 "--as-of", "2022-01-02", *by("a"), "--note", "=HYPERLINK(\"http://x\")")


def _same(cell, want):
    """A workbook cell holds what the JSON listing says, typed."""
    if want is None or want == "":
        return cell is None or cell == ""
    if isinstance(want, bool):
        return cell is want
    if isinstance(want, (int, float)):
        return isinstance(cell, (int, float)) and abs(cell - want) < 1e-9
    if isinstance(want, list):
        return cell == "; ".join(map(str, want))
    if isinstance(cell, datetime):  # dates are date cells
        if len(want) == 10:
            return cell.date().isoformat() == want
        # A moment: the JSON's ISO 8601 with its offset is local time; the cell holds that wall time.
        return cell.replace(microsecond=0) == datetime.fromisoformat(want).replace(tzinfo=None)
    return isinstance(cell, str) and cell == want


@pytest.mark.parametrize("argv", LISTINGS, ids=lambda a: " ".join(a[:2]))
def test_every_listing_writes_a_typed_workbook_equal_to_its_json(world, tmp_path, argv):
    _record_some(world)
    rows = world.ok(*argv, "-f", "json").json()
    out = tmp_path / "x.xlsx"
    world.ok(*argv, "-f", "xlsx", "-o", out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    assert all(c.font.b for c in ws[1]) and ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.print_title_rows == "$1:$1" and ws.oddHeader.center.text
    assert ws.max_row - 1 == len(rows)
    pct = set()
    if argv[0] == "gap":  # percent targets are percent cells: the JSON's 0–100 as a fraction
        pct = {i["ref"] for i in world.ok("indicator", "list", "--plan", "na-2021", "-f", "json").json()
               if i["unit"] == "percent"}
    for r, cells in zip(rows, ws.iter_rows(min_row=2)):
        got = {h: c for h, c in zip(header, cells)}
        assert set(r) <= set(got)
        for k, want in r.items():
            cell = got[k]
            if k in ("target", "actual", "gap") and r.get("ref") in pct and want is not None:
                assert cell.number_format.endswith("%") and abs(cell.value * 100 - want) < 1e-6, (k, r)
                continue
            assert _same(cell.value, want), (k, cell.value, want)
            if isinstance(want, str) and want and not isinstance(cell.value, datetime):
                assert cell.data_type == "s"  # codes such as "01" stay text


def test_codes_keep_leading_zeros_and_formula_text_stays_text(world, tmp_path):
    _record_some(world)
    out = tmp_path / "u.xlsx"
    world.ok("unit", "list", "-f", "xlsx", "-o", out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    codes = [c.value for c in ws["A"][1:]]
    assert "01" in codes and all(isinstance(c, str) for c in codes)
    world.ok("figures", "-f", "xlsx", "-o", out, "--force")  # replaces the unit list just written
    ws = openpyxl.load_workbook(out).worksheets[0]
    note = ws.cell(row=2, column=[c.value for c in ws[1]].index("note") + 1)
    assert note.value.startswith("=HYPERLINK") and note.data_type == "s" and note.quotePrefix


def test_vietnamese_sheet_and_column_names(world, tmp_path):
    out = tmp_path / "v.xlsx"
    world.ok("--lang", "vi", "overdue", "--as-of", "2021-07-01", "-f", "xlsx", "-o", out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws.title == "Quá hạn"
    assert [c.value for c in ws[1]][:4] == ["Kế hoạch", "Nghĩa vụ", "Nội dung", "Cơ quan thực hiện"]


def test_xlsx_needs_a_file_and_a_refused_write_leaves_nothing(world, tmp_path):
    r = world.refused("gap", "-f", "xlsx")
    assert "--format" in r.err and "-o" in r.err
    r = world.refused("figures", "-f", "xlsx", "-o", tmp_path / "missing" / "x.xlsx")
    assert "does not exist" in r.err
    r = world.refused("figures", "-f", "xlsx", "-o", tmp_path)
    assert "folder" in r.err
    assert list(tmp_path.iterdir()) == [] or all(not p.name.endswith(".part") for p in tmp_path.rglob("*"))
    # An existing file is kept unless --force; then replaced whole, never left half-written.
    out = tmp_path / "keep.csv"
    out.write_text("old")
    assert "--force" in world.refused("plan", "list", "-f", "csv", "-o", out).err and out.read_text() == "old"
    world.ok("plan", "list", "-f", "csv", "-o", out, "--force")
    assert out.read_text().startswith("id,number,title")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def _sheet(path, rows, title="Số liệu"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                c.data_type = "s"  # text, as typed (openpyxl would take "=…" for a formula)
    wb.save(path)
    return path


def test_record_import_xlsx_reads_typed_cells(world, tmp_path):
    from tests.store.test_crash_and_concurrency import nationwide

    nationwide(world, tmp_path)  # unit "01" (Hà Nội) is outside na-2021's area
    f = _sheet(tmp_path / "t6.xlsx", [
        ["plan", "ref", "unit", "period", "value", "denominator", "note"],
        ["na-2021", "III.1-1", "40", "2021-03", 130, None, "Tổ chức"],
        ["na-2021", "III.4-1", "40", "2021", 140.0, 200, None],
        [None, None, None, None, None, None, None],
        ["na-2021", "III.1-1", "01", "2021-03", "12", None, None],
    ])
    assert "3" in world.ok("record", "import", f, "--as-of", "2022-01-02", *by("a")).out
    got = {(x["ref"], x["unit"], x["period"]): (x["value"], x["denominator"], x["note"])
           for x in world.ok("figures", "-f", "json").json()}
    assert got == {("III.1-1", "40", "2021-03"): (130, None, "Tổ chức"),
                   ("III.4-1", "40", "2021"): (140, 200, None),
                   ("III.1-1", "01", "2021-03"): (12, None, None)}


def test_figures_exported_as_xlsx_import_again_in_both_languages(world, tmp_path):
    _record_some(world)
    before = world.ok("figures", "-f", "json").json()
    for lang in ("en", "vi"):
        out = tmp_path / f"f-{lang}.xlsx"
        world.ok("--lang", lang, "figures", "-f", "xlsx", "-o", out)
        # recorded_at and the period bounds are not import columns: keep the import's own
        wb = openpyxl.load_workbook(out)
        ws = wb.worksheets[0]
        keep = [i for i, c in enumerate(ws[1]) if c.value in (
            "plan", "ref", "unit", "period", "value", "denominator", "note",
            "Kế hoạch", "Mục", "Đơn vị", "Kỳ", "Số liệu", "Trên tổng", "Ghi chú")]
        rows = [[row[i] for i in keep] for row in ws.iter_rows(values_only=True)]
        f = _sheet(tmp_path / f"in-{lang}.xlsx", rows)
        world.ok("--lang", lang, "record", "import", f, "--replace", "--as-of", "2022-01-02", *by("b"))
    after = world.ok("figures", "-f", "json").json()
    assert [(x["ref"], x["value"], x["denominator"], x["note"]) for x in after] == \
        [(x["ref"], x["value"], x["denominator"], x["note"]) for x in before]


@pytest.mark.parametrize("cell, column, words", [
    ({"period": datetime(2021, 6, 1)}, "D (period)", "date cell"),
    ({"unit": 40}, "C (unit)", "codes are text"),
    ({"value": 12.5}, "E (value)", "whole number"),
    ({"value": "1.234"}, "E (value)", "ambiguous"),
    ({"value": True}, "E (value)", "true/false"),
])
def test_a_bad_cell_is_named_by_sheet_row_and_column_and_nothing_is_written(world, tmp_path, cell, column, words):
    good = dict(plan="na-2021", ref="III.1-1", unit="40", period="2021-03", value=5, denominator=None, note=None)
    bad = {**good, "period": "2021-04", **cell}
    cols = list(good)
    f = _sheet(tmp_path / "bad.xlsx", [cols, [good[c] for c in cols], [bad[c] for c in cols]], title="Tháng 6")
    before = store_fingerprint(world.db)
    r = world.refused("record", "import", f, "--as-of", "2022-01-02")
    assert f"bad.xlsx [Tháng 6] row 3, column {column}" in r.err and words in r.err, r.err
    assert store_fingerprint(world.db) == before


def test_a_workbook_with_wrong_columns_or_not_a_workbook_is_refused(world, tmp_path):
    f = _sheet(tmp_path / "cols.xlsx", [["plan", "ref", "unit", "value"], ["na-2021", "III.1-1", "40", 1]])
    assert "missing column(s) period" in world.refused("record", "import", f).err
    f = _sheet(tmp_path / "extra.xlsx", [["plan", "ref", "unit", "period", "value", "colour"]])
    assert "unknown column(s) colour" in world.refused("record", "import", f).err
    f = tmp_path / "fake.xlsx"
    f.write_text("plan,ref\n")
    assert "not a readable .xlsx workbook" in world.refused("record", "import", f).err
    r = world.refused("--lang", "vi", "record", "import", f)
    assert "không đọc được bảng tính" in r.err
    f = _sheet(tmp_path / "dup.xlsx", [["plan", "ref", "unit", "period", "value"],
                                       ["na-2021", "III.1-1", "40", "2021-03", 1],
                                       ["na-2021", "III.1-1", "40", "2021-03", 2]])
    assert "as row 2" in world.refused("record", "import", f, "--as-of", "2022-01-02").err


def test_neutralise_formula_rule():
    from kh.render import neutralise_formula

    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=x", "\r=x"):
        assert neutralise_formula(text) == "'" + text
    for text in ("", "Tổ chức", "1-2", "a=b"):
        assert neutralise_formula(text) == text
