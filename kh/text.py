"""Vietnamese text on the way in: NFC, strict dates and counts, CSV encodings.

Pure functions, no I/O. Everything typed or read by kh passes through ``nfc`` so that a name
typed with Unikey's composed and decomposed modes is the same name.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date

from kh.errors import KhError


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def strip_accents(s: str) -> str:
    """Without tone and vowel marks, đ as d: "Lạng Sơn" → "Lang Son" (ids and slugs, and names
    compared loosely, where hoá = hóa)."""
    plain = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return plain.replace("đ", "d").replace("Đ", "D")


def fold(s: str) -> str:
    """The form names are matched in: NFC, case-folded, inner spaces collapsed."""
    return " ".join(nfc(s).casefold().split())


def search_key(s: str) -> str:
    """What a search compares: folded and without accents, so that "cao loc", "CAO LỘC" and
    "Cao Lộc" are one ("đ" is "d")."""
    return strip_accents(fold(s))


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_WORDS = re.compile(r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_DM = re.compile(r"(\d{1,2})/(\d{1,2})")


def _make_date(y: int, m: int, d: int, raw: str) -> date:
    from kh.periods import MAX_YEAR, MIN_YEAR

    if not MIN_YEAR <= y <= MAX_YEAR:
        raise KhError("date.year_range", raw=raw, first=MIN_YEAR, last=MAX_YEAR)
    try:
        return date(y, m, d)
    except ValueError:
        raise KhError("date.no_such_day", raw=raw, day=d, month=m, year=y) from None


def parse_date(raw: str) -> date:
    """ISO ``2021-06-16`` or Vietnamese ``16/6/2021``, ``16/06/2021``, ``ngày 16 tháng 6 năm 2021``."""
    s = " ".join(nfc(raw).strip().lower().split())
    for pattern, order in ((_ISO, "ymd"), (_DMY, "dmy"), (_WORDS, "dmy")):
        m = pattern.fullmatch(s)
        if m:
            a, b, c = (int(g) for g in m.groups())
            y, mo, d = (a, b, c) if order == "ymd" else (c, b, a)
            return _make_date(y, mo, d, raw)
    raise KhError("date.malformed", raw=raw)


def parse_day_month(raw: str) -> tuple[int, int]:
    """A day/month without a year, as in "trước ngày 16/6": returns (day, month).

    29/02 is refused: a recurring deadline must exist in every year.
    """
    s = nfc(raw).strip()
    m = _DM.fullmatch(s)
    if not m:
        raise KhError("date.day_month_malformed", raw=raw)
    d, mo = int(m.group(1)), int(m.group(2))
    _make_date(2023, mo, d, raw)  # a common year: 29/02 fails here too
    return d, mo


_WHOLE = re.compile(r"[0-9]{1,15}")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})+")
_DECIMAL = re.compile(r"[0-9]+[.,][0-9]+")


def parse_count(raw: str) -> int:
    """A whole number written with digits only. Vietnamese and English disagree on "." and ",",
    so "1.234" (one thousand two hundred thirty-four, or one point two three four?) and "1,5"
    are refused with the reason, never guessed."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 15:
        return int(raw)  # the common case, without a regular expression
    s = nfc(raw).strip()
    if _WHOLE.fullmatch(s):
        return int(s)
    if re.fullmatch(r"[0-9]{16,}", s):
        raise KhError("count.too_large", raw=raw)
    if s.startswith(("-", "−")):
        raise KhError("count.negative", raw=raw)
    if _GROUPED.fullmatch(s):
        digits = re.sub(r"[.,]", "", s)
        raise KhError("count.ambiguous", raw=raw, digits=digits)
    if _DECIMAL.fullmatch(s):
        raise KhError("count.decimal", raw=raw)
    raise KhError("count.malformed", raw=raw)


_CP1258_TONES = {0xCC, 0xEC, 0xD2, 0xDE, 0xF2}  # combining grave, acute, hook, tilde, dot below
_CP1258_LETTERS = {0xC3, 0xE3, 0xC2, 0xE2, 0xCA, 0xEA, 0xD4, 0xF4, 0xD5, 0xF5, 0xDD, 0xFD, 0xD0, 0xF0}


# Bytes where Windows-1258 and Windows-1252 (an English Windows) read the same letter: a file
# whose only non-ASCII bytes are among these ("ghi chú") reads the same whichever wrote it.
_SAME_IN_1252 = frozenset(b for b in range(0xA0, 0x100)
                          if bytes([b]).decode("cp1258") == bytes([b]).decode("cp1252"))


