"""Ordered schema migrations, recorded in ``kh_schema``.

Each migration is a frozen function of alembic's ``Operations`` (ALTER TABLE that works on SQLite
through batch mode, and on PostgreSQL). Migrations run with SQLite's foreign keys off — a batch
copy of a parent table would otherwise cascade-delete its children — and are checked after. Never edit a migration that has shipped: add the next
one, and update ``kh.store.schema`` to match; ``tests/store/test_migrations.py`` proves the two
agree. ``kh init`` runs what is missing, all in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import sqlalchemy as sa

from kh.errors import StoreError
from kh.periods import utc_now

if TYPE_CHECKING:  # alembic is imported only by what creates or upgrades a store (init, demo, restore)
    from alembic.operations import Operations


def _v1_plans_and_units(op: Operations) -> None:
    """The first schema: plans with their phases, steps, assignees, tasks, indicators,
    obligations; and the versioned unit tree."""
    def pk():
        return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)

    def plan_fk():
        return sa.Column("plan_id", sa.String, sa.ForeignKey("plan.id", ondelete="CASCADE"), nullable=False)

    text, req = sa.String, dict(nullable=False)
    op.create_table(
        "plan",
        sa.Column("id", text, primary_key=True),
        sa.Column("number", text, **req), sa.Column("title", text, **req),
        sa.Column("issuer", text, **req), sa.Column("level", text, **req),
        sa.Column("place", text), sa.Column("issued_on", sa.Date),
        sa.Column("start", sa.Date, **req), sa.Column("end", sa.Date, **req),
        sa.Column("cutoff_day", sa.Integer, **req), sa.Column("implements", sa.JSON, **req),
        sa.Column("area", text), sa.Column("source", text), sa.Column("note", text),
        sa.Column("imported_at", sa.DateTime, **req),
    )
    op.create_table(
        "phase", pk(), plan_fk(), sa.Column("position", sa.Integer, **req),
        sa.Column("key", text, **req), sa.Column("name", text, **req),
        sa.Column("start", sa.Date), sa.Column("end", sa.Date, **req), sa.Column("text", text),
        sa.Column("source", text), sa.Column("note", text),
        sa.UniqueConstraint("plan_id", "key"),
    )
    op.create_table(
        "step", pk(), plan_fk(), sa.Column("number", sa.Integer, **req),
        sa.Column("text", text, **req), sa.Column("phase_key", text),
        sa.Column("source", text), sa.Column("note", text),
        sa.UniqueConstraint("plan_id", "number"),
    )
    op.create_table(
        "assignee", pk(), plan_fk(), sa.Column("position", sa.Integer, **req),
        sa.Column("name", text, **req), sa.Column("kind", text, **req),
        sa.Column("aliases", sa.JSON, **req), sa.Column("note", text),
        sa.UniqueConstraint("plan_id", "name"),
    )
    op.create_table(
        "task", pk(), plan_fk(), sa.Column("position", sa.Integer, **req),
        sa.Column("ref", text, **req), sa.Column("text", text, **req),
        sa.Column("due", sa.JSON), sa.Column("phase_key", text),
        sa.Column("source", text), sa.Column("note", text),
        sa.UniqueConstraint("plan_id", "ref"),
    )
    op.create_table(
        "task_assignee",
        sa.Column("task_id", sa.Integer, sa.ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("assignee_id", sa.Integer, sa.ForeignKey("assignee.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("role", text, **req), sa.Column("position", sa.Integer, **req),
    )
    op.create_table(
        "indicator", pk(), plan_fk(), sa.Column("position", sa.Integer, **req),
        sa.Column("ref", text, **req), sa.Column("name", text, **req),
        sa.Column("counts", text, **req), sa.Column("kind", text, **req),
        sa.Column("comparator", text, **req), sa.Column("target", sa.Float),
        sa.Column("unit", text, **req), sa.Column("of", text),
        sa.Column("measure", text, **req), sa.Column("periodicity", text, **req),
        sa.Column("by_year", sa.Integer), sa.Column("baseline_year", sa.Integer),
        sa.Column("baseline_previous", sa.Boolean, **req), sa.Column("baseline_value", sa.Float),
        sa.Column("milestones", sa.JSON, **req), sa.Column("per_unit", text),
        sa.Column("source", text, **req), sa.Column("note", text),
        sa.UniqueConstraint("plan_id", "ref"),
    )
    op.create_table(
        "obligation", pk(), plan_fk(), sa.Column("position", sa.Integer, **req),
        sa.Column("key", text, **req), sa.Column("name", text, **req),
        sa.Column("to_whom", text, **req), sa.Column("deadline_text", text, **req),
        sa.Column("due", sa.JSON, **req), sa.Column("owed_by_all", sa.Boolean, **req),
        sa.Column("source", text), sa.Column("note", text),
        sa.UniqueConstraint("plan_id", "key"),
    )
    op.create_table(
        "obligation_assignee",
        sa.Column("obligation_id", sa.Integer, sa.ForeignKey("obligation.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("assignee_id", sa.Integer, sa.ForeignKey("assignee.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, **req),
    )
    op.create_table(
        "unit", pk(), sa.Column("code", text, **req), sa.Column("name", text, **req),
        sa.Column("kind", text, **req), sa.Column("parent", text),
        sa.Column("valid_from", sa.Date), sa.Column("valid_to", sa.Date),
        sa.UniqueConstraint("code", "valid_from"),
    )
    op.create_index("ix_unit_code", "unit", ["code"])
    op.create_index("ix_unit_parent", "unit", ["parent"])
    op.create_table(
        "unit_successor",
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("successor", text, primary_key=True),
        sa.Column("position", sa.Integer, **req),
    )


def _v2_figures(op: Operations) -> None:
    """Recorded figures, with their history (replaced rows are kept)."""
    op.create_table(
        "figure",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.String, sa.ForeignKey("plan.id"), nullable=False),
        sa.Column("ref", sa.String, nullable=False),
        sa.Column("unit", sa.String, nullable=False),
        sa.Column("period", sa.String, nullable=False),
        sa.Column("m_from", sa.Integer, nullable=False),
        sa.Column("m_to", sa.Integer, nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("denominator", sa.BigInteger),
        sa.Column("note", sa.String),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("recorded_by", sa.String, nullable=False),
        sa.Column("replaced_at", sa.DateTime),
        sa.Column("replaced_by", sa.String),
    )
    current = sa.text("replaced_at IS NULL")
    op.create_index("ux_figure_current", "figure", ["plan_id", "ref", "unit", "period"], unique=True,
                    sqlite_where=current, postgresql_where=current)
    # Covering: a roll-up reads the current figures of one indicator over a span of months
    # without touching the table.
    op.create_index("ix_figure_rollup", "figure", ["plan_id", "ref", "m_from", "m_to", "unit", "value", "denominator"],
                    sqlite_where=current, postgresql_where=current)


def _v3_deadlines(op: Operations) -> None:
    """Reports sent and tasks done (with undo history); a plan's due-soon window and whether
    its deadlines move off weekends and public holidays."""
    # Plain ADD COLUMN: SQLite does it in place, where a batch copy would drop and re-create the
    # plan table.
    op.add_column("plan", sa.Column("due_soon_days", sa.Integer, nullable=False, server_default="7"))
    op.add_column("plan", sa.Column("working_days", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "completion",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.String, sa.ForeignKey("plan.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("item", sa.String, nullable=False),
        sa.Column("assignee", sa.String, nullable=False),
        sa.Column("period", sa.String, nullable=False),
        sa.Column("done_on", sa.Date, nullable=False),
        sa.Column("note", sa.String),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("recorded_by", sa.String, nullable=False),
        sa.Column("undone_at", sa.DateTime),
        sa.Column("undone_by", sa.String),
    )
    current = sa.text("undone_at IS NULL")
    op.create_index("ux_completion_current", "completion", ["plan_id", "kind", "item", "assignee", "period"],
                    unique=True, sqlite_where=current, postgresql_where=current)
    # Covering: which reports were sent, read from the index alone (75,000 nationally).
    op.create_index("ix_completion_done", "completion", ["plan_id", "undone_at", "kind", "item", "assignee", "period"])


def _v4_history(op: Operations) -> None:
    """The change log behind kh history."""
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("by", sa.String, nullable=False),
        sa.Column("what", sa.String, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("plan_id", sa.String),
        sa.Column("key", sa.String, nullable=False),
        sa.Column("old", sa.String),
        sa.Column("new", sa.String),
        sa.Column("reason", sa.String),
    )
    op.create_index("ix_history_plan_at", "history", ["plan_id", "at"])


def _v5_unit_closure(op: Operations) -> None:
    """Which units count for which, month by month; filled from the unit tree."""
    op.create_table(
        "unit_closure",
        sa.Column("ancestor", sa.String, primary_key=True),
        sa.Column("descendant", sa.String, primary_key=True),
        sa.Column("lo", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("hi", sa.Integer, nullable=False),
    )
    op.create_index("ix_unit_closure_descendant", "unit_closure", ["descendant", "ancestor", "lo", "hi"])
    # The data step uses the current closure code on purpose: the closure is a cache derived
    # from the units (rebuilt on every change to them), not data people entered; a later change
    # to how it is computed comes with its own migration that rebuilds it.
    from kh.store.unit_rows import rebuild_closure

    rebuild_closure(op.get_bind())


# Row-level security (PostgreSQL only). A role's grants (kh admin) say which units' figures it
# reads or writes, through the closure (a commune's grant covers the communes merged into it),
# and whose reports it records. The tables' owner — the role that ran kh init — is not subject to
# the policies; officers' roles always are.
_MINE = ("SELECT c.descendant FROM kh_grant g JOIN unit_closure c ON c.ancestor = g.unit "
         "WHERE g.role = current_user")
# The policies use IN (subquery), which PostgreSQL computes once per statement (a hashed
# subplan), not a function call per row: a clerk's province report reads 600,000 figures.
_ACCESS_SQL = [
    # For kh's own checks before a write (kh.store.access), one unit or assignee at a time.
    """CREATE FUNCTION kh_may_unit(unit text, write boolean) RETURNS boolean
       LANGUAGE sql STABLE AS $$
         SELECT EXISTS (SELECT 1 FROM kh_grant g JOIN unit_closure c ON c.ancestor = g.unit
                        WHERE g.role = current_user AND c.descendant = $1 AND (g.can_write OR NOT $2))
       $$""",
    """CREATE FUNCTION kh_may_report(assignee text) RETURNS boolean
       LANGUAGE sql STABLE AS $$
         SELECT EXISTS (SELECT 1 FROM kh_grant_assignee a WHERE a.role = current_user AND a.assignee = $1)
       $$""",
    "ALTER TABLE figure ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY kh_read ON figure FOR SELECT USING (unit IN (" + _MINE + "))",
    "CREATE POLICY kh_add ON figure FOR INSERT WITH CHECK (unit IN (" + _MINE + " AND g.can_write) "
    "AND recorded_by = current_user)",
    "CREATE POLICY kh_replace ON figure FOR UPDATE USING (unit IN (" + _MINE + " AND g.can_write)) "
    "WITH CHECK (unit IN (" + _MINE + " AND g.can_write) AND replaced_by = current_user)",
    "ALTER TABLE completion ENABLE ROW LEVEL SECURITY",
    # Who sent what is read by all: the overdue list is how a province chases its communes.
    "CREATE POLICY kh_read ON completion FOR SELECT USING (true)",
    "CREATE POLICY kh_add ON completion FOR INSERT WITH CHECK (assignee IN (SELECT a.assignee FROM "
    "kh_grant_assignee a WHERE a.role = current_user) AND recorded_by = current_user)",
    "CREATE POLICY kh_undo ON completion FOR UPDATE USING (assignee IN (SELECT a.assignee FROM "
    "kh_grant_assignee a WHERE a.role = current_user)) WITH CHECK (undone_by = current_user)",
    "ALTER TABLE history ENABLE ROW LEVEL SECURITY",
    # An officer sees their own changes; a clerk (a read-only grant) sees everyone's.
    "CREATE POLICY kh_read ON history FOR SELECT USING (by = current_user OR EXISTS "
    "(SELECT 1 FROM kh_grant g WHERE g.role = current_user AND NOT g.can_write))",
    "CREATE POLICY kh_add ON history FOR INSERT WITH CHECK (by = current_user)",
]


def _v6_access(op: Operations) -> None:
    """Who may read and write what on a shared PostgreSQL store (kh admin): the grants on both
    engines; the row-level security that enforces them on PostgreSQL."""
    op.create_table(
        "kh_grant",
        sa.Column("role", sa.String, primary_key=True),
        sa.Column("unit", sa.String, primary_key=True),
        sa.Column("can_write", sa.Boolean, nullable=False),
    )
    op.create_table(
        "kh_grant_assignee",
        sa.Column("role", sa.String, primary_key=True),
        sa.Column("assignee", sa.String, primary_key=True),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in _ACCESS_SQL:
            op.execute(sa.text(statement))


def _v7_covering_rollup(op: Operations) -> None:
    """The roll-up index holds ``replaced_at`` too. SQLite (3.40) counts a partial index as
    covering only if it holds the column of its own WHERE; without it, every figure a national
    report sums was also read from the table (the gap report: 4 % faster)."""
    current = sa.text("replaced_at IS NULL")
    op.drop_index("ix_figure_rollup", table_name="figure")
    op.create_index("ix_figure_rollup", "figure",
                    ["plan_id", "ref", "m_from", "m_to", "unit", "value", "denominator", "replaced_at"],
                    sqlite_where=current, postgresql_where=current)


def _v8_exchange(op: Operations) -> None:
    """Bundles between stores (docs/exchange.md): the public keys a store trusts, each bundle
    imported (its file kept, for provenance), and which figures each bundle brought."""
    op.create_table(
        "kh_key",
        sa.Column("fingerprint", sa.String, primary_key=True),
        sa.Column("unit", sa.String, nullable=False),
        sa.Column("public_key", sa.String, nullable=False),
        sa.Column("trusted_at", sa.DateTime, nullable=False),
        sa.Column("trusted_by", sa.String, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
        sa.Column("revoked_by", sa.String),
        sa.Column("reason", sa.String),
    )
    op.create_table(
        "bundle",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String, nullable=False, unique=True),
        sa.Column("unit", sa.String, nullable=False),
        sa.Column("period", sa.String, nullable=False),
        sa.Column("made_at", sa.String, nullable=False),
        sa.Column("signer", sa.String),
        sa.Column("signer_unit", sa.String),
        sa.Column("arrived_on", sa.Date, nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("imported_by", sa.String, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
    )
    op.create_index("ix_bundle_unit_period", "bundle", ["unit", "period"])
    op.create_table(
        "bundle_figure",
        sa.Column("bundle_id", sa.Integer, sa.ForeignKey("bundle.id"), primary_key=True),
        sa.Column("figure_id", sa.Integer, sa.ForeignKey("figure.id"), primary_key=True),
    )
    op.create_index("ix_bundle_figure_figure", "bundle_figure", ["figure_id"])


# The engine's own lock on accepted reports (PostgreSQL): no figure inside an accepted window —
# the unit accepted and every unit counting for it, in overlapping months — is added, replaced
# or deleted, whoever connects (the tables' owner included: triggers bind owners too), until a
# clerk reopens it. kh checks first on both engines (kh.store.acceptance_rows) to say it in one
# line; this is what holds against psql.
_LOCK_SQL = [
    """CREATE FUNCTION kh_locked(p text, u text, lo integer, hi integer) RETURNS boolean
       LANGUAGE sql STABLE AS $$
         SELECT EXISTS (SELECT 1 FROM acceptance a JOIN unit_closure c ON c.ancestor = a.unit
                        WHERE a.state = 'accepted' AND a.plan_id = $1 AND c.descendant = $2
                          AND a.m_from <= $4 AND a.m_to >= $3 AND c.lo <= $4 AND c.hi >= $3)
       $$""",
    """CREATE FUNCTION kh_figure_lock() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'INSERT' AND kh_locked(OLD.plan_id, OLD.unit, OLD.m_from, OLD.m_to) THEN
           RAISE EXCEPTION 'figure % % % % lies in an accepted report; a clerk must reopen it first (kh reopen)',
             OLD.plan_id, OLD.ref, OLD.unit, OLD.period USING ERRCODE = '23514';
         END IF;
         IF TG_OP <> 'DELETE' AND kh_locked(NEW.plan_id, NEW.unit, NEW.m_from, NEW.m_to) THEN
           RAISE EXCEPTION 'figure % % % % lies in an accepted report; a clerk must reopen it first (kh reopen)',
             NEW.plan_id, NEW.ref, NEW.unit, NEW.period USING ERRCODE = '23514';
         END IF;
         RETURN COALESCE(NEW, OLD);
       END $$""",
    "CREATE TRIGGER kh_figure_lock BEFORE INSERT OR UPDATE OR DELETE ON figure "
    "FOR EACH ROW EXECUTE FUNCTION kh_figure_lock()",
    # Acceptances are the clerks': a role with a read-only grant (kh admin clerk) over the unit.
    # Officers read them, and cannot lift a lock on their own figures.
    "ALTER TABLE acceptance ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY kh_read ON acceptance FOR SELECT USING (true)",
    "CREATE POLICY kh_clerk_add ON acceptance FOR INSERT WITH CHECK (unit IN (" + _MINE + " AND NOT g.can_write) "
    "AND by = current_user)",
    "CREATE POLICY kh_clerk_change ON acceptance FOR UPDATE USING (unit IN (" + _MINE + " AND NOT g.can_write)) "
    "WITH CHECK (unit IN (" + _MINE + " AND NOT g.can_write) AND by = current_user)",
]


def _v9_acceptance(op: Operations) -> None:
    """A unit's report for a period, accepted, returned or reopened by a clerk (kh accept …);
    while accepted, its figures are locked (on PostgreSQL by the trigger above)."""
    op.create_table(
        "acceptance",
        sa.Column("plan_id", sa.String, sa.ForeignKey("plan.id"), primary_key=True),
        sa.Column("unit", sa.String, primary_key=True),
        sa.Column("period", sa.String, primary_key=True),
        sa.Column("m_from", sa.Integer, nullable=False),
        sa.Column("m_to", sa.Integer, nullable=False),
        sa.Column("state", sa.String, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("by", sa.String, nullable=False),
        sa.Column("reason", sa.String),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in _LOCK_SQL:
            op.execute(sa.text(statement))


_AUDITED = ("figure", "completion", "kh_grant", "kh_grant_assignee")
_AUDIT_SQL = [
    # SECURITY DEFINER: the trigger writes kh_audit as its owner, which no officer may write,
    # delete or truncate; session_user is the login that made the change, whatever SET ROLE says.
    """CREATE FUNCTION kh_audit_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = pg_catalog, public AS $$
       BEGIN
         INSERT INTO public.kh_audit (at, by, tbl, action, old, new)
         VALUES (clock_timestamp() AT TIME ZONE 'UTC', session_user, TG_TABLE_NAME, TG_OP,
                 CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN row_to_json(OLD)::text END,
                 CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN row_to_json(NEW)::text END);
         RETURN NULL;
       END $$""",
    """CREATE FUNCTION kh_audit_truncate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = pg_catalog, public AS $$
       BEGIN
         INSERT INTO public.kh_audit (at, by, tbl, action)
         VALUES (clock_timestamp() AT TIME ZONE 'UTC', session_user, TG_TABLE_NAME, TG_OP);
         RETURN NULL;
       END $$""",
    "REVOKE ALL ON kh_audit FROM PUBLIC",
]
for _t in _AUDITED:
    _AUDIT_SQL += [f"CREATE TRIGGER kh_audit AFTER INSERT OR UPDATE OR DELETE ON {_t} "
                   f"FOR EACH ROW EXECUTE FUNCTION kh_audit_row()",
                   f"CREATE TRIGGER kh_audit_truncate AFTER TRUNCATE ON {_t} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION kh_audit_truncate()"]


def _v10_audit(op: Operations) -> None:
    """The engine's own record of every change to figures, reports sent, tasks done and grants
    (issue 14): on PostgreSQL a trigger writes it, whoever changes a row and however (kh, psql),
    and no officer can write, change or empty it. kh's history says why; kh_audit says that it
    happened. The table exists on SQLite too (one schema), where the file's owner is the only
    writer and nothing fills it."""
    op.create_table(
        "kh_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("by", sa.String, nullable=False),
        sa.Column("tbl", sa.String, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in _AUDIT_SQL:
            op.execute(sa.text(statement))


def _v11_assignee_email(op: Operations) -> None:
    """Where reminders go (kh assignee set-email): one address per plan and assignee, kept apart
    from the plan's rows so that importing the plan again keeps it."""
    op.create_table(
        "assignee_email",
        sa.Column("plan_id", sa.String, primary_key=True),
        sa.Column("assignee", sa.String, primary_key=True),
        sa.Column("email", sa.String, nullable=False),
        sa.Column("set_at", sa.DateTime, nullable=False),
        sa.Column("set_by", sa.String, nullable=False),
    )


