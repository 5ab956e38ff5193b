"""The versioned unit tree: reading unit CSV files and checking a tree before it is stored.

A unit (province, district, commune, village) has a code and one or more versions over time
(``valid_from``–``valid_to``, both inclusive, empty = open). On 1/7/2025 districts ended and
communes merged: the old versions end on 30/6/2025 and name their ``successors``. The same code
may be reused by a later version (a merged commune keeps one of the old codes).
Pure functions; the store keeps the result.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kh.errors import KhError
from kh.model import RANK_OF, UNIT_KINDS
from kh.text import csv_rows, decode_csv, nfc, parse_date

COLUMNS = ("code", "name", "kind", "parent", "valid_from", "valid_to")
OPTIONAL = ("successors",)
_FAR_PAST, _FAR_FUTURE = date.min, date.max


@dataclass
class UnitVersion:
    code: str
    name: str
    kind: str
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successors: list[str] = field(default_factory=list)
    where: str = ""  # file:line it came from, for messages

    @property
    def key(self) -> tuple[str, date | None]:
        return (self.code, self.valid_from)

    def span(self) -> tuple[date, date]:
        return (self.valid_from or _FAR_PAST, self.valid_to or _FAR_FUTURE)


def make(code: str, name: str, kind: str, parent: str | None = None,
         valid_from: date | None = None, valid_to: date | None = None,
         successors: list[str] | None = None, where: str = "") -> UnitVersion:
    """One unit version from typed values, checked on its own."""
    code, name = nfc(code).strip(), " ".join(nfc(name).split())
    if not code or any(c.isspace() for c in code):
        raise KhError(f"code {code!r} must be non-empty with no spaces", where=where or "code")
    if not name:
        raise KhError("name must not be empty", where=where or "name")
    if kind not in UNIT_KINDS:
        raise KhError(f"kind {kind!r} is not one of {', '.join(UNIT_KINDS)}", where=where or "kind")
    parent = nfc(parent).strip() if parent else None
    if parent == code:
        raise KhError(f"unit {code} cannot be its own parent", where=where or "parent")
    if valid_from and valid_to and valid_from > valid_to:
        raise KhError(f"valid_to {valid_to} is before valid_from {valid_from}", where=where or "valid_to")
    return UnitVersion(code, name, kind, parent, valid_from, valid_to, successors or [], where)


def read_csv(path: str | Path) -> list[UnitVersion]:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise KhError(f"cannot read: {e.strerror}", where=str(p)) from None
    return parse_csv(decode_csv(raw, str(p)), str(p))


def parse_csv(text: str, name: str) -> list[UnitVersion]:
    reader, header = csv_rows(text, name, COLUMNS, OPTIONAL)
    out, seen = [], {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise KhError(f"{len(row)} cells where the header has {len(header)}", where=f"{name}:{line}")
        cells = dict(zip(header, (c.strip() for c in row)))

        def day(col: str) -> date | None:
            if not cells[col]:
                return None
            try:
                return parse_date(cells[col])
            except KhError as e:
                raise KhError(e.message, where=f"{name}:{line}: {col}") from None

        u = make(cells["code"], cells["name"], cells["kind"], cells["parent"] or None,
                 day("valid_from"), day("valid_to"),
                 nfc(cells.get("successors", "")).split(), where=f"{name}:{line}")
        if u.key in seen:
            raise KhError(f"unit {u.code} from {u.valid_from or 'the start'} is already on line {seen[u.key]}",
                          where=f"{name}:{line}")
        seen[u.key] = line
        out.append(u)
    return out


def check_tree(units: list[UnitVersion]) -> None:
    """Refuse overlapping versions of a code, missing or misplaced parents, unknown successors,
    and cycles. ``units`` is the whole tree as it would be after the change."""
    by_code: dict[str, list[UnitVersion]] = {}
    for u in units:
        by_code.setdefault(u.code, []).append(u)
    for code, versions in by_code.items():
        versions.sort(key=lambda v: v.span())
        for a, b in zip(versions, versions[1:]):
            if b.span()[0] <= a.span()[1]:
                raise KhError(f"unit {code} has overlapping versions: {a.name!r} "
                              f"({a.valid_from or '…'} – {a.valid_to or '…'}) and {b.name!r} "
                              f"({b.valid_from or '…'} – {b.valid_to or '…'})", where=b.where or code)
    _no_cycles(units, by_code)
    for u in units:
        if u.parent is not None:
            parents = [p for p in by_code.get(u.parent, []) if _overlap(p, u)]
            if not parents:
                raise KhError(f"parent {u.parent} of unit {u.code} does not exist while {u.code} does",
                              where=u.where or u.code)
            for p in parents:
                if RANK_OF[p.kind] >= RANK_OF[u.kind]:
                    raise KhError(f"a {u.kind} ({u.code}) cannot lie inside a {p.kind} ({p.code})",
                                  where=u.where or u.code)
        for s in u.successors:
            if s not in by_code:
                raise KhError(f"successor {s} of unit {u.code} is not a known unit", where=u.where or u.code)


def _overlap(a: UnitVersion, b: UnitVersion) -> bool:
    (a0, a1), (b0, b1) = a.span(), b.span()
    return a0 <= b1 and b0 <= a1


def _no_cycles(units: list[UnitVersion], by_code: dict[str, list[UnitVersion]]) -> None:
    parent_codes = {u.code: {v.parent for v in by_code[u.code] if v.parent} for u in units}
    state: dict[str, int] = {}  # 1 = on the path, 2 = done

    def visit(code: str, path: list[str]) -> None:
        if state.get(code) == 2:
            return
        if state.get(code) == 1:
            codes = path[path.index(code):] + [code]
            # The file and line of a version in the loop that the change brings (stored ones
            # have none), so that the refusal points at the row to fix.
            where = next((v.where for c in codes for v in by_code.get(c, [])
                          if re.fullmatch(r".+:\d+", v.where or "")), None)
            raise KhError(f"unit {code} would become its own ancestor: {' → '.join(codes)}", where=where)
        state[code] = 1
        for p in sorted(parent_codes.get(code, ())):  # in code order: the same message every run
            visit(p, path + [code])
        state[code] = 2

    for code in list(parent_codes):
        visit(code, [])


NEVER_BEFORE, NEVER_AFTER = 0, 10**7  # month indices standing for an open start or end


def _months(u: UnitVersion) -> tuple[int, int]:
    lo = u.valid_from.year * 12 + u.valid_from.month - 1 if u.valid_from else NEVER_BEFORE
    hi = u.valid_to.year * 12 + u.valid_to.month - 1 if u.valid_to else NEVER_AFTER
    return lo, hi


def closure(units: list[UnitVersion]) -> list[tuple[str, str, int, int]]:
    """(ancestor, descendant, first month, last month): while the descendant's figures count
    for the ancestor, in month indices (year × 12 + month − 1).

    A version counts for its parent's versions over the months both exist, and so on up; when
    it ends, it also counts — over its own months — for everything its successors count for.
    A commune merged on 1/7/2025 thus counts for its old district until June 2025 and for its
    successor's province, but a district abolished then collects nothing after June 2025."""
    by_code: dict[str, list[UnitVersion]] = {}
    for u in units:
        by_code.setdefault(u.code, []).append(u)

    def up(u: UnitVersion, lo: int, hi: int, seen: frozenset) -> list[tuple[str, int, int]]:
        out = [(u.code, lo, hi)]
        if u.parent:
            for p in by_code.get(u.parent, []):
                plo, phi = _months(p)
                if max(lo, plo) <= min(hi, phi):
                    out += up(p, max(lo, plo), min(hi, phi), seen)
        for s in u.successors:
            versions = by_code.get(s, [])
            later = [v for v in versions if _months(v)[0] > _months(u)[1]] or versions[-1:]
            for v in later:
                if (v.code, v.valid_from) in seen:
                    continue
                vlo, vhi = _months(v)
                out += [(a, lo, hi) for a, _, _ in up(v, vlo, vhi, seen | {(v.code, v.valid_from)})]
        return out

    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for u in units:
        lo, hi = _months(u)
        for ancestor, a_lo, a_hi in up(u, lo, hi, frozenset({(u.code, u.valid_from)})):
            spans.setdefault((ancestor, u.code), []).append((a_lo, a_hi))
    rows = []
    for (ancestor, descendant), parts in spans.items():
        parts.sort()
        merged = [list(parts[0])]
        for lo, hi in parts[1:]:
            if lo <= merged[-1][1] + 1:  # touching or overlapping: one span
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        rows += [(ancestor, descendant, lo, hi) for lo, hi in merged]
    return rows
