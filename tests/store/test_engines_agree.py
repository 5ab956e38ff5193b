"""The same store on SQLite and on PostgreSQL prints the same reports, byte for byte: the roll-ups
take different paths on each engine (a LATERAL join for a few units on PostgreSQL, an IN list
on SQLite; DISTINCT ON against SQLite's bare-column MAX for stocks), never different rows."""

import json

from tests.conftest import Kh, new_target, postgres_only


@postgres_only
def test_the_demo_store_gives_the_same_csv_on_both_engines(tmp_path):
    lite, pg = Kh(tmp_path / "demo.sqlite"), Kh(new_target(tmp_path, "demo"))
    for k in (lite, pg):
        k.ok("demo", "--into", str(k.db), db=False)
        # A province's plan on the national scale of things: a figure for a commune merged in 2025.
        k.ok("record", "ls-mtqg-2030", "II.3.d-1", "4", "--unit", "06187", "--period", "2025-03",
             "--as-of", "2026-09-30")
    plans = [r["id"] for r in lite.ok("plan", "list", "-f", "json").json()]
    asks = [["overdue", "--as-of", "2026-09-30", "-f", "csv"]]
    for plan in plans:
        for period in ("2025", "2026", "2026-Q2"):
            asks.append(["gap", "--plan", plan, "--period", period, "--as-of", "2026-09-30", "-f", "csv"])
    for unit in ("20", "183", "06187", "06211", "05977"):
        asks.append(["gap", "--plan", "ls-mtqg-2030", "--unit", unit, "--period", "2025", "--as-of", "2026-09-30",
                     "-f", "csv"])
        asks.append(["figures", "--unit", unit, "-f", "json"])
    for ask in asks:
        a, b = lite.ok(*ask).out, pg.ok(*ask).out
        if ask[0] == "figures":  # who recorded differs by engine (the database role on PostgreSQL)
            drop = ("recorded_at", "recorded_by")
            a, b = ([{k: v for k, v in r.items() if k not in drop} for r in json.loads(x)] for x in (a, b))
        assert a == b, ask
    assert any(lite.ok(*ask).out.count("\n") > 2 for ask in asks if ask[0] == "gap")
    _quiet(pg.db)


def _quiet(url: str) -> None:
    """Wait for autovacuum to leave the freshly loaded database: the session's clean-up drops it,
    and its owner may not end a superuser's worker."""
    import time

    from sqlalchemy.engine import make_url

    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("VACUUM")  # what autovacuum would do, done now by the owner
            for _ in range(120):
                busy = conn.execute(sa.text("SELECT 1 FROM pg_stat_activity WHERE datname = :d "
                                            "AND backend_type = 'autovacuum worker'"), dict(d=make_url(url).database))
                if busy.first() is None:
                    return
                time.sleep(0.5)
    finally:
        engine.dispose()
