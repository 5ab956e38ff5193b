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


def test_migrations_build_exactly_the_models(tmp_path):
    db = tmp_path / "s.sqlite"
    init(str(db))
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


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
