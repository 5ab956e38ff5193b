"""The unit tree in the store: upsert versions (keyed by code and valid_from) and list them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from kh.units import UnitVersion, check_tree, closure
from kh.store import access
from kh.store.schema import UnitClosureRow, UnitRow, UnitSuccessorRow

U = UnitRow.__table__
US = UnitSuccessorRow.__table__
UC = UnitClosureRow.__table__


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


def _changed(old: UnitVersion, new: UnitVersion) -> bool:
    return (_values(old), old.successors) != (_values(new), list(dict.fromkeys(new.successors)))


def _values(u: UnitVersion) -> dict:
    return dict(code=u.code, name=u.name, kind=u.kind, parent=u.parent,
                valid_from=u.valid_from, valid_to=u.valid_to)


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
