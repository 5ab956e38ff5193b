"""Where the store is: ``--db``, else ``KH_DB``, else one file in the user's data directory.

Kept free of SQLAlchemy so that ``kh where`` and ``kh --help`` stay instant.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("kh", appauthor=False) / "kh.sqlite"


def resolve(db: str | None) -> str:
    """The store's target: a file path or a SQLAlchemy URL."""
    return db or os.environ.get("KH_DB") or str(default_path())


def is_url(target: str) -> bool:
    return "://" in target


def sqlite_path(target: str) -> Path | None:
    """The file behind a SQLite target, or None for a server (or in-memory) database."""
    if not is_url(target):
        return Path(target).expanduser()
    if target.startswith("sqlite:///") and target != "sqlite:///:memory:":
        return Path(target[len("sqlite:///"):]).expanduser()
    return None


def display(target: str) -> str:
    """The target with any password hidden, for messages."""
    if is_url(target) and "@" in target:
        scheme, rest = target.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return target
