"""The gap report reads the same figures whether the store computes its roll-ups one by one or
all at once on two connections."""

from datetime import date

from kh.gap import report
from kh.periods import parse_period
from kh.store import open_store, plans
from kh.store.rollup import StoreSource, _Batch
from tests.conftest import postgres_only, sqlite_only


class Watched(StoreSource):
    read_ahead = 0

    def prefetch(self, requests):
        super().prefetch(requests)
        Watched.read_ahead = len(self._ready)


class OneByOne(StoreSource):
    def prefetch(self, requests):  # noqa: D102 - the plain path, for comparison
        return None


def test_prefetched_roll_ups_equal_the_plain_ones(world):
    for unit, month, value in (("06187", "2026-03", 7), ("05977", "2026-04", 3), ("20", "2025", 100)):
        world.ok("record", "ls-mtqg-2030", "II.3.d-1", str(value), "--unit", unit, "--period", month,
                 "--as-of", "2027-01-05")
    world.ok("record", "ls-mtqg-2030", "II.3.a-1", "40", "--unit", "06187", "--period", "2026-11", "--as-of", "2027-01-05")
    store = open_store(str(world.db))
    try:
        with store.read() as conn:
            plan = plans.load(conn, "ls-mtqg-2030")
            fast = report([plan], Watched(conn), date(2027, 1, 5), period=parse_period("2026"))
            plain = report([plan], OneByOne(conn), date(2027, 1, 5), period=parse_period("2026"))
    finally:
        store.close()
    assert Watched.read_ahead >= 18  # every indicator was read ahead, on two connections
    assert fast == plain
    assert {r["ref"]: r["value"] for r in fast}["II.3.d-1"] == 10


# Direct roll-ups on the real unit tree: Thị trấn Cao Lộc (06187, in district 183) became
# Phường Kỳ Lừa (06187 again, directly in province 20) on 1/7/2025, when the districts ended;
# Phường Vĩnh Trại (05977, in district 178) became Phường Đông Kinh (05977, in 20).
PLAN = "ls-mtqg-2030"


def _m(period: str) -> int:
    year, month = map(int, period.split("-"))
    return year * 12 + month - 1


def _totals(world, ref, units, first, last, *, stock, at=date(2026, 1, 10)):
    store = open_store(str(world.db))
    try:
        with store.read() as conn:
            got = StoreSource(conn).totals(PLAN, ref, units, _m(first), _m(last), stock=stock, at=at)
    finally:
        store.close()
    return {unit: value for unit, (value, _) in got.items()}


def _record(world, ref, value, unit, period, *more):
    world.ok("record", PLAN, ref, str(value), "--unit", unit, "--period", period, "--as-of", "2026-01-10", *more)


def test_a_flow_sums_up_the_tree_and_a_merger_moves_a_commune_to_its_new_parent(world):
    _record(world, "II.3.d-1", 2, "06187", "2025-03")  # Thị trấn Cao Lộc, district 183
    _record(world, "II.3.d-1", 5, "06187", "2025-09")  # Phường Kỳ Lừa, province 20 directly
    _record(world, "II.3.d-1", 3, "05977", "2025-04")  # Phường Vĩnh Trại, district 178
    year = _totals(world, "II.3.d-1", ["20", "183", "178", "06187", "05977"], "2025-01", "2025-12", stock=False)
    assert year == {"20": 10, "183": 2, "178": 3, "06187": 7, "05977": 3}
    # The window counts: the second half has only Kỳ Lừa's figure, and the districts had ended.
    later = _totals(world, "II.3.d-1", ["20", "183", "06187"], "2025-07", "2025-12", stock=False)
    assert later == {"20": 5, "06187": 5}


