"""Access control on a shared PostgreSQL store: officers connect as their own roles, and the
engine's row-level security keeps each to its commune (kh admin sets it up)."""

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, Kh, _pg_admin, postgres_only, query, sqlite_only, store_fingerprint

LS = ["--as-of", "2027-01-05"]
MINE, OTHER = "06187", "05977"  # two communes of Lạng Sơn (20), before the 2025 merger


@pytest.fixture
def roles():
    """Unique role names (roles belong to the whole server), dropped after the test."""
    made = []

    def role(name: str) -> str:
        made.append(f"kh_t_{name}_{uuid.uuid4().hex[:8]}")
        return made[-1]

    yield role
    engine = _pg_admin()
    with engine.connect() as conn:
        for r in made:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{r}"')
    engine.dispose()


def as_role(kh: Kh, role: str, password: str) -> Kh:
    """The same store, reached the way an officer does: their own role and password."""
    return Kh(make_url(kh.db).set(username=role, password=password).render_as_string(hide_password=False))


@postgres_only
def test_a_commune_officer_writes_and_reads_only_for_their_commune(world, roles, tmp_path):
    officer, other_officer = roles("xa_a"), roles("xa_b")
    world.ok("admin", "officer", officer, "--unit", MINE, "-a", "Công an xã", "--password", "pw-a")
    # A password with a quote, a percent sign and a space: the server quotes it (format's %L).
    world.ok("admin", "officer", other_officer, "--unit", OTHER, env={"KH_ROLE_PASSWORD": "p'w %s-b"})
    a, b = as_role(world, officer, "pw-a"), as_role(world, other_officer, "p'w %s-b")

    a.ok("record", "ls-mtqg-2030", "II.3.d-1", "4", "--unit", MINE, "--period", "2024-03", *LS)
    b.ok("record", "ls-mtqg-2030", "II.3.d-1", "9", "--unit", OTHER, "--period", "2024-03", *LS)
    mine = a.ok("figures", "-f", "json").json()
    assert [(f["unit"], f["value"], f["recorded_by"]) for f in mine] == [(MINE, 4, officer)]

    before = store_fingerprint(world.db)
    err = a.refused("record", "ls-mtqg-2030", "II.3.d-1", "5", "--unit", OTHER, "--period", "2024-04", *LS).err
    assert f"role {officer} may not write figures for unit {OTHER} (it may write for {MINE})" in err
    rows = tmp_path / "mixed.csv"
    rows.write_text("plan,ref,unit,period,value,denominator,note\n"
                    f"ls-mtqg-2030,II.3.d-1,{MINE},2024-05,1,,\nls-mtqg-2030,II.3.d-1,{OTHER},2024-05,2,,\n",
                    encoding="utf-8")
    err = a.refused("record", "import", rows, *LS).err
    assert f"mixed.csv:3: role {officer} may not write figures for unit {OTHER}" in err
    assert "Vai trò" not in err and "không được ghi số liệu cho đơn vị" in a.refused(
        "--lang", "vi", "record", "import", rows, *LS).err
    assert "--by" in a.refused("record", "ls-mtqg-2030", "II.3.d-1", "5", "--unit", MINE, "--period", "2024-06",
                               "--by", "someone else", *LS).err
    assert "may not change plans" in a.refused("plan", "import", "examples/plans/na-2021.toml").err
    assert store_fingerprint(world.db) == before


@postgres_only
def test_the_engine_itself_refuses_a_write_that_bypasses_kh(world, roles):
    officer = roles("xa_a")
    world.ok("admin", "officer", officer, "--unit", MINE, "--password", "pw-a")
    engine = sa.create_engine(as_role(world, officer, "pw-a").db)
    insert = sa.text("INSERT INTO figure (plan_id, ref, unit, period, m_from, m_to, value, recorded_at, recorded_by) "
                     "VALUES ('ls-mtqg-2030', 'II.3.d-1', :unit, '2024-03', 24290, 24290, 1, now(), :by)")
    try:
        with engine.connect() as conn:
            with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
                conn.execute(insert, {"unit": OTHER, "by": officer})
            conn.rollback()
            with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):  # posing as another
                conn.execute(insert, {"unit": MINE, "by": "kh_admin"})
            conn.rollback()
            conn.execute(insert, {"unit": MINE, "by": officer})
            conn.commit()
    finally:
        engine.dispose()
    assert query(world.db, "select unit, recorded_by from figure") == [(MINE, officer)]


