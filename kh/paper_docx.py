"""The papers as Word files (python-docx, imported inside), laid out per Nghị định 30/2020/NĐ-CP:
A4 portrait, margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman 13 pt, black;
the two-column header (issuer over its parent body and the number left, the motto and the place
and date right); page numbers from page 2, centred at the top; Nơi nhận and the signature block
at the end, kept with the last lines.

The content comes from kh/papers.py; this module only lays it out.
"""

from __future__ import annotations

import io
import re
from typing import Iterable

from kh.errors import KhError

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 12
MARGINS_MM = dict(top=20, bottom=20, left=30, right=15)
TEMPLATE_MARK = "{{noi_dung}}"


def _docx():
    import docx  # python-docx
    from docx.enum.section import WD_ORIENT  # noqa: F401
    return docx


def new_document(template=None, where: str = "--template"):
    """A document set up for a paper; with ``template`` the clerk's own file (letterhead, page
    setup, styles), which must hold a paragraph reading {{noi_dung}} where the paper goes."""
    docx = _docx()
    from docx.shared import Mm, Pt, RGBColor

    if template is not None:
        try:
            doc = docx.Document(str(template))
        except FileNotFoundError:
            raise KhError("file.missing", where=where) from None
        except Exception:  # a zip that is not a Word document, a .doc, a text file
            raise KhError("docx.unreadable_template", where=where) from None
        marks = [p for p in doc.paragraphs if p.text.strip() == TEMPLATE_MARK]
        if len(marks) != 1:
            raise KhError("docx.template_marks", where=where, mark=TEMPLATE_MARK, n=len(marks))
        doc._kh_mark = marks[0]._p
        doc._kh_before = list(doc.element.body)  # kept alive, so lxml keeps their identities
        return doc
    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    sec.header_distance, sec.footer_distance = Mm(10), Mm(10)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    style.font.color.rgb = RGBColor(0, 0, 0)
    _east_asian(style.element, FONT)
    pf = style.paragraph_format
    pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(6), 1.1
    doc._kh_mark = None
    return doc


def _east_asian(element, font: str) -> None:
    """Name the font for every script: Word otherwise picks another for some Vietnamese letters."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for k in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(k), font)


def page_numbers_from_page_two(doc) -> None:
    """The page number centred at the top of every page but the first (Nghị định 30/2020)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    sec = doc.sections[0]
    sec.different_first_page_header_footer = True
    p = sec.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(p, "PAGE")
    sec.first_page_header.paragraphs[0].text = ""


def _field(p, code: str, size: int = BODY_PT) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def part(kind=None, text=None):
        run = p.add_run()
        run.font.size = Pt(size)
        run.font.name = FONT
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        if text:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._r.append(el)
        return run

    part("begin")
    part(text=f" {code} ")
    part("separate")
    part().text = "1"
    part("end")


