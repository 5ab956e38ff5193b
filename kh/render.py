"""One renderer for every listing: table (for people), csv and json (for scripts).

JSON is one array of objects (``[]`` when empty) with English snake_case keys; CSV is a header
of the same names then rows, UTF-8, with ``--bom`` for Excel. The table is localised and may be
coloured; it is never meant to be parsed.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, TextIO

from kh.i18n import t, value
from kh.periods import local, read_zone, zone_label

STATUS_STYLE = {"met": "green", "not_met": "red", "on_track": "cyan", "behind": "yellow",
                "no_data": "dim", "incomplete": "dim", "overdue": "red", "due_soon": "yellow", "done_on_time": "green",
                "done_late": "magenta"}


def plain(v: Any) -> Any:
    if isinstance(v, Fraction):
        # Counts are exact; percentages are shown to two decimals (rounded exactly, half to even).
        return int(v) if v.denominator == 1 else places(v, 2)
    if isinstance(v, datetime):
        # Stored moments are UTC; scripts get them in the local zone, with the offset (ISO 8601).
        return local(v).isoformat(timespec="seconds")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def places(q: Fraction, n: int) -> Decimal | int:
    """``q`` rounded to ``n`` decimals on exact fractions, trailing zeros dropped: 4.9867 → 4.99."""
    d = Decimal(round(q * 10 ** n)).scaleb(-n)
    return int(d) if d == d.to_integral_value() else d.normalize()


def _json_number(v: Any) -> str:
    """json.dumps cannot write a Decimal: it becomes a marked string, unmarked below."""
    if isinstance(v, Decimal):
        from kh.text import figure_text

        return f"\x00{figure_text(v)}\x00"
    raise TypeError(type(v).__name__)


def _cell(v: Any) -> str:
    if type(v) is str:  # most cells: nothing to convert
        return v
    v = plain(v)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v)
    if isinstance(v, Decimal):
        from kh.text import figure_text

        return figure_text(v)
    return str(v)


# The csv module writes these itself (None as an empty cell; str() of a date is the ISO form
# plain gives; a moment goes through plain, for its zone): a national list has 60,000 cells.
_AS_IS = frozenset({str, int, type(None), date})


def shown_time(v: datetime) -> str:
    """A stored moment as a table shows it: local time to the minute, and the zone
    ("2026-12-03 08:45 +07"), so that it reads beside the local dates."""
    here = local(v)
    return f"{here:%Y-%m-%d %H:%M} {zone_label(here)}"


def render(rows: Iterable[dict], columns: list[str], fmt: str = "table", *, bom: bool = False,
           title: str | None = None, out: TextIO | None = None,
           labels: dict[str, str] | None = None, listing: str | None = None, omit: Iterable[str] = ()) -> None:
    """``columns`` are what csv and json carry, every value whole; the table shows the
    ``listing``'s declared columns (LISTINGS), fitted to the terminal. ``csv`` neutralises text a
    spreadsheet would run as a formula (neutralise_formula); ``csv-raw`` writes every cell
    exactly as stored, for scripts that ask for it."""
    out = out or sys.stdout
    read_zone()
    if fmt == "json":
        data = [{c: plain(r.get(c)) for c in columns} for r in rows]
        text = json.dumps(data, ensure_ascii=False, indent=2, default=_json_number)
        if "\\u0000" in text:  # exact decimals (1.5 ha), written as JSON numbers
            import re

            text = re.sub(r'"\\u0000(-?[0-9.]+)\\u0000"', r"\1", text)
        out.write(text + "\n")
    elif fmt in ("csv", "csv-raw"):
        import io

        buf = io.StringIO()  # one write at the end: a pipe written row by row is slow
        if bom:
            buf.write("\ufeff")
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        if fmt == "csv-raw":
            w.writerows([v if type(v) in _AS_IS else _cell(v) for v in map(r.get, columns)] for r in rows)
        else:
            # Only text is neutralised (a name, a note, a list of names): numbers, negative
            # gaps included, stay numbers.
            w.writerows([(neutralise_formula(v) if v and v[0] in _QUOTABLE else v) if type(v) is str
                          else v if type(v) in _AS_IS
                          else neutralise_formula(_cell(v)) if isinstance(v, (list, tuple))
                          else _cell(v) for v in map(r.get, columns)] for r in rows)
        out.write(buf.getvalue())
    else:
        table(list(rows), columns, listing=listing, title=title, out=out, labels=labels, omit=omit)


# --- tables that fit the terminal ----------------------------------------------------------------
#
# Every listing declares its table once, here: the columns it shows, in order, each with its
# priority — 1 is always shown; when the terminal is too narrow, the columns with the highest number
# go first, all of that number together (columns that only make sense together, a period's start and
# end, share a number). csv and json ignore this: they carry the command's full column list (its
# output contract, next to the command) and every value whole.
LISTINGS: dict[str, dict[str, int]] = {
    "plan.list": {"id": 1, "number": 3, "title": 1, "issuer": 5, "issued_on": 4, "start": 2, "end": 2},
    "plan.show.phases": {"name": 1, "start": 1, "end": 1},
    "plan.show.steps": {"step": 1, "text": 1},
    "plan.show.indicators": {"ref": 1, "name": 1, "kind": 3, "target_text": 2, "measure": 4},
    "plan.show.tasks": {"ref": 1, "assignee": 2, "role": 4, "due": 3, "status": 1, "task": 1},
    "plan.show.deadlines": {"obligation": 1, "assignee": 1, "period": 2, "due": 1, "status": 1,
                            "deadline_text": 3},
    "indicator.list": {"plan": 3, "ref": 1, "name": 1, "kind": 4, "target_text": 2, "measure": 5},
    "task.list": {"plan": 5, "ref": 1, "assignee": 2, "role": 4, "due": 3, "status": 1, "task": 1},
    "deadlines": {"due": 1, "plan": 4, "obligation": 1, "obligation_name": 1, "assignee": 2, "period": 3,
                  "status": 1, "submitted_on": 5},
    "overdue": {"days_overdue": 1, "due": 2, "plan": 3, "obligation": 1, "obligation_name": 1, "period": 1},
    "rates": {"group": 1, "due": 1, "sent_on_time": 2, "sent_late": 2, "missing": 1, "rate_sent": 3,
              "rate_on_time": 1},
    "figures": {"plan": 3, "ref": 1, "unit": 1, "period": 1, "period_start": 7, "period_end": 7,
                "value": 1, "denominator": 2, "note": 6, "recorded_at": 4, "recorded_by": 5},
    "figures.history": {"plan": 3, "ref": 1, "unit": 1, "period": 1, "period_start": 8, "period_end": 8,
                        "value": 1, "denominator": 2, "note": 7, "recorded_at": 4, "recorded_by": 6,
                        "replaced_at": 4, "replaced_by": 5},
    "history": {"at": 1, "by": 3, "what": 2, "action": 2, "plan": 4, "key": 1, "old": 1, "new": 1,
                "reason": 5},
    "gap": {"plan": 1, "ref": 1, "unit_name": 3, "period": 1, "target_text": 4, "value": 2,
            "actual_text": 1, "needed": 5, "status": 1, "reason_text": 3},  # why a row has no verdict
    "unit.list": {"code": 1, "name": 1, "kind": 2, "parent": 3, "valid_from": 4, "valid_to": 4,
                  "successors": 2},
    "unit.find": {"code": 1, "kind": 4, "name": 1, "parent": 5, "parent_name": 3, "valid": 2,
                  "successor_names": 2},
    "admin.list": {"role": 1, "unit": 1, "access": 1, "reports_for": 2},
}

# What a column may do on screen. A code (any column not named below: ids, plan ids, unit codes,
# refs, numbers, periods, dates, counts, shares like "1579 (2/412)") never breaks: its
# column is as wide as its widest cell. A few words (a status: "Hoàn thành đúng hạn") stay on one
# line too, unless the terminal is too narrow even for the columns that must be shown; then they
# wrap at spaces. A name wraps at spaces and is never cut. A text wraps at
# spaces. A title wraps at spaces and, past TITLE_LINES lines, ends with "…" (table only).
NAME, TEXT, TITLE, WORDS = "name", "text", "title", "words"
COLUMN_KIND: dict[str, str] = {
    "assignee": NAME, "unit_name": NAME, "issuer": NAME, "group": NAME, "by": NAME,
    "recorded_by": NAME, "replaced_by": NAME, "successors": NAME, "reports_for": NAME, "to": NAME,
    "parent_name": NAME, "successor_names": NAME,
    "status": WORDS, "kind": WORDS, "role": WORDS, "measure": WORDS,
    "target_text": TEXT, "deadline_text": TEXT, "note": TEXT, "reason": TEXT, "old": TEXT, "new": TEXT,
    "title": TITLE, "name": TITLE, "task": TITLE, "obligation_name": TITLE, "text": TITLE,
    "indicator": TITLE,
}
TITLE_LINES = 3
# The narrowest a wrapping column gets before columns are dropped instead (a name: its longest
# word, at least this): below it a title reads as a list of syllables.
FLOOR = {NAME: 12, TEXT: 16, TITLE: 22}
COMFORT = 30  # a wrapping column this wide reads well; headers on one line come after it
# Columns that hold periods: shown as an office writes them in Vietnamese ("quý II/2021"); in
# English and in csv/json they stay the code people type after --period (2021-Q2).
PERIOD_COLUMNS = frozenset({"period"})
# Columns that hold numbers. In a Vietnamese table their decimal point is a comma ("66,67 %",
# "1,5/2,25"): a Vietnamese reader takes "1.5" for fifteen (the dot separates thousands). Never
# in csv/json/xlsx, which scripts read; kh reads both forms back (kh.text.parse_number).
NUMBER_COLUMNS = frozenset({"value", "denominator", "actual", "actual_text", "gap", "needed", "target",
                            "baseline", "last_value", "last_denominator", "rate_sent", "rate_on_time"})
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def kind_of(column: str) -> str:
    return COLUMN_KIND.get(column, "code")


def shown_period(v: str) -> str:
    """A period cell in the active language: Vietnamese names it, English keeps the code."""
    from kh.i18n import lang

    if lang() != "vi" or not v:
        return v
    from kh.periods import parse_period, period_name

    try:
        return period_name(parse_period(v), "vi")
    except Exception:  # not a single period (a span, a damaged value): shown as it is
        return v


def _width(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.split("\n")), default=0)


def wrap(text: str, width: int, kind: str) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken only at spaces (a word wider than the
    column, which only free text has, is cut into pieces); a title past TITLE_LINES ends in "…"."""
    from rich.cells import cell_len, chop_cells

    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            while cell_len(word) > width:  # a URL in a note: folded, the one case a word breaks
                if line:
                    lines.append(line)
                    line = ""
                head, *_ = chop_cells(word, width)
                lines.append(head)
                word = word[len(head):]
            if not line:
                line = word
            elif cell_len(line) + 1 + cell_len(word) <= width:
                line += " " + word
            else:
                lines.append(line)
                line = word
        lines.append(line)
    if kind == TITLE and len(lines) > TITLE_LINES:
        last = lines[TITLE_LINES - 1]
        while last and cell_len(last) + 1 > width:
            last = last[:-1]
        lines = lines[:TITLE_LINES - 1] + [last.rstrip(" ,;:-–") + "…"]
    return lines


