"""The schema is versioned: migrations build exactly what the models describe, init is safe to
repeat, and a store from another program or a newer kh is refused."""

import os
import sqlite3
import stat

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kh.errors import StoreError
from kh.store import migrations
from kh.store.db import init, open_store
from kh.store.schema import metadata


def schema_differences(url: str, md: sa.MetaData = metadata) -> list[str]:
    """What the migrated store at ``url`` lacks or has beyond ``md`` (the schema of kh/store/
    schema.py, a plan's tables derived from kh/model.py), one line each, saying what to do."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), md)
    finally:
        engine.dispose()
    lines = []
    for d in diff:
        if d[0] == "add_column":
            column = d[3]
            element = column.table.info.get("element")
            what = (f"{element.__name__}.{_field_of(element, column.name)} is declared in kh/model.py"
                    if element else "it is in kh/store/schema.py")
            lines.append(f"{d[2]}.{column.name}: {what}, but no migration adds the column: append "
                         f"migration {migrations.LATEST + 1} to MIGRATIONS in kh/store/migrations.py")
        elif d[0] == "remove_column":
            lines.append(f"{d[2]}.{d[3].name}: a migration adds it, but nothing declares it "
                         "(a field of kh/model.py, or kh/store/schema.py)")
        else:
            lines.append(repr(d))
    return lines


def _field_of(element: type, column: str) -> str:
    from kh.model import declared

    return next(name for name, spec in declared(element) if spec.column == column)


def test_migrations_build_exactly_the_models(tmp_path):
    from tests.conftest import _url, new_target

    db = new_target(tmp_path)  # on the engine under test: SQLite, or PostgreSQL with KH_TEST_DB
    init(str(db))
    assert schema_differences(_url(db)) == []


def test_init_twice_is_safe_and_records_each_version_once(tmp_path):
    db = str(tmp_path / "s.sqlite")
    assert init(db) == (0, migrations.LATEST)
    assert init(db) == (migrations.LATEST, migrations.LATEST)
    rows = sqlite3.connect(db).execute("select version from kh_schema").fetchall()
    assert rows == [(v,) for v in range(1, migrations.LATEST + 1)]


def test_new_store_is_readable_by_its_owner_only(tmp_path):
    db = tmp_path / "s.sqlite"
    init(str(db))
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600


def test_foreign_database_is_refused(tmp_path):
    db = tmp_path / "other.sqlite"
    sqlite3.connect(db).execute("create table customers (id integer)").connection.commit()
    with pytest.raises(StoreError, match="not a kh store"):
        init(str(db))


def test_store_from_a_newer_kh_is_refused(tmp_path):
    db = tmp_path / "s.sqlite"
    init(str(db))
    con = sqlite3.connect(db)
    con.execute("insert into kh_schema values (?, '2030-01-01')", (migrations.LATEST + 1,))
    con.commit()
    with pytest.raises(StoreError, match="newer than this kh"):
        open_store(str(db))


def test_old_store_must_be_upgraded_with_init(tmp_path, monkeypatch):
    db = tmp_path / "s.sqlite"
    init(str(db))
    # Pretend this kh knows one more migration than the store has.
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    with pytest.raises(StoreError, match="upgrade it with: kh init"):
        open_store(str(db))


def _rows_by_column(db) -> dict:
    """table → sorted rows of its columns, keyed by column name."""
    con = sqlite3.connect(db)
    try:
        out = {}
        for (t,) in con.execute("select name from sqlite_master where type='table'"):
            cur = con.execute(f'select * from "{t}"')
            names = [d[0] for d in cur.description]
            out[t] = (names, cur.fetchall())
        return out
    finally:
        con.close()


def test_a_store_written_by_the_first_schema_upgrades_with_nothing_lost(tmp_path):
    """tests/fixtures/store-v1.sqlite was made by kh at schema 1 (two seed plans, two units)."""
    import shutil

    from tests.conftest import ROOT, Kh

    db = tmp_path / "old.sqlite"
    shutil.copy(ROOT / "tests" / "fixtures" / "store-v1.sqlite", db)
    k = Kh(db)
    assert "kh init" in k.refused("plan", "list").err
    before = _rows_by_column(db)
    assert f"schema 1 → {migrations.LATEST}" in k.ok("init").out
    after = _rows_by_column(db)
    for table, (names, rows) in before.items():
        if table == "kh_schema":
            continue
        new_names, new_rows = after[table]
        kept = [new_names.index(n) for n in names]  # every old column is still there
        assert sorted(tuple(r[i] for i in kept) for r in new_rows) == sorted(rows), table
    assert [p["id"] for p in k.ok("plan", "list", "-f", "json").json()] == ["na-2021", "qt-2024-xkmt"]
    assert len(k.ok("indicator", "list", "--plan", "na-2021", "-f", "json").json()) == 21
    assert len(k.ok("task", "list", "--plan", "na-2021", "-f", "json").json()) > 35
    assert [u["code"] for u in k.ok("unit", "list", "-f", "json").json()] == ["40", "412"]
