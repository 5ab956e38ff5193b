"""The unit tree in the store: upsert versions (keyed by code and valid_from), list and find
them, and resolve what a user typed for a unit (a code, or a name) to one code."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from kh.errors import KhError, NotFound
from kh.text import nfc, search_key
from kh.units import UnitVersion, check_tree, closure
from kh.store import access
from kh.store.schema import UNIT, UNIT_CLOSURE, UNIT_SUCCESSOR

U = UNIT
US = UNIT_SUCCESSOR
UC = UNIT_CLOSURE


def all_versions(conn: sa.Connection) -> list[UnitVersion]:
    succ: dict[int, list[str]] = {}
    for r in conn.execute(sa.select(US.c.unit_id, US.c.successor).order_by(US.c.unit_id, US.c.position)):
        succ.setdefault(r[0], []).append(r[1])
    return [UnitVersion(r.code, r.name, r.kind, r.parent, r.valid_from, r.valid_to,
                        succ.get(r.id, []), where=f"unit {r.code} in the store")
            # named columns: migration 5 calls this on stores of that schema
            for r in conn.execute(sa.select(U.c.id, U.c.code, U.c.name, U.c.kind, U.c.parent,
                                            U.c.valid_from, U.c.valid_to))]


def upsert(conn: sa.Connection, incoming: list[UnitVersion]) -> tuple[int, int]:
    """Add or update unit versions after checking the whole resulting tree; versions that
    are already stored as given are left alone. Returns (added, updated)."""
    access.check_may_change(conn, "unit", "units")
    current = {u.key: u for u in all_versions(conn)}
    incoming = [u for u in incoming if u.key not in current or _changed(current[u.key], u)]
    merged = dict(current)
    for u in incoming:
        merged[u.key] = u
    check_tree(list(merged.values()))
    ids = {(r.code, r.valid_from): r.id for r in conn.execute(sa.select(U.c.id, U.c.code, U.c.valid_from))}
    new = [u for u in incoming if u.key not in ids]
    old = [u for u in incoming if u.key in ids]
    if new:
        conn.execute(sa.insert(U), [_values(u) for u in new])
    if old:
        conn.execute(
            sa.update(U).where(U.c.id == sa.bindparam("_id")),
            [{"_id": ids[u.key], **_values(u)} for u in old])
        conn.execute(sa.delete(US).where(US.c.unit_id.in_([ids[u.key] for u in old])))
    ids = {(r.code, r.valid_from): r.id for r in conn.execute(sa.select(U.c.id, U.c.code, U.c.valid_from))}
    links = [dict(unit_id=ids[u.key], successor=s, position=i)
             for u in incoming for i, s in enumerate(dict.fromkeys(u.successors))]
    if links:
        conn.execute(sa.insert(US), links)
    if incoming:
        rebuild_closure(conn, list(merged.values()))
    return len(new), len(old)


def rebuild_closure(conn: sa.Connection, units: list[UnitVersion] | None = None) -> None:
    """Recompute which units count for which (kh.units.closure) from the whole tree."""
    rows = closure(all_versions(conn) if units is None else units)
    conn.execute(sa.delete(UC))
    for i in range(0, len(rows), 10000):
        conn.execute(sa.insert(UC), [dict(ancestor=a, descendant=d, lo=lo, hi=hi)
                                     for a, d, lo, hi in rows[i:i + 10000]])
    from kh.store.access import refresh_reach

    refresh_reach(conn)  # PostgreSQL: the roles reaching every unit, which the rebuild forgot


def _changed(old: UnitVersion, new: UnitVersion) -> bool:
    return (_values(old), old.successors) != (_values(new), list(dict.fromkeys(new.successors)))


def _values(u: UnitVersion) -> dict:
    return dict(code=u.code, name=u.name, kind=u.kind, parent=u.parent,
                valid_from=u.valid_from, valid_to=u.valid_to, name_key=search_key(u.name))


def listing(conn: sa.Connection, *, kind: str | None = None, parent: str | None = None,
            as_of: date | None = None) -> list[dict]:
    succ = (sa.select(US.c.unit_id, sa.func.group_concat(US.c.successor, " ").label("successors"))
            .group_by(US.c.unit_id).subquery()) if conn.dialect.name == "sqlite" else (
        sa.select(US.c.unit_id, sa.func.string_agg(US.c.successor, " ").label("successors"))
        .group_by(US.c.unit_id).subquery())
    q = (sa.select(U.c.code, U.c.name, U.c.kind, U.c.parent, U.c.valid_from, U.c.valid_to,
                   sa.func.coalesce(succ.c.successors, "").label("successors"))
         .outerjoin(succ, succ.c.unit_id == U.c.id))
    if kind:
        q = q.where(U.c.kind == kind)
    if parent:
        q = q.where(U.c.parent == parent)
    if as_of:
        q = q.where(sa.or_(U.c.valid_from.is_(None), U.c.valid_from <= as_of),
                    sa.or_(U.c.valid_to.is_(None), U.c.valid_to >= as_of))
    q = q.order_by(U.c.code, sa.func.coalesce(U.c.valid_from, date(1, 1, 1)))
    return [dict(r) for r in conn.execute(q).mappings()]


def count(conn: sa.Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(U)).scalar_one()


# --- finding a unit: kh unit find, --unit by name, what to suggest -----------------------------

SHOWN = 5  # candidates named in a refusal; "and N more" beyond


def _like(text: str) -> str:
    """``text`` for LIKE … ESCAPE '\\': its own % and _ are letters."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _successor_list(conn: sa.Connection, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for i in range(0, len(ids), 500):
        q = (sa.select(US.c.unit_id, US.c.successor).where(US.c.unit_id.in_(ids[i:i + 500]))
             .order_by(US.c.unit_id, US.c.position))
        for uid, s in conn.execute(q):
            out.setdefault(uid, []).append(s)
    return out