def _header_width(header: str, lines: int) -> int:
    """The narrowest width at which ``header`` takes at most ``lines`` lines (broken at spaces)."""
    w = _longest_word(header)
    while len(wrap(header, w, "code")) > lines:
        w += 1
    return w


def _longest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(w) for w in text.split()), default=0)


class Layout:
    """Which columns a table shows and how wide each is, for one terminal width."""

    def __init__(self, shown: list[int], widths: list[int], dropped: list[int]):
        self.shown, self.widths, self.dropped = shown, widths, dropped


def fit(headers: list[str], cells: list[list[str]], kinds: list[str], priorities: list[int],
        width: int) -> Layout:
    """The rule: codes get their widest cell; headers break only at spaces; wrapping columns get
    at least their floor; while that does not fit ``width``, the least important columns go.
    What is left is shared out below."""
    n = len(headers)
    natural = [max([_width(r[i]) for r in cells] + [0]) for i in range(n)]
    head_word = [_longest_word(h) for h in headers]
    head_line = [_width(h) for h in headers]
    least = []
    for i in range(n):
        if kinds[i] in ("code", WORDS):
            least.append(max(natural[i], head_word[i], 1))
        else:
            words = max([_longest_word(r[i]) for r in cells] + [0])
            floor = max(FLOOR[kinds[i]], words if kinds[i] == NAME else 0)
            least.append(max(min(natural[i], floor), head_word[i], 1))
    shown = list(range(n))

    def room(cols):  # the width left once every shown column has its least and its borders
        return width - sum(least[i] for i in cols) - 3 * len(cols) - 1

    dropped = []
    while room(shown) < 0 and len({priorities[i] for i in shown}) > 1:
        level = max(priorities[i] for i in shown)  # a level goes whole: a start never without its end
        dropped += [i for i in shown if priorities[i] == level]
        shown = [i for i in shown if priorities[i] != level]
    if room(shown) < 0:  # a very narrow terminal: free text down to its longest word, then columns go
        for i in shown:
            if kinds[i] != "code":
                least[i] = max(min(least[i], max([_longest_word(r[i]) for r in cells] + [1])), head_word[i])
        while room(shown) < 0 and len(shown) > 1:
            dropped.append(shown.pop())
    w = {i: least[i] for i in shown}
    spare = room(shown)
    # The room left goes, in turn, to: headers in two lines at most, wrapping columns up to
    # COMFORT cells, headers on one line, wrapping columns up to their widest cell. Headers go
    # most important column first; wrapping columns get equal shares, none past its cap.
    order = sorted(shown, key=lambda i: (priorities[i], i))

    def headers_in(lines: int) -> None:
        nonlocal spare
        for i in order:
            need = _header_width(headers[i], lines) - w[i]
            if 0 < need <= spare:
                w[i] += need
                spare -= need

    def grow(cap) -> None:
        nonlocal spare
        todo = [i for i in shown if kinds[i] != "code" and cap(i) > w[i]]
        while spare > 0 and todo:
            lack = sum(cap(i) - w[i] for i in todo)
            share = max(1, spare // len(todo)) if lack > spare else None
            for i in todo:
                add = min(cap(i) - w[i], spare, share if share else cap(i) - w[i])
                w[i] += add
                spare -= add
            todo = [i for i in todo if cap(i) > w[i]]

    headers_in(2)
    grow(lambda i: min(natural[i], COMFORT))
    headers_in(1)
    grow(lambda i: natural[i])
    return Layout(shown, [w[i] for i in shown], sorted(dropped))


def table(rows: list[dict], columns: list[str] | None = None, *, listing: str | None = None,
          title: str | None = None, out: TextIO | None = None, labels: dict[str, str] | None = None,
          omit: Iterable[str] = (), layout_rows: list[dict] | None = None) -> None:
    """A listing for people, fitted to the terminal (``listing``: its declaration in LISTINGS;
    without one, ``columns`` all at priority 1). ``layout_rows``: the rows the widths are taken
    from, when several tables should line up (grouped_table)."""
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=out or sys.stdout, highlight=False)
    if title:
        console.print(f"[bold]{escape(title)}[/bold]")
    if not rows:
        console.print(t("msg.nothing"))
        return
    declared = LISTINGS[listing] if listing else {c: 1 for c in columns or []}
    cols = [c for c in declared if c not in set(omit)]
    headers = [(labels or {}).get(c) or t(f"col.{c}") for c in cols]
    kinds = [kind_of(c) for c in cols]

    read_zone()

    from kh.i18n import lang

    comma = lang() == "vi"

    def shown(r: dict) -> list[str]:
        return [shown_period(_cell(r.get(c))) if c in PERIOD_COLUMNS
                else _DECIMAL_POINT.sub(",", _cell(r.get(c))) if comma and c in NUMBER_COLUMNS
                else value(c, shown_time(v) if isinstance(v := r.get(c), datetime) else _cell(v)) for c in cols]

    cells = [shown(r) for r in rows]
    basis = cells if layout_rows is None else [shown(r) for r in layout_rows]
    lay = fit(headers, basis, kinds, [declared[c] for c in cols], console.width)
    tab = Table(show_lines=False, box=box.HEAVY_HEAD)
    for i, w in zip(lay.shown, lay.widths):
        tab.add_column(escape("\n".join(wrap(headers[i], w, "code"))), width=w, no_wrap=True)
    for row, r in zip(cells, rows):
        out_row = []
        for i, w in zip(lay.shown, lay.widths):
            text = escape(row[i] if kinds[i] == "code" else "\n".join(wrap(row[i], w, kinds[i])))
            style = STATUS_STYLE.get(r.get("status")) if cols[i] == "status" else None
            out_row.append(f"[{style}]{text}[/{style}]" if style else text)
        tab.add_row(*out_row)
    console.print(tab)
    if lay.dropped:
        console.print(escape(t("msg.columns_hidden", columns=", ".join(headers[i] for i in lay.dropped))),
                      style="dim")


