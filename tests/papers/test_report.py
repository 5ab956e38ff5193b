"""kh report: the results report as Word (and its annex as a workbook), opened with its own
library and compared with kh gap; then printed by LibreOffice and looked at page by page."""

from __future__ import annotations

import io

import pytest

from tests.conftest import by, store_fingerprint
from tests.papers import paper_tools as pt

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")

ON = "2022-01-10"
REPORT = ["report", "na-2021", "--period", "2021", "--on", ON]
VERDICT = {"met": "Đạt", "not_met": "Không đạt", "no_data": "Chưa đủ số liệu", "incomplete": "Chưa đủ số liệu",
           "on_track": "Đạt tiến độ", "behind": "Chậm tiến độ"}


@pytest.fixture
def filled(world):
    """na-2021 with figures in several quarters (a count, a share) and reports sent on time and late."""
    rec = [("III.1-1", "1500", None, "2020"), ("III.1-1", "700", None, "2021-Q1"), ("III.1-1", "900", None, "2021-Q3"),
           ("III.4-1", "120", "200", "2021"), ("III.3-3", "7", None, "2021")]
    for ref, value, of, period in rec:
        world.ok("record", "na-2021", ref, value, *(["--of", of] if of else []), "--unit", "40", "--period", period,
                 "--as-of", ON, *by("a"))
    world.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--period", "2021-H1", "--on", "10/6/2021",
             "--as-of", ON)
    world.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Tư pháp", "--period", "2021-H1", "--on", "20/7/2021",
             "--as-of", ON)
    return world


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def _vn(v) -> str:
    """A figure as the report writes it (1.600; 87,5)."""
    if float(v).is_integer():
        return f"{int(v):,}".replace(",", ".")
    return f"{v:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",").replace(" ", ".")


def test_the_report_is_laid_out_as_the_decree_says_and_its_numbers_are_kh_gaps(filled, tmp_path):
    out, annex = tmp_path / "bao-cao.docx", tmp_path / "phu-luc.xlsx"
    filled.ok(*REPORT, "-o", out, "--annex", annex)
    doc = docx.Document(str(out))
    sec = doc.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    mm = {k: round(getattr(sec, k + "_margin").mm, 1) for k in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25  # Word keeps twips: 15 mm reads 14.99
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    sizes = {r.font.size.pt for p in doc.paragraphs for r in p.runs if r.font.size}
    assert sizes <= {11, 12, 13, 14}
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.font.name}
    assert fonts <= {"Times New Roman"}
    # Page numbers from page 2: the first page's header is empty, the others hold PAGE.
    assert sec.different_first_page_header_footer
    assert "PAGE" in sec.header._element.xml and "PAGE" not in sec.first_page_header._element.xml
    head = doc.tables[0]
    left, right = (c.text for c in head.rows[0].cells)
    assert "UBND TỈNH NGHỆ AN" in left and "Số:" in left and "/BC-UBND" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert "Nghệ An, ngày 10 tháng 01 năm 2022" in right
    body = [p.text for p in doc.paragraphs]
    i = body.index("BÁO CÁO")
    assert "Thực hiện công tác phòng, chống ma túy năm 2021".lower() in body[i + 1].lower()
    assert body[i + 1].startswith("Kết quả năm 2021 thực hiện Kế hoạch")
    text = _text(doc)
    assert "…" not in text.replace("[…]", "")  # no bare "…" where a place or name belongs
    for heading in ("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "II. TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ",
                    "III. VIỆC CHẤP HÀNH CHẾ ĐỘ BÁO CÁO", "Nơi nhận:", "(Ký tên, đóng dấu)"):
        assert heading in text
    # The chỉ tiêu table: one row per kh gap row, in its order, with its figures and verdict.
    gap = filled.ok("gap", "--plan", "na-2021", "--period", "2021", "--as-of", ON, "-f", "json").json()
    table = doc.tables[1]
    cover = any(g["units_expected"] for g in gap)  # who reported, beside the verdict
    assert [c.text for c in table.rows[0].cells] == ["STT", "Chỉ tiêu", "Chỉ tiêu giao", "Kết quả", "So sánh",
                                                     *(["Đơn vị đã báo cáo"] if cover else []), "Đánh giá"]
    rows = table.rows[1:]
    assert len(rows) == len(gap)
    for n, (row, g) in enumerate(zip(rows, gap), start=1):
        cells = [c.text for c in row.cells]
        assert cells[0] == str(n) and cells[1].startswith(g["ref"] + ". ")
        want = "—" if g["value"] is None else _vn(g["value"]) + (
            f"/{_vn(g['denominator'])}" if g["denominator"] is not None else "")
        assert cells[3] == want, (g["ref"], cells)
        assert cells[-1] == VERDICT[g["status"]]
        if g["actual"] is not None:
            assert _vn(g["actual"]) in cells[4]
    assert {g["status"] for g in gap} >= {"met", "no_data"}
    # Reporting discipline: two of the H1 reports were sent, one of them late.
    disc = doc.tables[-2]
    *each, total = [[c.text for c in r.cells] for r in disc.rows[1:]]
    assert total[1] == "Tổng cộng"
    for col in range(2, 6):  # due, on time, late, missing: the total row adds them up
        assert int(total[col]) == sum(int(r[col]) for r in each)
    total_due = int(total[2])
    assert total_due > 2
    assert total[7] == _vn(round(100 * int(total[3]) / total_due, 2)) + " %"  # the on-time rate
    sent = {r[1]: (r[3], r[4]) for r in each}
    assert sent["Sở Y tế"][0] == "1" and sent["Sở Tư pháp"][1] == "1"
    # One chart per target with figures, in grey only (readable in black and white).
    with_figures = [g for g in gap if g["value"] is not None]
    blips = [r for r in doc.inline_shapes]
    assert len(blips) == len(with_figures)
    from PIL import Image

    for rel in doc.part.rels.values():
        if "image" in rel.reltype:
            im = Image.open(io.BytesIO(rel.target_part.blob)).convert("RGB")
            px = im.tobytes()
            assert max(max(abs(px[i] - px[i + 1]), abs(px[i + 1] - px[i + 2])) for i in range(0, len(px), 3)) <= 8
    # The annex holds the same rows, typed.
    wb = openpyxl.load_workbook(annex)
    assert wb.sheetnames[:3] == ["Chỉ tiêu", "Nhiệm vụ", "Chế độ báo cáo"] and "Biểu đồ" in wb.sheetnames
    ws = wb["Chỉ tiêu"]
    assert ws.max_row - 1 == len(gap)
    heads = [c.value for c in ws[1]]
    for cells, g in zip(ws.iter_rows(min_row=2, values_only=True), gap):
        r = dict(zip(heads, cells))
        assert r["Mục"] == g["ref"] and r["Số liệu"] == g["value"] and r["Trên tổng"] == g["denominator"]
    assert len(wb["Biểu đồ"]._images) == len(with_figures)