def test_a_stock_takes_each_units_latest_current_figure_in_the_window(world):
    _record(world, "II.3.a-1", 40, "06187", "2025-03")
    _record(world, "II.3.a-1", 30, "06187", "2025-11")
    _record(world, "II.3.a-1", 7, "05977", "2025-10")
    assert _totals(world, "II.3.a-1", ["20", "06187"], "2025-01", "2025-12", stock=True) == {"20": 37, "06187": 30}
    # A correction replaces the figure: the old value no longer counts.
    _record(world, "II.3.a-1", 25, "06187", "2025-11", "--replace")
    assert _totals(world, "II.3.a-1", ["20", "06187"], "2025-01", "2025-12", stock=True) == {"20": 32, "06187": 25}
    # A window that ends before the later figures holds the earlier one.
    assert _totals(world, "II.3.a-1", ["06187"], "2025-01", "2025-06", stock=True) == {"06187": 40}


def test_a_unit_with_nothing_recorded_is_absent_not_zero(world):
    _record(world, "II.3.d-1", 4, "06187", "2025-09")
    got = _totals(world, "II.3.d-1", ["20", "05977", "183"], "2025-01", "2025-12", stock=False)
    assert got == {"20": 4}


class WholeWindow(StoreSource):
    """The plain path: every roll-up scans the whole window of figures, however few the units."""

    FEW = -1


def test_a_few_units_read_by_unit_give_the_same_rows_as_the_whole_window(world):
    # Figures in and out of the units asked for, across the 2025 mergers, flows and stocks,
    # a correction, and a quarter beside months.
    for ref, value, unit, period in (("II.3.d-1", 2, "06187", "2025-03"), ("II.3.d-1", 5, "06187", "2025-09"),
                                     ("II.3.d-1", 3, "05977", "2025-04"), ("II.3.d-1", 9, "06211", "2026-02"),
                                     ("II.3.d-2", 6, "06211", "2026-Q1"),
                                     ("II.3.a-1", 40, "06187", "2025-03"), ("II.3.a-1", 30, "06187", "2025-11"),
                                     ("II.3.a-1", 7, "05977", "2025-10"), ("II.3.a-1", 8, "06211", "2026-01")):
        world.ok("record", PLAN, ref, str(value), "--unit", unit, "--period", period, "--as-of", "2026-12-31")
    _record(world, "II.3.a-1", 25, "06187", "2025-11", "--replace")
    store = open_store(str(world.db))
    try:
        with store.read() as conn:
            for units in (["06187"], ["05977"], ["06211"], ["183"], ["20"], ["20", "183", "178", "06187", "05977"],
                          ["01", "20"]):
                for first, last in (("2025-01", "2025-12"), ("2025-07", "2026-06"), ("2026-01", "2026-03")):
                    for ref, stock in (("II.3.d-1", False), ("II.3.d-2", False), ("II.3.a-1", True)):
                        for cover in (None, ("commune", ()), ("commune", (("20", 0, 10 ** 6),))):
                            args = (PLAN, ref, units, _m(first), _m(last))
                            kw = dict(stock=stock, at=date(2026, 6, 30), cover=cover)
                            fast, plain = StoreSource(conn), WholeWindow(conn)
                            assert fast._below(units, _m(first), _m(last)) is not None  # the fast path ran
                            assert fast.totals(*args, **kw) == plain.totals(*args, **kw), (units, first, ref)
                            if cover:
                                cov = (PLAN, ref, tuple(units), *args[3:], stock, date(2026, 6, 30), *cover)
                                assert fast.coverage(*cov) == plain.coverage(*cov)
            plan = plans.load(conn, PLAN)
            for unit, year in (("06211", "2026"), ("20", "2026"), ("20", "2025"), ("183", "2025")):
                fast = report([plan], StoreSource(conn), date(2027, 1, 5), unit=unit, period=parse_period(year))
                plain = report([plan], WholeWindow(conn), date(2027, 1, 5), unit=unit, period=parse_period(year))
                assert fast == plain
                assert any(r["value"] for r in fast), unit
    finally:
        store.close()