def para(doc_or_cell, text: str = "", *, bold=False, italic=False, size: int | None = None, align=None,
         upper=False, after: float | None = None, before: float | None = None, keep=False, indent=False,
         placeholder=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
    from docx.shared import Cm, Pt

    p = doc_or_cell.add_paragraph()
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                       "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    if before is not None:
        p.paragraph_format.space_before = Pt(before)
    if keep:
        p.paragraph_format.keep_with_next = True
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    if text:
        run = p.add_run(text.upper() if upper else text)
        run.bold, run.italic = bold, italic
        run.font.name = FONT
        if size:
            run.font.size = Pt(size)
        if placeholder:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def _rule(cell_or_doc, width_mm: float, cell_width_mm: float) -> None:
    """A short centred line (under the issuer, under the motto, under the title): a bottom
    border on an empty paragraph indented to ``width_mm``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    p = cell_or_doc.add_paragraph()
    side = max((cell_width_mm - width_mm) / 2, 0)
    p.paragraph_format.left_indent = Mm(side)
    p.paragraph_format.right_indent = Mm(side)
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.line_spacing = Pt(4)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _widths(table, mm: list[float]) -> None:
    from docx.shared import Mm

    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, mm):
            cell.width = Mm(w)
    for col, w in zip(table.columns, mm):
        col.width = Mm(w)


def _cell_lines(cell, lines: list[dict]) -> None:
    first = True
    for spec in lines:
        if first:
            p = cell.paragraphs[0]
            first = False
            _fill(p, **spec)
        else:
            spec = dict(spec)
            if spec.pop("rule", None):
                _rule(cell, spec["rule_mm"], spec["cell_mm"])
                continue
            p = cell.add_paragraph()
            _fill(p, **spec)


def _fill(p, text="", bold=False, italic=False, size=BODY_PT, align="center", after=0, upper=False, **_):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    if text:
        run = p.add_run(text.upper() if upper else text)
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size)
        run.font.name = FONT


TEXT_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165 mm
LEFT_MM, RIGHT_MM = 68.0, TEXT_MM - 68.0


def header_block(doc, head, *, date_line: bool = True, subject: str | None = None) -> None:
    """The issuer (under its parent) and the number on the left; the motto, and the place and
    date in italics, on the right (Nghị định 30/2020, Phụ lục I, ô số 1–4)."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [LEFT_MM, RIGHT_MM])
    left, right = table.rows[0].cells
    lines = []
    if head.parent:
        lines.append(dict(text=head.parent, upper=True, size=12))
    lines.append(dict(text=head.issuer, upper=True, bold=True, size=12))
    lines.append(dict(rule=True, rule_mm=28, cell_mm=LEFT_MM))
    lines.append(dict(text=head.number, size=13, after=2))
    if subject:
        lines.append(dict(text=subject, size=12))
    _cell_lines(left, lines)
    rlines = [dict(text=MOTTO_UPPER, bold=True, size=12),
              dict(text=MOTTO_LOWER, bold=True, size=13),
              dict(rule=True, rule_mm=58, cell_mm=RIGHT_MM)]
    if date_line:
        rlines.append(dict(text=head.place_date, italic=True, size=13))
    _cell_lines(right, rlines)


from kh.papers import MOTTO  # noqa: E402  (kept beside its use)

MOTTO_UPPER, MOTTO_LOWER = MOTTO


def grid(doc, headers: list[str], rows: Iterable[list], widths_mm: list[float], *, numeric: set[int] = frozenset(),
         bold_rows: set[int] = frozenset(), size: int = TABLE_PT, group_rows: dict[int, str] | None = None):
    """A bordered table whose header row repeats on every page and whose rows never split.

    The rows are written as one piece of XML and parsed once: python-docx's cell, paragraph and
    run objects cost about 0.4 ms a cell (a province's yearly report has a thousand cells), and
    most of a report's Word time was spent there. The XML is the one ``_grid_plain`` builds,
    element for element."""
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm, Pt

    rows = list(rows)
    texts = [*headers, *(group_rows or {}).values(), *(v for r in rows if r is not None for v in r)]
    n = len(headers)
    if (any(isinstance(v, str) and _XML_SPECIAL.search(v) for v in texts)
            or any(len(r) < n for i, r in enumerate(rows) if not (group_rows and i in group_rows))):
        return _grid_plain(doc, headers, rows, widths_mm, numeric=numeric, bold_rows=bold_rows, size=size,
                           group_rows=group_rows)
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for col, w in zip(table.columns, widths_mm):
        col.width = Mm(w)
    tw = [str(Mm(w).twips) for w in widths_mm[:n]]
    sz = str(int(Pt(size).pt * 2))
    spacing = '<w:spacing w:after="20" w:before="20" w:line="240" w:lineRule="auto"/>'
    b_on, b_off = "<w:b/>", '<w:b w:val="0"/>'

    def cell(width: str, text: str, bold: bool, align: str, span: int = 1) -> str:
        span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        run = ""
        if text:
            space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
            run = (f'<w:r><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/>'
                   f'{b_on if bold else b_off}<w:i w:val="0"/><w:sz w:val="{sz}"/></w:rPr>'
                   f'<w:t{space}>{escape(text)}</w:t></w:r>')
        return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{span_xml}</w:tcPr>'
                f'<w:p><w:pPr>{spacing}<w:jc w:val="{align}"/></w:pPr>{run}</w:p></w:tc>')

    out = ['<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>']
    out += [cell(w, text, True, "center") for w, text in zip(tw, headers)]
    out.append("</w:tr>")
    for i, values in enumerate(rows):
        out.append('<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>')
        if group_rows and i in group_rows:
            # python-docx's merge leaves the last column's width on the merged cell.
            out.append(cell(tw[-1], group_rows[i], True, "left", span=n))
        else:
            out += [cell(tw[j], "" if v is None else str(v), i in bold_rows,
                         "right" if j in numeric else ("center" if j == 0 else "left"))
                    for j, v in zip(range(n), values)]
        out.append("</w:tr>")
    for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(out)}</w:tbl>"):
        table._tbl.append(tr)
    return table


