"""Plans in the store: save (insert or update by id), load back, and the listings."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from kh.errors import NotFound
from kh.model import Assignee, Indicator, Obligation, Phase, Plan, Step, Task, from_row, to_row
from kh.store import access
from kh.store.schema import (ASSIGNEE, INDICATOR, OBLIGATION, OBLIGATION_ASSIGNEE, PHASE, PLAN, STEP, TASK,
                             TASK_ASSIGNEE)

P, PH, ST, AS, TA, IN, OB = PLAN, PHASE, STEP, ASSIGNEE, TASK, INDICATOR, OBLIGATION
TAS = TASK_ASSIGNEE
OBA = OBLIGATION_ASSIGNEE

# The parts of a plan that a re-import replaces; figures (later tables) refer to plans by id and
# to indicators by ref, so they survive it.
_CHILDREN = (OBA, OB, TAS, TA, IN, AS, ST, PH)


def _insert_ids(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> list[int]:
    """Insert rows and return their ids in order (RETURNING works on SQLite ≥ 3.35 and PostgreSQL)."""
    ids = []
    for row in rows:
        ids.append(conn.execute(sa.insert(table).returning(table.c.id), row).scalar_one())
    return ids


def save(conn: sa.Connection, plan: Plan, *, now: datetime) -> bool:
    """Insert the plan, or replace its contents if the id exists (``now`` is its imported_at).
    Returns True if it was new."""
    access.check_may_change(conn, "plan", "plans")
    exists = conn.execute(sa.select(P.c.id).where(P.c.id == plan.id)).first() is not None
    # Each element's columns come from its declaration (kh/model.py); the store adds ids,
    # positions and the links to assignees.
    values = to_row(plan)
    del values["id"]
    values["imported_at"] = now
    if exists:
        _convert_decimals(conn, plan)
        for t in _CHILDREN:
            if "plan_id" in t.c:
                conn.execute(sa.delete(t).where(t.c.plan_id == plan.id))
        conn.execute(sa.update(P).where(P.c.id == plan.id).values(**values))
    else:
        conn.execute(sa.insert(P).values(id=plan.id, **values))
    pid = plan.id
    if plan.phases:
        conn.execute(sa.insert(PH), [dict(plan_id=pid, position=i, **to_row(p)) for i, p in enumerate(plan.phases)])
    if plan.steps:
        conn.execute(sa.insert(ST), [dict(plan_id=pid, **to_row(s)) for s in plan.steps])
    a_ids = _insert_ids(conn, AS, [dict(plan_id=pid, position=i, **to_row(a)) for i, a in enumerate(plan.assignees)])
    by_name = {a.name: i for a, i in zip(plan.assignees, a_ids)}
    t_ids = _insert_ids(conn, TA, [dict(plan_id=pid, position=i, **to_row(t)) for i, t in enumerate(plan.tasks)])
    links = [dict(task_id=tid, assignee_id=by_name[name], role=role, position=k)
             for t, tid in zip(plan.tasks, t_ids)
             for k, (name, role) in enumerate([(n, "lead") for n in t.lead]
                                              + [(n, "support") for n in t.support])]
    if links:
        conn.execute(sa.insert(TAS), _first_role(links))
    if plan.indicators:
        conn.execute(sa.insert(IN), [dict(plan_id=pid, position=i, **to_row(x))
                                     for i, x in enumerate(plan.indicators)])
    o_ids = _insert_ids(conn, OB, [dict(plan_id=pid, position=i, **to_row(o))
                                   for i, o in enumerate(plan.obligations)])
    ob_links = [dict(obligation_id=oid, assignee_id=by_name[name], position=k)
                for o, oid in zip(plan.obligations, o_ids)
                for k, name in enumerate(o.except_ if o.owed_by_all else o.owed_by)]
    if ob_links:
        conn.execute(sa.insert(OBA), ob_links)
    return not exists


def _convert_decimals(conn: sa.Connection, plan: Plan) -> None:
    """A re-import that changes an indicator's ``decimals`` rescales its stored figures (kept
    × 10^decimals, current and replaced alike) so that each keeps its value: more places always
    convert exactly; fewer only when no figure has a digit in the places given up, else the
    import is refused naming one. Figures inside an accepted report stay as accepted: refused."""
    from kh.errors import KhError
    from kh.figures import number_text, unscaled
    from kh.store.schema import FIGURE

    F = FIGURE
    old = {r.ref: r.decimals or 0 for r in conn.execute(sa.select(IN.c.ref, IN.c.decimals)
                                                        .where(IN.c.plan_id == plan.id))}
    for i, ind in enumerate(plan.indicators):
        before, after = old.get(ind.ref, 0), ind.decimals or 0
        if ind.ref not in old or before == after:
            continue
        mine = sa.and_(F.c.plan_id == plan.id, F.c.ref == ind.ref)
        if conn.execute(sa.select(F.c.id).where(mine).limit(1)).first() is None:
            continue
        where = f"indicators[{i}].decimals"
        from kh.store.acceptance_rows import accepted_figures

        locked = conn.execute(sa.select(F.c.unit, F.c.period).where(mine, accepted_figures()).limit(1)).first()
        if locked is not None:
            raise KhError("plan.decimals_locked", where=where, ref=ind.ref, unit=locked.unit, period=locked.period)
        k = 10 ** abs(after - before)
        if after > before:
            conn.execute(sa.update(F).where(mine).values(value=F.c.value * k, denominator=F.c.denominator * k))
            continue
        # A current figure first (the officer can correct it); a replaced one stays in the history.
        lost = conn.execute(sa.select(F.c.unit, F.c.period, F.c.value, F.c.denominator, F.c.replaced_at).where(
            mine, sa.or_(F.c.value % k != 0, sa.and_(F.c.denominator.is_not(None), F.c.denominator % k != 0)))
            .order_by(F.c.replaced_at.is_not(None)).limit(1)).first()
        if lost is not None:
            shown = lost.value if lost.value % k else lost.denominator
            raise KhError("plan.decimals_lose" if lost.replaced_at is None else "plan.decimals_lose_history",
                          where=where, ref=ind.ref, decimals=after, unit=lost.unit, period=lost.period,
                          value=number_text(unscaled(shown, before)))
        conn.execute(sa.update(F).where(mine).values(value=F.c.value / k, denominator=F.c.denominator / k))


def decimals(conn: sa.Connection) -> dict[tuple[str, str], int | None]:
    """(plan, ref) → the indicator's decimals, for reading stored figures back (× 10^decimals)."""
    return {(p, r): d for p, r, d in conn.execute(sa.select(IN.c.plan_id, IN.c.ref, IN.c.decimals)
                                                  .where(IN.c.decimals.is_not(None)))}