def _names(conn: sa.Connection, codes: set[str], after: dict[str, date] | None = None) -> dict[str, str]:
    """Each code's name: its latest version's, or, with ``after``, its first version starting
    after that day (a successor is the unit that took over, not a later reuse of its code)."""
    out: dict[str, str] = {}
    settled: set[str] = set()
    codes = [c for c in codes if c]
    for i in range(0, len(codes), 500):
        q = (sa.select(U.c.code, U.c.name, U.c.valid_from).where(U.c.code.in_(codes[i:i + 500]))
             .order_by(U.c.code, sa.func.coalesce(U.c.valid_from, date(1, 1, 1))))
        for code, name, since in conn.execute(q):
            if code in settled:
                continue
            out[code] = name
            if after and code in after and since is not None and since > after[code]:
                settled.add(code)
    return out


def find(conn: sa.Connection, text: str, *, limit: int | None = None) -> tuple[list[dict], int]:
    """Unit versions whose name contains ``text`` (accent- and case-insensitive, words in that
    order) or whose code starts with it, best first: exact names, then names ending with it,
    then the rest; by code and start within each. Returns (rows, how many matched in all)."""
    key = search_key(text)
    if not key:
        return [], 0
    code = nfc(text).strip()
    pattern = "%" + _like(key) + "%"
    # A code typed without the zeros a spreadsheet dropped finds the unit too.
    padded = [code.rjust(n, "0") for n in range(len(code) + 1, len(code) + 5)] if code.isdigit() else []
    rank = sa.case((U.c.code == code, 0), (U.c.name_key == key, 0), (U.c.code.in_(padded or [code]), 0),
                   (U.c.name_key.like("% " + _like(key), escape="\\"), 1), else_=2)
    where = sa.or_(U.c.name_key.like(pattern, escape="\\"), U.c.code.like(_like(code) + "%", escape="\\"),
                   U.c.code.in_(padded or [code]))
    total = conn.execute(sa.select(sa.func.count()).select_from(U).where(where)).scalar_one()
    q = (sa.select(U.c.id, U.c.code, U.c.name, U.c.kind, U.c.parent, U.c.valid_from, U.c.valid_to)
         .where(where).order_by(rank, U.c.code, sa.func.coalesce(U.c.valid_from, date(1, 1, 1))))
    if limit:
        q = q.limit(limit)
    found = conn.execute(q).mappings().all()
    return describe(conn, found), total


