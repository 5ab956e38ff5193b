"""How kh's connections to PostgreSQL are set up (kh.store.db)."""

from sqlalchemy.engine import make_url

from tests.conftest import postgres_only


def _settings(target: str, *names: str) -> list[str]:
    from kh.store.db import open_store

    store = open_store(target)
    try:
        with store.read() as conn:
            return [conn.exec_driver_sql(f"SHOW {n}").scalar() for n in names]
    finally:
        store.close()


@postgres_only
def test_kh_sessions_run_without_jit_and_keep_the_options_they_are_given(world, monkeypatch):
    # JIT compiling took 230 ms of a clerk's 2 ms statement (docs/performance.md): kh turns it
    # off with the login, after whatever the connection string or PGOPTIONS asks for.
    monkeypatch.setenv("PGOPTIONS", "-c work_mem=7MB")
    assert _settings(world.db, "jit", "work_mem") == ["off", "7MB"]
    given = make_url(world.db).update_query_dict({"options": "-c statement_timeout=4321"})
    jit, timeout, work_mem = _settings(given.render_as_string(hide_password=False), "jit", "statement_timeout",
                                       "work_mem")
    assert (jit, timeout) == ("off", "4321ms")
    assert work_mem != "7MB"  # as libpq does: the connection string's options, not PGOPTIONS


@postgres_only
def test_kh_never_prepares_its_statements_on_the_server(world):
    # psycopg prepares a statement run five times on one connection; PostgreSQL then plans it
    # once for any parameters: that generic plan of a commune's roll-up took 30 ms instead of
    # 0.6 ms, a province's 0.3 s (kh.store.db._postgresql_options).
    from kh.store.db import open_store

    world.ok("record", "ls-mtqg-2030", "II.3.d-1", "2", "--unit", "06211", "--period", "2026-03",
             "--as-of", "2027-01-05")
    store = open_store(world.db)
    try:
        with store.read() as conn:
            for _ in range(12):  # the same statement, as one indicator after another asks it
                assert conn.exec_driver_sql("SELECT count(*) FROM figure WHERE unit = %(u)s",
                                            {"u": "06211"}).scalar() == 1
            assert conn.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar() == 0
    finally:
        store.close()
