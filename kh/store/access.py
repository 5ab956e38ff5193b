"""Access control on a shared PostgreSQL store: officers' database roles and their grants.

The engine enforces it (row-level security, migration 6); this module manages the roles and
grants (``kh admin``) and checks a write before it is sent, so that a refusal names the unit or
assignee and the line instead of quoting the engine's policy error.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from kh.errors import KhError, StoreError
from kh.store.schema import GRANT, GRANT_ASSIGNEE, UNIT

G = GRANT
GA = GRANT_ASSIGNEE
U = UNIT
GROUP = "kh_user"  # every officer's and clerk's role is a member: the table privileges live here
# PostgreSQL folds unquoted names to lower case; kh accepts only names that need no quoting, so
# the role an officer types in a connection string is the one the grants name.
_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def require_postgresql(conn: sa.Connection) -> None:
    if conn.dialect.name != "postgresql":
        raise StoreError("access.needs_postgresql")


def require_admin(conn: sa.Connection) -> None:
    """kh admin is the administrator's: the role that owns the tables (ran kh init) and may make
    roles. An officer trying it is told so, before the engine refuses half-way."""
    me = current_role(conn)
    may = conn.execute(sa.text("SELECT (r.rolsuper OR r.rolcreaterole) AND pg_has_role(r.rolname, t.tableowner, 'USAGE') "
                               "FROM pg_roles r, pg_tables t WHERE r.rolname = current_user "
                               "AND t.schemaname = current_schema() AND t.tablename = 'kh_grant'")).scalar()
    if not may:
        raise KhError("access.may_not_manage", role=me)


def _known_assignee(conn: sa.Connection, name: str) -> str:
    """An -a name as some plan writes it (any case or Unicode form, an alias or a unique prefix)."""
    from kh.store.schema import ASSIGNEE as A
    from kh.suggest import match_name

    names, aliases = [], {}
    for n, al in conn.execute(sa.select(A.c.name, A.c.aliases)):
        names.append(n)
        aliases.update({x: n for x in al or []})
    return match_name(name, list(dict.fromkeys(names)), "assignee", aliases, where="--assignee")


def current_role(conn: sa.Connection) -> str | None:
    """The database role changes are recorded as; None on SQLite (no roles there)."""
    if conn.dialect.name != "postgresql":
        return None
    return conn.execute(sa.select(sa.func.current_user())).scalar()


def _restricted(conn: sa.Connection, table: str) -> bool:
    """Whether row-level security applies to this connection's role (not to the tables' owner)."""
    if conn.dialect.name != "postgresql":
        return False
    return bool(conn.execute(sa.select(sa.func.row_security_active(table))).scalar())


def check_may_change(conn: sa.Connection, table: str, what: str) -> None:
    """Plans and units are the administrator's: say so before the engine refuses half-way."""
    if conn.dialect.name != "postgresql":
        return
    if not conn.execute(sa.select(sa.func.has_table_privilege(table, "INSERT"))).scalar():
        raise KhError("access.may_not_change_plans" if what == "plans" else "access.may_not_change_units",
                      role=current_role(conn))


def check_units(conn: sa.Connection, figs: list) -> None:
    """Refuse, before writing, figures (``kh.figures.NewFigure``) for units the role may not
    write, naming where the first such figure was given (a CSV line, --unit)."""
    if not _restricted(conn, "figure"):
        return
    units: dict[str, str] = {}
    for f in figs:
        units.setdefault(f.unit, f.where or "--unit")
    for unit, where in units.items():
        if not conn.execute(sa.select(sa.func.kh_may_unit(unit, True))).scalar():
            mine = [r[0] for r in conn.execute(sa.select(G.c.unit).where(G.c.role == sa.func.current_user(),
                                                                          G.c.can_write).order_by(G.c.unit))]
            role = current_role(conn)
            if mine:
                raise KhError("access.figures_elsewhere", where=where, role=role, unit=unit, mine=", ".join(mine))
            raise KhError("access.figures_none", where=where, role=role, unit=unit)


def check_sets_emails(conn: sa.Connection) -> None:
    """Reminder addresses are the clerks' (a read-only grant) and the administrator's: an
    officer is told so before the engine refuses."""
    if not _restricted(conn, "assignee_email"):
        return
    if conn.execute(sa.select(G.c.role).where(G.c.role == sa.func.current_user(), ~G.c.can_write).limit(1)).first() is None:
        raise KhError("access.may_not_set_email", role=current_role(conn))


def check_assignee(conn: sa.Connection, assignee: str, where: str) -> None:
    if not _restricted(conn, "completion"):
        return
    if not conn.execute(sa.select(sa.func.kh_may_report(assignee))).scalar():
        mine = [r[0] for r in conn.execute(sa.select(GA.c.assignee).where(GA.c.role == sa.func.current_user())
                                           .order_by(GA.c.assignee))]
        if mine:
            raise KhError("access.reports_elsewhere", where=where, role=current_role(conn), assignee=assignee,
                          mine="; ".join(mine))
        raise KhError("access.reports_none", where=where, role=current_role(conn), assignee=assignee)