def grouped_table(rows: list[dict], listing: str, group: str, *, title: str | None = None,
                  out: TextIO | None = None) -> None:
    """A table per value of ``group`` (the assignee), in the order the rows come, all with the
    same columns and widths."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out or sys.stdout, highlight=False)
    if title:
        console.print(f"[bold]{escape(title)}[/bold]")
    if not rows:
        console.print(t("msg.nothing"))
        return
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r[group], []).append(r)
    for name, items in groups.items():
        table(items, listing=listing, title=f"{name} — {t('msg.total_late', n=len(items))}", out=out,
              layout_rows=rows)


# --- files: formula neutralising, atomic writes, .xlsx -------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_QUOTABLE = _FORMULA_START + ("'",)  # a text starting so may need the apostrophe (below)


def _formula_like(text: str) -> bool:
    """A formula start, after any apostrophes: what gets (one more) apostrophe."""
    bare = text.lstrip("'")
    return bool(bare) and bare[0] in _FORMULA_START


def neutralise_formula(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM``)
    gets a leading apostrophe, so Excel and LibreOffice show it as the text it is (OWASP's rule).
    A text that already starts with apostrophes before such a start (``'=x``) gets one too, so
    that ``restore_formula`` gives back exactly what was stored: a csv import round-trips."""
    if text and text[0] in _QUOTABLE and _formula_like(text):
        return "'" + text
    return text


