"""Shared fixtures: a real store, and the real CLI driven in-process.

The store is a SQLite file in a temporary folder; with ``KH_TEST_DB`` naming a PostgreSQL server
(``postgresql+psycopg2://kh_admin:…@127.0.0.1:54329/kh``, see scripts/pg_setup.sh) every store is
a fresh database on that server instead, and the whole suite runs against PostgreSQL."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from kh.cli import app

# No per-example time limit for any property test: CI and a shared 2-core machine run slower
# than hypothesis's 200 ms default expects, and what these tests check is never timing
# (speed is benchmarks/run.py's). Tests that set their own settings keep them.
settings.register_profile("kh", deadline=None)
settings.load_profile("kh")

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "examples" / "plans"
SEEDS = sorted(PLANS.glob("*.toml"))
UNITS_CSV = ROOT / "data" / "units.csv"
PG_URL = os.environ.get("KH_TEST_DB") or None
ENGINE = "postgresql" if PG_URL else "sqlite"
# For the few tests about SQLite files themselves (permissions, WAL, VACUUM INTO backups); each
# has a PostgreSQL counterpart where the behaviour has one.
sqlite_only = pytest.mark.skipif(PG_URL is not None, reason="about SQLite store files")
postgres_only = pytest.mark.skipif(PG_URL is None, reason="needs KH_TEST_DB (a PostgreSQL server)")


def by(name: str) -> list[str]:
    """``--by NAME`` on SQLite; nothing on PostgreSQL, where the database role is the recorder."""
    return ["--by", name] if PG_URL is None else []


def recorder(name: str) -> str:
    """Who a change made with ``by(name)`` is recorded as."""
    if PG_URL is None:
        return name
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).username


def _pg_admin():
    import sqlalchemy as sa

    return sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def pg_database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def new_target(folder: Path, name: str = "store", template: str | None = None):
    """A place for a new, empty store: a file path, or a new PostgreSQL database (dropped when
    the test session ends)."""
    if PG_URL is None:
        return folder / f"{name}.sqlite"
    db = f"kh_test_{name}_{uuid.uuid4().hex[:10]}".lower()
    engine = _pg_admin()
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{db}"' + (f' TEMPLATE "{template}"' if template else ""))
    engine.dispose()
    _CREATED.append(db)
    return pg_database_url(db)


_CREATED: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases():
    yield
    if PG_URL and _CREATED:
        engine = _pg_admin()
        with engine.connect() as conn:
            for db in _CREATED:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        engine.dispose()


def _url(target) -> str:
    return str(target) if "://" in str(target) else f"sqlite:///{target}"


def query(target, sql: str, **params) -> list[tuple]:
    """Read the store behind kh's back (through SQLAlchemy, so on either engine)."""
    import sqlalchemy as sa

    engine = sa.create_engine(_url(target), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def sqlite_plans(kh: "Kh", args: list, starts: str) -> list[list[str]]:
    """The SQLite query plans (EXPLAIN QUERY PLAN, one list of steps per statement) of the
    statements beginning with ``starts`` that ``kh args`` runs: to prove an index is sought."""
    import sqlite3

    import sqlalchemy as sa

    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith(starts):
            seen.append((statement, parameters))

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", keep)
    try:
        kh.ok(*args)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", keep)
    db = sqlite3.connect(kh.db)
    try:
        return [[row[3] for row in db.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
                for statement, parameters in seen]
    finally:
        db.close()


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


class Kh:
    """Runs `kh --db STORE …` through the real command tree."""

    def __init__(self, db):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, db: bool = True, env: dict | None = None) -> Result:
        argv = (["--db", str(self.db)] if db else []) + [str(a) for a in args]
        # A wide terminal, so that tables do not wrap the words the tests look for.
        r = self.runner.invoke(app, argv, env={"COLUMNS": "200", "KH_LANG": None, **(env or {})})
        if r.exception and not isinstance(r.exception, SystemExit):
            raise r.exception
        return Result(r.exit_code, r.stdout, r.stderr)

    def ok(self, *args: str, **kw) -> Result:
        r = self(*args, **kw)
        assert r.code == 0, f"kh {' '.join(args)} failed ({r.code}): {r.err}"
        return r

    def refused(self, *args: str, **kw) -> Result:
        """Exit 1 with exactly one line on stderr and no traceback."""
        r = self(*args, **kw)
        assert r.code == 1, f"expected exit 1, got {r.code}: {r.out} {r.err}"
        lines = r.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kh: "), r.err
        assert "Traceback" not in r.err
        return r


@pytest.fixture
def kh(tmp_path: Path) -> Kh:
    k = Kh(new_target(tmp_path))
    k.ok("init")
    return k


@pytest.fixture
def kh_seeded(kh: Kh) -> Kh:
    kh.ok("plan", "import", *SEEDS)
    return kh


def store_fingerprint(target) -> list:
    """Every row of every table: to prove a refused command wrote nothing."""
    import sqlalchemy as sa

    engine = sa.create_engine(_url(target), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            meta = sa.MetaData()
            meta.reflect(conn)
            return [(name, sorted(map(repr, conn.execute(t.select()))))
                    for name, t in sorted(meta.tables.items())]
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def _world_template(tmp_path_factory):
    """One store with the five seed plans and the country's units, built once per run."""
    k = Kh(new_target(tmp_path_factory.mktemp("world"), "world"))
    k.ok("init")
    k.ok("plan", "import", *SEEDS)
    k.ok("unit", "import", UNITS_CSV)
    return k.db


@pytest.fixture
def world(_world_template: Path, tmp_path: Path) -> Kh:
    """A private copy of the seeded store with units, for tests that record figures."""
    import shutil

    if PG_URL:
        from sqlalchemy.engine import make_url

        return Kh(new_target(tmp_path, "world", template=make_url(_world_template).database))
    db = tmp_path / "world.sqlite"
    shutil.copy(_world_template, db)
    return Kh(db)


@pytest.fixture(autouse=True)
def _english_between_tests():
    """Each test starts in English, as a fresh `kh` process would without --lang or KH_LANG: a
    CLI call in this process sets kh's language (kh.i18n) and would leak it into the next test."""
    from kh import i18n

    i18n.set_lang("en")
    yield
    i18n.set_lang("en")
