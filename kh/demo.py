"""Building demo stores from the shipped seed plans and units."""

from __future__ import annotations

from datetime import date, datetime
from importlib import resources

from kh import planfile
from kh.figures import NewFigure
from kh.periods import parse_period
from kh.units import parse_csv

# The demo's "today": fixed, so that the demo shows the same statuses whenever it is run —
# na-2021 is over (met / not_met), ls-mtqg-2030 is running (on_track / behind).
AS_OF = date(2026, 9, 30)
RECORDED_AT = datetime(2026, 9, 30, 8, 0)  # when the demo says its plans, figures and reports were recorded

# (plan, ref, unit, period, value, denominator): invented figures, shaped to show every status.
_FIGURES = [
    # Nghệ An 2021: arrests +5 % vs 2020 (1504 → 1600: met), across two communes of Vinh and the province
    ("na-2021", "III.1-1", "40", "2020", 1504, None),
    *[("na-2021", "III.1-1", "16663", f"2021-{m:02d}", 60, None) for m in range(1, 13)],
    *[("na-2021", "III.1-1", "16666", f"2021-{m:02d}", 50, None) for m in range(1, 13)],
    ("na-2021", "III.1-1", "40", "2021", 280, None),
    # ≥ 70 % of registered addicts in treatment: 60 % pooled (not_met, 20 more people needed)
    ("na-2021", "III.4-1", "16663", "2021-12", 70, 100),
    ("na-2021", "III.4-1", "16666", "2021-12", 50, 100),
    # ≥ 10 key communes made less complex: 7 at the province, the communes silent (incomplete)
    ("na-2021", "III.3-3", "40", "2021", 7, None),
    # no re-planting, broken in one commune: not_met whatever the others send
    ("na-2021", "III.8-1", "16663", "2021", 1, None),
    ("na-2021", "III.8-2", "40", "2021", 12, 12),
    # Lạng Sơn 2025–2030: cases at the border up > 3 % a year; 2026 running
    ("ls-mtqg-2030", "II.3.d-1", "20", "2025", 200, None),
    *[("ls-mtqg-2030", "II.3.d-1", "06187", f"2026-{m:02d}", 20, None) for m in range(1, 10)],
    # cybercrime cases > 3 %: 27 so far against 52 for the year (behind)
    ("ls-mtqg-2030", "II.3.d-2", "20", "2025", 50, None),
    *[("ls-mtqg-2030", "II.3.d-2", "05977", f"2026-{m:02d}", 3, None) for m in range(1, 10)],
    # ≥ 50 % drug-free communes by 2030: 46 % now, most communes silent (incomplete)
    ("ls-mtqg-2030", "II.3.a-2", "20", "2026-09", 30, 65),
    # fewer addicts than last year: Phường Kỳ Lừa's register grew from 40 to 45 (behind, whatever
    # the silent communes send)
    ("ls-mtqg-2030", "II.3.a-1", "06187", "2025-12", 40, None),
    ("ls-mtqg-2030", "II.3.a-1", "06187", "2026-09", 45, None),
]
# (plan, obligation, assignee, period, sent on): some on time, some late; the rest stay overdue.
_SUBMISSIONS = [
    ("ls-mtqg-2030", "bc-dinh-ky", "Công an tỉnh", "2025", date(2025, 12, 29)),
    ("ls-mtqg-2030", "so-ket", "Công an tỉnh", "2025", date(2026, 1, 12)),
    ("na-2021", "ke-hoach-2021", "Sở Y tế", "2021", date(2021, 2, 5)),
    ("na-2021", "bc-6-thang", "Sở Y tế", "2021-H1", date(2021, 6, 20)),
]
SHOWN = {"na-2021": ["III.1-1", "III.4-1", "III.3-3", "III.8-1", "III.2"],
         "ls-mtqg-2030": ["II.3.d-1", "II.3.d-2", "II.3.a-1"]}


def seed_plan_files() -> list:
    return sorted((p for p in resources.files("kh._seeds").iterdir() if p.name.endswith(".toml")),
                  key=lambda p: p.name)


def units_csv():
    return resources.files("kh._units") / "units.csv"


def build(target: str) -> dict:
    """A new store at ``target`` with every seed plan and the country's units."""
    from kh.store import open_store, plans
    from kh.store import unit_rows
    from kh.store.db import init

    init(target)
    loaded = [planfile.loads(p.read_text(encoding="utf-8"), p.name) for p in seed_plan_files()]
    units = parse_csv(units_csv().read_text(encoding="utf-8-sig"), "units.csv")
    from kh.store import completions
    from kh.store import figure_rows

    figures = [NewFigure(p, r, u, parse_period(per), v, d, where="demo") for p, r, u, per, v, d in _FIGURES]
    store = open_store(target)
    try:
        with store.begin() as conn:
            added, _ = unit_rows.upsert(conn, units)
            for plan in loaded:
                plans.save(conn, plan, now=RECORDED_AT)
            figure_rows.record(conn, figures, replace=False, by="kh demo", as_of=AS_OF, now=RECORDED_AT)
            for plan_id, key, who, period, on in _SUBMISSIONS:
                completions.mark(conn, plan_id=plan_id, kind="obligation", item=key, assignee=who,
                                 period=period, on=on, by="kh demo", now=RECORDED_AT)
    finally:
        store.close()
    return {"units": added, "plans": [p.id for p in loaded], "figures": len(figures),
            "submissions": len(_SUBMISSIONS)}
