"""Synthetic stores at province and national scale, for benchmarks and for trying kh on realistic
volumes (``kh demo --scale province|national``).

The seed plan ls-mtqg-2030 is applied to every commune after 1/7/2025 (one province, or all 34),
with four more commune-level indicators so that 22 are recorded monthly from 2025-07 to 2030-12:
3,321 communes × 22 × 66 months = 4.8 million figures nationally. Every commune's People's
Committee owes a quarterly report; most are sent on time, some late, some never. The numbers
are random but reproducible (a fixed seed) and shaped like real ones: small monthly counts,
shares below their whole, stocks drifting down.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from importlib import resources

from kh import planfile
from kh.deadlines import occurrences
from kh.model import Assignee, DeadlineRule, Indicator, Obligation
from kh.units import parse_csv

PLAN_ID = "ls-mtqg-2030"
FIRST, LAST = (2025, 7), (2030, 12)  # the new communes exist from 1/7/2025
RECORDED_AT = datetime(2031, 1, 15, 8, 0)
AS_OF = date(2031, 1, 15)  # what the builder takes as today: every period it records is past
EXTRA = [  # commune-level indicators a province would add to the plan for its communes
    ("X.1", "Số vụ phạm tội về ma túy được phát hiện", "vụ", "count", 10),
    ("X.2", "Số đối tượng bị bắt giữ", "người", "count", 12),
    ("X.3", "Số người sử dụng trái phép chất ma túy được quản lý", "người", "count", 5),
    ("X.4", "Số buổi tuyên truyền phòng, chống ma túy", "buổi", "count", 12),
]


def _months():
    y, m = FIRST
    while (y, m) <= LAST:
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _plan(communes: list[tuple[str, str]], province: str | None):
    text = (resources.files("kh._seeds") / f"{PLAN_ID}.toml").read_text(encoding="utf-8")
    plan = planfile.loads(text, f"{PLAN_ID}.toml")
    plan.area = province  # one province; None for the whole country (rows per province)
    plan.indicators = plan.indicators + [
        Indicator(ref=ref, name=name, counts=counts, kind=kind, measure="flow", periodicity="yearly",
                  source="chỉ tiêu bổ sung cho cấp xã (dữ liệu mẫu)", comparator=">=", target=target,
                  unit="count") for ref, name, counts, kind, target in EXTRA]
    debtors = [f"UBND {name} ({code})" for code, name in communes]  # names repeat across provinces
    plan.assignees = plan.assignees + [Assignee(name=n, kind="local_government") for n in debtors]
    plan.obligations = plan.obligations + [Obligation(
        key="bc-quy-xa", name="Báo cáo quý của UBND cấp xã", to="Công an tỉnh",
        deadline_text="trước ngày 16 của tháng cuối quý", owed_by=debtors,
        due=DeadlineRule("recurring", every="quarter", day=16, relation="before", from_year=2025))]
    return plan


def _value(ind: Indicator, rng: random.Random, month: int) -> tuple[int, int | None]:
    if ind.kind in ("share", "share_of_baseline") or (ind.kind == "milestones" and ind.of == "share"):
        whole = rng.randint(5, 40)
        return rng.randint(whole // 2, whole), whole if ind.kind != "share_of_baseline" else None
    if ind.kind == "zero":
        return (1 if rng.random() < 0.02 else 0), None
    if ind.measure == "stock":
        return max(0, 30 - month // 6 + rng.randint(-3, 3)), None
    return rng.randint(0, 4), None


def build(target: str, scale: str, *, seed: int = 2025, progress=None) -> dict:
    """A new store at ``target`` of ``scale`` "province" (Lạng Sơn) or "national"."""
    from kh.store import completions, open_store, plans
    from kh.store import figure_rows
    from kh.store import unit_rows
    from kh.store.db import init

    units = parse_csv((resources.files("kh._units") / "units.csv").read_text(encoding="utf-8-sig"), "units.csv")
    province = "20" if scale == "province" else None
    communes = [(u.code, u.name) for u in units if u.kind == "commune" and u.valid_from == date(2025, 7, 1)
                and (province is None or u.parent == province)]
    plan = _plan(communes, province)
    init(target)
    store = open_store(target)
    rng = random.Random(seed)
    from kh.figures import scaled

    months = list(_months())
    n = 0
    try:
        with store.begin() as conn:
            unit_rows.upsert(conn, units)
            plans.save(conn, plan, now=RECORDED_AT)
        for i in range(0, len(communes), 100):  # one transaction per 100 communes: bounded memory
            rows = []
            for code, _ in communes[i:i + 100]:
                for ind in plan.indicators:
                    for y, m in months:
                        value, den = _value(ind, rng, (y - 2025) * 12 + m)
                        if ind.decimals:  # whole hectares, kept as the store keeps decimals
                            value, den = scaled(value, ind.decimals), scaled(den, ind.decimals)
                        rows.append((PLAN_ID, ind.ref, code, f"{y}-{m:02d}", y * 12 + m - 1, y * 12 + m - 1,
                                     value, den))
            with store.begin() as conn:
                figure_rows.bulk_load(conn, rows, by="kh demo", now=RECORDED_AT)
            n += len(rows)
            if progress:
                progress(n)
        ob = plan.obligations[-1]
        sent = []
        for occ in occurrences(ob.due, plan):
            for name in ob.owed_by:
                r = rng.random()
                if r < 0.05:
                    continue  # never sent
                late = rng.randint(1, 20) if r < 0.15 else -rng.randint(0, 10)  # 1 in 10 late
                sent.append((ob.key, name, str(occ.period), occ.due + timedelta(days=late)))
        with store.begin() as conn:
            completions.bulk_load(conn, PLAN_ID, sent, by="kh demo", now=RECORDED_AT)
    finally:
        store.close()
    return {"communes": len(communes), "figures": n, "submissions": len(sent), "indicators": len(plan.indicators)}
