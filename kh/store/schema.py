"""The store's tables, as they stand after the latest migration.

These SQLModel classes describe the current schema; ``kh.store.migrations`` builds it step by
step on an existing store, and a test proves the two agree. Change both together, always with a
new migration: a store in the field is never re-created.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import (JSON, BigInteger, String, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, Text,
                        UniqueConstraint, false, text)
from pydantic import ConfigDict
from sqlmodel import Field, SQLModel

metadata = SQLModel.metadata


def _current(where) -> dict:
    """A partial index over the current rows. Its PostgreSQL form is added by ``for_postgresql``
    when a PostgreSQL store is opened: declaring it here would import SQLAlchemy's postgresql
    dialect, 25 ms on every command against a SQLite store."""
    return dict(sqlite_where=where)


def for_postgresql() -> None:
    for table in metadata.tables.values():
        for index in table.indexes:
            where = index.dialect_options["sqlite"]["where"]
            if where is not None and index.dialect_options["postgresql"]["where"] is None:
                index.dialect_options["postgresql"]["where"] = where


class _Table(SQLModel):
    # kh reads and writes through the tables (SQLAlchemy Core), never through pydantic
    # validation of these classes: deferring its build spares every store command 12 ms.
    model_config = ConfigDict(defer_build=True)


class SchemaVersion(_Table, table=True):
    __tablename__ = "kh_schema"
    version: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    applied_at: datetime = Field(sa_column=Column(DateTime, nullable=False))


class PlanRow(_Table, table=True):
    __tablename__ = "plan"
    id: str = Field(primary_key=True)
    number: str = ""
    title: str
    issuer: str
    level: str
    place: Optional[str] = None
    issued_on: Optional[date] = None
    start: date
    end: date
    cutoff_day: int = 1
    due_soon_days: int = Field(default=7, sa_column=Column(Integer, nullable=False, server_default="7"))
    working_days: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    implements: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    area: Optional[str] = None
    source: Optional[str] = None
    note: Optional[str] = None
    imported_at: datetime = Field(sa_column=Column(DateTime, nullable=False))


class PhaseRow(_Table, table=True):
    __tablename__ = "phase"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", ondelete="CASCADE")
    position: int
    key: str
    name: str
    start: Optional[date] = None
    end: date
    text: Optional[str] = None
    source: Optional[str] = None
    note: Optional[str] = None


class StepRow(_Table, table=True):
    __tablename__ = "step"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", ondelete="CASCADE")
    number: int
    text: str
    phase_key: Optional[str] = None
    source: Optional[str] = None
    note: Optional[str] = None


class AssigneeRow(_Table, table=True):
    __tablename__ = "assignee"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", ondelete="CASCADE")
    position: int
    name: str
    kind: str
    aliases: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: Optional[str] = None


class TaskRow(_Table, table=True):
    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", ondelete="CASCADE")
    position: int
    ref: str
    text: str
    due: Optional[dict] = Field(default=None, sa_column=Column(JSON, nullable=True))
    phase_key: Optional[str] = None
    source: Optional[str] = None
    note: Optional[str] = None


class TaskAssigneeRow(_Table, table=True):
    """Who carries a task: ``lead`` (chủ trì) or ``support`` (phối hợp), in the plan's order."""

    __tablename__ = "task_assignee"
    task_id: int = Field(foreign_key="task.id", primary_key=True, ondelete="CASCADE")
    assignee_id: int = Field(foreign_key="assignee.id", primary_key=True, ondelete="CASCADE")
    role: str
    position: int


class IndicatorRow(_Table, table=True):
    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", ondelete="CASCADE")
    position: int
    ref: str
    name: str
    counts: str
    kind: str
    comparator: str
    target: Optional[float] = None
    unit: str
    of: Optional[str] = None
    measure: str
    periodicity: str
    by_year: Optional[int] = None
    baseline_year: Optional[int] = None
    baseline_previous: bool = False
    baseline_value: Optional[float] = None
    milestones: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    per_unit: Optional[str] = None
    source: str
    note: Optional[str] = None
    reported_by: str = Field(default="commune", sa_column=Column(String, nullable=False, server_default="commune"))
    carry_forward: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    denominator_measure: Optional[str] = None
    denominator_value: Optional[float] = None