@postgres_only
def test_a_province_clerk_reads_the_whole_province_and_writes_no_figures(world, roles):
    officer, clerk = roles("xa_a"), roles("tinh")
    world.ok("admin", "officer", officer, "--unit", MINE, "--password", "pw-a")
    world.ok("admin", "clerk", clerk, "--unit", "20", "-a", "Công an xã", "--password", "pw-c")
    as_role(world, officer, "pw-a").ok("record", "ls-mtqg-2030", "II.3.d-1", "4", "--unit", MINE, "--period", "2024-03", *LS)
    world.ok("record", "ls-mtqg-2030", "II.3.d-1", "9", "--unit", OTHER, "--period", "2024-03", *LS)
    world.ok("record", "na-2021", "III.1-1", "9", "--unit", "40", "--period", "2021", "--as-of", "2022-01-01")  # Nghệ An
    c = as_role(world, clerk, "pw-c")
    assert sorted(f["unit"] for f in c.ok("figures", "-f", "json").json()) == [OTHER, MINE]
    gap = {r["ref"]: r for r in c.ok("gap", "--plan", "ls-mtqg-2030", "--period", "2024-03", *LS, "-f", "json").json()}
    assert gap["II.3.d-1"]["value"] == 13  # both communes, rolled up to the province
    err = c.refused("record", "ls-mtqg-2030", "II.3.d-1", "1", "--unit", MINE, "--period", "2024-04", *LS).err
    assert "it may write figures for no unit" in err
    assert len(c.ok("history", "-f", "json").json()) >= 2  # a clerk sees everyone's changes


@postgres_only
def test_reports_are_recorded_only_for_the_roles_assignees(world, roles):
    officer, other = roles("xa_a"), roles("xa_b")
    world.ok("admin", "officer", officer, "--unit", MINE, "-a", "Công an xã", "--password", "pw-a")
    world.ok("admin", "officer", other, "--unit", OTHER, "--password", "pw-b")
    submit = ["submit", "qt-2024-xkmt", "bc-hang-nam", "-a", "Công an xã", "--period", "2024", "--on", "2024-12-20",
              "--as-of", "2025-01-10"]
    err = as_role(world, other, "pw-b").refused(*submit).err
    assert f"role {other} may not record reports or tasks of Công an xã (it records reports for no one)" in err
    as_role(world, officer, "pw-a").ok(*submit)
    assert query(world.db, "select assignee, recorded_by from completion") == [("Công an xã", officer)]
    rows = {r["role"]: r for r in world.ok("admin", "list", "-f", "json").json()}
    assert rows[officer]["reports_for"] == "Công an xã" and rows[officer]["access"] == "read and write"
    world.ok("admin", "revoke", officer)
    assert "this role has no access to the store" in as_role(world, officer, "pw-a").refused(
        "record", "ls-mtqg-2030", "II.3.d-1", "4", "--unit", MINE, "--period", "2024-03", *LS).err


@postgres_only
def test_admin_refusals(world):
    assert "not a usable role name" in world.refused("admin", "officer", "Cán bộ", "--unit", MINE).err
    assert "no unit with code '99999'" in world.refused("admin", "officer", "ca_x", "--unit", "99999").err
    assert "has no grants" in world.refused("admin", "revoke", "nobody_here").err


@sqlite_only
def test_on_sqlite_access_control_points_to_postgresql(world):
    err = world.refused("admin", "officer", "ca_xa_a", "--unit", MINE).err
    assert "needs a PostgreSQL store" in err and "deploy-postgresql.md" in err
    assert "phân quyền cần kho dữ liệu PostgreSQL" in world.refused("--lang", "vi", "admin", "list").err


