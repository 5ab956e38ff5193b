"""Recorded figures before they reach the store: strict parsing and the rules a figure must
keep. Pure functions; ``as_of`` is passed in.

Rules (docs/gap.md explains them):
- counts are whole numbers (``kh.text.parse_count``);
- a share (and milestones of a share) is recorded as numerator out of a positive denominator,
  the numerator never above it; other kinds take no denominator;
- a period may precede the plan (a baseline year) but may not lie in the future.
"""

from __future__ import annotations

from functools import lru_cache
from datetime import date
from operator import itemgetter

from kh.errors import KhError
from kh.i18n import Msg
from kh.model import Indicator, Plan
from kh.periods import Period, bounds, parse_period
from decimal import Decimal

from kh.text import csv_rows, nfc, parse_number
from kh.text import figure_text as number_text

COLUMNS = ("plan", "ref", "unit", "period", "value", "denominator", "note")
# What ``kh figures`` prints besides: derived or written by kh itself, so an import of its csv
# skips them (each figure is recorded anew, now, by whoever imports it).
READ_ONLY = ("period_start", "period_end", "recorded_at", "recorded_by", "replaced_at", "replaced_by")


class NewFigure:
    """A figure to record. ``label`` and ``months`` (first and last month, year × 12 + month − 1)
    are derived once: an import checks hundreds of thousands of these."""

    __slots__ = ("plan", "ref", "unit", "period", "value", "denominator", "note", "where", "label", "months",
                 "pending")

    def __init__(self, plan: str, ref: str, unit: str, period: Period, value: "int | Decimal",
                 denominator: "int | Decimal | None" = None, note: str | None = None, where: str = "",
                 pending: dict | None = None, derived: "tuple[str, tuple[int, int]] | None" = None):
        self.plan, self.ref, self.unit, self.period = plan, ref, unit, period
        self.value, self.denominator, self.note, self.where = value, denominator, note, where
        # ``derived``: ``_derived(period)``, when the caller has it (read_csv keeps it per period
        # text: a Period's hash is a Python call, 0.3 µs a figure).
        self.label, self.months = derived or _derived(period)
        # A number that is not whole digits ("1,5", or a spreadsheet's 1.5): whether it is
        # allowed depends on the indicator's decimals, known only when the plan is read.
        # column → (raw text or Decimal, where to name in a refusal); ``resolve`` parses it.
        self.pending = pending

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.plan, self.ref, self.unit, self.label)


@lru_cache(maxsize=4096)
def _derived(p: Period) -> tuple[str, tuple[int, int]]:
    return str(p), month_index(p)


@lru_cache(maxsize=4096)
def month_index(p: Period) -> tuple[int, int]:
    return p.year * 12 + p.first_month - 1, p.year * 12 + p.last_month - 1


def resolve(f: NewFigure, decimals: int | None) -> None:
    """Parse the numbers left pending against the indicator's ``decimals`` (kh.text.parse_number):
    "1,5" is one and a half where the plan allows a decimal place, refused for a count."""
    if not f.pending:
        return
    for col, (raw, where) in f.pending.items():
        try:
            number = parse_number(raw, decimals)
        except KhError as e:
            raise e.at(where) from None
        setattr(f, col, number)
    f.pending = None


def scaled(v: "int | Decimal | None", decimals: int | None) -> int | None:
    """A figure as the store keeps it: an integer, × 10^decimals (exact: ``v`` has at most that
    many places once checked)."""
    if v is None or not decimals:
        return v  # type: ignore[return-value]
    return int(v.scaleb(decimals)) if isinstance(v, Decimal) else v * 10 ** decimals


def unscaled(v: int | None, decimals: int | None) -> "int | Decimal | None":
    """A stored integer back as the figure it is: 150 with 2 decimals → Decimal("1.50")."""
    if v is None or not decimals:
        return v
    return Decimal(int(v)).scaleb(-decimals)


def takes_denominator(ind: Indicator) -> bool:
    return ind.kind == "share" or (ind.kind == "milestones" and ind.of == "share")


