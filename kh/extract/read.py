"""A Kế hoạch on the way in: UTF-8 text, a Word .docx or a PDF with a text layer → lines of NFC
text.

Anything else is refused with what and where; nothing is guessed (a wrong guess at an encoding
would draft a plan full of mojibake that still imports).
"""

from __future__ import annotations

from pathlib import Path

from kh.errors import KhError
from kh.text import nfc

_REFUSED = {".doc": "an old Word .doc file; open it in Word or LibreOffice and save it as .docx",
            ".rtf": "an RTF file; save it as .docx or as UTF-8 text",
            ".odt": "an OpenDocument file; save it as .docx or as UTF-8 text"}


def read_lines(path: str | Path) -> list[str]:
    """The document's lines (NFC, no line ends). Refuses missing, unreadable, empty or
    unsupported files with a KhError naming the file."""
    p = Path(path)
    where = str(p)
    suffix = p.suffix.lower()
    if suffix in _REFUSED:
        raise KhError(f"cannot read {_REFUSED[suffix]}", where=where)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise KhError("no such file", where=where) from None
    except IsADirectoryError:
        raise KhError("is a folder, not a document", where=where) from None
    except OSError as e:
        raise KhError(f"cannot read the document: {e.strerror}", where=where) from None
    if raw.startswith(b"PK\x03\x04"):
        lines = _docx_lines(p, raw)
    elif raw.startswith(b"%PDF"):
        lines = _pdf_lines(raw, where)
    elif suffix == ".pdf":
        raise KhError("not a readable PDF file (it does not start with %PDF)", where=where)
    elif raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise KhError(f"cannot read {_REFUSED['.doc']}", where=where)
    else:
        lines = _text_lines(raw, where)
    if not any(line.strip() for line in lines):
        raise KhError("the document is empty", where=where)
    return lines


def _text_lines(raw: bytes, where: str) -> list[str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise KhError("the file is UTF-16; save it as UTF-8 text", where=where)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise KhError("not UTF-8 text (Windows-1258 or TCVN3?); save the document as UTF-8 text "
                      "or as .docx", where=f"{where}:{line}") from None
    if "\x00" in text:
        raise KhError("not a text document (it holds NUL bytes)", where=where)
    return nfc(text).splitlines()


def _docx_lines(p: Path, raw: bytes) -> list[str]:
    """Paragraphs of the body in order, then table cells row by row (numbers and dates of a
    header are often laid out in a table). python-docx is imported here only: reading text
    files and `kh --help` do not pay for it."""
    import io
    import zipfile

    try:
        import docx  # python-docx
    except ImportError:  # pragma: no cover - a dependency of kh
        raise KhError("reading .docx needs python-docx: pip install python-docx", where=str(p)) from None
    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise KhError(f"not a readable .docx file ({type(e).__name__})", where=str(p)) from None
    except Exception as e:  # lxml errors on a damaged part
        raise KhError(f"not a readable .docx file: {str(e).splitlines()[0] if str(e) else type(e).__name__}",
                      where=str(p)) from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(_para_text(child).split("\n"))
        elif tag == "tbl":
            for row in child.iter(child.tag.replace("tbl", "tr")):
                for cell in row.iter(child.tag.replace("tbl", "tc")):
                    for para in cell.iter(child.tag.replace("tbl", "p")):
                        lines.extend(_para_text(para).split("\n"))
    return [nfc(line) for line in lines]


def _pdf_lines(raw: bytes, where: str) -> list[str]:
    """The text layer of a PDF, page after page, as the PDF lays it out (wrapped at the page's
    width: doc.paragraphs joins the lines again). pypdf is imported here only: pure Python, no
    system library, and `kh --help` does not pay for it. A scanned PDF has no text layer: refused,
    since guessing at an image would draft nothing true."""
    import io
    import logging

    try:
        import pypdf
    except ImportError:  # pragma: no cover - a dependency of kh
        raise KhError("reading a PDF needs pypdf: pip install pypdf", where=where) from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd fonts are not ours
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            try:  # many published PDFs are "protected" with an empty password: they open
                opened = reader.decrypt("")
            except Exception:  # an AES lock pypdf cannot open without an extra library
                opened = 0
            if not opened:
                raise KhError("the PDF is password-protected; open it and save an unprotected copy, "
                              "or give the .docx", where=where) from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except KhError:
        raise
    except Exception as e:  # pypdf raises its own errors and plain ones on a damaged file
        raise KhError(f"not a readable PDF file ({type(e).__name__})", where=where) from None
    text = "\n".join(pages)
    if sum(not c.isspace() for c in text) < 20 * max(1, len(pages)) // 2:
        raise KhError("a scanned PDF: it has no text layer to read; give the .docx or a PDF "
                      "exported from Word, or run it through OCR first", where=where)
    return [nfc(line) for line in text.replace("\x00", "").splitlines()]


def _para_text(p) -> str:
    """A paragraph's text, with soft line breaks (w:br) and tabs kept."""
    out = []
    for node in p.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t" and node.text:
            out.append(node.text)
        elif tag == "tab":
            out.append("\t")
        elif tag in ("br", "cr"):
            out.append("\n")
    return "".join(out)
