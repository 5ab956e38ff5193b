"""Opening a store: engine, SQLite pragmas, and the schema-version gate."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, ProgrammingError

from kh.errors import StoreError
from kh.location import display, is_url, sqlite_path
from kh.store import migrations


class Store:
    def __init__(self, engine: sa.Engine, target: str, version: int | None = None):
        self.engine = engine
        self.target = target
        # The schema version the gate saw; a writer re-reads it once it holds the write lock,
        # because a restore or an upgrade may have replaced the store while it waited.
        self.version = version

    @contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        """One write transaction: the whole command happens, or none of it.

        On SQLite it starts with BEGIN IMMEDIATE, so a second writer waits its turn (up to the
        busy timeout) instead of failing half-way when it upgrades a read to a write."""
        try:
            with self.engine.connect().execution_options(kh_write=True) as conn, conn.begin():
                if conn.dialect.name == "postgresql":
                    # The same rule as SQLite's BEGIN IMMEDIATE: one writer at a time, so that
                    # "already recorded, use --replace" is decided on what is really there
                    # (two officers' imports never interleave, and never deadlock).
                    conn.execute(sa.text("SET LOCAL lock_timeout = '120s'"))  # BUSY_SECONDS
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_WRITER_LOCK)))
                if self.version is not None and migrations.stored_version(conn) != self.version:
                    raise StoreError("store.changed_while_waiting")
                yield conn
        except OperationalError as e:
            if any(w in str(e.orig) for w in ("locked", "busy", "lock timeout")):
                raise StoreError("store.busy", seconds=BUSY_SECONDS) from None
            raise _write_failed(e, self.target) or e
        except ProgrammingError as e:
            # PostgreSQL's privileges and row-level security: kh checks the usual cases first
            # (kh.store.access) with a clearer message; this is the engine's own word.
            if _sqlstate(e) == "42501":
                reason = str(e.orig).splitlines()[0]
                raise StoreError("store.refused_write", reason=reason) from None
            raise
        except sa.exc.DatabaseError as e:  # e.g. PostgreSQL's disk full (53100), a read-only server
            raise _write_failed(e, self.target) or e

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def _write_failed(e: Exception, target: str) -> StoreError | None:
    """The engine could not write at all: a full disk, a read-only file or file system."""
    what = str(getattr(e, "orig", e)).lower()
    if "disk is full" in what or "no space left" in what or "could not extend file" in what \
            or _sqlstate(e) == "53100":
        return StoreError("store.disk_full", target=display(target))
    if "readonly database" in what or "read-only" in what or "read only" in what:
        return StoreError("store.read_only", target=display(target))
    return None


def _sqlstate(e: Exception) -> str | None:
    """PostgreSQL's error code under either driver (psycopg: sqlstate, psycopg2: pgcode)."""
    orig = getattr(e, "orig", None)
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


BUSY_SECONDS = 120
_WRITER_LOCK = 0x6B68  # "kh": the advisory lock that makes PostgreSQL writers take turns (migration 17 too)


def _sqlite_pragmas(dbapi_conn, _record, foreign_keys: bool = True) -> None:
    # kh issues BEGIN itself (below): pysqlite's implicit transactions are switched off.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON" if foreign_keys else "PRAGMA foreign_keys = OFF")
    # Several officers (or a script and an officer) may write at once: wait rather than fail.
    cur.execute("PRAGMA busy_timeout = 120000")  # BUSY_SECONDS, in ms
    # With WAL, NORMAL keeps the file whole on a crash (it may lose the last commit on a power
    # cut, never corrupt it) and spares an fsync per commit.
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute(_READ_CACHE)
    cur.close()


# The page cache, per connection. A writer gets 64 MB, which keeps big imports from
# spilling half-built indexes to disk. A reader gets 8 MB: a report scans index ranges and reads
# most pages once, so a bigger cache only grows the process: with 64 MB the national gap report
# allocated fresh memory for every page it read (56,000 page faults against 28,000, and in its
# two reading threads one mprotect per page and contention on SQLite's allocator), about 0.1 s
# of processor time; 8 MB still holds what is read again (the closure and unit pages) and
# SQLite's in-memory sorting of a 100,000-figure GROUP BY (docs/performance.md).
_WRITE_CACHE = "PRAGMA cache_size = -65536"
_READ_CACHE = "PRAGMA cache_size = -8192"


def _sqlite_begin(conn: sa.Connection) -> None:
    # Writers take the write lock up front; readers take a snapshot and never block a writer.
    # The cache is set per transaction: a pooled connection may serve a writer, then a reader.
    write = conn.get_execution_options().get("kh_write")
    conn.exec_driver_sql(_WRITE_CACHE if write else _READ_CACHE)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _read_only(path: Path) -> str | None:
    """How to open a store kh may not write: None if it may. A read-only file is opened
    ``mode=ro``; on a read-only folder or file system SQLite could not even make its WAL index,
    so the file is also ``immutable`` (nothing can change it there)."""
    if not path.is_file() or os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return None
    return "mode=ro&immutable=1" if not os.access(path.parent, os.W_OK) else "mode=ro"