def _first_role(links: list[dict]) -> list[dict]:
    """An assignee named both lead and support of one task keeps the first role given."""
    seen, out = set(), []
    for link in links:
        key = (link["task_id"], link["assignee_id"])
        if key not in seen:
            seen.add(key)
            out.append(link)
    return out


def exists(conn: sa.Connection, plan_id: str) -> bool:
    return conn.execute(sa.select(P.c.id).where(P.c.id == plan_id)).first() is not None


def require(conn: sa.Connection, plan_id: str, where: str = "--plan") -> None:
    if not exists(conn, plan_id):
        ids = [r[0] for r in conn.execute(sa.select(P.c.id).order_by(P.c.id))]
        from kh.suggest import did_you_mean

        raise NotFound("plan.not_found", where=where, plan=plan_id, suggest=did_you_mean(plan_id, ids))


def load(conn: sa.Connection, plan_id: str, where: str = "--plan", *, targets_only: bool = False) -> Plan:
    """The plan as stored; with ``targets_only``, its header and indicators alone (what the gap
    report needs: a national plan has thousands of assignees it would not look at)."""
    require(conn, plan_id, where)
    plan = from_row(Plan, conn.execute(sa.select(P).where(P.c.id == plan_id)).mappings().one())
    if targets_only:
        plan.indicators = [indicator_from_row(r) for r in conn.execute(
            sa.select(IN).where(IN.c.plan_id == plan_id).order_by(IN.c.position)).mappings()]
        return plan
    for r in conn.execute(sa.select(PH).where(PH.c.plan_id == plan_id).order_by(PH.c.position)).mappings():
        plan.phases.append(from_row(Phase, r))
    for r in conn.execute(sa.select(ST).where(ST.c.plan_id == plan_id).order_by(ST.c.number)).mappings():
        plan.steps.append(from_row(Step, r))
    names: dict[int, str] = {}
    for r in conn.execute(sa.select(AS).where(AS.c.plan_id == plan_id).order_by(AS.c.position)).mappings():
        names[r["id"]] = r["name"]
        plan.assignees.append(from_row(Assignee, r))
    roles: dict[int, list] = {}
    q = (sa.select(TAS).join(TA, TA.c.id == TAS.c.task_id).where(TA.c.plan_id == plan_id)
         .order_by(TAS.c.task_id, TAS.c.position))
    for r in conn.execute(q).mappings():
        roles.setdefault(r["task_id"], []).append((r["role"], names[r["assignee_id"]]))
    for r in conn.execute(sa.select(TA).where(TA.c.plan_id == plan_id).order_by(TA.c.position)).mappings():
        rs = roles.get(r["id"], [])
        plan.tasks.append(from_row(Task, r, lead=[n for role, n in rs if role == "lead"],
                                   support=[n for role, n in rs if role == "support"]))
    for r in conn.execute(sa.select(IN).where(IN.c.plan_id == plan_id).order_by(IN.c.position)).mappings():
        plan.indicators.append(indicator_from_row(r))
    owed: dict[int, list[str]] = {}
    q = (sa.select(OBA).join(OB, OB.c.id == OBA.c.obligation_id).where(OB.c.plan_id == plan_id)
         .order_by(OBA.c.obligation_id, OBA.c.position))
    for r in conn.execute(q).mappings():
        owed.setdefault(r["obligation_id"], []).append(names[r["assignee_id"]])
    for r in conn.execute(sa.select(OB).where(OB.c.plan_id == plan_id).order_by(OB.c.position)).mappings():
        who = owed.get(r["id"], [])
        plan.obligations.append(from_row(Obligation, r, owed_by=[] if r["owed_by_all"] else who,
                                         except_=who if r["owed_by_all"] else []))
    return plan