def test_pg_url_is_what_the_suite_runs_on():
    # Guards the CI wiring: with KH_TEST_DB set, the fixtures really make PostgreSQL stores.
    from tests.conftest import ENGINE, new_target

    assert ENGINE == ("postgresql" if PG_URL else "sqlite")
    if PG_URL:
        assert str(new_target(None)).startswith("postgresql")


@postgres_only
def test_every_change_an_officer_makes_through_psql_is_in_the_audit_they_cannot_touch(world, roles):
    """Issue 14, point 9: an officer retiring their own figure by hand (UPDATE … replaced_at)
    leaves a kh_audit row naming them; they can neither write, delete, empty nor switch it off."""
    officer = roles("xa_a")
    world.ok("admin", "officer", officer, "--unit", MINE, "-a", "Công an xã", "--password", "pw-a")
    a = as_role(world, officer, "pw-a")
    a.ok("record", "ls-mtqg-2030", "II.3.d-1", "4", "--unit", MINE, "--period", "2024-03", *LS)
    audit = "select by, tbl, action from kh_audit where by = :r order by id"
    assert query(world.db, audit, r=officer) == [(officer, "figure", "INSERT")]
    engine = sa.create_engine(a.db, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("UPDATE figure SET replaced_at = now(), replaced_by = current_user"))
            conn.commit()
            for forge in ("INSERT INTO kh_audit (at, by, tbl, action) VALUES (now(), 'kh_admin', 'figure', 'x')",
                          "DELETE FROM kh_audit", "UPDATE kh_audit SET by = 'someone'", "TRUNCATE kh_audit",
                          "SELECT * FROM kh_audit", "ALTER TABLE figure DISABLE TRIGGER kh_audit",
                          "DROP TRIGGER kh_audit ON figure", "TRUNCATE figure"):
                with pytest.raises((sa.exc.ProgrammingError, sa.exc.InternalError)):
                    conn.execute(sa.text(forge))
                conn.rollback()
            conn.execute(sa.text("SET ROLE kh_user"))  # posing as the group: the login still shows
            conn.execute(sa.text("UPDATE completion SET undone_at = now(), undone_by = current_user"))
            conn.commit()
    finally:
        engine.dispose()
    assert a.ok("figures", "-f", "json").json() == []  # gone from reports …
    rows = query(world.db, "select by, tbl, action, old, new from kh_audit where by = :r order by id", r=officer)
    assert [r[:3] for r in rows] == [(officer, "figure", "INSERT"), (officer, "figure", "UPDATE")]
    assert '"replaced_at":null' in rows[1][3].replace(" ", "") and '"replaced_by":"' + officer in rows[1][4].replace(" ", "")
    # … and the administrator's changes to grants are there too.
    assert ("kh_grant", "INSERT") in {(r[0], r[1]) for r in query(world.db, "select tbl, action from kh_audit")}


@postgres_only
def test_admin_is_refused_to_an_officer_and_names_only_known_assignees(world, roles):
    officer = roles("xa_a")
    world.ok("admin", "officer", officer, "--unit", MINE, "-a", "công an XÃ", "--password", "pw-a")
    assert query(world.db, "select assignee from kh_grant_assignee where role = :r", r=officer) == [("Công an xã",)]
    before = store_fingerprint(world.db)
    err = world.refused("admin", "officer", roles("xa_b"), "--unit", MINE, "-a", "Công an xa lắm").err
    assert "--assignee" in err and "no assignee 'Công an xa lắm'" in err
    a = as_role(world, officer, "pw-a")
    for args in (["admin", "officer", roles("xa_c"), "--unit", MINE], ["admin", "revoke", officer]):
        err = a.refused(*args).err
        assert f"role {officer} may not manage access" in err and "internal error" not in err
    assert "không được quản lý quyền" in a.refused("--lang", "vi", "admin", "revoke", officer).err
    assert store_fingerprint(world.db) == before


