"""Building demo stores from the shipped seed plans and units."""

from __future__ import annotations

from importlib import resources

from kh import planfile
from kh.units import parse_csv


def seed_plan_files() -> list:
    return sorted((p for p in resources.files("kh._seeds").iterdir() if p.name.endswith(".toml")),
                  key=lambda p: p.name)


def units_csv():
    return resources.files("kh._units") / "units.csv"


def build(target: str) -> dict:
    """A new store at ``target`` with every seed plan and the country's units."""
    from kh.store import open_store, plans
    from kh.store import units as store_units
    from kh.store.db import init

    init(target)
    loaded = [planfile.loads(p.read_text(encoding="utf-8"), p.name) for p in seed_plan_files()]
    unit_rows = parse_csv(units_csv().read_text(encoding="utf-8-sig"), "units.csv")
    store = open_store(target)
    try:
        with store.begin() as conn:
            added, _ = store_units.upsert(conn, unit_rows)
            for plan in loaded:
                plans.save(conn, plan)
    finally:
        store.close()
    return {"units": added, "plans": [p.id for p in loaded]}