def _engine(target: str, foreign_keys: bool = True) -> sa.Engine:
    path = sqlite_path(target)
    url = f"sqlite:///{path}" if path is not None and not is_url(target) else target
    ro = _read_only(path) if path is not None else None
    if ro:
        from urllib.parse import quote

        # Reads work on a store kh may not write; a write says "read-only" (_write_failed).
        url = f"sqlite:///file:{quote(str(path.resolve()))}?{ro}&uri=true"
    try:
        engine = sa.create_engine(url, **_postgresql_options(url))
    except (ArgumentError, ValueError):
        raise StoreError("store.bad_target", target=display(target)) from None
    except (NoSuchModuleError, ModuleNotFoundError) as e:
        hint = " (pip install 'kh[postgres]')" if url.startswith("postgresql") else ""
        raise StoreError("store.no_driver", target=display(target), error=str(e), hint=hint) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda c, r: _sqlite_pragmas(c, r, foreign_keys))
        event.listen(engine, "begin", _sqlite_begin)
    elif engine.dialect.name == "postgresql":
        from kh.store.schema import for_postgresql

        for_postgresql()  # the partial indexes' PostgreSQL form, for the schema checks
        event.listen(engine, "do_connect", _postgresql_session)
    return engine


def _postgresql_options(url: str) -> dict:
    """create_engine's options for PostgreSQL through psycopg or psycopg2: kh stores no hstore,
    so the dialect need not look the type up at its first connection (three round trips); no
    statement is prepared on the server."""
    if not url.startswith("postgresql"):
        return {}
    from sqlalchemy.engine import make_url

    try:
        driver = make_url(url).get_driver_name()
    except (ArgumentError, ValueError):
        return {}  # create_engine says what is wrong with the URL
    options = {"use_native_hstore": False} if driver in ("psycopg", "psycopg2") else {}
    if driver == "psycopg":
        # psycopg prepares a statement it has run five times on a connection, and after five
        # more PostgreSQL may plan it once for any parameters: a commune's roll-up (one index
        # seek per unit of a list) then took 30 ms instead of 0.6, a province's 0.3 s. kh's
        # statements are planned each time; preparing also cost a round trip.
        options["connect_args"] = {"prepare_threshold": None}
    return options


def _postgresql_session(_dialect, _record, _cargs, cparams: dict) -> None:
    """Settings sent with the login (libpq's ``options``: no extra round trip), after any the
    connection string or PGOPTIONS gives. ``jit = off``: kh's statements run for milliseconds;
    compiling one with LLVM takes 50-200 ms, which the planner starts doing as soon as row-level
    security inflates its cost estimate (a clerk's "which provinces have figures" went from 2 ms
    to 230 ms, docs/performance.md)."""
    given = cparams.get("options", os.environ.get("PGOPTIONS", ""))
    cparams["options"] = f"{given} -c jit=off".strip()


def _prepare_file(path: Path, create: bool) -> None:
    if path.exists():
        if path.is_dir():
            raise StoreError("store.is_folder", path=path)
        return
    if not create:
        raise StoreError("store.missing", path=path)
    folder = path.parent
    if not folder.is_dir():
        raise StoreError("store.no_folder", folder=folder)
    if not os.access(folder, os.W_OK):
        raise StoreError("store.folder_not_writable", folder=folder)
    # Figures about people in treatment: the file is readable by its owner only.
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def open_store(target: str, *, create: bool = False, foreign_keys: bool = True) -> Store:
    """Open the store at ``target``; with ``create``, create it or upgrade it (``kh init``)."""
    path = sqlite_path(target)
    if path is not None:
        if create and _is_default(path):
            # The user's data directory is ours to make; a folder named with --db is not.
            path.parent.mkdir(parents=True, exist_ok=True)
        _prepare_file(path, create)
    engine = _engine(target, foreign_keys)
    try:
        if engine.dialect.name == "sqlite" and create:
            # Readers never wait for a writer; set once, it stays with the file.
            raw = engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA journal_mode = WAL")
            finally:
                raw.close()
        with engine.connect() as conn:
            version = migrations.current_version(conn)
    except OperationalError as e:
        engine.dispose()
        raise StoreError("store.cannot_open", target=display(target), error=str(e.orig)) from None
    except ProgrammingError as e:
        engine.dispose()
        if _sqlstate(e) == "42501":  # a role with no grant (kh admin) on a shared store
            raise StoreError("store.refused_access", reason=str(e.orig).splitlines()[0]) from None
        raise
    if not create:
        if version is None:
            raise StoreError("store.empty", target=display(target))
        if version < migrations.LATEST:
            raise StoreError("store.older", version=version, latest=migrations.LATEST)
        if version > migrations.LATEST:
            raise StoreError("store.newer", version=version, latest=migrations.LATEST)
    return Store(engine, target, None if create else version)


def is_empty(target: str) -> bool:
    """Whether a database holds no tables at all (a demo may be built there)."""
    engine = _engine(target)
    try:
        with engine.connect() as conn:
            return not sa.inspect(conn).get_table_names()
    except OperationalError as e:
        raise StoreError("store.cannot_open", target=display(target), error=str(e.orig)) from None
    finally:
        engine.dispose()


def _is_default(path: Path) -> bool:
    from kh.location import default_path

    return path == default_path()


def init(target: str) -> tuple[int, int]:
    """Create or upgrade the store; safe to repeat. Returns (version before, after)."""
    store = open_store(target, create=True, foreign_keys=False)
    try:
        with store.begin() as conn:
            versions = migrations.upgrade(conn)
            from kh.store.access import grant_privileges

            grant_privileges(conn)  # officers' roles can use any tables this upgrade added
            return versions
    except OperationalError as e:
        raise StoreError("store.cannot_upgrade", target=display(target), error=str(e.orig)) from None
    finally:
        store.close()