def _driver_sql(conn: sa.Connection, template: str, *, role: str, password: str | None = None) -> None:
    """Role statements take no bound parameters: the server composes them with its own quoting
    of identifiers and literals (format's %I and %L), never by pasting text; the result runs on
    the driver's cursor without parameters (psycopg or psycopg2 alike)."""
    pattern = (template.replace("%", "%%").replace("{role}", "%1$I").replace("{group}", "%2$I")
               .replace("{password}", "%3$L"))
    statement = conn.execute(sa.select(sa.func.format(pattern, role, GROUP, password))).scalar()
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def _role_exists(conn: sa.Connection, role: str) -> bool:
    return conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None


def refresh_reach(conn: sa.Connection) -> None:
    """Recompute which roles' grants reach every unit (kh_reach_all, migration 16), on a
    PostgreSQL store that has it: after the closure is rebuilt, and by kh init and kh admin."""
    if conn.dialect.name == "postgresql" and conn.exec_driver_sql("SELECT to_regproc('kh_reach_refresh')").scalar():
        conn.exec_driver_sql("SELECT kh_reach_refresh()")


def grant_privileges(conn: sa.Connection) -> None:
    """The table privileges of the group role: read everything, write figures, reports and the
    history (the rows stay confined by the policies). Repeated by kh init and kh admin, so
    that tables added by later migrations are covered."""
    refresh_reach(conn)
    if conn.dialect.name != "postgresql" or not _role_exists(conn, GROUP):
        return
    for statement in ("GRANT USAGE ON SCHEMA public TO {group}",
                      "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {group}",
                      "GRANT INSERT, UPDATE ON figure, completion TO {group}",
                      "GRANT INSERT ON history TO {group}",
                      # clerks set where reminders go (row-level security keeps officers out)
                      "GRANT INSERT, UPDATE ON assignee_email TO {group}",
                      # clerks accept, return, reopen (row-level security keeps officers out)
                      "GRANT INSERT, UPDATE ON acceptance TO {group}",
                      "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {group}",
                      # The engine's audit holds every unit's rows: the administrator's to read.
                      "REVOKE ALL ON kh_audit FROM {group}"):
        _driver_sql(conn, statement, role=GROUP)


def set_role(conn: sa.Connection, role: str, *, unit: str, write: bool, assignees: list[str],
             password: str | None) -> bool:
    """Create the login role if needed and give it exactly this reach; returns whether it is new."""
    require_postgresql(conn)
    require_admin(conn)
    if not _ROLE.fullmatch(role):
        raise KhError("access.role_name", where="ROLE", role=role)
    if conn.execute(sa.select(U.c.code).where(U.c.code == unit).limit(1)).first() is None:
        from kh.store.unit_rows import suggest_code

        raise KhError("unit.not_found", where="--unit", code=unit, suggest=suggest_code(conn, unit))
    assignees = [_known_assignee(conn, a) for a in assignees]
    if not _role_exists(conn, GROUP):
        _driver_sql(conn, "CREATE ROLE {group} NOLOGIN", role=GROUP)
    grant_privileges(conn)
    new = not _role_exists(conn, role)
    if new:
        _driver_sql(conn, "CREATE ROLE {role} LOGIN" + (" PASSWORD {password}" if password else ""),
                    role=role, password=password)
    elif password:
        _driver_sql(conn, "ALTER ROLE {role} PASSWORD {password}", role=role, password=password)
    _driver_sql(conn, "GRANT {group} TO {role}", role=role)
    conn.execute(sa.delete(G).where(G.c.role == role))
    conn.execute(sa.delete(GA).where(GA.c.role == role))
    conn.execute(sa.insert(G).values(role=role, unit=unit, can_write=write))
    if assignees:
        conn.execute(sa.insert(GA), [dict(role=role, assignee=a) for a in dict.fromkeys(assignees)])
    return new


def revoke(conn: sa.Connection, role: str) -> None:
    """Take every grant away (the role itself stays: roles belong to the whole server)."""
    require_postgresql(conn)
    require_admin(conn)
    gone = conn.execute(sa.delete(G).where(G.c.role == role)).rowcount
    gone += conn.execute(sa.delete(GA).where(GA.c.role == role)).rowcount
    if not gone:
        raise KhError("access.no_grants", where="ROLE", role=role)
    if _role_exists(conn, role):
        _driver_sql(conn, "REVOKE {group} FROM {role}", role=role)


def listing(conn: sa.Connection) -> list[dict]:
    require_postgresql(conn)
    reports: dict[str, list[str]] = {}
    for role, assignee in conn.execute(sa.select(GA.c.role, GA.c.assignee).order_by(GA.c.role, GA.c.assignee)):
        reports.setdefault(role, []).append(assignee)
    return [dict(role=r.role, unit=r.unit, access="read and write" if r.can_write else "read",
                 reports_for="; ".join(reports.get(r.role, [])))
            for r in conn.execute(sa.select(G).order_by(G.c.role, G.c.unit))]
