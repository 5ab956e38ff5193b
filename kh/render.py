"""One renderer for every listing: table (for people), csv and json (for scripts).

JSON is one array of objects (``[]`` when empty) with English snake_case keys; CSV is a header
of the same names then rows, UTF-8, with ``--bom`` for Excel. The table is localised and may be
coloured; it is never meant to be parsed.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from fractions import Fraction
from typing import Any, Iterable, TextIO

from kh.i18n import t, value

STATUS_STYLE = {"met": "green", "not_met": "red", "on_track": "cyan", "behind": "yellow",
                "no_data": "dim", "incomplete": "dim", "overdue": "red", "due_soon": "yellow", "done_on_time": "green",
                "done_late": "magenta"}


def plain(v: Any) -> Any:
    if isinstance(v, Fraction):
        # Counts are exact; percentages are shown to two decimals.
        return int(v) if v.denominator == 1 else round(float(v), 2)
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


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
    return str(v)


# The csv module writes these itself (None as an empty cell; str() of a date or datetime is the
# ISO form plain gives): a national list has 60,000 cells.
_AS_IS = frozenset({str, int, type(None), date, datetime})


def render(rows: Iterable[dict], columns: list[str], fmt: str = "table", *, bom: bool = False,
           title: str | None = None, out: TextIO | None = None,
           labels: dict[str, str] | None = None) -> None:
    """``csv`` neutralises text a spreadsheet would run as a formula (neutralise_formula);
    ``csv-raw`` writes every cell exactly as stored, for scripts that ask for it."""
    out = out or sys.stdout
    if fmt == "json":
        data = [{c: plain(r.get(c)) for c in columns} for r in rows]
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
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
            w.writerows([(neutralise_formula(v) if v and v[0] in _FORMULA_START else v) if type(v) is str
                          else v if type(v) in _AS_IS
                          else neutralise_formula(_cell(v)) if isinstance(v, (list, tuple))
                          else _cell(v) for v in map(r.get, columns)] for r in rows)
        out.write(buf.getvalue())
    else:
        table(list(rows), columns, title=title, out=out, labels=labels)


def table(rows: list[dict], columns: list[str], *, title: str | None = None,
          out: TextIO | None = None, labels: dict[str, str] | None = None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=out or sys.stdout, highlight=False)
    if not rows:
        if title:
            console.print(f"[bold]{title}[/bold]")
        console.print(t("nothing"))
        return
    cells = [[escape(value(c, _cell(r.get(c)))) for c in columns] for r in rows]
    widest = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    # Codes, dates and statuses stay on one line while they leave room for the long texts;
    # on a narrow terminal everything may wrap rather than be cut off.
    headers = [(labels or {}).get(c) or t(c) for c in columns]
    short = [w <= 14 for w in widest]
    # A column kept on one line is as wide as its header too.
    widest = [max(w, len(h)) if s else w for w, h, s in zip(widest, headers, short)]
    floor = [min(w, 12) for w in widest]  # a long text never shrinks to nothing
    keep = sum((w if s else f) + 3 for w, s, f in zip(widest, short, floor)) <= console.width
    tab = Table(title=title, title_justify="left", show_lines=False)
    for i, header in enumerate(headers):
        if (short[i] and keep) or columns[i] == "status":  # a status is never split
            tab.add_column(header, no_wrap=True, min_width=widest[i])
        else:
            tab.add_column(header, overflow="fold", ratio=min(widest[i], 60) or 1,
                           min_width=floor[i] if keep else None)
    if "status" in columns:
        k = columns.index("status")
        for row, r in zip(cells, rows):
            style = STATUS_STYLE.get(r.get("status"))
            if style:
                row[k] = f"[{style}]{row[k]}[/{style}]"
    for row in cells:
        tab.add_row(*row)
    console.print(tab)


def grouped_table(rows: list[dict], columns: list[str], group: str, *, title: str | None = None,
                  out: TextIO | None = None) -> None:
    """A table per value of ``group`` (the assignee), in the order the rows come."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out or sys.stdout, highlight=False)
    if title:
        console.print(f"[bold]{escape(title)}[/bold]")
    if not rows:
        console.print(t("nothing"))
        return
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r[group], []).append(r)
    for name, items in groups.items():
        table(items, columns, title=f"{name} — {t('total_late', n=len(items))}", out=out)