def restore_formula(text: str) -> str:
    """The inverse of ``neutralise_formula`` (``kh record import`` reading ``kh figures -f csv``)."""
    if text[:1] == "'" and _formula_like(text[1:]):
        return text[1:]
    return text


def write_atomic(path, write, *, binary: bool = True) -> None:
    """Write ``path`` through ``write(temporary path)``, then rename: a refused or interrupted
    write leaves nothing half-written, and an existing file stays as it was."""
    import os
    import tempfile
    from pathlib import Path

    from kh.errors import KhError

    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise KhError("file.is_folder", where=str(path))
    if path.exists() and not path.is_file():
        # A device or a pipe (/dev/stdout, a fifo): written into; renaming over it would replace
        # the device itself with a plain file.
        try:
            write(path)
        except OSError as e:
            raise KhError("file.cannot_write", where=str(path), reason=e.strerror) from None
        return
    if not folder.is_dir():
        raise KhError("file.no_folder", where=str(path), folder=folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as e:
        raise KhError("file.cannot_write", where=str(path), reason=e.strerror) from None
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except OSError as e:
        raise KhError("file.cannot_write", where=str(path), reason=e.strerror) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path, text: str) -> None:
    def put(tmp):
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    write_atomic(path, put)


# Characters Excel refuses in a sheet name, and its length limit.
_SHEET_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(name: str) -> str:
    return " ".join(name.translate(_SHEET_BAD).split())[:31] or "Sheet1"