@postgres_only
def test_reminder_addresses_are_set_by_clerks_only_and_audited(world, roles):
    """A changed address redirects a công văn đôn đốc: an officer may read the addresses but not
    set them, through kh or by hand; a clerk sets them as itself, and the engine records it."""
    officer, clerk = roles("xa_a"), roles("tinh")
    world.ok("admin", "officer", officer, "--unit", MINE, "-a", "Công an xã", "--password", "pw-a")
    world.ok("admin", "clerk", clerk, "--unit", "20", "--password", "pw-c")
    a, c = as_role(world, officer, "pw-a"), as_role(world, clerk, "pw-c")
    plan, who = "ls-mtqg-2030", "Công an tỉnh"
    c.ok("assignee", "set-email", plan, who, "pc04@langson.gov.vn")
    read = "select email, set_by from assignee_email where plan_id = :p and assignee = :a"
    assert query(world.db, read, p=plan, a=who) == [("pc04@langson.gov.vn", clerk)]
    before = store_fingerprint(world.db)
    assert "không được đặt địa chỉ thư" in a.refused("--lang", "vi", "assignee", "set-email", plan, who, "x@y.vn").err
    err = a.refused("assignee", "set-email", plan, who, "toi@gmail.com").err  # (and back to English)
    assert f"role {officer} may not set reminder addresses" in err and "internal error" not in err
    assert store_fingerprint(world.db) == before
    engine = sa.create_engine(a.db, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("select email from assignee_email")).scalars().all() == ["pc04@langson.gov.vn"]
            for forge in ("UPDATE assignee_email SET email = 'toi@gmail.com', set_by = current_user",
                          "INSERT INTO assignee_email VALUES ('ls-mtqg-2030', 'Sở Y tế', 'toi@gmail.com', now(), current_user)",
                          "DELETE FROM assignee_email", "TRUNCATE assignee_email"):
                try:
                    n = conn.execute(sa.text(forge)).rowcount
                except (sa.exc.ProgrammingError, sa.exc.InternalError):
                    n = None
                conn.rollback()
                assert n in (None, 0), forge  # refused, or it reached no row
    finally:
        engine.dispose()
    engine = sa.create_engine(c.db, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:  # a clerk may not write in another's name
            with pytest.raises(sa.exc.ProgrammingError):
                conn.execute(sa.text("UPDATE assignee_email SET email = 'x@y.vn', set_by = 'kh_admin'"))
    finally:
        engine.dispose()
    assert query(world.db, read, p=plan, a=who) == [("pc04@langson.gov.vn", clerk)]
    audit = query(world.db, "select by, action from kh_audit where tbl = 'assignee_email' order by id")
    assert audit == [(clerk, "INSERT")]


def _as_owner(kh: Kh, *statements: str, **params) -> None:
    engine = sa.create_engine(kh.db)
    try:
        with engine.begin() as conn:
            for s in statements:
                conn.execute(sa.text(s), params)
    finally:
        engine.dispose()


@postgres_only
def test_a_clerk_whose_grants_reach_every_unit_reads_every_figure_and_only_while_they_do(world, roles, tmp_path):
    # Such a role reads figures without the per-figure test (migration 16, kh_reach_all): what
    # it reads must still follow its grants, however they and the unit tree change.
    everywhere, province = roles("ca_nuoc"), roles("tinh")
    world.ok("admin", "clerk", everywhere, "--unit", "20", "--password", "pw-n")
    world.ok("admin", "clerk", province, "--unit", "20", "--password", "pw-t")
    world.ok("record", "ls-mtqg-2030", "II.3.d-1", "9", "--unit", MINE, "--period", "2024-03", *LS)
    world.ok("record", "na-2021", "III.1-1", "7", "--unit", "40", "--period", "2021", "--as-of", "2022-01-01")
    n, t = as_role(world, everywhere, "pw-n"), as_role(world, province, "pw-t")

    def units(kh: Kh) -> list[str]:
        return sorted(f["unit"] for f in kh.ok("figures", "-f", "json").json())

    assert units(n) == units(t) == [MINE] and query(world.db, "select role from kh_reach_all") == []
    # Every province of today, granted as an administrator might in SQL (kh admin takes one unit).
    every = "INSERT INTO kh_grant (role, unit, can_write) SELECT :r, code, false FROM unit " \
            "WHERE kind = 'province' AND valid_to IS NULL ON CONFLICT DO NOTHING"
    _as_owner(world, every, r=everywhere)
    assert query(world.db, "select role from kh_reach_all") == [(everywhere,)]
    assert units(n) == [MINE, "40"] and units(t) == [MINE]
    gap = {r["ref"]: r["value"] for r in n.ok("gap", "--plan", "na-2021", "--period", "2021", "--unit", "40",
                                               "--as-of", "2022-01-01", "-f", "json").json()}
    assert gap["III.1-1"] == 7
    _as_owner(world, "DELETE FROM kh_grant WHERE role = :r AND unit = '40'", r=everywhere)
    assert units(n) == [MINE] and query(world.db, "select role from kh_reach_all") == []
    # A new province: the closure changes, and a role granted all the others no longer reaches
    # every unit.
    _as_owner(world, every, r=everywhere)
    rows = tmp_path / "units.csv"
    rows.write_text("code,name,kind,parent,valid_from,valid_to,successors\n99,Tỉnh Thử,province,,,,\n",
                    encoding="utf-8")
    world.ok("unit", "import", rows)
    _as_owner(world, "INSERT INTO figure (plan_id, ref, unit, period, m_from, m_to, value, recorded_at, recorded_by) "
                     "VALUES ('na-2021', 'III.1-1', '99', '2021', 24252, 24263, 5, now(), current_user)")
    assert query(world.db, "select role from kh_reach_all") == []
    assert units(n) == [MINE, "40"]
    _as_owner(world, "INSERT INTO kh_grant (role, unit, can_write) VALUES (:r, '99', false)", r=everywhere)
    assert units(n) == [MINE, "40", "99"]
    # Reading everything is not writing anything: the engine still refuses its figures.
    err = n.refused("record", "ls-mtqg-2030", "II.3.d-1", "1", "--unit", MINE, "--period", "2024-04", *LS).err
    assert "it may write figures for no unit" in err
    engine = sa.create_engine(n.db)
    try:
        with engine.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            conn.execute(sa.text("INSERT INTO figure (plan_id, ref, unit, period, m_from, m_to, value, recorded_at, "
                                 "recorded_by) VALUES ('ls-mtqg-2030', 'II.3.d-1', :u, '2024-03', 24290, 24290, 1, "
                                 "now(), :by)"), {"u": MINE, "by": everywhere})
    finally:
        engine.dispose()


@postgres_only
def test_changes_to_grants_made_at_once_in_sql_take_turns(world, roles):
    # Each change to kh_grant recomputes kh_reach_all under kh's writer lock (migration 17):
    # a second administrator's change waits for the first to commit instead of recomputing from
    # what it saw before, which could leave a role flagged whose grants no longer reach everything.
    clerk = roles("tinh")
    world.ok("admin", "clerk", clerk, "--unit", "20", "--password", "pw-c")
    first, second = sa.create_engine(world.db), sa.create_engine(world.db)
    try:
        with first.connect() as a, second.connect() as b:
            a.execute(sa.text("INSERT INTO kh_grant (role, unit, can_write) VALUES (:r, '40', false)"), {"r": clerk})
            b.execute(sa.text("SET lock_timeout = '300ms'"))
            with pytest.raises(sa.exc.OperationalError, match="lock timeout"):
                b.execute(sa.text("DELETE FROM kh_grant WHERE role = :r AND unit = '20'"), {"r": clerk})
            b.rollback()
            a.commit()
            b.execute(sa.text("DELETE FROM kh_grant WHERE role = :r AND unit = '20'"), {"r": clerk})
            b.commit()
    finally:
        first.dispose()
        second.dispose()
    assert query(world.db, "select unit from kh_grant where role = :r", r=clerk) == [("40",)]
