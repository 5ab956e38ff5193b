"""The store's tables, as they stand after the latest migration.

A plan's tables are derived from the declarations in ``kh.model``; the others are written here as
SQLAlchemy Core tables. ``kh.store.migrations`` builds the schema step by step on an existing
store, and a test proves the two agree. Change both together, always with a new migration: a store
in the field is never re-created.

kh reads and writes through these tables (SQLAlchemy Core) and never through an ORM or pydantic
model of a row. They were SQLModel classes once: importing sqlmodel (and with it SQLAlchemy's ORM
and pydantic) and mapping each class cost every store command about 0.2 s of processor time
(docs/performance.md, "Start-up, this round").
"""

from __future__ import annotations

import types
import typing
from datetime import date

from sqlalchemy import (JSON, BigInteger, Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer,
                        MetaData, String, Table, Text, UniqueConstraint, text)

from kh.model import Assignee, Indicator, Obligation, Phase, Plan, Step, Task, declared

metadata = MetaData()


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


def _text(name: str, *args, nullable: bool = False, **kw) -> Column:
    """A text column; NOT NULL unless said otherwise."""
    return Column(name, String, *args, nullable=nullable, **kw)


SCHEMA_VERSION = Table(
    "kh_schema", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime, nullable=False))


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


# Who carries a task: ``lead`` (chủ trì) or ``support`` (phối hợp), in the plan's order.
TASK_ASSIGNEE = Table(
    "task_assignee", metadata,
    Column("task_id", Integer, ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    Column("assignee_id", Integer, ForeignKey("assignee.id", ondelete="CASCADE"), primary_key=True),
    _text("role"),
    Column("position", Integer, nullable=False))

# With ``owed_by_all`` false: who owes it; with it true: who is excepted.
OBLIGATION_ASSIGNEE = Table(
    "obligation_assignee", metadata,
    Column("obligation_id", Integer, ForeignKey("obligation.id", ondelete="CASCADE"), primary_key=True),
    Column("assignee_id", Integer, ForeignKey("assignee.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False))

# One version of an administrative unit; a code may have several versions over time.
UNIT = Table(
    "unit", metadata,
    Column("id", Integer, primary_key=True),
    _text("code"),
    _text("name"),
    _text("kind"),
    _text("parent", nullable=True),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    _text("name_key", nullable=True),  # text.search_key(name), what kh unit find compares (migration 13)
    UniqueConstraint("code", "valid_from"),
    Index("ix_unit_code", "code"),
    Index("ix_unit_parent", "parent"))

# Which units took over when a unit version ended (merged communes, abolished districts).
UNIT_SUCCESSOR = Table(
    "unit_successor", metadata,
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
    _text("successor", primary_key=True),
    Column("position", Integer, nullable=False))

# One recorded figure. A replaced figure stays, with ``replaced_at``/``replaced_by`` set: the
# current figures are those where ``replaced_at`` is empty. ``m_from``/``m_to`` are the first and
# last month of the period as ``year × 12 + month − 1``, so that sums over quarters and years are
# integer comparisons in SQL whatever the plan's cut-off day.
FIGURE = Table(
    "figure", metadata,
    Column("id", Integer, primary_key=True),
    _text("plan_id", ForeignKey("plan.id")),
    _text("ref"),
    _text("unit"),
    _text("period"),
    Column("m_from", Integer, nullable=False),
    Column("m_to", Integer, nullable=False),
    Column("value", BigInteger, nullable=False),
    Column("denominator", BigInteger, nullable=True),
    _text("note", nullable=True),
    Column("recorded_at", DateTime, nullable=False),
    _text("recorded_by"),
    Column("replaced_at", DateTime, nullable=True),
    _text("replaced_by", nullable=True),
    Index("ux_figure_current", "plan_id", "ref", "unit", "period", unique=True,
          **_current(text("replaced_at IS NULL"))),
    Index("ix_figure_rollup", "plan_id", "ref", "m_from", "m_to", "unit", "value", "denominator", "replaced_at",
          **_current(text("replaced_at IS NULL"))))

# A report sent (``kind`` obligation, ``item`` its key) or a task done (``kind`` task, ``item`` its
# ref), by one assignee for one period ('' when the deadline names none). Undoing keeps the row
# with ``undone_at``/``undone_by`` set.
COMPLETION = Table(
    "completion", metadata,
    Column("id", Integer, primary_key=True),
    _text("plan_id", ForeignKey("plan.id")),
    _text("kind"),
    _text("item"),
    _text("assignee"),
    _text("period"),
    Column("done_on", Date, nullable=False),
    _text("note", nullable=True),
    Column("recorded_at", DateTime, nullable=False),
    _text("recorded_by"),
    Column("undone_at", DateTime, nullable=True),
    _text("undone_by", nullable=True),
    Index("ux_completion_current", "plan_id", "kind", "item", "assignee", "period", unique=True,
          **_current(text("undone_at IS NULL"))),
    Index("ix_completion_done", "plan_id", "undone_at", "kind", "item", "assignee", "period", "done_on"))

# Every change people make: who, when, what it was, what it became, and why.
HISTORY = Table(
    "history", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    _text("by"),
    _text("what"),  # figure | submission | task | plan
    _text("action"),  # add | replace | import | submit | done | undo | update
    _text("plan_id", nullable=True),
    _text("key"),
    _text("old", nullable=True),
    _text("new", nullable=True),
    _text("reason", nullable=True),
    Index("ix_history_plan_at", "plan_id", "at"))

# Which units count for which, and in which months (kh.units.closure): rebuilt whenever the unit
# tree changes, so that roll-ups are one indexed join, not a walk of the tree.
UNIT_CLOSURE = Table(
    "unit_closure", metadata,
    _text("ancestor", primary_key=True),
    _text("descendant", primary_key=True),
    Column("lo", Integer, primary_key=True, autoincrement=False),
    Column("hi", Integer, nullable=False),
    Index("ix_unit_closure_descendant", "descendant", "ancestor", "lo", "hi"))

# A database role's reach (kh admin): the figures of ``unit`` and every unit counting for it, to
# read, or to read and write. Enforced by row-level security on PostgreSQL.
GRANT = Table(
    "kh_grant", metadata,
    _text("role", primary_key=True),
    _text("unit", primary_key=True),
    Column("can_write", Boolean, nullable=False))

# The roles whose grants reach every unit of the tree: kept by PostgreSQL from kh_grant and the
# closure (migration 16), read by the figures' row-level security; empty on SQLite.
REACH_ALL = Table(
    "kh_reach_all", metadata,
    _text("role", primary_key=True))

# Whose reports and tasks a database role may record as sent or done.
GRANT_ASSIGNEE = Table(
    "kh_grant_assignee", metadata,
    _text("role", primary_key=True),
    _text("assignee", primary_key=True))

# The engine's record of every change to figures, completions and grants (PostgreSQL: a trigger
# writes it; no officer may write or empty it).
AUDIT = Table(
    "kh_audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    _text("by"),
    _text("tbl"),
    _text("action"),  # INSERT | UPDATE | DELETE | TRUNCATE
    Column("old", Text, nullable=True),
    Column("new", Text, nullable=True))

# A unit's public key this store trusts for bundles (kh admin trust); a revoked key stays, with
# when, by whom and why, so that kh history and refusals can name it.
TRUSTED_KEY = Table(
    "kh_key", metadata,
    _text("fingerprint", primary_key=True),
    _text("unit"),
    _text("public_key"),
    Column("trusted_at", DateTime, nullable=False),
    _text("trusted_by"),
    Column("revoked_at", DateTime, nullable=True),
    _text("revoked_by", nullable=True),
    _text("reason", nullable=True))

# A bundle imported (kh bundle import): its SHA-256, signer, arrival, and the file itself.
BUNDLE = Table(
    "bundle", metadata,
    Column("id", Integer, primary_key=True),
    _text("sha256", unique=True),
    _text("unit"),
    _text("period"),
    _text("made_at"),
    _text("signer", nullable=True),
    _text("signer_unit", nullable=True),
    Column("arrived_on", Date, nullable=False),
    Column("imported_at", DateTime, nullable=False),
    _text("imported_by"),
    Column("content", Text, nullable=False),
    Index("ix_bundle_unit_period", "unit", "period"))

# Which figure rows a bundle brought: a later bundle may replace them; a figure the province
# recorded itself is a conflict (docs/exchange.md).
BUNDLE_FIGURE = Table(
    "bundle_figure", metadata,
    Column("bundle_id", Integer, ForeignKey("bundle.id"), primary_key=True, autoincrement=False),
    Column("figure_id", Integer, ForeignKey("figure.id"), primary_key=True, autoincrement=False),
    Index("ix_bundle_figure_figure", "figure_id"))

# A unit's report for a period as a clerk left it: ``accepted`` (its figures locked, with
# everything under the unit), ``returned`` (with the reason, for the commune) or ``reopened``.
# Every change is also a history row.
ACCEPTANCE = Table(
    "acceptance", metadata,
    _text("plan_id", ForeignKey("plan.id"), primary_key=True),
    _text("unit", primary_key=True),
    _text("period", primary_key=True),
    Column("m_from", Integer, nullable=False),
    Column("m_to", Integer, nullable=False),
    _text("state"),
    Column("at", DateTime, nullable=False),
    _text("by"),
    _text("reason", nullable=True))

# Where kh remind --send mails an assignee's reminders (kh assignee set-email).
ASSIGNEE_EMAIL = Table(
    "assignee_email", metadata,
    _text("plan_id", primary_key=True),
    _text("assignee", primary_key=True),
    _text("email"),
    Column("set_at", DateTime, nullable=False),
    _text("set_by"))