def indicator_from_row(r) -> Indicator:
    return from_row(Indicator, r)


def list_plans(conn: sa.Connection) -> list[dict]:
    q = sa.select(P.c.id, P.c.number, P.c.title, P.c.issuer, P.c.issued_on, P.c.start, P.c.end)
    return [dict(r) for r in conn.execute(q.order_by(P.c.start, P.c.id)).mappings()]


def counts(conn: sa.Connection, plan_id: str) -> dict[str, int]:
    """How many of each part a stored plan has (for `kh plan show` and the import summary)."""
    out = {}
    for name, t in (("phases", PH), ("steps", ST), ("assignees", AS), ("tasks", TA),
                    ("indicators", IN), ("obligations", OB)):
        out[name] = conn.execute(sa.select(sa.func.count()).select_from(t)
                                 .where(t.c.plan_id == plan_id)).scalar_one()
    return out


def indicators(conn: sa.Connection, plan_id: str | None) -> list[tuple[str, Indicator]]:
    q = sa.select(IN).join(P, P.c.id == IN.c.plan_id).order_by(P.c.start, P.c.id, IN.c.position)
    if plan_id:
        q = q.where(IN.c.plan_id == plan_id)
    return [(r["plan_id"], indicator_from_row(r)) for r in conn.execute(q).mappings()]
