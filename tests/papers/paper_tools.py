"""Render a paper to PDF with a real office suite or browser, and read the PDF back: page count,
page size, and where every word sits (poppler's pdftotext -bbox)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
needs_office = pytest.mark.skipif(not (SOFFICE and shutil.which("pdftoppm")) and not os.environ.get("CI"),
                                  reason="libreoffice and poppler-utils are installed by .ci/run")
needs_browser = pytest.mark.skipif(not (BROWSER and shutil.which("pdftoppm")) and not os.environ.get("CI"),
                                   reason="chromium and poppler-utils are installed by .ci/run")
MM = 72 / 25.4  # points per millimetre


def office_pdf(path: Path) -> Path:
    """LibreOffice headless: .docx or .xlsx → .pdf beside it."""
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    try:
        subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                        "--outdir", str(path.parent), str(path)], check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = path.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice made no PDF of {path}"
    return pdf


def browser_pdf(page: Path) -> Path:
    pdf = page.with_suffix(".pdf")
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        page.as_uri()], check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return pdf


def pdf_info(pdf: Path) -> dict:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", out).groups())
    return dict(pages=pages, width=w, height=h)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def words(pdf: Path) -> list[dict]:
    """Every word with its page and box, in points."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    out, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            out.append(dict(page=page, x0=x0, y0=y0, x1=x1, y1=y1, text=m.group(5)))
    return out


def outside(pdf: Path, left_mm: float, right_mm: float, top_mm: float, bottom_mm: float, slack_mm: float = 1.5):
    """The words that spill out of the margins. Only the page number ("2", "Trang 2/5") may sit
    in the top or bottom margin, and not within 5 mm of the edge."""
    info = pdf_info(pdf)
    w, h = info["width"], info["height"]
    bad = []
    for x in words(pdf):
        folio = re.fullmatch(r"Trang|\d+(/\d+)?", x["text"]) is not None
        top, bottom = (5, 5) if folio else (top_mm - slack_mm, bottom_mm - slack_mm)
        if x["x0"] < (left_mm - slack_mm) * MM or x["x1"] > w - (right_mm - slack_mm) * MM \
                or x["y0"] < top * MM or x["y1"] > h - bottom * MM:
            bad.append(x)
    return bad


def pngs(pdf: Path, folder: Path, dpi: int = 50) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / pdf.stem)], check=True,
                   capture_output=True)
    return sorted(folder.glob(pdf.stem + "*.png"))