def describe(conn: sa.Connection, versions) -> list[dict]:
    """Unit versions as kh unit find lists them: with their parent's name and their successors
    (code and name of the unit that took over)."""
    succ = _successor_list(conn, [v["id"] for v in versions])
    parents = _names(conn, {v["parent"] for v in versions})
    heirs = _names(conn, {s for ss in succ.values() for s in ss})
    ended = {}
    for v in versions:
        for s in succ.get(v["id"], []):
            if v["valid_to"] is not None:
                ended[s] = min(ended.get(s, date.max), v["valid_to"])
    heirs.update(_names(conn, set(ended), after=ended))
    rows = []
    for v in versions:
        ss = succ.get(v["id"], [])
        rows.append(dict(code=v["code"], name=v["name"], kind=v["kind"], parent=v["parent"],
                         parent_name=parents.get(v["parent"]), valid_from=v["valid_from"],
                         valid_to=v["valid_to"], successors=" ".join(ss),
                         successor_names="; ".join(f"{s} {heirs[s]}" if s in heirs else s for s in ss)))
    return rows


def _area_codes(conn: sa.Connection, area: str | None) -> set[str] | None:
    """The codes that count for ``area`` at some time (its closure, the units that took it over
    and theirs), or None for no area (the whole store)."""
    if not area:
        return None
    UC = UNIT_CLOSURE
    reach, todo = set(), [area]
    while todo:  # the area, then whoever took it over
        c = todo.pop()
        if c in reach:
            continue
        reach.add(c)
        todo += [r[0] for r in conn.execute(sa.select(US.c.successor).join(U, U.c.id == US.c.unit_id)
                                            .where(U.c.code == c))]
    q = sa.select(UC.c.descendant).distinct().where(UC.c.ancestor.in_(sorted(reach)))
    return reach | {r[0] for r in conn.execute(q)}


def _overlaps(v, during: tuple[date, date] | None) -> bool:
    if during is None:
        return True
    return (v["valid_from"] or date.min) <= during[1] and during[0] <= (v["valid_to"] or date.max)


def resolve(conn: sa.Connection, typed: str, *, where: str = "--unit", context=None) -> str:
    """The code of the unit ``typed`` designates: a stored code as it is; else a name, matched
    accent- and case-insensitively, whole ("Xã Cao Lộc") or as the end of a name ("Cao Lộc"),
    among the units of ``area`` (a code: a plan's area; None: the whole store) — and among
    those that existed ``during`` (first, last day) when some did. ``context`` returns
    (area, during), asked only for a name (the usual code needs neither); without it, the
    whole store at any time. One code, or a refusal: a code that lost its leading zeros is
    suggested with them; several units of that name are listed (code, name, parent)."""
    typed = nfc(typed).strip()
    if not typed:
        raise KhError("unit.empty", where=where)
    if conn.execute(sa.select(U.c.id).where(U.c.code == typed).limit(1)).first() is not None:
        return typed
    area, during = context() if context is not None else (None, None)
    key = search_key(typed)
    if typed.isdigit() or not key:  # a code, not a name
        raise NotFound("unit.not_found", where=where, code=typed, suggest=suggest_code(conn, typed))
    q = (sa.select(U.c.id, U.c.code, U.c.name, U.c.kind, U.c.parent, U.c.valid_from, U.c.valid_to, U.c.name_key)
         .where(sa.or_(U.c.name_key == key, U.c.name_key.like("% " + _like(key), escape="\\")))
         .order_by(U.c.code, sa.func.coalesce(U.c.valid_from, date(1, 1, 1))))
    found = conn.execute(q).mappings().all()
    inside = _area_codes(conn, area)
    if inside is not None:
        found = [v for v in found if v["code"] in inside]
    found = [v for v in found if v["name_key"] == key] or found  # a whole name before an ending
    alive = [v for v in found if _overlaps(v, during)]
    codes = list(dict.fromkeys(v["code"] for v in alive or found))
    if len(codes) == 1 and not alive and during is not None:
        # Only a unit gone by then bears that name: its code may belong to another unit now
        # (06211 was Xã Lộc Yên, then Xã Cao Lộc), so say who took it over rather than use it.
        v = found[-1]
        raise KhError("unit.gone", where=where, name=v["name"], code=v["code"], start=during[0], end=during[1],
                      merged=successor_note(conn, v["code"], during[0]))
    if len(codes) == 1:
        return codes[0]
    found = alive or found
    if not codes:
        raise NotFound("unit.no_name", where=where, name=typed)
    latest = {}
    for v in found:  # one line per code: the version of that time, else its latest
        if v["code"] not in latest or _overlaps(v, during):
            latest[v["code"]] = v
    shown = describe(conn, list(latest.values())[:SHOWN])
    from kh.i18n import Msg

    listed = ", ".join(f"{r['code']} (" + ", ".join(x for x in (r["name"], r["parent_name"]) if x) + ")"
                       for r in shown)
    more = Msg("unit.and_more", n=len(codes) - SHOWN) if len(codes) > SHOWN else ""
    raise KhError("unit.ambiguous_name", where=where, name=typed, n=len(codes), shown=listed, more=more)