_PAGE_CSS = """
@page { size: A4; margin: 18mm 15mm 18mm 20mm; }
body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 12.5pt; color: #000; margin: 0; }
header { text-align: center; margin-bottom: 8mm; }
header h1 { font-size: 15pt; text-transform: uppercase; margin: 0 0 2mm; }
header p { margin: 1mm 0; }
section { break-inside: avoid; page-break-inside: avoid; margin-bottom: 6mm; }
h2 { font-size: 13pt; margin: 0 0 2mm; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
th, td { border: 0.6pt solid #000; padding: 1.2mm 2mm; vertical-align: top; text-align: left; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
td.date { white-space: nowrap; }
footer { margin-top: 12mm; display: flex; justify-content: flex-end; }
footer div { text-align: center; width: 70mm; }
@media screen { body { max-width: 180mm; margin: 10mm auto; } }
"""


def _day(d) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else ""


def html_overdue(rows: list[dict], plans: list, as_of: date, sender: str | None = None) -> str:
    """One self-contained page to print on A4: what each assignee owes, since when."""
    from html import escape as e

    from kh.i18n import lang

    heads = "".join(
        f"<p><strong>{e(p.title)}</strong>{' (' + e(p.number) + ')' if p.number else ''}"
        f" — {e(t('issued_by'))}: {e(p.issuer)}</p>" for p in plans)
    parts = [
        f'<!DOCTYPE html><html lang="{lang()}"><head><meta charset="utf-8">',
        f"<title>{e(t('overdue_heading'))} — {_day(as_of)}</title><style>{_PAGE_CSS}</style></head><body>",
        f"<header><h1>{e(t('overdue_heading'))}</h1>{heads}",
        f"<p>{e(t('as_of'))}: <strong>{_day(as_of)}</strong></p>",
        f"<p>{e(t('sent_by'))}: {e(sender)}</p>" if sender else "",
        "</header>",
    ]
    if not rows:
        parts.append(f"<p>{e(t('nothing_overdue'))}</p>")
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["assignee"], []).append(r)
    for name, items in groups.items():
        parts.append(f"<section><h2>{e(name)} — {e(t('total_late', n=len(items)))}</h2><table><thead><tr>"
                     f"<th>{e(t('what'))}</th><th>{e(t('plan'))}</th><th>{e(t('period'))}</th>"
                     f"<th>{e(t('due'))}</th><th>{e(t('days_overdue'))}</th></tr></thead><tbody>")
        for r in items:
            what = e(r["obligation_name"]) + (f"<br><small>{e(r['deadline_text'])}</small>" if r.get("deadline_text") else "")
            parts.append(f"<tr><td>{what}</td><td>{e(r['plan'])}</td><td class=\"date\">{e(r['period'] or '')}</td>"
                         f"<td class=\"date\">{_day(r['due'])}</td><td class=\"num\">{r['days_overdue']}</td></tr>")
        parts.append("</tbody></table></section>")
    parts.append(f"<footer><div><p>…, {e(t('as_of').lower())} {_day(as_of)}</p>"
                 f"<p><strong>{e(sender or '')}</strong></p></div></footer></body></html>\n")
    return "".join(parts)


# --- files: formula neutralising, atomic writes, .xlsx -------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM``)
    gets a leading apostrophe, so Excel and LibreOffice show it as the text it is (OWASP's rule)."""
    if text and text[0] in _FORMULA_START:
        return "'" + text
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
        raise KhError("is a folder; give a file name", where=str(path))
    if path.exists() and not path.is_file():
        # A device or a pipe (/dev/stdout, a fifo): written into; renaming over it would replace
        # the device itself with a plain file.
        try:
            write(path)
        except OSError as e:
            raise KhError(f"cannot write: {e.strerror}", where=str(path)) from None
        return
    if not folder.is_dir():
        raise KhError(f"cannot write: the folder {folder} does not exist", where=str(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as e:
        raise KhError(f"cannot write: {e.strerror}", where=str(path)) from None
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except OSError as e:
        raise KhError(f"cannot write: {e.strerror}", where=str(path)) from None
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
        v = int(v) if v.denominator == 1 else float(v)
    if isinstance(v, (int, float)):
        if pct:  # kh's percentages are 0–100; a percent cell holds the fraction
            return v / 100, "0.00%"
        return v, ("#,##0" if isinstance(v, int) else "#,##0.00")
    if isinstance(v, datetime):
        return v, "dd/mm/yyyy hh:mm"
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
    headers = headers or ([t(c) for c in columns] if lang() == "vi" else list(columns))
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [len(h) for h in headers]
    top = Alignment(vertical="top", wrap_text=True)
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
            if isinstance(val, str) and len(val) > 20:
                cell.alignment = top
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(6, min(w, 60)) + 2
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