def _xlsx_value(v: Any, pct: bool):
    """(value, number format) for one cell: numbers numeric, dates dates, text text."""
    if v is None:
        return None, None
    if isinstance(v, bool):
        return v, None
    if isinstance(v, Fraction):
        if v.denominator == 1:
            v = int(v)
        else:  # a computed share or gap: exact to ten places, shown to two, no float
            v = places(v, 10)
            return (v / 100, "0.00%") if pct else (v, "#,##0.00")
    if isinstance(v, Decimal):
        if pct:
            return v / 100, "0.00%"
        shown = -v.as_tuple().exponent  # a figure keeps the places its indicator declares
        return v, "#,##0" + ("." + "0" * min(max(shown, 0), 10) if shown > 0 else "")
    if isinstance(v, (int, float)):
        if pct:  # kh's percentages are 0–100; a percent cell holds the fraction
            return v / 100, "0.00%"
        return v, ("#,##0" if isinstance(v, int) else "#,##0.00")
    if isinstance(v, datetime):  # local time: a spreadsheet cell has no zone
        return local(v).replace(tzinfo=None), "dd/mm/yyyy hh:mm"
    if isinstance(v, date):
        return v, "dd/mm/yyyy"
    if isinstance(v, (list, tuple)):
        v = "; ".join(str(x) for x in v)
    return str(v), "@"