def suggest_code(conn: sa.Connection, wrong: str):
    """What to suggest for a code that is not stored: the same digits with the leading zeros a
    spreadsheet dropped (``6211`` → ``06211``), else a close code of the same length."""
    from kh.suggest import did_you_mean_code

    wrong = nfc(wrong).strip()
    padded = [wrong.rjust(n, "0") for n in range(len(wrong) + 1, len(wrong) + 5)] if wrong.isdigit() else []
    known = [r[0] for r in conn.execute(sa.select(U.c.code).distinct().where(U.c.code.in_(padded)))] if padded else []
    if not known and wrong:
        known = [r[0] for r in conn.execute(
            sa.select(U.c.code).distinct().where(U.c.code.like(_like(wrong[:1]) + "%", escape="\\"),
                                                 sa.func.length(U.c.code) == len(wrong)).limit(5000))]
    return did_you_mean_code(wrong, known)


def successor_note(conn: sa.Connection, code: str, after: date):
    """"; it ceased on 2025-07-01; its successor is 06211 Xã Cao Lộc": who took over a unit
    whose last version ended before ``after`` ("" when none did)."""
    q = (sa.select(U.c.valid_to, US.c.successor).join(US, US.c.unit_id == U.c.id)
         .where(U.c.code == code, U.c.valid_to < after).order_by(U.c.valid_to.desc(), US.c.position))
    found = conn.execute(q).all()
    if not found:
        return ""
    ended = found[0][0]
    heirs = [s for v, s in found if v == ended]
    names = _names(conn, set(heirs), after={h: ended for h in heirs})
    from kh.i18n import Msg

    listed = ", ".join(f"{h} {names[h]}" if h in names else h for h in heirs)
    return Msg("unit.successor_is" if len(heirs) == 1 else "unit.successors_are",
               on=ended + timedelta(days=1), heirs=listed)


def require_during(conn: sa.Connection, code: str, start: date, end: date, *, period, where: str = "--unit") -> None:
    """Refuse a unit that did not exist between ``start`` and ``end``, naming who took it over."""
    versions = conn.execute(sa.select(U.c.valid_from, U.c.valid_to).where(U.c.code == code)).all()
    if not versions:
        raise NotFound("unit.not_found", where=where, code=code, suggest=suggest_code(conn, code))
    if not any((f or date.min) <= end and start <= (t or date.max) for f, t in versions):
        raise KhError("figure.unit_not_alive", where=where, unit=code, period=period, start=start, end=end,
                      merged=successor_note(conn, code, start))