@pt.needs_office
def test_the_report_prints_on_a4_within_its_margins(filled, tmp_path):
    out = tmp_path / "bao-cao.docx"
    annex = tmp_path / "phu-luc.xlsx"
    filled.ok(*REPORT, "-o", out, "--annex", annex)
    pdf = pt.office_pdf(out)
    info = pt.pdf_info(pdf)
    assert abs(info["width"] - 595.3) < 1 and abs(info["height"] - 841.9) < 1
    assert 2 <= info["pages"] <= 12
    text = " ".join(pt.pdf_text(pdf).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert pt.outside(pdf, 30, 15, 20, 20) == []
    # Page numbers: none on page 1; "2" alone at the top of page 2, centred.
    ws = pt.words(pdf)
    top2 = [w for w in ws if w["page"] == 2 and w["y1"] < 20 * pt.MM]
    assert [w["text"] for w in top2] == ["2"]
    mid = (top2[0]["x0"] + top2[0]["x1"]) / 2
    assert abs(mid - (30 + 165 / 2) * pt.MM) < 6 * pt.MM
    assert not [w for w in ws if w["page"] == 1 and w["y1"] < 20 * pt.MM]
    # The signature is never alone on the last page.
    last = [w for w in ws if w["page"] == info["pages"]]
    assert any(w["text"] == "Nơi" for w in last) and len(last) > 25
    sheet = pt.office_pdf(annex)
    assert pt.pdf_info(sheet)["pages"] >= 3
    assert pt.pngs(pdf, tmp_path)


def test_no_date_in_a_printed_table_is_broken_over_two_lines(world, tmp_path):
    """ls-mtqg-2030's 2025, reported in January 2026, lists the tasks left undone past their day.
    Printed, every dd/mm/yyyy of the paper is one word on one line: at 20 mm the late tasks'
    Hạn column broke "26/06/2025" into "26/06/20" and "25"."""
    import re

    out = tmp_path / "bao-cao.docx"
    world.ok("report", "ls-mtqg-2030", "--period", "2025", "--on", "2026-01-15", "-o", out)
    doc = docx.Document(str(out))
    late = [t for t in doc.tables if [c.text for c in t.rows[0].cells][-2:] == ["Hạn", "Số ngày quá hạn"]]
    assert late and len(late[0].rows) > 1  # the case the test is about is in the paper
    dates = [c.text for t in doc.tables for row in t.rows[1:] for c in row.cells
             if re.fullmatch(r"\d{2}/\d{2}/\d{4}", c.text)]
    assert dates
    printed = [w["text"] for w in pt.words(pt.office_pdf(out))]
    for d in set(dates):
        assert d in printed, f"{d} is not printed whole on one line"
    assert not [w for w in printed if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{1,3}", w)]


def test_a_clerks_letterhead_template_is_filled_where_it_says(filled, tmp_path):
    tpl = tmp_path / "mau.docx"
    d = docx.Document()
    d.add_paragraph("CÔNG AN TỈNH NGHỆ AN — MẪU CỦA ĐƠN VỊ")
    d.add_paragraph("{{noi_dung}}")
    d.add_paragraph("Chân trang của đơn vị")
    d.save(str(tpl))
    out = tmp_path / "r.docx"
    filled.ok(*REPORT, "--template", tpl, "-o", out, "--from", "Công an tỉnh Nghệ An", "--parent", "UBND tỉnh Nghệ An")
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "CÔNG AN TỈNH NGHỆ AN — MẪU CỦA ĐƠN VỊ" and texts[-1] == "Chân trang của đơn vị"
    assert "{{noi_dung}}" not in _text(doc)
    left = doc.tables[0].rows[0].cells[0].text
    assert left.index("UBND TỈNH NGHỆ AN") < left.index("CÔNG AN TỈNH NGHỆ AN") and "/BC-CAT" in left


@pytest.mark.parametrize("args, words", [
    (["report", "na-2012", "--period", "2021"], ["PLAN", "na-2021"]),
    (["report", "na-2021", "--period", "2030"], ["--period", "no period 2030"]),
    (["report", "na-2021", "--period", "2021-13"], ["--period", "no month 13"]),
    (["report", "na-2021", "--period", "2021", "--unit", "9999"], ["--unit", "9999"]),
    (["report", "na-2021", "--period", "2021", "--on", "31/02/2022"], ["--on"]),
])
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(world, tmp_path, args, words):
    import multiprocessing

    out = tmp_path / "out" / "r.docx"
    out.parent.mkdir()
    before = store_fingerprint(world.db)
    children = set(multiprocessing.active_children())
    r = world.refused(*args, "-o", out)
    for w in words:
        assert w in r.err
    assert list(out.parent.iterdir()) == []
    assert store_fingerprint(world.db) == before
    assert set(multiprocessing.active_children()) == children  # the chart process, ended


def test_unwritable_output_bad_names_and_templates_are_refused(world, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    assert "does not exist" in world.refused(*REPORT, "-o", tmp_path / "no" / "r.docx").err
    assert "--output" in world.refused(*REPORT, "-o", tmp_path / "r.pdf").err
    assert "--annex" in world.refused(*REPORT, "-o", tmp_path / "r.docx", "--annex", tmp_path / "a.csv").err
    tpl = tmp_path / "mau.docx"
    d = docx.Document()
    d.add_paragraph("no place for the report")
    d.save(str(tpl))
    r = world.refused(*REPORT, "-o", tmp_path / "r.docx", "--template", tpl)
    assert "--template" in r.err and "{{noi_dung}}" in r.err
    (tmp_path / "fake.docx").write_text("not a zip")
    assert "not a readable .docx" in world.refused(*REPORT, "-o", tmp_path / "r.docx", "--template",
                                                   tmp_path / "fake.docx").err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake.docx", "mau.docx"]
    r = world.refused("--lang", "vi", *REPORT, "-o", tmp_path / "r.docx", "--template", tpl)
    assert "mẫu" in r.err


def test_charts_drawn_in_parallel_are_the_bytes_drawn_one_by_one():
    """A report's charts are drawn by forked processes on Linux, each on the figure its process
    drew the last one on: the same PNGs, in order, as each drawn alone on a new figure — after a
    chart with more points or fewer, higher or lower, with a target line or without."""
    from kh.charts import Drawer, progress_png, progress_pngs

    charts = [([("2025", 3.0, 10.0), ("2026", None, 12.0), ("2027", 14.5, 14.0)], "II.3.d-1: ≥ 10 vụ", False),
              ([("2025", 40.0, 50.0), ("2026", 62.5, 60.0)], "II.3.b-1: đạt 60 %", True),
              ([("6 tháng đầu năm 2026", 1.0, None)], "X.4: Số buổi tuyên truyền", False),
              ([(f"quý {q}/2026", 1_000.0 * n, None) for n, q in enumerate(("I", "II", "III", "IV"), 1)], "X.5: ≥ 4.000 lượt", False),
              ([("2025", 0.0, 0.0), ("2026", None, None)], "II.3.a-1: giảm > 0 người", False),
              ([("2024", 7.25, 5.0), ("2025", 2.0, 6.0), ("2026", 12.0, 7.0), ("2027", None, 8.0), ("2028", 9.0, 9.0)],
               "II.3.c-2: ≥ 9 %, đến năm 2028", True)]
    alone = [progress_png(p, title=t, percent=pc) for p, t, pc in charts]
    assert progress_pngs(charts, workers=2) == alone
    assert progress_pngs(charts, workers=3) == alone
    assert progress_pngs(charts, workers=1) == alone
    assert progress_pngs(charts[::-1], workers=1) == alone[::-1]
    drawer = Drawer(workers=2)  # forked before it knows the charts, as kh report starts it
    drawer.send(charts)
    assert drawer.result() == alone
    assert len(set(alone)) == len(charts) and all(png.startswith(b"\x89PNG") for png in alone)


def test_a_drawer_never_sent_charts_is_ended_and_draws_nothing():
    """kh report starts drawing before it reads the store; a command refused after that, or with
    nothing to draw, kills the drawing process (not waiting for its import) and reaps it."""
    import signal
    import sys

    from kh.charts import Drawer

    for send in (True, False):
        drawer = Drawer()
        proc = drawer._proc
        if send:
            drawer.send([])
            assert drawer.result() == []
        drawer.close()
        drawer.close()
        if sys.platform.startswith("linux"):
            assert proc.exitcode == -signal.SIGKILL and not proc.is_alive()


def test_charts_are_grey_pngs_with_every_label_inside_the_picture():
    """The charts are saved as 8-bit grey (every pixel of them is grey) with the same pixels as
    the canvas drew; and the margins, measured rather than found by tight_layout, leave every
    label inside the picture, whether the axis reads 0 to 5 or 0 to 12.345.678 %."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    from kh.charts import DPI, SIZE_IN, _png, progress_png

    for points, title, pc in [([("2025", 3.0, 5.0), ("2026", None, 4.0)], "X.1: ≥ 5 vụ, hằng năm", False),
                              ([("quý I", 12_345_678.5, 10_000_000.0), ("quý II", 9.5, None)],
                               "II.3.a-2: ≥ 10.000.000 %, đến năm 2030", True),
                              ([("6 tháng đầu năm 2026", 0.0, 0.0)], "II.3.a-1: giảm > 0 người", False)]:
        im = Image.open(io.BytesIO(progress_png(points, title=title, percent=pc)))
        assert im.mode == "L" and im.size == (round(SIZE_IN[0] * DPI), round(SIZE_IN[1] * DPI))
        px = im.load()
        w, h = im.size
        # Something drawn near each edge's margin but the border itself left white (nothing cut).
        assert all(px[x, 0] == 255 and px[x, h - 1] == 255 for x in range(w))
        assert all(px[0, y] == 255 and px[w - 1, y] == 255 for y in range(h))
    # A picture with colour in it keeps its colours (RGBA): only an all-grey one is saved grey.
    fig = Figure(figsize=(1, 1), dpi=50)
    canvas = FigureCanvasAgg(fig)
    fig.add_subplot().plot([0, 1], [0, 1], color="red")
    canvas.draw()
    im = Image.open(io.BytesIO(_png(canvas, 50)))
    assert im.mode == "RGBA" and im.tobytes() == bytes(canvas.buffer_rgba())


def _canvases(charts_: list[tuple[list, str]]) -> list:
    """The Agg canvases kh.charts.progress_png draws for each (points, title) of a percentage,
    kept to measure what is on them (the PNG alone cannot say where the legend ends)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from kh import charts

    drawn = []
    real = FigureCanvasAgg.draw

    def keep(canvas):
        drawn.append(canvas)
        return real(canvas)

    FigureCanvasAgg.draw = keep
    try:
        for points, title in charts_:
            charts.progress_png(points, title=title, percent=True)
    finally:
        FigureCanvasAgg.draw = real
    return drawn


def test_charts_leave_no_label_outside_the_figure():
    """What tight_layout guaranteed, the measured margins keep: everything the chart draws (title,
    axis labels, values on the bars, legend) lies inside the figure, and fills it to within its
    white border on the left (the y labels) and at the bottom (the x labels)."""
    import matplotlib

    from kh import charts

    drawn = _canvases([([("2025", top, top / 2), ("2026", None, top), ("6 tháng đầu năm 2027", top / 3, None)],
                        f"II.3.a-2: ≥ {top} %, đến năm 2030") for top in (5, 97.5, 1_234_567, 12_345_678.75)])
    assert len(drawn) == 4
    for canvas in drawn:
        fig = canvas.figure
        with matplotlib.rc_context(charts._RC):
            used = fig.get_tightbbox(canvas.get_renderer())  # inches, only what is drawn
        page = fig.bbox_inches
        assert used.x0 >= 0 and used.y0 >= 0 and used.x1 <= page.x1 and used.y1 <= page.y1
        pad = charts._PAD_PT / 72
        assert abs(used.x0 - pad) < 0.03 and abs(used.y0 - pad) < 0.03


@pytest.mark.parametrize("points", [
    [("2025", 76.4, 50), ("2026", 46.2, 50), ("2027", None, 50)],  # the highest bar first, under the legend
    [("2025", 12, 12), ("2026", 3, 12)],  # a target line level with the highest bar
    [("6 tháng đầu năm 2027", 1_000_000, 999_999.5)],
])
def test_the_legend_covers_no_bar_value_or_target_mark(points):
    """The legend sits in the top left corner of the plot: bars, their values and the target's
    marks stay below it, whatever the figures (a value printed under "Chỉ tiêu" was unreadable)."""
    import matplotlib

    from kh import charts

    (canvas,) = _canvases([(points, "II.3.a-2: ≥ 50 %, đến năm 2030")])
    ax = canvas.figure.axes[0]
    with matplotlib.rc_context(charts._RC):
        r = canvas.get_renderer()
        legend = ax.get_legend().get_window_extent(r)
        values = [t.get_window_extent(r) for t in ax.texts]
        bars = [b.get_window_extent(r) for b in ax.patches]
        marks = [ax.transData.transform(xy) for line in ax.lines for xy in line.get_xydata()]
    assert values and bars
    for box in values + bars:
        assert not legend.overlaps(box), (legend, box)
    for x, y in marks:
        assert not legend.contains(x, y + 4), (legend, x, y)  # the square mark, 4 points high


@pytest.mark.parametrize("case", ["report", "groups", "odd text"])
def test_tables_written_as_one_piece_of_xml_are_the_ones_python_docx_builds(case):
    """The paper's tables are written as XML in one go (grid); python-docx's cell-by-cell way
    (_grid_plain) is the reference: the same elements, attributes and text, byte for byte."""
    from lxml import etree

    from kh.paper_docx import _grid_plain, grid, new_document

    heads = ["STT", "Chỉ tiêu", "Chỉ tiêu giao", "Kết quả", "Đánh giá"]
    widths = [12, 41, 27.5, 17, 67.5]
    rows = [[n, f"II.3.{n}. Tỷ lệ xã, phường không có ma túy", "≥ 50 %, đến năm 2030", 1_000 + n, None]
            for n in range(1, 25)]
    kw = {}
    if case == "groups":
        rows[3] = rows[9] = None
        kw = dict(numeric={0, 3}, bold_rows={5, 23}, group_rows={3: "Sở Y tế", 9: "UBND & <Công an> tỉnh"}, size=11)
    elif case == "odd text":
        rows[0][1] = "  leading and trailing spaces  "
        rows[1][1] = "a < b & c > d \"quoted\" 'single'"
        rows[2][1] = "tab\there, then a line\nbreak"  # python-docx's own way: <w:tab/>, <w:br/>
        rows[3][2] = ""
        rows[4] = rows[4][:3]  # a short row
    for_plain, for_fast = new_document(), new_document()
    plain = _grid_plain(for_plain, heads, rows, widths, **kw)
    fast = grid(for_fast, heads, rows, widths, **kw)
    assert etree.tostring(fast._tbl) == etree.tostring(plain._tbl)
    assert etree.tostring(for_fast.element.body) == etree.tostring(for_plain.element.body)
    assert [c.text for c in fast.rows[2].cells] == [c.text for c in plain.rows[2].cells]


def test_no_dat_without_the_evidence_a_row_with_silent_units_prints_chua_du_so_lieu(tmp_path):
    """Issue 12 in the paper: the chỉ tiêu table's verdict comes with its coverage, and a row the
    silent units could still change reads "Chưa đủ số liệu", never "Đạt", though the figures
    reported so far would meet it (0 new addicts from one commune of four, 3 offences of at most 5)."""
    from tests.cli.test_verdicts import ASOF, PLAN, UNITS
    from tests.conftest import Kh, new_target

    k = Kh(new_target(tmp_path))
    k.ok("init")
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "thu.toml").write_text(PLAN, encoding="utf-8")
    k.ok("unit", "import", tmp_path / "units.csv")
    k.ok("plan", "import", tmp_path / "thu.toml")
    for ref, value, unit, of in (("A", 12, "90011", None), ("B", 0, "90011", None), ("E", 3, "90021", None),
                                 ("D", 90, "90011", 100), ("B", 0, "90012", None)):
        k.ok("record", "thu", ref, str(value), "--unit", unit, "--period", "2021", "--as-of", ASOF,
             *(["--of", str(of)] if of else []))
    gap = {g["ref"]: g for g in k.ok("gap", "--plan", "thu", "--period", "2021", "--as-of", ASOF, "-f", "json").json()}
    assert {r: g["status"] for r, g in gap.items()} == {"A": "met", "B": "incomplete", "C": "no_data",
                                                        "D": "incomplete", "E": "incomplete"}
    out, annex = tmp_path / "bc.docx", tmp_path / "pl.xlsx"
    k.ok("report", "thu", "--period", "2021", "--on", ASOF, "-o", out, "--annex", annex, "--no-charts")
    table = docx.Document(str(out)).tables[1]
    assert [c.text for c in table.rows[0].cells][-2:] == ["Đơn vị đã báo cáo", "Đánh giá"]
    verdicts = {row.cells[1].text.split(".")[0]: (row.cells[-2].text, row.cells[-1].text) for row in table.rows[1:]}
    assert set(verdicts) == set(gap)
    for ref, g in gap.items():
        assert verdicts[ref] == (f"{g['units_reported']}/{g['units_expected']}", VERDICT[g["status"]]), ref
    assert verdicts["B"][1] == verdicts["E"][1] == "Chưa đủ số liệu"  # what was sent so far would meet them
    assert verdicts["A"] == ("1/4", "Đạt")  # a count already reached stands
    assert not any(row.cells[4].text.startswith("Đạt") for row in table.rows[1:])  # only the verdict says it
    text = _text(docx.Document(str(out)))
    short = sum(VERDICT[g["status"]] == "Chưa đủ số liệu" for g in gap.values())
    assert f"Chưa đủ số liệu: {short}" in text and "Đạt: 1" in text  # the summary line counts them too
    ws = openpyxl.load_workbook(annex)["Chỉ tiêu"]
    heads = [c.value for c in ws[1]]
    codes = {"met", "not_met", "no_data", "incomplete", "on_track", "behind"}
    assert not codes & {v for row in ws.iter_rows(values_only=True) for v in row}  # a paper speaks Vietnamese
    for cells in ws.iter_rows(min_row=2, values_only=True):
        r = dict(zip(heads, cells))
        g = gap[r["Mục"]]
        assert (r["Đánh giá"], r["Đơn vị phải báo cáo"], r["Đơn vị đã báo cáo"]) == (
            VERDICT[g["status"]], g["units_expected"], g["units_reported"])


@pytest.mark.parametrize("comparator,actual,target,gap,words", [
    ("=", 1, 0, 1, "vượt 1"), ("<=", 7, 5, 2, "vượt 2"), (">=", 7, 10, 3, "còn thiếu 3"), ("=", 8, 10, 2, "còn thiếu 2")])
def test_the_comparison_says_exceeded_for_a_ceiling_and_short_for_a_floor(comparator, actual, target, gap, words):
    from types import SimpleNamespace

    from kh.papers import target_lines

    row = dict(ref="I.1", indicator="Số vụ", value=actual, actual=actual, target=target, gap=gap,
               comparator=comparator, status="not_met")
    [line] = target_lines([row], SimpleNamespace(indicators=[]))
    assert line.comparison.endswith(words) and line.verdict == "Không đạt"
    assert not line.comparison.startswith("Đạt")
