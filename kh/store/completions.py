"""Reports sent and tasks done, with their undo history."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from kh.deadlines import Done, Sent
from kh.errors import KhError
from kh.store import access, history
from kh.store.schema import COMPLETION

C = COMPLETION


def done(conn: sa.Connection, plan_ids: list[str], as_of: date | None = None) -> Done:
    """What is done (not undone), and on which day: for the deadline and task listings. With
    ``as_of``, only what was done by that day: a list reprinted for a past day shows that day."""
    q = sa.select(C.c.kind, C.c.item, C.c.assignee, C.c.period, C.c.done_on).where(
        C.c.plan_id.in_(plan_ids), C.c.undone_at.is_(None), *_by(as_of))
    # Read straight from the driver's cursor, without building a Row and parsing a date for
    # each; the dates are read when a listing shows them.
    return {(k, i, a, p): d for k, i, a, p, d in conn.execute(q).cursor.fetchall()}


def _by(as_of: date | None) -> list:
    return [] if as_of is None else [C.c.done_on <= as_of]


def sent(conn: sa.Connection, plan_ids: list[str], as_of: date | None = None) -> Sent:
    """Which reports and tasks are done, without when: all the overdue list needs. One row
    per assignee and item (its periods joined), grouped in the order of the covering index:
    75,000 reports nationally come back as 3,321 rows, with no sort."""
    periods = sa.func.aggregate_strings(C.c.period, ",")  # period labels never hold a comma
    q = (sa.select(C.c.kind, C.c.item, C.c.assignee, periods)
         .where(C.c.plan_id.in_(plan_ids), C.c.undone_at.is_(None), *_by(as_of))
         .group_by(C.c.plan_id, C.c.kind, C.c.item, C.c.assignee))
    return Sent({(k, i, a): set(p.split(",")) for k, i, a, p in conn.execute(q).cursor.fetchall()})


def current(conn: sa.Connection, plan_id: str, kind: str, item: str, assignee: str, period: str):
    q = sa.select(C).where(C.c.plan_id == plan_id, C.c.kind == kind, C.c.item == item,
                           C.c.assignee == assignee, C.c.period == period, C.c.undone_at.is_(None))
    return conn.execute(q).mappings().first()


def _log(conn, kind, action, plan_id, item, assignee, period, old, new, by, now, reason) -> None:
    history.log(conn, [dict(what="submission" if kind == "obligation" else "task", action=action,
                            plan_id=plan_id, key=" ".join(x for x in (item, assignee, period) if x),
                            old=old and str(old), new=new and str(new))], by=by, at=now, reason=reason)


def mark(conn: sa.Connection, *, plan_id: str, kind: str, item: str, assignee: str, period: str,
         on: date, by: str, now: datetime, note: str | None = None,
         reason: str | None = None) -> tuple[bool, date]:
    """Record it done on ``on``; returns (new, the day it counts as done). A second report of
    the same thing is not a new one: the first day stands."""
    access.check_assignee(conn, assignee, "--assignee")
    existing = current(conn, plan_id, kind, item, assignee, period)
    if existing is not None:
        return False, existing["done_on"]
    conn.execute(sa.insert(C).values(plan_id=plan_id, kind=kind, item=item, assignee=assignee,
                                     period=period, done_on=on, note=note, recorded_at=now,
                                     recorded_by=by))
    _log(conn, kind, "submit" if kind == "obligation" else "done", plan_id, item, assignee, period,
         None, on, by, now, reason)
    return True, on


def bulk_load(conn: sa.Connection, plan_id: str, rows: list[tuple], *, by: str, now: datetime) -> None:
    """Reports sent, as trusted rows (obligation, assignee, period, sent on): for the synthetic
    stores of ``kh demo --scale``, never for user input."""
    for i in range(0, len(rows), 20000):
        conn.execute(sa.insert(C), [dict(plan_id=plan_id, kind="obligation", item=k, assignee=a, period=p,
                                         done_on=d, recorded_at=now, recorded_by=by)
                                    for k, a, p, d in rows[i:i + 20000]])


def undo(conn: sa.Connection, *, plan_id: str, kind: str, item: str, assignee: str, period: str,
         by: str, now: datetime, reason: str | None = None) -> date:
    access.check_assignee(conn, assignee, "--assignee")
    existing = current(conn, plan_id, kind, item, assignee, period)
    if existing is None:
        raise KhError("submit.nothing_to_undo" if kind == "obligation" else "task.nothing_to_undo",
                      item=item, assignee=assignee, period=f" {period}" if period else "")
    conn.execute(sa.update(C).where(C.c.id == existing["id"]).values(undone_at=now, undone_by=by))
    _log(conn, kind, "undo", plan_id, item, assignee, period, existing["done_on"], None, by, now, reason)
    return existing["done_on"]
