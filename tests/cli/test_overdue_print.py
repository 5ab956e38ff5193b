"""The printed overdue list, rendered by a real browser to an A4 PDF (Debian's chromium, which
.ci/run installs; poppler-utils reads the PDF back)."""

import os
import shutil
import subprocess

import pytest

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
needs_tools = pytest.mark.skipif(
    not (BROWSER and shutil.which("pdftotext")) and not os.environ.get("CI"),
    reason="chromium and poppler-utils are installed by .ci/run; CI fails without them")


@needs_tools
def test_overdue_page_prints_on_a4_with_every_group(kh_seeded, tmp_path):
    page = tmp_path / "qua-han.html"
    kh_seeded.ok("--lang", "vi", "overdue", "-p", "na-2021", "--as-of", "2021-07-01", "-f", "html", "-o", page,
                 "--from", "Công an tỉnh Nghệ An")
    pdf = tmp_path / "qua-han.pdf"
    subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "DANH SÁCH BÁO CÁO, NHIỆM VỤ QUÁ HẠN" in text
    assert "01/07/2021" in text and "CÔNG AN TỈNH NGHỆ AN" in text  # the header's issuer, in capitals
    late = kh_seeded.ok("overdue", "-p", "na-2021", "--as-of", "2021-07-01", "-f", "json").json()
    for who in {r["assignee"] for r in late}:
        assert " ".join(who.split()) in " ".join(text.split())
