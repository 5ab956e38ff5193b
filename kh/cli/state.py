"""What the global options set for the command that runs (``--db``)."""

db: str | None = None
_opened: list = []


def target() -> str:
    from kh.location import resolve

    return resolve(db)


def store():
    """Open the store named by --db / KH_DB / the default, refusing a missing or old one. A
    command that asks again (kh record resolves the unit, then writes) gets the same store: one
    engine and one schema check per command (a writer checks the version again in ``begin``)."""
    from kh.store import open_store

    where = target()
    for s in _opened:
        if s.target == where:
            return s
    s = open_store(where)
    _opened.append(s)
    return s


def close() -> None:
    """Release the stores the command opened (SQLite folds its WAL back into the file)."""
    while _opened:
        _opened.pop().close()