# Text python-docx does not write as one <w:t>: tabs and line breaks become elements of their own,
# and characters XML 1.0 cannot hold are refused.
_XML_SPECIAL = re.compile("[\t\n\r]|[^\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _grid_plain(doc, headers: list[str], rows: Iterable[list], widths_mm: list[float], *,
                numeric: set[int] = frozenset(), bold_rows: set[int] = frozenset(), size: int = TABLE_PT,
                group_rows: dict[int, str] | None = None):
    """``grid`` through python-docx's objects, cell by cell: the reference the fast path is
    tested against (tests/papers/test_report.py), and the path for text holding tabs, line breaks
    or characters XML cannot hold (python-docx turns the first into elements, refuses the last)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rows = list(rows)
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    hdr = table.rows[0]
    trpr = hdr._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
    for cell, text in zip(hdr.cells, headers):
        _fill(cell.paragraphs[0], text=text, bold=True, size=size)
    for i, values in enumerate(rows):
        row = table.add_row()
        trpr = row._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        cant.set(qn("w:val"), "true")
        trpr.append(cant)
        if group_rows and i in group_rows:
            merged = row.cells[0].merge(row.cells[-1])
            _fill(merged.paragraphs[0], text=group_rows[i], bold=True, size=size, align="left")
            continue
        for j, (cell, v) in enumerate(zip(row.cells, values)):
            _fill(cell.paragraphs[0], text="" if v is None else str(v), size=size,
                  bold=i in bold_rows, align="right" if j in numeric else ("center" if j == 0 else "left"))
    _widths(table, widths_mm)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.space_after = Pt(1)
                p.paragraph_format.space_before = Pt(1)
    return table


def signature_block(doc, head, *, recipients: list[str] | None = None) -> None:
    """Nơi nhận (left) and the signer (right), in one row that never splits, kept with the
    paragraph before it so the signature never stands alone on a page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [TEXT_MM - 80, 80])
    trpr = table.rows[0]._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    trpr.append(cant)
    left, right = table.rows[0].cells
    lines = [dict(text="Nơi nhận:", bold=True, italic=True, size=12, align="left")]
    lines += [dict(text=f"- {r}", size=11, align="left") for r in (recipients or head.recipients)]
    _cell_lines(left, lines)
    _cell_lines(right, [dict(text=head.signer_title, bold=True, size=13, upper=True),
                        dict(text="(Ký tên, đóng dấu)", italic=True, size=13, after=60),
                        dict(text=head.signer_name, bold=True, size=13)])


def picture(doc, png: bytes, width_mm: float = 150) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_together = True
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))


def finish(doc, path) -> None:
    """Move what was written into the template's {{noi_dung}} place, then save whole, then rename."""
    mark = getattr(doc, "_kh_mark", None)
    if mark is not None:
        body = doc.element.body
        old = set(doc._kh_before)
        new = [e for e in body if e not in old and not e.tag.endswith("}sectPr")]
        for e in new:
            mark.addprevious(e)
        mark.getparent().remove(mark)
    from kh.render import write_atomic

    write_atomic(path, doc.save)


