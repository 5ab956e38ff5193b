"""Regenerates the pictures of the papers in docs/reports.md (docs/img/) and in the clerk's guide
(docs/vi/hinh/) from kh's current output, so that they show what kh prints today.

    python scripts/paper_images.py

It builds a demo store in a temporary folder (kh demo --into), writes each paper with the
command the page shows, prints it as a person would (LibreOffice for .docx and .xlsx, Chromium for
.html) and turns the page the page shows into a PNG with pdftoppm. Needs soffice, chromium and
poppler-utils (.ci/run installs them). Look at every picture before committing it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"
HINH = ROOT / "docs" / "vi" / "hinh"
DPI = "60"  # an A4 page 496 × 702 pixels: readable on a screen, small in the repository


def kh(store: Path, *args: str, cwd: Path) -> None:
    env = {**os.environ, "KH_DB": str(store), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "kh", *args], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


def office_pdf(path: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(path.parent), str(path)],
                   check=True, capture_output=True, timeout=300)
    return path.with_suffix(".pdf")


def browser_pdf(page: Path) -> Path:
    pdf = page.with_suffix(".pdf")
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True, timeout=300)
    return pdf


def page_png(pdf: Path, page: int, out: Path) -> None:
    """Page ``page`` of ``pdf`` (negative: from the end) as ``out``."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(ln.split()[1] for ln in info.splitlines() if ln.startswith("Pages:")))
    n = page if page > 0 else pages + 1 + page
    stem = out.parent / (out.stem + "-tmp")
    subprocess.run(["pdftoppm", "-r", DPI, "-f", str(n), "-l", str(n), "-png", "-singlefile", str(pdf), str(stem)],
                   check=True)
    shutil.move(str(stem) + ".png", out)
    print(f"wrote {out.relative_to(ROOT)} (page {n} of {pages})")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = work / "demo.sqlite"
        kh(store, "demo", "--into", str(store), cwd=work)
        # docs/reports.md: na-2021 on the demo store.
        kh(store, "report", "na-2021", "--period", "2021", "--on", "10/1/2022", "-o", "bao-cao.docx",
           "--annex", "phu-luc.xlsx", cwd=work)
        report = office_pdf(work / "bao-cao.docx")
        page_png(report, 1, IMG / "report-1.png")
        page_png(report, 3, IMG / "report-3.png")
        page_png(office_pdf(work / "phu-luc.xlsx"), 1, IMG / "annex-1.png")
        sender = ["--from", "Công an tỉnh Nghệ An", "--parent", "UBND tỉnh Nghệ An"]
        kh(store, "overdue", "-p", "na-2021", "--as-of", "2021-07-01", "-f", "html", "-o", "qua-han.html", *sender,
           cwd=work)
        page_png(browser_pdf(work / "qua-han.html"), 1, IMG / "overdue-html-1.png")
        kh(store, "overdue", "-p", "na-2021", "--as-of", "2021-07-01", "-f", "docx", "-o", "qua-han.docx", *sender,
           cwd=work)
        page_png(office_pdf(work / "qua-han.docx"), -1, IMG / "overdue-docx-5.png")
        kh(store, "remind", "-p", "na-2021", "--as-of", "2021-07-01", "--by", "15/7/2021", "-o", "don-doc",
           "--from", "Công an tỉnh Nghệ An", cwd=work)
        page_png(office_pdf(work / "don-doc" / "don-doc-cuc-hai-quan-nghe-an.docx"), 1, IMG / "letter-1.png")
        # docs/vi/can-bo-tinh.md: ls-mtqg-2030, the commands of section 5.
        ls = ["--from", "Công an tỉnh Lạng Sơn"]
        kh(store, "--lang", "vi", "overdue", "--plan", "ls-mtqg-2030", "--only", "reports", "--as-of", "2026-09-30",
           "-f", "html", "-o", "ls-qua-han.html", *ls, cwd=work)
        page_png(browser_pdf(work / "ls-qua-han.html"), 1, HINH / "qua-han.png")
        kh(store, "--lang", "vi", "remind", "--plan", "ls-mtqg-2030", "--as-of", "2026-09-30", "--by", "10/10/2026",
           "-o", "ls-don-doc", *ls, cwd=work)
        page_png(office_pdf(work / "ls-don-doc" / "don-doc-uy-ban-nhan-dan-cac-xa-phuong.docx"), 1,
                 HINH / "don-doc.png")
        kh(store, "--lang", "vi", "report", "ls-mtqg-2030", "--period", "2026-Q3", "--on", "5/10/2026",
           "-o", "bao-cao-quy-3.docx", *ls, "--parent", "UBND TỈNH LẠNG SƠN", cwd=work)
        page_png(office_pdf(work / "bao-cao-quy-3.docx"), 1, HINH / "bao-cao.png")


if __name__ == "__main__":
    main()
