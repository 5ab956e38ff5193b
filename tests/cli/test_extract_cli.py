"""kh extract through the real command line: a seed document becomes a draft that imports as
printed, a .docx gives the same draft as its text, and the recall script meets its goal."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT

DOCS = ROOT / "examples" / "documents"
SEED_IDS = sorted(p.stem for p in DOCS.glob("*.txt"))


def test_every_seed_document_is_in_the_repository():
    assert SEED_IDS == sorted(p.stem for p in (ROOT / "examples" / "plans").glob("*.toml"))


FIXTURES = ROOT / "tests" / "fixtures" / "extract"
DOCUMENTS = [DOCS / f"{i}.txt" for i in SEED_IDS] + sorted([*FIXTURES.glob("*.txt"), *FIXTURES.glob("*.pdf")])


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_a_seed_or_fixture_drafts_a_plan_that_imports_as_printed(kh, tmp_path, document):
    plan_id = document.stem
    r = kh.ok("extract", document, "--id", plan_id)
    assert r.out.startswith("# Draft plan file drafted by `kh extract`")
    summary = r.err.strip().splitlines()
    assert len(summary) == 1 and summary[0].startswith("kh: extract: ") and " targets, " in summary[0]
    draft = tmp_path / f"{plan_id}.toml"
    draft.write_text(r.out, encoding="utf-8")
    assert f"Imported {plan_id}:" in kh.ok("plan", "import", draft).out


def test_the_nghe_an_draft_lists_its_targets_and_deadlines(kh, tmp_path):
    draft = tmp_path / "na.toml"
    draft.write_text(kh.ok("extract", DOCS / "na-2021.txt", "--id", "na-2021").out, encoding="utf-8")
    kh.ok("plan", "import", draft)
    targets = {(i["kind"], i["comparator"], i["target"], i["baseline"])
               for i in kh.ok("indicator", "list", "--plan", "na-2021", "--format", "json").json()}
    assert ("change", ">=", "5", "2020") in targets                  # tăng ít nhất 5% so với năm 2020
    assert ("share_of_baseline", ">=", "20", "2020") in targets      # triệt xóa ít nhất 20% … năm 2020
    assert ("share", ">=", "70", None) in targets                    # 70% trở lên
    rows = kh.ok("deadlines", "--plan", "na-2021", "--format", "json", "--as-of", "2021-01-01").json()
    due = {(r["deadline_text"], r["due"]) for r in rows}
    assert ("trước ngày 16/6/2021", "2021-06-15") in due             # before the 16th: the 15th is the last day
    assert ("trước ngày 10/02/2021", "2021-02-09") in due
    assert {r["assignee"] for r in rows if r["deadline_text"] == "trước ngày 16/6/2021"} >= {"Sở Y tế", "Tỉnh đoàn"}


def test_what_was_not_understood_is_listed_at_the_end(kh):
    r = kh.ok("extract", DOCS / "na-2021.txt")
    tail = r.out[r.out.rindex("# Not understood"):]
    assert "# line " in tail
    assert 'id = "na-2021"  # TODO check' in r.out  # derived from the place … and the year, marked
    assert "# line 56" in r.out                     # each item names its line in the document


def test_a_docx_gives_the_same_draft_as_its_text(kh, tmp_path):
    import docx

    text = (DOCS / "bk-238-2017.txt").read_text(encoding="utf-8")
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "bk-238-2017.docx"
    document.save(path)
    from_docx = kh.ok("extract", path, "--id", "bk-238-2017").out
    from_text = kh.ok("extract", DOCS / "bk-238-2017.txt", "--id", "bk-238-2017").out
    assert from_docx.replace("bk-238-2017.docx", "X") == from_text.replace("bk-238-2017.txt", "X")


def test_a_bom_and_decomposed_letters_are_read_as_nfc(kh, tmp_path):
    import unicodedata

    text = (DOCS / "na-2021.txt").read_text(encoding="utf-8")
    p = tmp_path / "na.txt"
    p.write_bytes(b"\xef\xbb\xbf" + unicodedata.normalize("NFD", text).encode("utf-8"))
    plain = kh.ok("extract", DOCS / "na-2021.txt", "--id", "na-2021").out
    assert kh.ok("extract", p, "--id", "na-2021").out.replace("na.txt", "na-2021.txt") == plain


def test_a_pdf_with_a_text_layer_is_read_unwrapped_with_its_header(kh):
    """The fixture was printed to PDF by LibreOffice from a Word file: its text comes out wrapped
    at the page's width and the date line broken before its year."""
    out = kh.ok("extract", FIXTURES / "xa-minh-luong-2026.pdf", "--id", "ml").out
    assert 'number = "09/KH-UBND"' in out and 'place = "Minh Lương"' in out
    assert "issued_on = 2026-01-14" in out and "start = 2026-01-01" in out and "end = 2026-12-31" in out
    assert 'title = "Phòng, chống tội phạm và tệ nạn ma túy trên địa bàn xã Minh Lương năm 2026"' in out


def test_a_scanned_pdf_is_refused_and_nothing_is_printed(kh, tmp_path):
    import pypdf

    w = pypdf.PdfWriter()
    w.add_blank_page(width=595, height=842)  # a page with no text layer: an image, or nothing
    p = tmp_path / "scan.pdf"
    with open(p, "wb") as f:
        w.write(f)
    r = kh.refused("extract", p)
    assert "scanned PDF" in r.err and "no text layer" in r.err and r.out == ""


def test_a_damaged_pdf_is_refused_and_nothing_is_printed(kh, tmp_path):
    p = tmp_path / "ke-hoach.pdf"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    r = kh.refused("extract", p)
    assert "PDF" in r.err and r.out == ""


def test_reading_a_text_file_does_not_import_pypdf():
    code = ("import sys; from kh.extract import draft_file; "
            f"draft_file({str(DOCS / 'na-2021.txt')!r}, 'na'); print('pypdf' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.stdout.strip() == "False", r.stderr


def test_the_recall_script_meets_the_goal_on_the_seeds_and_the_fixtures():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "extract_recall.py")], capture_output=True,
                       text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["recall", "header", "targets", "assignees", "deadlines", "task", "dues", "goal"]
    assert any(line.startswith("precision ") for line in lines)
    rows = [line for line in lines if line.endswith(("met", "met*", "NOT MET"))]
    fixtures = sorted(FIXTURES.glob("*.toml"))
    assert len(rows) == len(SEED_IDS) + len(fixtures)
    # Precision rows: one per plan and the total.
    prec = lines.index(next(line for line in lines if line.startswith("precision")))
    total = next(i for i in range(prec, len(lines)) if lines[i].startswith("all plans"))
    assert total - prec - 1 == len(rows)
    # "met*": short of a goal only by the cases docs/extract.md explains (UNEXTRACTABLE in the
    # script), each of which is still missed; every other plan meets every goal.
    starred = {row.split()[0] for row in rows if row.endswith(" met*")}
    import runpy

    listed = runpy.run_path(str(ROOT / "scripts" / "extract_recall.py"))["UNEXTRACTABLE"]
    assert starred == {plan for plan, _, _ in listed}
    assert all(row.endswith((" met", " met*")) for row in rows)
    assert "is listed as not extractable but is found now" not in r.stdout
