"""Reports received, accepted, returned, reopened (kh accept | return | reopen), and the lock an
acceptance puts on the figures under it (docs/exchange.md, "Accepting").

An acceptance of unit U for period P in a plan locks every figure of that plan for U and every
unit counting for U (the closure) whose months overlap P: a province's acceptance covers its
districts and communes. kh refuses such a write here, on both engines; on PostgreSQL the trigger
of migration 9 refuses it too, for writes that do not come through kh.
"""

from __future__ import annotations

from datetime import date, datetime
from operator import attrgetter

import sqlalchemy as sa

from kh.errors import KhError
from kh.figures import month_index
from kh.periods import local_day, bounds, parse_period
from kh.store import history
from kh.store import plans as store_plans
from kh.store.schema import ACCEPTANCE, FIGURE, UNIT, UNIT_CLOSURE

A = ACCEPTANCE
F = FIGURE
UC = UNIT_CLOSURE
U = UNIT
ACCEPTED, RETURNED, REOPENED = "accepted", "returned", "reopened"


def _current(conn: sa.Connection, plan: str, unit: str, period: str):
    return conn.execute(sa.select(A).where(A.c.plan_id == plan, A.c.unit == unit, A.c.period == period)).mappings().first()


def _check(conn: sa.Connection, plan: str, unit: str, period: str) -> tuple[int, int]:
    store_plans.require(conn, plan, where="PLAN")
    try:
        p = parse_period(period)
    except KhError as e:
        raise e.at("--period") from None
    lo, hi = bounds(p, store_plans.load(conn, plan, targets_only=True).cutoff_day)
    # A district abolished on 1/7/2025 accepts nothing after June 2025: the levels follow the tree.
    from kh.store.unit_rows import require_during

    require_during(conn, unit, lo, hi, period=p)
    return month_index(p)


def _set(conn, plan, unit, period, months, state, by, now, reason) -> None:
    values = dict(m_from=months[0], m_to=months[1], state=state, at=now, by=by, reason=reason)
    if _current(conn, plan, unit, period) is None:
        conn.execute(sa.insert(A).values(plan_id=plan, unit=unit, period=period, **values))
    else:
        conn.execute(sa.update(A).where(A.c.plan_id == plan, A.c.unit == unit, A.c.period == period).values(**values))
    action = {ACCEPTED: "accept", RETURNED: "return", REOPENED: "reopen"}[state]
    history.log(conn, [dict(what="acceptance", action=action, plan_id=plan, key=f"{unit} {period}", new=state)],
                by=by, at=now, reason=reason)


def accept(conn: sa.Connection, *, plan: str, unit: str, period: str, by: str, now: datetime,
           reason: str | None) -> bool:
    """Accept; False when it was accepted already (nothing changes)."""
    period = str(parse_period(period)) if period else period
    months = _check(conn, plan, unit, period)
    row = _current(conn, plan, unit, period)
    if row is not None and row["state"] == ACCEPTED:
        return False
    _set(conn, plan, unit, period, months, ACCEPTED, by, now, reason)
    return True


def give_back(conn: sa.Connection, *, plan: str, unit: str, period: str, by: str, now: datetime,
              reason: str) -> None:
    """Return the report to the unit, with the reason it will see (kh deadlines)."""
    months = _check(conn, plan, unit, period)
    period = str(parse_period(period))
    row = _current(conn, plan, unit, period)
    if row is not None and row["state"] == ACCEPTED:
        raise KhError("acceptance.accepted", where="--unit", unit=unit, period=period, on=local_day(row['at']),
                      by=row['by'], plan=plan)
    _set(conn, plan, unit, period, months, RETURNED, by, now, reason)


def reopen(conn: sa.Connection, *, plan: str, unit: str, period: str, by: str, now: datetime,
           reason: str) -> None:
    months = _check(conn, plan, unit, period)
    period = str(parse_period(period))
    row = _current(conn, plan, unit, period)
    if row is None or row["state"] != ACCEPTED:
        raise KhError("acceptance.not_accepted", where="--unit", unit=unit, period=period)
    _set(conn, plan, unit, period, months, REOPENED, by, now, reason)


def check_unlocked(conn: sa.Connection, figs: list) -> None:
    """Refuse figures (kh.figures.NewFigure) inside an accepted report, naming the first."""
    plans = list(set(map(attrgetter("plan"), figs)))  # one C-level pass (imports: 200,000 figures)
    accepted = conn.execute(sa.select(A).where(A.c.state == ACCEPTED, A.c.plan_id.in_(plans))).mappings().all()
    if not accepted:
        return
    spans: dict[tuple, list] = {}  # (plan, descendant) → [(lo, hi, acceptance)]
    for a in accepted:
        q = sa.select(UC.c.descendant, UC.c.lo, UC.c.hi).where(UC.c.ancestor == a["unit"], UC.c.lo <= a["m_to"],
                                                                UC.c.hi >= a["m_from"])
        rows = conn.execute(q).all() or [(a["unit"], a["m_from"], a["m_to"])]
        for d, lo, hi in rows:
            spans.setdefault((a["plan_id"], d), []).append((max(lo, a["m_from"]), min(hi, a["m_to"]), a))
    for f in figs:
        for lo, hi, a in spans.get((f.plan, f.unit), ()):
            if lo <= f.months[1] and f.months[0] <= hi:
                raise KhError("acceptance.locked", where=f.where or "--period", plan=f.plan, ref=f.ref, unit=f.unit,
                              period=f.period, report_unit=a['unit'], report_period=a['period'],
                              on=local_day(a['at']), by=a['by'])


def accepted_figures():
    """A condition on ``figure`` rows: inside an accepted report (kh gap --accepted-only)."""
    # The closure under its own name, joined explicitly: inside a roll-up that joins the closure
    # too, SQLAlchemy's linter took the two for one and warned of a cartesian product on stderr.
    C = UC.alias("accepted_closure")
    return (sa.exists().select_from(A.join(C, C.c.ancestor == A.c.unit))
            .where(A.c.state == ACCEPTED, A.c.plan_id == F.c.plan_id, C.c.descendant == F.c.unit,
                   A.c.m_from <= F.c.m_from, A.c.m_to >= F.c.m_to, C.c.lo <= F.c.m_from, C.c.hi >= F.c.m_to))


def returned(conn: sa.Connection, plan_ids: list[str]) -> list[dict]:
    """Reports returned and not yet accepted since: what the unit must see."""
    q = sa.select(A).where(A.c.state == RETURNED, A.c.plan_id.in_(plan_ids)).order_by(A.c.plan_id, A.c.unit, A.c.period)
    return [dict(r) for r in conn.execute(q).mappings()]