@postgres_only
def test_a_batch_of_requests_gives_each_the_rows_of_its_own_statement(world):
    """PostgreSQL reads a province's or a commune's indicators in batches (one statement for
    many requests, StoreSource._batch_totals); every request's totals and coverage must be
    those of its own statement: flows and stocks, windows across the 2025 mergers, coverage
    counted or not, inside an area or not, a correction, the figures as known at an earlier
    instant, and accepted reports only."""
    from datetime import datetime, timezone

    for ref, value, unit, period in (("II.3.d-1", 2, "06187", "2025-03"), ("II.3.d-1", 5, "06187", "2025-09"),
                                     ("II.3.d-1", 3, "05977", "2025-04"), ("II.3.d-1", 9, "06211", "2026-02"),
                                     ("II.3.d-2", 6, "06211", "2026-Q1"), ("II.3.d-2", 4, "20", "2026"),
                                     ("II.3.a-1", 40, "06187", "2025-03"), ("II.3.a-1", 30, "06187", "2025-11"),
                                     ("II.3.a-1", 7, "05977", "2025-10"), ("II.3.a-1", 8, "06211", "2026-01"),
                                     ("II.3.a-2", 11, "06211", "2026-H1"), ("II.3.a-2", 12, "05977", "2026-05"),
                                     ("II.3.d-1", 1, "183", "2025-02"), ("II.3.a-1", 2, "183", "2025-05")):
        of = ["--of", str(value * 2)] if ref == "II.3.a-2" else []  # a share: its whole as well
        world.ok("record", PLAN, ref, str(value), *of, "--unit", unit, "--period", period, "--as-of", "2026-12-31")
    before = datetime.now(timezone.utc)
    _record(world, "II.3.a-1", 25, "06187", "2025-11", "--replace")
    world.ok("record", PLAN, "II.3.d-1", "6", "--unit", "06211", "--period", "2026-03", "--as-of", "2026-12-31")
    world.ok("accept", PLAN, "--unit", "06211", "--period", "2026")
    at = date(2026, 6, 30)
    windows = [(_m("2025-01"), _m("2025-12")), (_m("2025-07"), _m("2026-06")), (_m("2026-01"), _m("2026-03")),
               (_m("2024-01"), _m("2026-12"))]
    # Coverage by communes, inside the province or inside a district that ended in 2025, and
    # by districts (which ended on 30/6/2025: a flow counts them, a later stock does not).
    covers = [None, ("commune", ()), ("commune", (("20", 0, 10 ** 6),)),
              ("commune", (("183", _m("2025-01"), _m("2025-06")),)), ("district", ())]
    store = open_store(str(world.db))
    try:
        with store.read() as conn:
            for options in ({}, {"known_at": before}, {"accepted_only": True}):
                for units in (["06187"], ["20"], ["20", "183", "178", "06187", "05977"], ["06211", "05977"]):
                    for stock, refs in ((False, ("II.3.d-1", "II.3.d-2")), (True, ("II.3.a-1", "II.3.a-2"))):
                        asked = [(PLAN, ref, tuple(units), lo, hi, stock, at, *([cover] if cover else []))
                                 for ref in refs for lo, hi in windows for cover in covers]
                        batched, got = StoreSource(conn, **options), {}
                        for batch in batched._batches(asked):  # as prefetch groups them
                            assert isinstance(batch, _Batch), batch
                            got.update(batched._batch_totals(batch.requests))
                        for r in asked:
                            plain = StoreSource(conn, **options)
                            cover = r[7] if len(r) > 7 else None
                            want = plain.totals(PLAN, r[1], units, r[3], r[4], stock=stock, at=at, cover=cover)
                            assert got[r] == want, (options, r)
                            if cover:
                                assert batched._reported[r] == plain._reported[r[:7] + (cover,)], (options, r)
                assert any(v for v in got.values())  # the batch found figures, not only absences
    finally:
        store.close()


def _provinces_plain(conn, plan_id, at):
    """Which provinces hold a figure of the plan, asked as plainly as SQL can: the reference for
    StoreSource.provinces_with_figures, which asks it index by index."""
    import sqlalchemy as sa

    m = at.year * 12 + at.month - 1
    return [r[0] for r in conn.execute(sa.text(
        "SELECT DISTINCT u.code FROM unit u WHERE u.kind = 'province'"
        " AND (u.valid_from IS NULL OR u.valid_from <= :at) AND (u.valid_to IS NULL OR u.valid_to >= :at)"
        " AND EXISTS (SELECT 1 FROM unit_closure c JOIN figure f ON f.unit = c.descendant"
        "   WHERE c.ancestor = u.code AND c.lo <= :m AND c.hi >= :m AND f.plan_id = :plan"
        "   AND f.replaced_at IS NULL) ORDER BY u.code"), dict(at=at, m=m, plan=plan_id))]


