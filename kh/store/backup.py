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
        raise StoreError("backup.sqlite_only")
    return path


def backup(target: str, dest: Path) -> int:
    """Copy the store to ``dest`` (which must not exist) as one consistent snapshot, even while
    others write: VACUUM INTO reads inside one transaction. Returns the schema version."""
    src = _sqlite_file(target)
    if not src.exists():
        raise StoreError("backup.no_store", path=src)
    if dest.exists():
        raise StoreError("backup.exists", path=dest)
    if not dest.parent.is_dir():
        raise StoreError("backup.no_folder", folder=dest.parent)
    fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)  # owner only, like the store
    os.close(fd)
    os.unlink(dest)  # VACUUM INTO wants to create the file itself; the umask-proof mode comes after
    con = sqlite3.connect(src, timeout=120)
    try:
        con.execute("VACUUM INTO ?", (str(dest),))
    except sqlite3.Error as e:
        raise StoreError("backup.failed", error=str(e)) from None
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
        raise StoreError("backup.not_a_file", path=path)
    with path.open("rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise StoreError("backup.not_sqlite", path=path)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            whole = con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        except sqlite3.DatabaseError:
            whole = False
        if not whole:
            raise StoreError("backup.damaged", path=path)
        try:
            version = con.execute("SELECT max(version) FROM kh_schema").fetchone()[0]
        except sqlite3.Error:
            raise StoreError("backup.not_kh", path=path) from None
    finally:
        con.close()
    if version is None or version > migrations.LATEST:
        raise StoreError("backup.version", path=path, version=version)
    return version


def restore(target: str, source: Path) -> tuple[int, Path | None]:
    """Bring back ``source`` as the store after checking it; the store it replaces is kept
    beside it. Returns (the backup's schema version, where the old store was kept)."""
    dest = _sqlite_file(target)
    version = check(source)
    kept = None
    if dest.exists():
        kept = dest.with_name(f"{dest.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
        backup(target, kept)
    else:
        fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(dest, timeout=120)
    try:
        src.backup(dst)  # page by page, inside the destination's own transaction
    except sqlite3.Error as e:
        if kept is None:
            dst.close()
            dest.unlink()  # it was created just now: leave nothing behind
        raise StoreError("backup.restore_failed", error=str(e)) from None
    finally:
        src.close()
        dst.close()
    return version, kept
