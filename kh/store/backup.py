"""Backups of a SQLite store: a consistent copy while others write, and a checked restore."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from kh.errors import StoreError
from kh.location import sqlite_path
from kh.store import migrations


def _sqlite_file(target: str) -> Path:
    path = sqlite_path(target)
    if path is None:
        raise StoreError("kh backup and restore work on a SQLite store; for PostgreSQL use pg_dump "
                         "and pg_restore (docs/deploy-postgresql.md)")
    return path


def backup(target: str, dest: Path) -> int:
    """Copy the store to ``dest`` (which must not exist) as one consistent snapshot, even while
    others write: VACUUM INTO reads inside one transaction. Returns the schema version."""
    src = _sqlite_file(target)
    if not src.exists():
        raise StoreError(f"no store at {src}")
    if dest.exists():
        raise StoreError(f"{dest} exists; a backup never overwrites a file")
    if not dest.parent.is_dir():
        raise StoreError(f"the folder {dest.parent} does not exist")
    fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)  # owner only, like the store
    os.close(fd)
    os.unlink(dest)  # VACUUM INTO wants to create the file itself; the umask-proof mode comes after
    con = sqlite3.connect(src, timeout=120)
    try:
        con.execute("VACUUM INTO ?", (str(dest),))
    except sqlite3.Error as e:
        raise StoreError(f"cannot back up the store: {e}") from None
    finally:
        con.close()
    os.chmod(dest, 0o600)
    try:
        return check(dest)
    except StoreError:
        dest.unlink()  # a copy this kh could not restore is no backup: leave nothing behind
        raise


def check(path: Path) -> int:
    """Refuse a file that is not a whole kh store this kh can read; return its schema version."""
    if not path.is_file():
        raise StoreError(f"{path} is not a file")
    with path.open("rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise StoreError(f"{path} is not a SQLite file, so not a kh backup")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            whole = con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        except sqlite3.DatabaseError:
            whole = False
        if not whole:
            raise StoreError(f"{path} is damaged (integrity check failed); it is not restored")
        try:
            version = con.execute("SELECT max(version) FROM kh_schema").fetchone()[0]
        except sqlite3.Error:
            raise StoreError(f"{path} is a SQLite file but not a kh store") from None
    finally:
        con.close()
    if version is None or version > migrations.LATEST:
        raise StoreError(f"{path} has schema version {version}, which this kh cannot read")
    return version


def restore(target: str, source: Path) -> tuple[int, Path | None]:
    """Bring back ``source`` as the store after checking it; the store it replaces is kept
    beside it. Returns (the backup's schema version, where the old store was kept).

    It is a writer like any other: it holds the store's write lock (BEGIN IMMEDIATE) from
    before the copy of the old store is taken until the backup's rows are committed, so an
    import either finishes first (and is in the kept copy) or waits and writes to the
    restored store; an import is never lost between the two. The rows are copied in one
    transaction of the store's own file, which other connections keep open."""
    dest = _sqlite_file(target)
    version = check(source)
    existed = dest.exists()
    if not existed:
        fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    con = sqlite3.connect(str(dest), timeout=BUSY_SECONDS, isolation_level=None, uri=True)
    kept = None
    try:
        if not existed:
            con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA foreign_keys = OFF")  # a copy's rows arrive table by table
        con.execute("ATTACH DATABASE ? AS src", (source.resolve().as_uri() + "?mode=ro",))
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e):
                raise StoreError(f"the store is busy: another command has been writing to it for "
                                 f"{BUSY_SECONDS} s; nothing was restored, try again") from None
            raise
        try:
            if existed:
                kept = _keep(target, dest)
            _replace_contents(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    except sqlite3.Error as e:
        con.close()
        if kept is not None:
            kept.unlink(missing_ok=True)
        if not existed:
            dest.unlink(missing_ok=True)  # it was created just now: leave nothing behind
        raise StoreError(f"cannot restore: {e}; the store was not changed") from None
    except BaseException:
        con.close()
        if not existed:
            dest.unlink(missing_ok=True)
        raise
    con.close()
    return version, kept


BUSY_SECONDS = 120  # as kh.store.db: how long a writer waits for another


def _keep(target: str, dest: Path) -> Path:
    """A copy of the store about to be replaced, taken while the restore holds the write lock
    (VACUUM INTO reads the last commit; no writer can add to it now)."""
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    kept = dest.with_name(f"{dest.name}.before-restore-{stamp}")
    n = 1
    while kept.exists():  # two restores within one second
        n += 1
        kept = dest.with_name(f"{dest.name}.before-restore-{stamp}-{n}")
    backup(target, kept)
    return kept


def _name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _replace_contents(con: sqlite3.Connection) -> None:
    """Inside the open transaction: drop everything in ``main`` and rebuild it from ``src``
    (tables, their rows, then indexes, views and triggers). The names come from the backup's
    own catalogue, a file ``check`` accepted; they are quoted, never trusted as SQL."""
    old = con.execute("SELECT type, name FROM main.sqlite_master WHERE name NOT LIKE 'sqlite%'").fetchall()
    for kind in ("trigger", "view", "table"):
        for t, name in old:
            if t == kind:
                drop = f"DROP {kind.upper()} IF EXISTS main.{_name(name)}"
                con.execute(drop)
    new = con.execute("SELECT type, name, sql FROM src.sqlite_master "
                      "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite%' ORDER BY rowid").fetchall()
    for t, name, sql in new:
        if t == "table":
            con.execute(sql)
            copy = f"INSERT INTO main.{_name(name)} SELECT * FROM src.{_name(name)}"
            con.execute(copy)
    # SQLite's own tables (AUTOINCREMENT counters, ANALYZE statistics) follow the backup too.
    for own in ("sqlite_sequence", "sqlite_stat1", "sqlite_stat4"):
        ask = "SELECT count(*) FROM {}.sqlite_master WHERE name = ?"
        here = {db: con.execute(ask.format(db), (own,)).fetchone()[0] for db in ("main", "src")}
        if here["main"]:
            clear, fill = f"DELETE FROM main.{own}", f"INSERT INTO main.{own} SELECT * FROM src.{own}"
            con.execute(clear)
            if here["src"]:
                con.execute(fill)
    for kind in ("index", "view", "trigger"):
        for t, name, sql in new:
            if t == kind:
                con.execute(sql)