def xlsx_sheet(ws, rows: list[dict], columns: list[str], *, title: str | None = None,
               headers: list[str] | None = None, percent=None) -> None:
    """Fill one worksheet: a bold frozen header, typed cells (codes stay text, leading zeros
    kept), fitted widths, and A4 landscape printing with the header row on every page."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from kh.i18n import lang

    # English headers are the CSV's names (kh record import reads them back); Vietnamese ones
    # are the table's words, which import reads too.
    headers = headers or ([t(f"col.{c}") for c in columns] if lang() == "vi" else list(columns))
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [len(h) for h in headers]
    top = Alignment(vertical="top", wrap_text=True)
    first_line = Alignment(vertical="top")
    for r in rows:
        out = []
        for i, c in enumerate(columns):
            v = r.get(c)
            pct = bool(percent and percent(r, c)) or c.startswith("rate_")
            val, fmt = _xlsx_value(v, pct)
            out.append((val, fmt))
            shown = len(_cell(v)) + (1 if pct else 0)
            widths[i] = max(widths[i], min(shown, 60))
        ws.append([val for val, _ in out])
        row = ws.max_row
        for i, (val, fmt) in enumerate(out, start=1):
            cell = ws.cell(row=row, column=i)
            if isinstance(val, str):
                cell.data_type = "s"  # stored as text, never as a formula
                if neutralise_formula(val) != val:
                    # Text a spreadsheet would take for a formula once a clerk edits the cell:
                    # Excel's own quote prefix keeps it text and shows it unchanged ("=", "-5").
                    cell.quotePrefix = True
            if fmt:
                cell.number_format = fmt
            cell.alignment = top if isinstance(val, str) and len(val) > 20 else first_line
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(6, min(w, 50)) + 2
    # Neither openpyxl nor every spreadsheet sizes a row to its wrapped text: give each row the
    # lines its longest cell needs, so nothing is cut off on screen or on paper.
    for row in ws.iter_rows(min_row=2):
        lines = max((-(-len(c.value) // max(min(widths[c.column - 1], 50), 6)) for c in row
                     if isinstance(c.value, str) and c.value), default=1)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15 * lines
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions if rows else None
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    if title:
        ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddFooter.center.text = "&P / &N"


def xlsx(rows: list[dict], columns: list[str], path, *, sheet: str = "kh", title: str | None = None,
         percent=None) -> None:
    """The listing as a one-sheet workbook at ``path`` (written whole, then renamed)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(sheet)
    xlsx_sheet(ws, list(rows), columns, title=title or sheet, percent=percent)
    write_atomic(path, wb.save)