class ObligationRow(_Table, table=True):
    __tablename__ = "obligation"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id", ondelete="CASCADE")
    position: int
    key: str
    name: str
    to_whom: str
    deadline_text: str
    due: dict = Field(sa_column=Column(JSON, nullable=False))
    owed_by_all: bool = False
    source: Optional[str] = None
    note: Optional[str] = None


class ObligationAssigneeRow(_Table, table=True):
    """With ``owed_by_all`` false: who owes it; with it true: who is excepted."""

    __tablename__ = "obligation_assignee"
    obligation_id: int = Field(foreign_key="obligation.id", primary_key=True, ondelete="CASCADE")
    assignee_id: int = Field(foreign_key="assignee.id", primary_key=True, ondelete="CASCADE")
    position: int


class UnitRow(_Table, table=True):
    """One version of an administrative unit; a code may have several versions over time."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("code", "valid_from"),
        Index("ix_unit_parent", "parent"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True)
    name: str
    kind: str
    parent: Optional[str] = None
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    name_key: Optional[str] = None  # text.search_key(name), what kh unit find compares (migration 13)


class UnitSuccessorRow(_Table, table=True):
    """Which units took over when a unit version ended (merged communes, abolished districts)."""

    __tablename__ = "unit_successor"
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, ondelete="CASCADE")
    successor: str = Field(primary_key=True)
    position: int


class FigureRow(_Table, table=True):
    """One recorded figure. A replaced figure stays, with ``replaced_at``/``replaced_by`` set:
    the current figures are those where ``replaced_at`` is empty.

    ``m_from``/``m_to`` are the first and last month of the period as ``year × 12 + month − 1``,
    so that sums over quarters and years are integer comparisons in SQL whatever the plan's
    cut-off day."""

    __tablename__ = "figure"
    __table_args__ = (
        Index("ux_figure_current", "plan_id", "ref", "unit", "period", unique=True,
              **_current(text("replaced_at IS NULL"))),
        Index("ix_figure_rollup", "plan_id", "ref", "m_from", "m_to", "unit", "value", "denominator", "replaced_at",
              **_current(text("replaced_at IS NULL"))),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id")
    ref: str
    unit: str
    period: str
    m_from: int
    m_to: int
    value: int = Field(sa_column=Column(BigInteger, nullable=False))
    denominator: Optional[int] = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    note: Optional[str] = None
    recorded_at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    recorded_by: str
    replaced_at: Optional[datetime] = Field(default=None, sa_column=Column(DateTime, nullable=True))
    replaced_by: Optional[str] = None


class CompletionRow(_Table, table=True):
    """A report sent (``kind`` obligation, ``item`` its key) or a task done (``kind`` task,
    ``item`` its ref), by one assignee for one period ('' when the deadline names none).
    Undoing keeps the row with ``undone_at``/``undone_by`` set."""

    __tablename__ = "completion"
    __table_args__ = (
        Index("ux_completion_current", "plan_id", "kind", "item", "assignee", "period", unique=True,
              **_current(text("undone_at IS NULL"))),
        Index("ix_completion_done", "plan_id", "undone_at", "kind", "item", "assignee", "period", "done_on"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    plan_id: str = Field(foreign_key="plan.id")
    kind: str
    item: str
    assignee: str
    period: str
    done_on: date = Field(sa_column=Column(Date, nullable=False))
    note: Optional[str] = None
    recorded_at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    recorded_by: str
    undone_at: Optional[datetime] = Field(default=None, sa_column=Column(DateTime, nullable=True))
    undone_by: Optional[str] = None


class HistoryRow(_Table, table=True):
    """Every change people make: who, when, what it was, what it became, and why."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_plan_at", "plan_id", "at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    by: str
    what: str  # figure | submission | task | plan
    action: str  # add | replace | import | submit | done | undo | update
    plan_id: Optional[str] = None
    key: str
    old: Optional[str] = None
    new: Optional[str] = None
    reason: Optional[str] = None