def check(f: NewFigure, plan: Plan, ind: Indicator, as_of: date) -> None:
    """Refuse a figure that breaks the rules for its indicator and date."""
    resolve(f, ind.decimals)
    where = f.where or "VALUE"
    if ind.denominator_measure == "fixed":  # the plan gives the whole: entries are numerators
        if f.denominator is not None:
            from kh.model import number_text as plan_number

            raise KhError("figure.fixed_denominator", where=where, ref=f.ref, whole=plan_number(ind.denominator_value))
    elif takes_denominator(ind):
        if f.denominator is None:
            raise KhError("figure.share_needs_denominator", where=where, ref=f.ref, target=ind.target_text)
        if f.denominator <= 0:
            raise KhError("figure.denominator_not_positive", where=where)
        if f.value > f.denominator:
            raise KhError("figure.over_100", where=where, value=number_text(f.value),
                          denominator=number_text(f.denominator))
    elif f.denominator is not None:
        raise KhError("figure.no_denominator", where=where, ref=f.ref, kind=Msg(f"kind.{ind.kind}"))
    start, _ = bounds(f.period, plan.cutoff_day)
    if start > as_of:
        raise KhError("figure.future", where=f.where or "--period", period=f.period, start=start, as_of=as_of)


def _clean(v: str | None) -> str:
    v = (v or "").strip()
    return v if v.isascii() else nfc(v)


def parse_row(cells: dict[str, str], where: str, names: dict[str, str] | None = None,
              line: int | None = None) -> NewFigure:
    """One CSV row (or command line) of text → a figure, every cell checked strictly.

    Errors say ``where:line: column``, or the name in ``names`` (``--of`` for the denominator)."""
    values = [_clean(cells.get(col)) for col in COLUMNS]
    if line is not None:
        where = f"{where}:{line}"
    return _figure(values, where, names)


def _figure(values: list[str], where: str, names: dict[str, str] | None) -> NewFigure:
    plan, ref, unit, period_s, value_s, den_s, note = values

    def at(col: str) -> str:
        return names[col] if names else f"{where}: {col}"

    for col, v in (("plan", plan), ("ref", ref), ("unit", unit), ("period", period_s), ("value", value_s)):
        if isinstance(v, str) and not v:
            raise KhError("cell.empty", where=at(col))
    try:
        period = parse_period(period_s)
    except KhError as e:
        raise e.at(at("period")) from None
    counts: list = []
    pending: dict = {}
    for col, v in (("value", value_s), ("denominator", den_s)):
        if isinstance(v, str) and not v:
            counts.append(None)
        elif isinstance(v, str) and v.isascii() and v.isdigit() and len(v) <= 15:
            counts.append(int(v))
        else:  # "1,5", a spreadsheet's 1.5, or something wrong: the indicator decides
            counts.append(0)
            pending[col] = (v, at(col))
    return NewFigure(plan, ref, unit, period, counts[0], counts[1], note or None, where if not names else "",
                     pending or None)


def read_csv(text: str, name: str, ignored: list[str] | None = None) -> list[NewFigure]:
    """CSV with the INTERFACE columns, every cell checked; rows repeating a plan/ref/unit/period
    are refused when recorded (kh.store.figure_rows.record), with both lines named. The columns
    ``kh figures -f csv`` adds (``READ_ONLY``) are skipped, their names put in ``ignored``; a
    note that ``-f csv`` protected from spreadsheets (``'=…``) is read back as it was stored."""
    from kh.render import restore_formula

    reader, header = csv_rows(text, name, COLUMNS[:5], COLUMNS[5:], READ_ONLY)
    if ignored is not None:
        ignored.extend(c for c in header if c in READ_ONLY)
    plain = _plain_figures(text, header, name, restore_formula)
    if plain is not None:
        return plain
    return _csv_figures(reader, header, text, name, restore_formula)


def _csv_figures(reader, header: list[str], text: str, name: str, restore_formula) -> list[NewFigure]:
    """``read_csv`` through the csv reader: any file."""
    width = len(header)
    # Where each column sits in a row; an optional column that is absent reads as empty.
    pick = [header.index(c) if c in header else None for c in COLUMNS]
    # With every column present, one C-level call picks and strips a row (200,000 rows).
    get = itemgetter(*pick) if None not in pick else None
    # Asked once of the whole text rather than of each row: nothing to normalise anywhere.
    ascii_text = text.isascii()
    # Period text → (Period, its label and months), or None where the text is no period: the
    # usual file repeats a few periods in every row (its fallback, ``_figure``, says why).
    periods: dict[str, tuple | None] = {}
    where = name + ":"
    out: list[NewFigure] = []
    append = out.append
    for row in reader:
        if len(row) != width:
            if not any(c.strip() for c in row):
                continue
            raise KhError("csv.cell_count", where=f"{name}:{reader.line_num}", cells=len(row), header=width)
        if ascii_text or "".join(row).isascii():  # the usual case: nothing to normalise
            values = list(map(str.strip, get(row))) if get else [row[i].strip() if i is not None else ""
                                                                 for i in pick]
        else:
            values = [_clean(row[i]) if i is not None else "" for i in pick]
        plan, ref, unit, period_s, value_s, den_s, note = values
        if note[:1] == "'":
            values[6] = note = restore_formula(note)
        if plan and ref and unit and value_s.isdigit() and len(value_s) <= 15 and value_s.isascii() \
                and (not den_s or (den_s.isdigit() and len(den_s) <= 15 and den_s.isascii())):
            # The usual row, without the checks that only explain what is wrong.
            p = periods.get(period_s, False)
            if p is False:
                p = _remember_period(periods, period_s)
            if p is not None:
                append(NewFigure(plan, ref, unit, p[0], int(value_s), int(den_s) if den_s else None, note or None,
                                 where + str(reader.line_num), None, p[1]))
                continue
        elif not any(values):
            continue
        append(_figure(values, where + str(reader.line_num), None))
    return out