def report_docx(rep, path, *, charts: dict[str, bytes] | None = None, template=None) -> None:
    """Báo cáo kết quả thực hiện Kế hoạch: header, title, the chỉ tiêu, the tasks, reporting
    discipline, the clerk's sections (marked), Nơi nhận and the signature."""
    from kh.papers import TASK_GROUPS
    from kh.periods import period_name

    doc = new_document(template)
    if template is None:
        page_numbers_from_page_two(doc)
    header_block(doc, rep.head)
    para(doc, "BÁO CÁO", bold=True, size=14, align="center", before=12, after=0, keep=True)
    para(doc, rep.title, bold=True, size=14, align="center", after=0, keep=True)
    _rule(doc, 40, TEXT_MM)
    where = f" trên địa bàn {rep.unit_name}" if rep.unit_name else ""
    para(doc, f"Thực hiện {rep.plan_name}, "
              f"{rep.head.issuer} báo cáo kết quả thực hiện {period_name(rep.period)}{where} "
              f"(từ ngày {rep.first:%d/%m/%Y} đến ngày {rep.last:%d/%m/%Y}) như sau:",
         align="justify", indent=True)

    para(doc, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold=True, keep=True, before=6)
    if rep.targets:
        has_cov = any(t.coverage for t in rep.targets)
        # Who reported stands beside the verdict, in a column of its own (reported/expected):
        # a "Chưa đủ số liệu" says why, and no cell wraps into a column of fragments.
        headers = ["STT", "Chỉ tiêu", "Chỉ tiêu giao", "Kết quả", "So sánh"]
        widths = [12, 41, 27, 17, 29]
        if has_cov:
            headers.append("Đơn vị đã báo cáo")
            widths.append(17)
        headers.append("Đánh giá")
        widths.append(TEXT_MM - sum(widths))
        rows = []
        for n, t in enumerate(rep.targets, start=1):
            row = [n, f"{t.ref}. {t.name}", t.target_text, t.figure, t.comparison]
            if has_cov:
                row.append(t.coverage)
            rows.append(row + [t.verdict])
        grid(doc, headers, rows, widths, numeric={3} | ({5} if has_cov else set()))
        counts = {}
        for t in rep.targets:
            counts[t.verdict] = counts.get(t.verdict, 0) + 1
        summary = "; ".join(f"{v}: {n}" for v, n in counts.items())
        para(doc, f"Tổng số {len(rep.targets)} chỉ tiêu ({summary}).", before=6, indent=True)
        if not has_cov and any(t.status in ("no_data", "incomplete") for t in rep.targets):
            para(doc, "[Nêu lý do các chỉ tiêu chưa đủ số liệu và thời hạn bổ sung.]", italic=True,
                 placeholder=True, indent=True)
        for t in rep.targets:
            png = (charts or {}).get(t.ref)
            if png:
                para(doc, f"Biểu đồ {t.ref}: {t.name}", italic=True, size=12, keep=True, align="center", after=0)
                picture(doc, png)
    else:
        para(doc, "Kế hoạch không giao chỉ tiêu định lượng.", indent=True)
    para(doc, "[Đánh giá kết quả thực hiện từng chỉ tiêu, nguyên nhân đạt, không đạt.]", italic=True,
         placeholder=True, indent=True)

    para(doc, "II. TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ", bold=True, keep=True, before=6)
    if rep.tasks:
        headers = ["STT", "Cơ quan, đơn vị"] + [label for _, label in TASK_GROUPS] + ["Tổng"]
        rows = [[n, r["assignee"], *[r[g] for g, _ in TASK_GROUPS], r["total"]]
                for n, r in enumerate(rep.tasks, start=1)]
        total = ["", "Tổng cộng", *[sum(r[g] for r in rep.tasks) for g, _ in TASK_GROUPS],
                 sum(r["total"] for r in rep.tasks)]
        grid(doc, headers, rows + [total], [12, 49, 22, 22, 22, 22, 16], numeric={2, 3, 4, 5, 6},
             bold_rows={len(rows)})
    else:
        para(doc, "Kế hoạch không giao nhiệm vụ có thời hạn.", indent=True)
    if rep.late_tasks:
        para(doc, "Các nhiệm vụ quá hạn chưa hoàn thành (cơ quan chủ trì):", before=6, keep=True, indent=True)
        grid(doc, ["STT", "Mục", "Nhiệm vụ", "Cơ quan chủ trì", "Hạn", "Số ngày quá hạn"],
             [[n, r["ref"], r["task"], r["assignee"], f"{r['due']:%d/%m/%Y}", r["days_overdue"]]
              for n, r in enumerate(rep.late_tasks, start=1)],
             # Hạn as wide as in the other papers' tables (24-25 mm): at 20 mm Word broke
             # "26/06/2025" over two lines.
             [12, 16, 60, 35, 25, 17], numeric={5})
    para(doc, "[Kết quả nổi bật trong thực hiện nhiệm vụ.]", italic=True, placeholder=True, indent=True, before=6)

    para(doc, "III. VIỆC CHẤP HÀNH CHẾ ĐỘ BÁO CÁO", bold=True, keep=True, before=6)
    tot = rep.reports_total
    if tot["due"]:
        para(doc, f"Trong kỳ có {tot['due']} báo cáo đến hạn: {tot['on_time'] + tot['late']} báo cáo đã gửi "
                  f"(tỷ lệ {_pct(tot['rate_sent'])}), trong đó {tot['on_time']} đúng hạn (tỷ lệ "
                  f"{_pct(tot['rate_on_time'])}), {tot['late']} quá hạn; {tot['missing']} báo cáo chưa gửi.",
             align="justify", indent=True, keep=True)
        rows = [[n, r["assignee"], r["due"], r["on_time"], r["late"], r["missing"], _pct(r["rate_sent"]),
                 _pct(r["rate_on_time"])] for n, r in enumerate(rep.reports, start=1)]
        rows.append(["", "Tổng cộng", tot["due"], tot["on_time"], tot["late"], tot["missing"],
                     _pct(tot["rate_sent"]), _pct(tot["rate_on_time"])])
        grid(doc, ["STT", "Cơ quan, đơn vị", "Đến hạn", "Đúng hạn", "Quá hạn", "Chưa gửi", "Tỷ lệ đã gửi",
                   "Tỷ lệ đúng hạn"],
             rows, [12, 49, 16, 16, 16, 16, 20, 20], numeric={2, 3, 4, 5, 6, 7}, bold_rows={len(rows) - 1})
    else:
        para(doc, "Trong kỳ không có báo cáo đến hạn.", indent=True)

    para(doc, "IV. ĐÁNH GIÁ CHUNG", bold=True, keep=True, before=6)
    para(doc, "[Ưu điểm; tồn tại, hạn chế và nguyên nhân.]", italic=True, placeholder=True, indent=True)
    para(doc, "V. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", bold=True, keep=True, before=6)
    para(doc, "[Nhiệm vụ, giải pháp trọng tâm kỳ tới.]", italic=True, placeholder=True, indent=True)
    # The last section and the closing line go with the signature: it never stands on a page
    # of its own (Nghị định 30/2020).
    para(doc, "VI. ĐỀ XUẤT, KIẾN NGHỊ", bold=True, keep=True, before=6)
    para(doc, "[Đề xuất, kiến nghị (nếu có).]", italic=True, placeholder=True, indent=True, keep=True)
    para(doc, f"Trên đây là báo cáo kết quả thực hiện {period_name(rep.period)} của {rep.head.issuer}./.",
         indent=True)
    signature_block(doc, rep.head)
    finish(doc, path)