def test_the_provinces_with_figures_of_a_plan_without_an_area_are_those_a_plain_query_finds(world, tmp_path):
    import re

    text = world.ok("plan", "export", PLAN).out
    (tmp_path / "nationwide.toml").write_text(re.sub(r'(?m)^area = .*\n', "", text), encoding="utf-8")
    world.ok("plan", "import", tmp_path / "nationwide.toml")
    # Hà Nội's Ba Đình (01), Hà Giang 2 (08, since the 2025 mergers), Thị trấn Cao Lộc before them
    # (district 183 of 20), two indicators, a correction.
    for ref, value, unit, period in (("II.3.d-1", 2, "00004", "2026-03"), ("II.3.a-1", 5, "00691", "2025-09"),
                                     ("II.3.d-2", 3, "06187", "2025-03")):
        world.ok("record", PLAN, ref, str(value), "--unit", unit, "--period", period, "--as-of", "2026-12-31")
    _record(world, "II.3.d-2", 4, "06187", "2025-03", "--replace")
    store = open_store(str(world.db))
    try:
        with store.read() as conn:
            source = StoreSource(conn)
            assert source._refs(PLAN) == ["II.3.a-1", "II.3.d-1", "II.3.d-2"]
            for at in (date(2025, 3, 31), date(2025, 6, 30), date(2026, 12, 31), date(2030, 12, 31)):
                assert source.provinces_with_figures(PLAN, at) == _provinces_plain(conn, PLAN, at), at
            assert source.provinces_with_figures(PLAN, date(2026, 12, 31)) == ["01", "08", "20"]
            assert source.provinces_with_figures("na-2021", date(2021, 12, 31)) == []  # nothing recorded
    finally:
        store.close()


@sqlite_only
def test_a_whole_window_roll_up_reads_only_the_windows_months_of_the_month_index(world):
    """The national report's roll-ups scan ix_figure_rollup by month: the range must be bounded
    at both ends (m_from from the window's first month to its last). Bounded below only, the
    scan of 2027 ran on through every figure recorded to 2030, four times the rows; the rows
    themselves are the by-unit path's (the test above)."""
    import sqlite3

    import sqlalchemy as sa

    _record(world, "II.3.d-1", 2, "06187", "2025-03")
    _record(world, "II.3.a-1", 40, "06187", "2025-03")
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "FROM figure" in statement:
            seen.append((statement, parameters))

    store = open_store(str(world.db))
    sa.event.listen(store.engine, "before_cursor_execute", keep)
    try:
        with store.read() as conn:
            for ref, stock in (("II.3.d-1", False), ("II.3.a-1", True)):
                got = WholeWindow(conn).totals(PLAN, ref, ["20"], _m("2025-01"), _m("2025-12"), stock=stock,
                                               at=date(2026, 1, 10), cover=("commune", ()))
                assert got["20"][0] == {"II.3.d-1": 2, "II.3.a-1": 40}[ref]
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", keep)
        store.close()
    db = sqlite3.connect(world.db)
    try:
        plans = [[row[3] for row in db.execute("EXPLAIN QUERY PLAN " + s, p)] for s, p in seen]
    finally:
        db.close()
    assert len(plans) == 2
    for plan in plans:
        assert any("INDEX ix_figure_rollup (plan_id=? AND ref=? AND m_from>? AND m_from<?)" in step
                   for step in plan), plan


@sqlite_only
def test_a_reader_keeps_a_small_page_cache_and_a_writer_a_large_one(world):
    """Reports read most pages once: 8 MB of cache (a bigger one only grew the process, page by
    page). Imports build indexes: 64 MB. A pooled connection serves either, so each transaction
    sets its own."""
    import sqlalchemy as sa

    store = open_store(str(world.db))
    try:
        for _ in range(2):
            with store.begin() as conn:
                assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -65536
            with store.read() as conn:
                conn.execute(sa.text("SELECT 1"))
                assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -8192
    finally:
        store.close()