def _remember_period(periods: dict, period_s: str) -> tuple | None:
    """``periods[period_s]``, read the first time a file names it: (Period, its label and
    months), or None where the text is no period (the strict path, ``_figure``, says why)."""
    try:
        period = parse_period(period_s)
        p = periods[period_s] = (period, _derived(period))
    except KhError:
        p = periods[period_s] = None
    return p


# A data line of the usual file (``kh figures -f csv`` without its read-only columns, or a
# spreadsheet's export): ASCII, no quotes, no spaces or control characters in the first six
# cells, whole numbers, a note without quotes or commas. Any other line sends the whole file
# through the csv reader; tests/core/test_import_fast.py checks both ways read the same figures.
_CELL = r'[^\x00-\x20,"\x7f]{1,1000}'
_PLAIN_LINE = _CELL + "," + _CELL + "," + _CELL + "," + _CELL + r',([0-9]{1,15}),([0-9]{0,15}),([^\x00\r\n,"]{0,1000})\r?$'
_PLAIN = None


def _plain_figures(text: str, header: list[str], name: str, restore_formula,
                   chunk: int = 1_000_000) -> list[NewFigure] | None:
    """``read_csv`` by one regular expression in C, when the file is plain enough that each
    line's cells are exactly what the csv reader and ``_clean`` would give (the note is stripped
    here); else None, before any line that is not (a 200,000-row import spent a third of its time
    reading rows one by one). ``chunk`` characters at a time (whole lines): the matches of the
    whole file at once would hold every cell of every row (100 MB) before the first figure."""
    global _PLAIN
    if header != list(COLUMNS) or not text.isascii() or '"' in text:
        return None
    start = text.find("\n") + 1
    # The header must end at the first line break, as the csv reader ends it (a lone \r ends
    # a line there too).
    if not start or text.find("\r", 0, start - 2) >= 0:
        return None
    if _PLAIN is None:
        import re

        _PLAIN = re.compile("^" + _PLAIN_LINE.replace(_CELL, "(" + _CELL + ")"), re.MULTILINE)
    periods: dict[str, tuple | None] = {}
    where = name + ":"
    out: list[NewFigure] = []
    append = out.append
    line, size = 2, len(text)
    while start < size:
        end = text.find("\n", start + chunk) + 1 or size
        rows = _PLAIN.findall(text, start, end)
        # Each match is one whole line (anchored at both ends, no cell crosses a line): as many
        # matches as lines means every line matched. The last line may lack its line break.
        if len(rows) != text.count("\n", start, end) + (end == size and not text.endswith("\n")):
            return None
        for n, (plan, ref, unit, period_s, value_s, den_s, note) in enumerate(rows, line):
            if note:
                note = note.strip()
                if note[:1] == "'":
                    note = restore_formula(note)
            p = periods.get(period_s, False)
            if p is False:
                p = _remember_period(periods, period_s)
            if p is None:  # not a period: the strict path says why
                append(_figure([plan, ref, unit, period_s, value_s, den_s, note], where + str(n), None))
            else:
                append(NewFigure(plan, ref, unit, p[0], int(value_s), int(den_s) if den_s else None, note or None,
                                 where + str(n), None, p[1]))
        line += len(rows)
        start = end
    return out