def decode_csv(raw: bytes, name: str) -> str:
    """CSV bytes → text in NFC. UTF-8 (with or without BOM) is read as it is; a Windows-1258
    file (what Excel on a Vietnamese Windows saves) is decoded; a TCVN3 (ABC, .VnTime) file is
    recognised and refused with the way to convert it; a file mixing UTF-8 lines with others,
    and a NUL byte inside a cell, are refused with their line. Anything else is refused, never
    guessed: a wrong guess would store mojibake."""
    head = raw[:4096]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) >= 4 and head.count(0) * 4 >= len(head)):
        raise KhError("csv.utf16", where=name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_legacy(raw, name)
    nul = text.find("\x00")
    if nul >= 0:
        raise KhError("csv.nul", where=f"{name}:{text.count(chr(10), 0, nul) + 1}")
    return nfc(text)


def _decode_legacy(raw: bytes, name: str) -> str:
    """A file that is not UTF-8: Windows-1258 when its bytes say so, else a refusal naming the
    first line that is not UTF-8."""
    utf8_line = other_line = 0
    for n, line in enumerate(raw.split(b"\n"), 1):
        if max(line, default=0) < 0x80:
            continue
        try:
            line.decode("utf-8")
            utf8_line = utf8_line or n
        except UnicodeDecodeError:
            other_line = other_line or n
        if utf8_line and other_line:
            # UTF-8's continuation bytes would otherwise pass for TCVN3 letters.
            raise KhError("csv.mixed", where=f"{name}:{other_line}", utf8_line=utf8_line, other_line=other_line)
    where = f"{name}:{other_line}"
    high = [b for b in raw if b >= 0x80]
    # TCVN3 puts ă â ê ô ơ ư đ and à ả ã á ạ at 0xA1–0xBF, where Windows-1258 has only symbols.
    tcvn = sum(1 for b in high if 0xA1 <= b <= 0xBF)
    if tcvn and tcvn * 5 >= len(high):
        raise KhError("csv.tcvn3", where=where)
    vietnamese = any(b in _CP1258_TONES or b in _CP1258_LETTERS for b in high)
    if vietnamese or all(b in _SAME_IN_1252 for b in high):
        try:
            return raw.decode("cp1258")
        except UnicodeDecodeError:
            pass
    raise KhError("csv.encoding", where=where, looks=_looks_like(raw))


def _looks_like(raw: bytes) -> "Msg | str":
    """What a maintained detector makes of a file kh will not decode, to help whoever fixes it
    (said, never acted on: decoding on a guess would store mojibake)."""
    from charset_normalizer import from_bytes

    from kh.i18n import Msg

    best = from_bytes(raw[:65536]).best()
    return Msg("csv.looks_like", encoding=best.encoding) if best is not None else ""


class CsvRows:
    """The rows of a CSV past its header; ``line_num`` is the line the last row ended on. The
    reader is strict: a quote left open swallows the rest of the file into one cell, so it is
    refused with the line where the cell began, never stored as a note."""

    def __init__(self, reader, name: str):
        self._reader, self.name, self.line_num = reader, name, reader.line_num

    def __iter__(self):
        reader = self._reader
        try:
            for row in reader:
                self.line_num = reader.line_num
                yield row
        except csv.Error as e:
            raise _csv_error(str(e), self.name, self.line_num + 1, reader.line_num) from None


def _csv_error(what: str, name: str, start: int, end: int) -> KhError:
    if "unexpected end of data" in what:
        return KhError("csv.unterminated_quote", where=f"{name}:{start}")
    if "field larger than field limit" in what:
        return KhError("csv.cell_too_long", where=f"{name}:{start}", limit=f"{csv.field_size_limit():,}")
    if "expected after" in what:
        return KhError("csv.after_quote", where=f"{name}:{end}")
    return KhError("csv.unreadable_line", where=f"{name}:{end}", error=what)


def csv_rows(text: str, name: str, required: tuple[str, ...], optional: tuple[str, ...] = ()):
    """A CSV reader past its header, and the header, once the header is checked: every
    required column present once, no unknown one. Errors name the file and line 1."""
    import io

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise KhError("csv.empty", where=name, header=",".join(required)) from None
    except csv.Error as e:
        raise _csv_error(str(e), name, 1, reader.line_num) from None
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required + optional]
    if missing or unknown:
        columns = ",".join(required) + "".join(f"[,{c}]" for c in optional)
        if missing:
            raise KhError("csv.missing_columns", where=f"{name}:1", missing=", ".join(missing), columns=columns)
        raise KhError("csv.unknown_columns", where=f"{name}:1", unknown=", ".join(unknown), columns=columns)
    for i, h in enumerate(header):
        if h in header[:i]:
            # Two cells for one column: which one holds the figure would be a guess.
            raise KhError("csv.repeated_column", where=f"{name}:1", column=i + 1, name=h, first=header.index(h) + 1)
    return CsvRows(reader, name), header
