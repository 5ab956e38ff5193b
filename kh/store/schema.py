"""The store's tables, as they stand after the latest migration.

A plan's tables are derived from the declarations in ``kh.model``; the others are SQLModel
classes. ``kh.store.migrations`` builds the schema step by step on an existing store, and a test
proves the two agree. Change both together, always with a new migration: a store in the field is
never re-created.
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from typing import Optional

from sqlalchemy import (JSON, BigInteger, Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer,
                        MetaData, String, Table, Text, UniqueConstraint, text)
from pydantic import ConfigDict
from sqlmodel import Field, SQLModel

from kh.model import Assignee, Indicator, Obligation, Phase, Plan, Step, Task, declared

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


# ---------------------------------------------------------------- a plan's tables

# Each element's columns are derived from its declaration in kh/model.py (``attr``): adding a
# field there adds its column here, and then tests/store/test_migrations.py asks for the
# migration that adds it to stores in the field. The store adds the ids, ``plan_id``, the
# positions (the plan's order) and the links to assignees.

_SQL_TYPES = {str: String, int: Integer, float: Float, bool: Boolean, date: Date}


def declared_columns(cls: type, primary_key: str | None = None) -> list[Column]:
    """The columns of a plan element's declared fields, in declared order. The SQL type comes
    from the field's annotation (``str``, ``int``, ``float``, ``bool``, ``date``; a list, a dict
    or a ``DeadlineRule`` is JSON); ``X | None`` may be NULL, anything else may not."""
    hints = typing.get_type_hints(cls)
    out = []
    for name, spec in declared(cls):
        if spec.column is None:
            continue
        hint = hints[name]
        nullable = False
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(hint) if a is not type(None)]
            nullable = len(rest) < len(typing.get_args(hint))
            if len(rest) != 1:
                raise TypeError(f"{cls.__name__}.{name}: one type (or it | None) per stored field, not {hint}")
            hint = rest[0]
        out.append(Column(spec.column, _SQL_TYPES.get(hint, JSON), nullable=nullable,
                          primary_key=spec.column == primary_key))
    return out


def element_table(name: str, cls: type, *, unique: str, position: bool = True,
                  into: MetaData = metadata) -> Table:
    """The table of one kind of plan element: an id, its plan, its position in the plan, its
    declared columns; ``unique`` names it within its plan."""
    store = [Column("id", Integer, primary_key=True),
             Column("plan_id", String, ForeignKey("plan.id", ondelete="CASCADE"), nullable=False)]
    if position:
        store.append(Column("position", Integer, nullable=False))
    return Table(name, into, *store, *declared_columns(cls), UniqueConstraint("plan_id", unique),
                 info={"element": cls})


PLAN = Table("plan", metadata, *declared_columns(Plan, primary_key="id"),
             Column("imported_at", DateTime, nullable=False), info={"element": Plan})
PHASE = element_table("phase", Phase, unique="key")
STEP = element_table("step", Step, unique="number", position=False)  # kept in number order
ASSIGNEE = element_table("assignee", Assignee, unique="name")
TASK = element_table("task", Task, unique="ref")
INDICATOR = element_table("indicator", Indicator, unique="ref")
OBLIGATION = element_table("obligation", Obligation, unique="key")
ELEMENT_TABLES = {Plan: PLAN, Phase: PHASE, Step: STEP, Assignee: ASSIGNEE, Task: TASK,
                  Indicator: INDICATOR, Obligation: OBLIGATION}


class TaskAssigneeRow(_Table, table=True):
    """Who carries a task: ``lead`` (chủ trì) or ``support`` (phối hợp), in the plan's order."""

    __tablename__ = "task_assignee"
    task_id: int = Field(foreign_key="task.id", primary_key=True, ondelete="CASCADE")
    assignee_id: int = Field(foreign_key="assignee.id", primary_key=True, ondelete="CASCADE")
    role: str
    position: int


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
