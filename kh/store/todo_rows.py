"""What ``kh todo`` and guided entry read: the officer's grants, his unit, the plans that concern
it, its figures around a period and what its assignees sent. A handful of statements whatever the
store's size (the national store: one commune's figures come through the current-figure index)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from kh.errors import KhError
from kh.figures import month_index
from kh.model import Plan
from kh.periods import Period, bounds
from kh.store import access
from kh.store import plans as store_plans
from kh.store.schema import COMPLETION, FIGURE, GRANT, GRANT_ASSIGNEE, UNIT, UNIT_CLOSURE

F = FIGURE
C = COMPLETION
U = UNIT
UC = UNIT_CLOSURE
G = GRANT
GA = GRANT_ASSIGNEE


def granted(conn: sa.Connection) -> tuple[list[str], list[str]]:
    """On PostgreSQL, the units the connected role may write (``kh admin officer``) and the
    assignees it reports for; nothing elsewhere (SQLite has no roles: --unit says it)."""
    if conn.dialect.name != "postgresql":
        return [], []
    units = [r[0] for r in conn.execute(sa.select(G.c.unit).where(G.c.role == sa.func.current_user(), G.c.can_write)
                                        .order_by(G.c.unit))]
    names = [r[0] for r in conn.execute(sa.select(GA.c.assignee).where(GA.c.role == sa.func.current_user())
                                        .order_by(GA.c.assignee))]
    return units, names


def unit_in(conn: sa.Connection, code: str, period: Period, where: str = "--unit") -> dict:
    """The unit's version during ``period`` (calendar bounds), refused when unknown or gone then
    (naming its successor)."""
    from kh.store.bundle_rows import require_unit
    from kh.store.unit_rows import successor_note

    require_unit(conn, code, where)
    first, last = bounds(period)
    rows = conn.execute(sa.select(U.c.code, U.c.name, U.c.kind, U.c.valid_from, U.c.valid_to)
                        .where(U.c.code == code)).mappings().all()
    alive = [r for r in rows if (r["valid_from"] or date.min) <= last and first <= (r["valid_to"] or date.max)]
    if not alive:
        raise KhError("figure.unit_not_alive", where=where, unit=code, period=period, start=first, end=last,
                      merged=successor_note(conn, code, first))
    return dict(max(alive, key=lambda r: r["valid_from"] or date.min))


def plans_for(conn: sa.Connection, unit: str, lo: int, hi: int, *, whole: bool = True) -> list[Plan]:
    """The plans whose area holds ``unit`` in some month of lo … hi — the area as named, then
    the units that took it over, as ``kh record`` checks it — and plans with no area: whole, or
    (``whole=False``) their header and indicators only (a national plan has thousands of
    assignees)."""
    from kh.gap import _area_reach
    from kh.store.rollup import StoreSource

    src = StoreSource(conn)
    kept = []
    for row in store_plans.list_plans(conn):
        head = store_plans.load(conn, row["id"], targets_only=True)
        if head.area:
            reach = _area_reach(head, src.successors_at(head.area, head.end) or [head.area], head.end, src)
            terms = [sa.and_(UC.c.ancestor == code, UC.c.lo <= min(hi, a_hi), UC.c.hi >= max(lo, a_lo))
                     for code, a_lo, a_hi in reach]
            if not terms or conn.execute(sa.select(UC.c.ancestor).where(UC.c.descendant == unit, sa.or_(*terms))
                                         .limit(1)).first() is None:
                continue
        kept.append(head)
    return [store_plans.load(conn, p.id) for p in kept] if whole else kept


def figures_around(conn: sa.Connection, unit: str, wanted: dict[str, list[str]],
                   period: Period) -> tuple[list[dict], list[dict]]:
    """The unit's current figures of the ``wanted`` indicators (plan → refs): those overlapping
    ``period``, and per indicator the latest one that ends before it. Two statements."""
    if not wanted:
        return [], []
    lo, hi = month_index(period)
    # One unit's figures: seek it in the current-figure index (plan, ref, unit, period), under
    # every wanted plan and ref, and keep the wanted pairs here. SQLite would rather read the
    # country's figures of each indicator from the month index, which covers the query: the code
    # is a list of two (itself, repeated), since SQLite answers `unit = ?` from that index; the
    # months are compared as expressions; nothing is ordered in SQL; and the plans are not an OR
    # of (plan, ref IN …) terms, over which SQLite scans the whole index. tests/cli/test_todo.py
    # checks the plans.
    pairs = {(p, r) for p, refs in wanted.items() for r in refs}
    base = sa.and_(F.c.unit.in_([unit, unit]), F.c.replaced_at.is_(None), F.c.plan_id.in_(sorted(wanted)),
                   F.c.ref.in_(sorted({r for _, r in pairs})))
    cols = (F.c.plan_id, F.c.ref, F.c.period, F.c.value, F.c.denominator)

    def rows(q) -> list[dict]:
        return [dict(plan=r[0], ref=r[1], period=r[2], value=r[3], denominator=r[4]) for r in conn.execute(q)
                if (r[0], r[1]) in pairs]

    m_from, m_to = F.c.m_from + sa.literal_column("0"), F.c.m_to + sa.literal_column("0")
    here = rows(sa.select(*cols).where(base, m_from <= hi, m_to >= lo))
    here.sort(key=lambda f: (f["plan"], f["ref"], f["period"]))
    rank = sa.func.row_number().over(partition_by=(F.c.plan_id, F.c.ref),
                                     order_by=(F.c.m_to.desc(), F.c.m_from.desc())).label("rank")
    inner = sa.select(*cols, rank).where(base, m_to < lo).subquery()
    last = rows(sa.select(inner.c.plan_id, inner.c.ref, inner.c.period, inner.c.value, inner.c.denominator)
                .where(inner.c.rank == 1))
    return here, last


def done_by(conn: sa.Connection, plans: list[Plan], assignees: list[str], as_of: date) -> dict:
    """What these assignees sent or did by ``as_of`` of the plans' own reports and tasks, per plan:
    (kind, item, assignee, period) → day. The kinds and items are named so that the covering
    index ix_completion_done is sought (plan, undone_at, kind, item, assignee) rather than read
    for every report of the plan: 40 ms → 1 ms for a commune of the national store."""
    out: dict[str, dict] = {p.id: {} for p in plans}
    wanted = {(p.id, "obligation", o.key) for p in plans for o in p.obligations} | \
             {(p.id, "task", t.ref) for p in plans for t in p.tasks}
    if not wanted or not assignees:
        return out
    q = sa.select(C.c.plan_id, C.c.kind, C.c.item, C.c.assignee, C.c.period, C.c.done_on).where(
        C.c.plan_id.in_(sorted(out)), C.c.undone_at.is_(None), C.c.kind.in_(sorted({k for _, k, _ in wanted})),
        C.c.item.in_(sorted({i for _, _, i in wanted})), C.c.assignee.in_(assignees), C.c.done_on <= as_of)
    for plan, k, i, a, p, d in conn.execute(q):
        if (plan, k, i) in wanted:
            out[plan][(k, i, a, p)] = d
    return out


def check_may_write(conn: sa.Connection, unit: str) -> None:
    """Guided entry asks nothing of an officer who may not write the unit's figures."""
    from kh.figures import NewFigure
    from kh.periods import parse_period

    access.check_units(conn, [NewFigure("", "", unit, parse_period("2000"), 0, where="--unit")])