def annex_xlsx(rep, path, *, charts: dict[str, bytes] | None = None) -> None:
    """The report's annex (phụ lục): the chỉ tiêu, the tasks per assignee and the reporting
    discipline as typed sheets, and the progress charts as pictures on a sheet of their own."""
    import io

    from openpyxl import Workbook
    from openpyxl.drawing.image import Image

    from kh.papers import TASK_GROUPS

    title = f"Phụ lục: {rep.title}"
    pct_refs = {i.ref for i in rep.plan.indicators if i.unit == "percent"}
    wb = Workbook()
    ws = wb.active
    ws.title = "Chỉ tiêu"
    rows = [dict(stt=n, ref=t.ref, indicator=t.name, target_text=t.target_text, value=t.row.get("value"),
                 denominator=t.row.get("denominator"), actual=t.row.get("actual"), target=t.row.get("target"),
                 gap=t.row.get("gap"), verdict=t.verdict, units_expected=t.row.get("units_expected"),
                 units_reported=t.row.get("units_reported"))
            for n, t in enumerate(rep.targets, start=1)]
    # The verdict in words, not kh gap's status codes (met, no_data): the annex is a paper.
    cols = ["stt", "ref", "indicator", "target_text", "value", "denominator", "actual", "target", "gap",
            "verdict", "units_expected", "units_reported"]
    heads = ["STT", "Mục", "Chỉ tiêu", "Chỉ tiêu giao", "Số liệu", "Trên tổng", "Thực hiện", "Chỉ tiêu (số)",
             "Còn thiếu", "Đánh giá", "Đơn vị phải báo cáo", "Đơn vị đã báo cáo"]
    xlsx_sheet(ws, rows, cols, title=title, headers=heads,
               percent=lambda r, c: c in ("actual", "target", "gap") and r["ref"] in pct_refs)
    ws = wb.create_sheet("Nhiệm vụ")
    task_cols = ["stt", "assignee"] + [g for g, _ in TASK_GROUPS] + ["total"]
    xlsx_sheet(ws, [dict(stt=n, **r) for n, r in enumerate(rep.tasks, start=1)], task_cols, title=title,
               headers=["STT", "Cơ quan, đơn vị"] + [label for _, label in TASK_GROUPS] + ["Tổng"])
    ws = wb.create_sheet("Chế độ báo cáo")
    xlsx_sheet(ws, [dict(stt=n, **r) for n, r in enumerate(rep.reports, start=1)],
               ["stt", "assignee", "due", "on_time", "late", "missing", "rate_sent", "rate_on_time"], title=title,
               headers=["STT", "Cơ quan, đơn vị", "Đến hạn", "Đúng hạn", "Quá hạn", "Chưa gửi", "Tỷ lệ đã gửi",
                        "Tỷ lệ đúng hạn"])
    if charts:
        ws = wb.create_sheet("Biểu đồ")
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
        row = 1
        for t in rep.targets:
            png = charts.get(t.ref)
            if not png:
                continue
            ws.cell(row=row, column=1, value=f"{t.ref}. {t.name}").data_type = "s"
            img = Image(io.BytesIO(png))
            img.width, img.height = img.width * 0.45, img.height * 0.45
            ws.add_image(img, f"A{row + 1}")
            row += 20
    write_atomic(path, wb.save)


# The signable overdue list as a page to print (Chromium, a browser's Print): the same header,
# motto and signature as the Word papers. Times New Roman first (Nghị định 30/2020); on Linux the
# metric-compatible faces that hold every Vietnamese letter, so no letter falls back to a sans.
PAPER_FONTS = '"Times New Roman", "Liberation Serif", Tinos, "Noto Serif", serif'
_PAPER_CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm;
        @bottom-center { content: "Trang " counter(page) "/" counter(pages); font: 11pt FONTS; } }
