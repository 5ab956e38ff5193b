"""Reminder addresses per plan and assignee (kh assignee set-email, kh remind --send)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from kh.store.schema import ASSIGNEE_EMAIL

E = ASSIGNEE_EMAIL


def set_email(conn: sa.Connection, plan_id: str, assignee: str, email: str, *, by: str, now: datetime) -> str | None:
    """Set (or replace) the address; returns the one it replaced, if any."""
    from kh.store.access import check_sets_emails

    check_sets_emails(conn)
    old = conn.execute(sa.select(E.c.email).where(E.c.plan_id == plan_id, E.c.assignee == assignee)).scalar()
    if old is None:
        conn.execute(E.insert().values(plan_id=plan_id, assignee=assignee, email=email, set_at=now, set_by=by))
    else:
        conn.execute(E.update().where(E.c.plan_id == plan_id, E.c.assignee == assignee)
                     .values(email=email, set_at=now, set_by=by))
    return old


def emails(conn: sa.Connection, plan_ids: list[str]) -> dict[tuple[str, str], str]:
    rows = conn.execute(sa.select(E.c.plan_id, E.c.assignee, E.c.email).where(E.c.plan_id.in_(plan_ids)))
    return {(p, a): e for p, a, e in rows}