def read_xlsx(path: str, name: str | None = None, ignored: list[str] | None = None) -> list[NewFigure]:
    """The first sheet of a workbook, with the CSV's columns (or their Vietnamese headers, as
    ``kh figures -f xlsx --lang vi`` writes them). Numbers may be number cells; codes, refs and
    periods must be text (a number cell has lost its leading zeros, a date cell its period)."""
    from zipfile import BadZipFile

    name = name or str(path)
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise KhError("file.missing", where=name) from None
    except (BadZipFile, KeyError, ValueError, OSError) as e:
        if getattr(e, "strerror", None):
            raise KhError("file.cannot_read", where=name, reason=e.strerror) from None
        raise KhError("xlsx.unreadable", where=name) from None
    except Exception as e:  # openpyxl's InvalidFileException and the like: a file it cannot read
        raise KhError("xlsx.unreadable_because", where=name, reason=type(e).__name__) from None
    try:
        ws = wb.worksheets[0]
        return sheet_figures(ws.iter_rows(values_only=True), name, ws.title, ignored)
    finally:
        wb.close()


def _header_names(columns) -> dict[str, str]:
    """Folded header text → column, for ``columns``: their English names and their Vietnamese
    and English table words (what ``kh figures`` prints as headers)."""
    from kh.i18n import lookup
    from kh.text import fold

    names = {fold(c): c for c in columns}
    for c in columns:
        for lang in ("vi", "en"):
            word = lookup(f"col.{c}", lang)
            if word is not None:
                names.setdefault(fold(word), c)
    return names


def sheet_figures(rows, name: str, sheet: str, ignored: list[str] | None = None) -> list[NewFigure]:
    """Rows of cell values (the first the header) → figures, every cell checked; a refusal names
    the file, the sheet, the row and the column (``thang6.xlsx [Số liệu] row 5, column D (period)``).
    The columns ``kh figures -f xlsx`` adds are skipped, their headers put in ``ignored``."""
    from datetime import datetime, time

    from kh.text import fold

    def col_letter(i: int) -> str:
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    rows = iter(rows)
    place = f"{name} [{sheet}]"
    try:
        head = next(rows)
    except StopIteration:
        raise KhError("xlsx.empty", where=place, header=",".join(COLUMNS[:5])) from None
    known = _header_names(COLUMNS)
    header = [known.get(fold(str(h).strip())) if h is not None else None for h in head]
    while header and header[-1] is None and head[len(header) - 1] is None:
        header.pop()
    extra = _header_names(READ_ONLY)  # the columns kh figures adds: left out on import
    skipped = [str(h) for h, c in zip(head, header) if c is None and h is not None and fold(str(h).strip()) in extra]
    if ignored is not None:
        ignored.extend(skipped)
    unknown = [str(h) for h, c in zip(head, header) if c is None and str(h) not in skipped]
    missing = [c for c in COLUMNS[:5] if c not in header]
    if missing or unknown:
        cols = ",".join(COLUMNS[:5]) + "".join(f"[,{c}]" for c in COLUMNS[5:])
        if missing:
            raise KhError("csv.missing_columns", where=f"{place} row 1", missing=", ".join(missing), columns=cols)
        raise KhError("csv.unknown_columns", where=f"{place} row 1", unknown=", ".join(unknown), columns=cols)
    pick = {c: header.index(c) for c in COLUMNS if c in header}
    out: list[NewFigure] = []
    for n, row in enumerate(rows, start=2):
        if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        where = f"{place} row {n}"
        at = {c: f"{where}, column {col_letter(i)} ({c})" for c, i in pick.items()}
        values = []
        for c in COLUMNS:
            v = row[pick[c]] if c in pick and pick[c] < len(row) else None
            if v is None:
                values.append("")
            elif isinstance(v, bool):
                raise KhError("xlsx.bool_cell", where=at[c], value=v, column=c)
            elif isinstance(v, (datetime, date, time)):
                shown = v.isoformat()[:10] if not isinstance(v, time) else v.isoformat()
                raise KhError("xlsx.date_cell_period" if c == "period" else "xlsx.date_cell", where=at[c],
                              value=shown, column=c)
            elif isinstance(v, (int, float)):
                if c in ("plan", "ref", "unit"):
                    raise KhError("xlsx.number_code", where=at[c], value=f"{v:g}")
                if isinstance(v, float) and not v.is_integer():
                    # The shortest decimal that is this float: 1.5 stays 1.5, and 1.0000000001
                    # keeps its places, for the indicator's decimals to accept or refuse.
                    values.append(Decimal(repr(v)) if v == v and abs(v) != float("inf") else repr(v))
                else:
                    values.append(str(int(v)))
            else:
                values.append(_clean(str(v)))
        names = {c: at.get(c, f"{where}: {c}") for c in COLUMNS}
        f = _figure(values, where, names)
        f.where = where
        out.append(f)
    return out
