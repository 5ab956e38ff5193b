"""What the global options set for the command that runs (``--db``)."""

from __future__ import annotations

db: str | None = None
_opened: list = []


def target() -> str:
    from kh.location import resolve

    return resolve(db)


def store():
    """Open the store named by --db / KH_DB / the default, refusing a missing or old one."""
    from kh.store import open_store

    s = open_store(target())
    _opened.append(s)
    return s


def close() -> None:
    """Release the stores the command opened (SQLite folds its WAL back into the file)."""
    while _opened:
        _opened.pop().close()