def _pct(v) -> str:
    if v is None:
        return "—"
    text = f"{v:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} %"


def page_x_of_y(doc) -> None:
    """"Trang x/y" centred at the foot of every page (the overdue list, the letters)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("Trang ")
    run.font.size = Pt(11)
    _field(p, "PAGE", 11)
    p.add_run("/").font.size = Pt(11)
    _field(p, "NUMPAGES", 11)


def overdue_docx(lst, path) -> None:
    """The signable overdue list as Word: header and motto, one table (STT, group rows per
    agency with a subtotal), "Trang x/y", the signature kept with the last rows."""
    from docx.shared import Pt

    doc = new_document()
    page_x_of_y(doc)
    if lst.head is not None:
        header_block(doc, lst.head)
    para(doc, lst.title, bold=True, size=14, align="center", before=12, after=0, keep=True)
    para(doc, f"(Tính đến ngày {lst.as_of:%d/%m/%Y})", italic=True, align="center", keep=True)
    rows, groups, bold = [], {}, set()
    for name, lines in lst.groups:
        groups[len(rows)] = name
        rows.append(None)
        for x in lines:
            what = x.what + (f" ({x.deadline_text})" if x.deadline_text else "")
            rows.append([x.stt, what, x.plan, x.period, x.due, x.days])
        bold.add(len(rows))
        rows.append(["", f"Cộng {name}", "", "", "", len(lines)])
    bold.add(len(rows))
    rows.append(["", "Tổng cộng", "", "", "", lst.total])
    table = grid(doc, ["STT", "Nội dung", "Kế hoạch", "Kỳ", "Hạn", "Số ngày quá hạn"], rows,
                 [12, 49, 38, 22, 24, 20], numeric={5}, bold_rows=bold, group_rows=groups)
    for i in bold:  # a subtotal's words span the middle columns
        cells = table.rows[i + 1].cells
        text = cells[1].text
        merged = cells[1].merge(cells[4])
        for p in merged.paragraphs[1:]:
            p._p.getparent().remove(p._p)
        merged.paragraphs[0].runs[0].text = text if merged.paragraphs[0].runs else text
    # Keep the last rows with the signature: each of the last three rows keeps with the next.
    for row in table.rows[-3:]:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
    if lst.head is not None:
        p = para(doc, "", after=0)
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(0)
        signature_block(doc, lst.head)
    finish(doc, path)


def letter_docx(letter, path) -> None:
    """A công văn đôn đốc: the header with "V/v …" under the number, Kính gửi, the items owed
    in a table, the request with its day, Nơi nhận and the signature."""
    from kh.papers import SUBJECT

    doc = new_document()
    page_numbers_from_page_two(doc)
    header_block(doc, letter.head, subject=SUBJECT)
    para(doc, f"Kính gửi: {letter.to}.", align="center", before=12, after=12)
    para(doc, letter.intro, align="justify", indent=True, keep=True)
    if len({x.plan for x in letter.lines}) == 1:  # the plan is cited above: only the period per row
        grid(doc, ["STT", "Nội dung", "Kỳ", "Hạn", "Số ngày quá hạn"],
             [[x.stt, x.what + (f" ({x.deadline_text})" if x.deadline_text else ""), x.period, x.due, x.days]
              for x in letter.lines], [12, 81, 26, 25, 21], numeric={4})
    else:
        grid(doc, ["STT", "Nội dung", "Kế hoạch, kỳ", "Hạn", "Số ngày quá hạn"],
             [[x.stt, x.what + (f" ({x.deadline_text})" if x.deadline_text else ""),
               x.plan + (f", {x.period}" if x.period else ""), x.due, x.days] for x in letter.lines],
             [12, 56, 49, 25, 23], numeric={4})
    para(doc, letter.ask, align="justify", indent=True, before=6)
    para(doc, "Trân trọng./.", indent=True)
    signature_block(doc, letter.head)
    finish(doc, path)
