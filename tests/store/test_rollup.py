"""The gap report reads the same figures whether the store computes its roll-ups one by one or
all at once on two connections."""

from datetime import date

from kh.gap import report
from kh.periods import parse_period
from kh.store import open_store, plans
from kh.store.rollup import StoreSource


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