def _v12_evidence(op: Operations) -> None:
    """Indicators say who reports them (coverage), whether a stock carries forward, and how a
    share's denominator is measured. Plain ADD COLUMN: the indicator table is not copied."""
    op.add_column("indicator", sa.Column("reported_by", sa.String, nullable=False, server_default="commune"))
    op.add_column("indicator", sa.Column("carry_forward", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("indicator", sa.Column("denominator_measure", sa.String))
    op.add_column("indicator", sa.Column("denominator_value", sa.Float))
    # --as-of replays the past: what was sent by that day is read from the index, as before.
    op.drop_index("ix_completion_done", table_name="completion")
    op.create_index("ix_completion_done", "completion",
                    ["plan_id", "undone_at", "kind", "item", "assignee", "period", "done_on"])


def _v13_unit_search(op: Operations) -> None:
    """Each unit version's name as it is searched (kh unit find, --unit by name): folded and
    without accents ("xa cao loc"), so that SQL compares it with LIKE on both engines (SQLite has
    no unaccent, and PostgreSQL's is an extension). Plain ADD COLUMN, then filled from the names
    with the same function kh uses on what is typed."""
    from kh.text import search_key

    op.add_column("unit", sa.Column("name_key", sa.String))
    conn = op.get_bind()
    unit = sa.table("unit", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("name_key", sa.String))
    rows = [{"_id": i, "name_key": search_key(n)} for i, n in conn.execute(sa.select(unit.c.id, unit.c.name))]
    if rows:
        conn.execute(sa.update(unit).where(unit.c.id == sa.bindparam("_id")), rows)


def _v14_decimals(op: Operations) -> None:
    """An indicator may declare decimal places (hectares, rates). Its figures stay integers in
    ``figure.value``, scaled by 10^decimals (docs/architecture.md, "Decimals"): existing figures
    are counts with no decimals, so nothing is converted. Plain ADD COLUMN."""
    op.add_column("indicator", sa.Column("decimals", sa.Integer))


# Reminder addresses on a shared PostgreSQL store: a changed address redirects a letter, so only
# those who chase reports set them — clerks (a read-only grant, kh admin clerk) and the
# administrator (the tables' owner, whom the policies do not bind) — and the engine audits each
# change. Everyone reads them: kh remind's dry run shows where each letter would go.
_EMAIL_SQL = [
    "ALTER TABLE assignee_email ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY kh_read ON assignee_email FOR SELECT USING (true)",
    "CREATE POLICY kh_clerk_add ON assignee_email FOR INSERT WITH CHECK (EXISTS (SELECT 1 FROM kh_grant g "
    "WHERE g.role = current_user AND NOT g.can_write) AND set_by = current_user)",
    "CREATE POLICY kh_clerk_change ON assignee_email FOR UPDATE USING (EXISTS (SELECT 1 FROM kh_grant g "
    "WHERE g.role = current_user AND NOT g.can_write)) WITH CHECK (EXISTS (SELECT 1 FROM kh_grant g "
    "WHERE g.role = current_user AND NOT g.can_write) AND set_by = current_user)",
    "CREATE TRIGGER kh_audit AFTER INSERT OR UPDATE OR DELETE ON assignee_email "
    "FOR EACH ROW EXECUTE FUNCTION kh_audit_row()",
    "CREATE TRIGGER kh_audit_truncate AFTER TRUNCATE ON assignee_email "
    "FOR EACH STATEMENT EXECUTE FUNCTION kh_audit_truncate()",
]


def _v15_email_access(op: Operations) -> None:
    """Who may set reminder addresses (assignee_email, version 11) on PostgreSQL: row-level
    security as for acceptances, and the engine's audit. Nothing changes on SQLite."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in _EMAIL_SQL:
            op.execute(sa.text(statement))


# A role whose grants reach every unit of the tree (a national clerk, or one granted all 34
# provinces) reads every figure. Row-level security then tests one flag per statement (an InitPlan)
# instead of looking each figure's unit up in the role's set: that lookup was a third of the
# national gap report's time in the server (docs/performance.md). kh_reach_all names those
# roles; it can only say less than the grants do: recomputed after every change to the grants,
# emptied by any change to the closure (kh's rebuild_closure, kh init and kh admin recompute
# it). Other roles, and every write, keep the per-unit test.
_REACH_SQL = [
    """CREATE FUNCTION kh_reach_refresh() RETURNS void LANGUAGE sql AS $$
         DELETE FROM kh_reach_all;
         INSERT INTO kh_reach_all (role)
           SELECT g.role FROM kh_grant g JOIN unit_closure c ON c.ancestor = g.unit GROUP BY g.role
           HAVING count(DISTINCT c.descendant) = (SELECT count(DISTINCT descendant) FROM unit_closure);
       $$""",
    """CREATE FUNCTION kh_reach_grants_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM kh_reach_refresh(); RETURN NULL; END $$""",
    # Not recomputed here: the closure is rebuilt in dozens of statements (its rebuild recomputes
    # once, at the end).
    """CREATE FUNCTION kh_reach_closure_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN DELETE FROM kh_reach_all; RETURN NULL; END $$""",
    "CREATE TRIGGER kh_reach AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kh_grant "
    "FOR EACH STATEMENT EXECUTE FUNCTION kh_reach_grants_changed()",
    "CREATE TRIGGER kh_reach AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_closure "
    "FOR EACH STATEMENT EXECUTE FUNCTION kh_reach_closure_changed()",
    "ALTER POLICY kh_read ON figure USING ((SELECT EXISTS (SELECT 1 FROM kh_reach_all a WHERE a.role = current_user)) "
    "OR unit IN (" + _MINE + "))",
    "SELECT kh_reach_refresh()",
]


def _v16_reach_all(op: Operations) -> None:
    """The roles whose grants reach every unit (kh_reach_all), read by the figures' row-level
    security on PostgreSQL. The table exists on SQLite too (one schema), empty."""
    op.create_table("kh_reach_all", sa.Column("role", sa.String, primary_key=True))
    if op.get_bind().dialect.name == "postgresql":
        for statement in _REACH_SQL:
            op.execute(sa.text(statement))


# kh_reach_all, recomputed or emptied under the lock kh's writers take in turn (kh.store.db,
# 0x6B68 = 27496): two administrators changing grants or the closure in psql at once would
# otherwise each recompute it from what they saw before the other committed, and the last to
# commit could leave a role flagged whose grants no longer reach everything. Under the lock each
# statement sees what the other committed (READ COMMITTED takes a snapshot per statement; a
# stricter isolation fails the second transaction instead).
_REACH_LOCK_SQL = [
    """CREATE OR REPLACE FUNCTION kh_reach_refresh() RETURNS void LANGUAGE sql AS $$
         SELECT pg_advisory_xact_lock(27496);
         DELETE FROM kh_reach_all;
         INSERT INTO kh_reach_all (role)
           SELECT g.role FROM kh_grant g JOIN unit_closure c ON c.ancestor = g.unit GROUP BY g.role
           HAVING count(DISTINCT c.descendant) = (SELECT count(DISTINCT descendant) FROM unit_closure);
       $$""",
    """CREATE OR REPLACE FUNCTION kh_reach_closure_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_advisory_xact_lock(27496); DELETE FROM kh_reach_all; RETURN NULL; END $$""",
]


def _v17_reach_lock(op: Operations) -> None:
    """kh_reach_all's upkeep takes kh's writer lock (PostgreSQL; nothing on SQLite)."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in _REACH_LOCK_SQL:
            op.execute(sa.text(statement))


MIGRATIONS: list[Callable[[Operations], None]] = [
    _v1_plans_and_units,
    _v2_figures,
    _v3_deadlines,
    _v4_history,
    _v5_unit_closure,
    _v6_access,
    _v7_covering_rollup,
    _v8_exchange,
    _v9_acceptance,
    _v10_audit,
    _v11_assignee_email,
    _v12_evidence,
    _v13_unit_search,
    _v14_decimals,
    _v15_email_access,
    _v16_reach_all,
    _v17_reach_lock,
]
LATEST = len(MIGRATIONS)

_VERSION = sa.table("kh_schema", sa.column("version", sa.Integer), sa.column("applied_at", sa.DateTime))


def current_version(conn: sa.Connection) -> int | None:
    """The store's schema version; None for an empty database; error for a foreign one."""
    if conn.dialect.name == "postgresql":
        # The same question as the inspector's table list below, in one catalogue query (the
        # inspector's costs 5-10 ms at every command's start).
        ours, any_table = conn.execute(sa.text(
            "SELECT coalesce(bool_or(tablename = 'kh_schema'), false), count(*) > 0 FROM pg_tables "
            "WHERE schemaname = current_schema()")).one()
    else:
        names = set(sa.inspect(conn).get_table_names())
        ours, any_table = "kh_schema" in names, bool(names)
    if not ours:
        if any_table:
            raise StoreError("store.foreign")
        return None
    return conn.execute(sa.select(sa.func.max(_VERSION.c.version))).scalar() or 0


def stored_version(conn: sa.Connection) -> int | None:
    """The version of a store known to be a kh store: one query, for writers' re-check."""
    return conn.execute(sa.select(sa.func.max(_VERSION.c.version))).scalar()


def upgrade(conn: sa.Connection) -> tuple[int, int]:
    """Bring the store to ``LATEST``; returns (version before, version after)."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    before = current_version(conn)
    ctx = MigrationContext.configure(conn, opts={"render_as_batch": True})
    op = Operations(ctx)
    if before is None:
        op.create_table(
            "kh_schema",
            sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("applied_at", sa.DateTime, nullable=False),
        )
        before = 0
    if before > LATEST:
        raise StoreError("store.newer", version=before, latest=LATEST)
    for version in range(before + 1, LATEST + 1):
        MIGRATIONS[version - 1](op)
        conn.execute(sa.insert(_VERSION).values(version=version,
                                                applied_at=utc_now()))
    if conn.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
        raise StoreError("store.upgrade_breaks_links")
    return before, LATEST
