"""The change log: every change to a figure, a submission, a task or a plan, with who, when,
the old and the new value, and the reason when one is given."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from kh.store.schema import HISTORY

H = HISTORY
COLUMNS = ["at", "by", "what", "action", "plan", "key", "old", "new", "reason"]


def log(conn: sa.Connection, entries: list[dict], *, by: str, at: datetime, reason: str | None = None) -> None:
    """Write entries (what, action, plan_id, key, old, new) in one statement."""
    if entries:
        conn.execute(sa.insert(H), [{"old": None, "new": None, **e, "at": at, "by": by, "reason": reason}
                                    for e in entries])


def listing(conn: sa.Connection, *, plan: str | None = None, what: str | None = None,
            since: date | None = None) -> list[dict]:
    q = sa.select(H).order_by(H.c.at, H.c.id)
    if plan:
        q = q.where(H.c.plan_id == plan)
    if what:
        q = q.where(H.c.what == what)
    if since:
        q = q.where(H.c.at >= datetime(since.year, since.month, since.day))
    return [dict(at=r["at"].replace(microsecond=0), by=r["by"], what=r["what"], action=r["action"],
                 plan=r["plan_id"], key=r["key"], old=r["old"], new=r["new"], reason=r["reason"])
            for r in conn.execute(q).mappings()]
