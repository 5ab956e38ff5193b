"""The overdue list made signable: --format docx and html, opened with python-docx, printed by
LibreOffice and Chromium, and compared with kh overdue --format json."""

from __future__ import annotations

import re

import pytest

from tests.papers import paper_tools as pt

docx = pytest.importorskip("docx")

ARGS = ["overdue", "-p", "na-2021", "--as-of", "2021-07-01"]
SENDER = ["--from", "Công an tỉnh Nghệ An", "--parent", "UBND tỉnh Nghệ An"]
ENGLISH = re.compile(r"\b(Due|Overdue|Plan|Period|Days|late|Assignee|What|Total)\b")


def _expected(kh):
    late = kh.ok(*ARGS, "-f", "json").json()
    names = list(dict.fromkeys(r["assignee"] for r in late))
    return late, names


def test_the_word_list_has_the_header_one_numbered_table_and_subtotals(kh_seeded, tmp_path):
    out = tmp_path / "qua-han.docx"
    kh_seeded.ok(*ARGS, "-f", "docx", "-o", out, *SENDER)
    late, names = _expected(kh_seeded)
    doc = docx.Document(str(out))
    sec = doc.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.left_margin.mm) == 30
    assert "PAGE" in sec.footer._element.xml and "NUMPAGES" in sec.footer._element.xml
    assert "Trang" in sec.footer.paragraphs[0].text
    left, right = (c.text for c in doc.tables[0].rows[0].cells)
    assert left.index("UBND TỈNH NGHỆ AN") < left.index("CÔNG AN TỈNH NGHỆ AN") and "/DS-CAT" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Nghệ An, ngày 01 tháng 7 năm 2021" in right
    assert "DANH SÁCH BÁO CÁO, NHIỆM VỤ QUÁ HẠN" in [p.text for p in doc.paragraphs]
    table = doc.tables[1]
    assert len(doc.tables) == 3  # header, the one list, the signature
    assert "w:tblHeader" in table.rows[0]._tr.xml
    cells = [[c.text for c in row.cells] for row in table.rows[1:]]
    numbered = [r for r in cells if r[0].isdigit()]
    assert [int(r[0]) for r in numbered] == list(range(1, len(late) + 1))
    # The rows are kh overdue's, in its order within each agency, with days late and due day.
    by_group = [r for n in names for r in late if r["assignee"] == n]
    for row, r in zip(numbered, by_group):
        assert row[1].startswith(r["obligation_name"]) and int(row[5]) == r["days_overdue"]
        assert row[4] == f"{r['due'][8:10]}/{r['due'][5:7]}/{r['due'][:4]}"
    groups = [r[0] for r in cells if len(set(r)) == 1]
    assert groups == names
    subtotals = {r[1][len("Cộng "):]: int(r[5]) for r in cells if r[1].startswith("Cộng ")}
    assert subtotals == {n: sum(1 for r in late if r["assignee"] == n) for n in names}
    assert cells[-1][1] == "Tổng cộng" and int(cells[-1][5]) == len(late)
    text = "\n".join(" ".join(r) for r in cells)
    assert "6 tháng đầu năm 2021" in text and "na-2021" not in text and "2021-H1" not in text
    assert "Thực hiện công tác phòng, chống ma túy năm 2021" in text
    assert not ENGLISH.search(text)
    assert "Nơi nhận:" in doc.tables[2].rows[0].cells[0].text


@pt.needs_office
def test_the_word_list_prints_within_its_margins_and_signs_with_the_last_rows(kh_seeded, tmp_path):
    out = tmp_path / "qua-han.docx"
    kh_seeded.ok(*ARGS, "-f", "docx", "-o", out, *SENDER)
    pdf = pt.office_pdf(out)
    _check_printed(pdf, kh_seeded)


@pt.needs_browser
def test_the_html_list_prints_with_page_x_of_y_and_repeated_headers(kh_seeded, tmp_path):
    page = tmp_path / "qua-han.html"
    kh_seeded.ok(*ARGS, "-f", "html", "-o", page, *SENDER)
    html = page.read_text(encoding="utf-8")
    assert '"Times New Roman", "Liberation Serif", Tinos, "Noto Serif", serif' in html
    assert not ENGLISH.search(re.sub(r"<[^>]+>|\{[^}]*\}", " ", html.split("</style>")[1]))
    pdf = pt.browser_pdf(page)
    _check_printed(pdf, kh_seeded)


def _check_printed(pdf, kh):
    late, names = _expected(kh)
    info = pt.pdf_info(pdf)
    assert abs(info["width"] - 595.3) < 1 and abs(info["height"] - 841.9) < 1
    assert info["pages"] >= 2
    assert pt.outside(pdf, 30, 15, 20, 20) == []
    words = pt.words(pdf)
    for page in range(1, info["pages"] + 1):
        on = [w["text"] for w in words if w["page"] == page]
        assert "STT" in on, f"page {page} lacks the header row"
        assert f"{page}/{info['pages']}" in on and "Trang" in on
    text = " ".join(pt.pdf_text(pdf).split())
    for who in names:
        assert " ".join(who.split()) in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    last = [w["text"] for w in words if w["page"] == info["pages"]]
    assert "Nơi" in last and "Tổng" in last and str(len(late)) in last
    # at least one numbered row shares the last page with the signature
    assert any(w["text"] == str(len(late) - 1) or w["text"] == str(len(late)) for w in words
               if w["page"] == info["pages"])


def test_a_word_list_needs_a_file(kh_seeded):
    r = kh_seeded.refused(*ARGS, "-f", "docx")
    assert "--format" in r.err and "-o FILE.docx" in r.err


def test_vietnamese_period_names_in_the_html(kh_seeded, tmp_path):
    page = tmp_path / "p.html"
    kh_seeded.ok("overdue", "--as-of", "2026-09-30", "-f", "html", "-o", page)
    html = page.read_text(encoding="utf-8")
    assert "quý " in html or "tháng " in html or "năm " in html
    assert not re.search(r">\d{4}-(H|Q)\d<", html)
    assert "[Địa danh]" in html or ", ngày 30 tháng 9 năm 2026" in html
