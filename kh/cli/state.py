"""What the global options set for the command that runs (``--db``)."""

from __future__ import annotations

db: str | None = None


def target() -> str:
    from kh.location import resolve

    return resolve(db)


def store():
    """Open the store named by --db / KH_DB / the default, refusing a missing or old one."""
    from kh.store import open_store

    return open_store(target())