body { font-family: FONTS; font-size: 13pt; color: #000; margin: 0; line-height: 1.25; }
.head { display: grid; grid-template-columns: 40% 60%; text-align: center; margin-bottom: 6mm; }
.head p { margin: 0; }
.rule { width: 30%; margin: 1mm auto 2mm; border-top: 0.8pt solid #000; }
.head .right .rule { width: 55%; }
.upper { text-transform: uppercase; }
.date { font-style: italic; margin-top: 2mm !important; }
h1 { font-size: 14pt; text-align: center; margin: 4mm 0 1mm; }
.asof { text-align: center; font-style: italic; margin: 0 0 4mm; }
table.list { width: 100%; border-collapse: collapse; font-size: 12pt; }
table.list thead { display: table-header-group; }
table.list th, table.list td { border: 0.6pt solid #000; padding: 1mm 1.5mm; vertical-align: top; }
table.list th { font-weight: bold; text-align: center; }
table.list tr { break-inside: avoid; page-break-inside: avoid; }
td.n { text-align: center; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
td.day { white-space: nowrap; text-align: center; }
tr.group td { font-weight: bold; background: #f2f2f2; }
tr.sub td { font-style: italic; }
tr.sub td.label, tr.total td.label { text-align: left; }
tr.total td { font-weight: bold; }
small { font-size: 11pt; font-style: italic; }
tbody.end, tbody.keep { break-inside: avoid; page-break-inside: avoid; }
tbody.end td.sign { border: none; padding: 6mm 0 0; }
.sign-grid { display: grid; grid-template-columns: 50% 50%; }
.to { font-size: 11pt; }
.to p { margin: 0; }
.to .label { font-size: 12pt; font-weight: bold; font-style: italic; }
.signer { text-align: center; }
.signer p { margin: 0; }
.signer .space { height: 24mm; }
@media screen { body { max-width: 165mm; margin: 10mm auto; } }
""".replace("FONTS", PAPER_FONTS)


def html_overdue_paper(lst) -> str:
    """One self-contained page: header and motto, one table with STT, an agency's group row and
    subtotal, Vietnamese period names, the plan's title, "Trang x/y", the header row repeated on
    each page, and the signature kept with the last rows (they share an unbreakable block)."""
    from html import escape as e

    h = lst.head
    head = ""
    if h is not None:
        left = (f'<p class="upper">{e(h.parent)}</p>' if h.parent else "") + \
            f'<p class="upper"><strong>{e(h.issuer)}</strong></p><div class="rule"></div>' \
            f'<p>{e(h.number).replace(" ", "&nbsp;")}</p>'
        right = (f"<p><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong></p>"
                 f"<p><strong>Độc lập - Tự do - Hạnh phúc</strong></p><div class=\"rule\"></div>"
                 f'<p class="date">{e(h.place_date)}</p>')
        head = f'<div class="head"><div class="left">{left}</div><div class="right">{right}</div></div>'
    cols = ("STT", "Nội dung", "Kế hoạch", "Kỳ", "Hạn", "Số ngày quá hạn")
    parts = ['<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">',
             f"<title>{e(lst.title.capitalize())} — {lst.as_of:%d/%m/%Y}</title><style>{_PAPER_CSS}</style></head>",
             f"<body>{head}<h1>{e(lst.title)}</h1>",
             f'<p class="asof">(Tính đến ngày {lst.as_of:%d/%m/%Y})</p>',
             '<table class="list"><colgroup><col style="width:9mm"><col><col style="width:44mm">'
             '<col style="width:22mm"><col style="width:22mm"><col style="width:20mm"></colgroup><thead><tr>',
             "".join(f"<th>{c}</th>" for c in cols), "</tr></thead>"]

    def row(line) -> str:
        what = e(line.what) + (f"<br><small>{e(line.deadline_text)}</small>" if line.deadline_text else "")
        return (f'<tr><td class="n">{line.stt}</td><td>{what}</td><td>{e(line.plan)}</td><td>{e(line.period)}</td>'
                f'<td class="day">{line.due}</td><td class="num">{line.days}</td></tr>')

    body = []
    for name, lines in lst.groups:
        # An agency's name row and its first row are one block (tbody.keep): the name never
        # ends a page alone.
        first = row(lines[0]) if lines else ""
        body.append(f'\0<tr class="group"><td colspan="6">{e(name)}</td></tr>{first}')
        body += [row(x) for x in lines[1:]]
        body.append(f'<tr class="sub"><td></td><td colspan="4" class="label">Cộng {e(name)}</td><td class="num">{len(lines)}</td></tr>')
    if not body:
        body.append('<tr><td colspan="6">Không có báo cáo, nhiệm vụ nào quá hạn.</td></tr>')
    # The last rows and the signature share one block that never breaks across pages.
    keep = 3 if len(body) > 3 else len(body)
    run: list[str] = []
    for chunk in body[:-keep] if len(body) > keep else []:
        if chunk.startswith("\0"):
            parts.append("<tbody>" + "".join(run) + "</tbody>" if run else "")
            parts.append('<tbody class="keep">' + chunk[1:] + "</tbody>")
            run = []
        else:
            run.append(chunk)
    parts.append("<tbody>" + "".join(run) + "</tbody>" if run else "")
    sign = ""
    if h is not None:
        to = "".join(f"<p>- {e(r)}</p>" for r in h.recipients)
        sign = (f'<tr><td colspan="6" class="sign"><div class="sign-grid"><div class="to"><p class="label">Nơi nhận:</p>{to}</div>'
                f'<div class="signer"><p><strong>{e(h.signer_title)}</strong></p><p><em>(Ký tên, đóng dấu)</em></p>'
                f'<div class="space"></div><p><strong>{e(h.signer_name)}</strong></p></div></div></td></tr>')
    parts.append('<tbody class="end">' + "".join(c.lstrip("\0") for c in body[-keep:]) +
                 f'<tr class="total"><td></td><td colspan="4" class="label">Tổng cộng</td><td class="num">{lst.total}</td></tr>'
                 + sign + "</tbody></table></body></html>\n")
    return "".join(parts)