class UnitClosureRow(_Table, table=True):
    """Which units count for which, and in which months (kh.units.closure): rebuilt whenever
    the unit tree changes, so that roll-ups are one indexed join, not a walk of the tree."""

    __tablename__ = "unit_closure"
    __table_args__ = (Index("ix_unit_closure_descendant", "descendant", "ancestor", "lo", "hi"),)
    ancestor: str = Field(primary_key=True)
    descendant: str = Field(primary_key=True)
    lo: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    hi: int


class GrantRow(_Table, table=True):
    """A database role's reach (kh admin): the figures of ``unit`` and every unit counting for
    it, to read, or to read and write. Enforced by row-level security on PostgreSQL."""

    __tablename__ = "kh_grant"
    role: str = Field(primary_key=True)
    unit: str = Field(primary_key=True)
    can_write: bool


class GrantAssigneeRow(_Table, table=True):
    """Whose reports and tasks a database role may record as sent or done."""

    __tablename__ = "kh_grant_assignee"
    role: str = Field(primary_key=True)
    assignee: str = Field(primary_key=True)


class AuditRow(_Table, table=True):
    """The engine's record of every change to figures, completions and grants (PostgreSQL: a
    trigger writes it; no officer may write or empty it)."""

    __tablename__ = "kh_audit"
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    by: str
    tbl: str
    action: str  # INSERT | UPDATE | DELETE | TRUNCATE
    old: Optional[str] = Field(default=None, sa_column=Column(Text))
    new: Optional[str] = Field(default=None, sa_column=Column(Text))


class TrustedKeyRow(_Table, table=True):
    """A unit's public key this store trusts for bundles (kh admin trust); a revoked key stays,
    with when, by whom and why, so that kh history and refusals can name it."""

    __tablename__ = "kh_key"
    fingerprint: str = Field(primary_key=True)
    unit: str
    public_key: str
    trusted_at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    trusted_by: str
    revoked_at: Optional[datetime] = Field(default=None, sa_column=Column(DateTime, nullable=True))
    revoked_by: Optional[str] = None
    reason: Optional[str] = None


class BundleRow(_Table, table=True):
    """A bundle imported (kh bundle import): its SHA-256, signer, arrival, and the file itself."""

    __tablename__ = "bundle"
    __table_args__ = (Index("ix_bundle_unit_period", "unit", "period"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    sha256: str = Field(sa_column=Column("sha256", String,  nullable=False, unique=True))
    unit: str
    period: str
    made_at: str
    signer: Optional[str] = None
    signer_unit: Optional[str] = None
    arrived_on: date = Field(sa_column=Column(Date, nullable=False))
    imported_at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    imported_by: str
    content: str = Field(sa_column=Column(Text, nullable=False))


class BundleFigureRow(_Table, table=True):
    """Which figure rows a bundle brought: a later bundle may replace them; a figure the
    province recorded itself is a conflict (docs/exchange.md)."""

    __tablename__ = "bundle_figure"
    __table_args__ = (Index("ix_bundle_figure_figure", "figure_id"),)
    bundle_id: int = Field(sa_column=Column(Integer, ForeignKey("bundle.id"), primary_key=True, autoincrement=False))
    figure_id: int = Field(sa_column=Column(Integer, ForeignKey("figure.id"), primary_key=True, autoincrement=False))


class AcceptanceRow(_Table, table=True):
    """A unit's report for a period as a clerk left it: ``accepted`` (its figures locked, with
    everything under the unit), ``returned`` (with the reason, for the commune) or ``reopened``.
    Every change is also a history row."""

    __tablename__ = "acceptance"
    plan_id: str = Field(sa_column=Column(String, ForeignKey("plan.id"), primary_key=True))
    unit: str = Field(primary_key=True)
    period: str = Field(primary_key=True)
    m_from: int
    m_to: int
    state: str
    at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    by: str
    reason: Optional[str] = None


class AssigneeEmailRow(_Table, table=True):
    """Where kh remind --send mails an assignee's reminders (kh assignee set-email)."""

    __tablename__ = "assignee_email"
    plan_id: str = Field(primary_key=True)
    assignee: str = Field(primary_key=True)
    email: str
    set_at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    set_by: str
