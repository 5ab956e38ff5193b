"""The gap report: every indicator of a plan against its figures, per unit and period.

A pure report in the manner of hledger: it reads figures through a ``source`` (the store's
``StoreSource``, or anything with the same methods) and takes ``as_of`` as a parameter.
docs/gap.md explains the rules with worked examples from the seeds.

Time frames: a "hằng năm" target is judged year by year; "đến năm X" from the plan's start to
the end of X; a whole-span target over the plan's span. ``period`` picks the year (or a shorter
period) to look at; without it, the period that holds ``as_of``, kept inside the plan's years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Protocol

from kh import targets
from kh.figures import month_index
from kh.model import RANK_OF, Indicator, Plan
from kh.periods import Period, bounds, period_containing

COLUMNS = ["plan", "ref", "indicator", "unit", "unit_name", "period", "period_start", "period_end",
           "kind", "comparator", "target", "baseline", "value", "denominator", "actual", "gap",
           "needed", "status", "units_expected", "units_reported", "target_basis", "reason"]
# Why a row has no verdict (met / not_met): a code, with ``reason_params`` for its sentence, the
# catalogue key "reason.<code>" (docs/gap.md, "Reading a row").
REASONS = {
    "no_figures": "reason.no_figures", "no_baseline": "reason.no_baseline", "zero_baseline": "reason.zero_baseline",
    "no_denominator": "reason.no_denominator", "silent": "reason.silent", "not_over": "reason.not_over",
    "not_due": "reason.not_due"}


class Source(Protocol):
    """What the report reads (``kh.store.rollup.StoreSource`` in the store)."""

    def totals(self, plan_id: str, ref: str, units: list[str], m_from: int, m_to: int, *, stock: bool,
               at: date, cover: tuple | None = None) -> dict[str, tuple[Fraction, Fraction | None]]: ...
    def versions(self, codes: list[str], at: date) -> dict[str, dict]: ...
    def units_of_kind(self, unit: str, kind: str, at: date) -> list[str]: ...
    def provinces_with_figures(self, plan_id: str, at: date) -> list[str]: ...
    def successors_at(self, code: str, at: date) -> list[str]: ...
    def coverage(self, plan_id: str, ref: str, units: tuple[str, ...], m_from: int, m_to: int, stock: bool,
                 at: date, level: str, area: tuple[str, ...]) -> dict[str, tuple[int, int]]: ...


@dataclass(frozen=True)
class Frame:
    """What one row judges: the figures' window, the target's deadline and how far along it is."""

    period: Period
    first: date  # first day of the window the figures are summed over
    last: date  # last day of that window
    months: tuple[int, int]  # the window as month indices
    final: bool  # the period is over and the target is due: met / not_met
    progress: Fraction  # share of the target's time that has passed


def current_period(plan: Plan, as_of: date) -> Period:
    """The year holding ``as_of`` under the plan's cut-off, kept inside the plan's years."""
    year = period_containing(as_of, "year", plan.cutoff_day).year
    return Period(min(max(year, plan.start.year), plan.end.year), "year", 1)


def frame(plan: Plan, ind: Indicator, period: Period, as_of: date) -> Frame:
    p_first, p_last = bounds(period, plan.cutoff_day)
    if ind.kind == "milestones":
        # Judged year by year: a milestone year is due; a year between milestones is on its
        # way to the next one (on_track / behind against the line between them).
        due, deadline = period.year in ind.milestones, p_last
    else:
        deadline_year = {"yearly": period.year, "by_year": ind.by}.get(ind.periodicity, plan.end.year)
        due = period.year >= deadline_year
        deadline = p_last if due else bounds(Period(deadline_year, "year", 1), plan.cutoff_day)[1]
    # đến năm X / the whole span: a flow sums everything since the plan's start; a stock is its
    # latest value inside the period, like any stock.
    cumulative = (ind.periodicity != "yearly" and ind.kind != "milestones" and period.kind == "year"
                  and ind.measure == "flow")
    if cumulative:
        start_p = period_containing(plan.start, "month", plan.cutoff_day)
        first = min(bounds(start_p, plan.cutoff_day)[0], p_first)
        months = (min(month_index(start_p)[0], month_index(period)[0]), month_index(period)[1])
    else:
        first, months = p_first, month_index(period)
    # A target is set for a year (or a milestone year): a shorter window is on its way to it,
    # never met or not met on its own.
    final = as_of > p_last and due and period.kind == "year"
    if final:
        progress = Fraction(1)
    else:
        elapsed = (min(max(as_of, first - timedelta(days=1)), p_last) - first).days + 1
        progress = min(Fraction(max(elapsed, 0), (deadline - first).days + 1), Fraction(1))
    return Frame(period, first, p_last, months, final, progress)


def _baseline_period(ind: Indicator, period: Period) -> Period | None:
    if ind.baseline_previous:
        return Period(period.year - 1, period.kind, period.index)
    if ind.baseline_year is not None:
        return Period(ind.baseline_year, period.kind, period.index)
    return None


def target_for(plan: Plan, ind: Indicator, period: Period) -> tuple[Fraction, str]:
    """The target a row compares with, and its basis: ``plan`` (as the plan set it),
    ``interpolated`` (a year between milestones), ``pro_rata`` (a yearly count's share for a
    shorter window)."""
    if ind.kind == "milestones":
        t, exact = targets.milestone_target(ind, period.year, plan.start.year)
        return t, "plan" if exact else "interpolated"
    t = Fraction(ind.target).limit_denominator()
    if ind.kind == "count" and period.kind != "year":
        # A count promised per year, looked at for a quarter: that quarter's share of it.
        months = period.last_month - period.first_month + 1
        return t * months / 12, "pro_rata"
    return t, "plan"


def _judged(ind: Indicator) -> Indicator:
    """A milestones indicator is judged as the kind its milestones measure."""
    if ind.kind != "milestones":
        return ind
    from dataclasses import replace

    return replace(ind, kind=ind.of)


def _window(plan: Plan, ind: Indicator, fr: Frame) -> tuple[int, int]:
    """The months a stock that carries forward reads: everything up to the window's end."""
    return (0, fr.months[1]) if ind.carry_forward else fr.months


def rows_for(plan: Plan, ind: Indicator, units: list[str], period: Period, as_of: date, source: Source,
             area: set[str], reach: tuple[str, ...] = ()) -> list[dict]:
    """One row per unit for one indicator; the figures of all the units come in one query (and
    one more for the baselines, one for the coverage), whatever their number. ``reach``: the
    plan's area (and its successors), that coverage counts within."""
    fr = frame(plan, ind, period, as_of)
    stock = ind.measure == "stock"
    judged = _judged(ind)
    target, basis = target_for(plan, ind, period)
    # Figures are stored × 10^decimals (hectares, rates): the roll-ups sum integers, and here
    # they become what was recorded; ``needed`` counts in steps of the last decimal place.
    places = ind.decimals or 0
    step = Fraction(1, 10 ** places)

    def real(pair: tuple) -> tuple:
        v, d = pair
        return (None if v is None else v * step, None if d is None else d * step)

    versions = source.versions(units, fr.last)

    def alone(u: str) -> bool:  # a unit above the kind a per-unit target binds
        kind = versions.get(u, {}).get("kind")
        return bool(ind.per_unit and kind and RANK_OF[kind] < RANK_OF[ind.per_unit])

    plain = [u for u in units if not alone(u)]
    totals, dens, cover = {}, {}, {}  # type: ignore[var-annotated]
    if plain:
        cover = (ind.reported_by, reach)
        totals = source.totals(plan.id, ind.ref, plain, *_window(plan, ind, fr), stock=stock, at=fr.last,
                               cover=cover)
        if ind.denominator_measure == "stock":  # the whole is the register's latest figure
            dens = source.totals(plan.id, ind.ref, plain, *_window(plan, ind, fr), stock=True, at=fr.last)
        cover = source.coverage(plan.id, ind.ref, tuple(plain), *_window(plan, ind, fr), stock, fr.last,
                                ind.reported_by, reach)
    baselines: dict = {}
    bp = _baseline_period(ind, period) if judged.kind in ("change", "decrease", "share_of_baseline") else None
    if bp is not None and plain:
        baselines = source.totals(plan.id, ind.ref, plain, *month_index(bp), stock=stock,
                                  at=bounds(bp, plan.cutoff_day)[1])
    out = []
    for u in units:
        row = dict(plan=plan.id, ref=ind.ref, indicator=ind.name, unit=u,
                   unit_name=versions.get(u, {}).get("name"), period=str(period), period_start=fr.first,
                   period_end=fr.last, kind=ind.kind, comparator=ind.comparator, target_text=ind.target_text,
                   target_basis=basis, carry_forward=ind.carry_forward)
        if alone(u):
            pu = {**row, **_per_unit(plan, ind, u, period, as_of, source, fr, target)}
            out.append({**pu, **_reason(plan, ind, period, fr, as_of, pu, None)})
            continue
        value, den = real(totals.get(u, (None, None)))
        if ind.denominator_measure == "stock":
            den = real(dens.get(u, (None, None)))[1]
        elif ind.denominator_measure == "fixed":
            den = Fraction(ind.denominator_value).limit_denominator() if value is not None else None
        baseline = real(baselines.get(u, (None, None)))[0]
        if baseline is None and judged.kind in ("change", "decrease", "share_of_baseline") \
                and ind.baseline_value is not None and u in area:
            baseline = Fraction(ind.baseline_value).limit_denominator()  # stated by the plan
        expected, reported = cover.get(u, (0, 0))
        kw = dict(value=value, denominator=den, baseline=baseline, progress=fr.progress, final=fr.final,
                  flow=not stock, step=step)
        j = targets.judge(judged, target=target, **kw)
        j = targets.settle(judged, j, silent=reported < expected, fixed_denominator=ind.denominator_measure == "fixed",
                           stock_denominator=ind.denominator_measure == "stock", **kw)
        shown = targets.as_decimal
        done = {**row, "target": target, "baseline": shown(baseline, places), "value": shown(value, places),
                "denominator": shown(den, places), "actual": j.actual, "gap": j.gap,
                "needed": shown(j.needed, places), "status": j.status,
                "units_expected": expected, "units_reported": reported}
        out.append({**done, **_reason(plan, ind, period, fr, as_of, done, bp)})
    return out


def _reason(plan: Plan, ind: Indicator, period: Period, fr: Frame, as_of: date, row: dict,
            bp: Period | None) -> dict:
    """Why a row has no verdict: ``reason`` (a code of ``REASONS``) and ``reason_params``; both
    None for met / not_met."""
    status = row["status"]
    code, params = None, {}
    if status == targets.NO_DATA:
        judged = _judged(ind)
        if row["value"] is None:
            code, params = "no_figures", dict(period=str(period))
        elif bp is not None and row["baseline"] is None:
            code, params = "no_baseline", dict(period=str(bp))
        elif bp is not None and not row["baseline"]:
            code, params = "zero_baseline", dict(period=str(bp))
        elif judged.kind == "share" and not row["denominator"]:
            code = "no_denominator"
        else:
            code, params = "no_figures", dict(period=str(period))
    elif status == targets.INCOMPLETE:
        expected, reported = row.get("units_expected") or 0, row.get("units_reported") or 0
        code, params = "silent", dict(silent=max(expected - reported, 0), expected=expected)
    elif status in (targets.ON_TRACK, targets.BEHIND):
        if as_of <= fr.last:
            code = "not_over"
        else:  # a month or quarter of a yearly target, a year on the way to a milestone or "đến năm X"
            if ind.kind == "milestones":
                year = min((y for y in ind.milestones if y > period.year), default=period.year)
            else:
                year = {"yearly": period.year, "by_year": ind.by}.get(ind.periodicity, plan.end.year)
            code, params = "not_due", dict(year=year)
    return {"reason": code, "reason_params": params}


def _area_reach(plan: Plan, successors: list[str], at: date, source: Source) -> tuple:
    """The plan's area as (code, first month, last month) triples: the unit it names while that
    unit exists, then the units that took it over, each from its own first month — so a code
    reused by another unit before the merger does not bring that unit's communes in."""
    out = []
    for code, day in [(plan.area, plan.start), *[(s, at) for s in successors]]:
        v = source.versions([code], day).get(code)
        if v is None:
            continue
        lo = month_index(Period(v["valid_from"].year, "month", v["valid_from"].month))[0] if v.get("valid_from") else 0
        hi = month_index(Period(v["valid_to"].year, "month", v["valid_to"].month))[0] if v.get("valid_to") else 10 ** 6
        out.append((code, lo, hi))
    return tuple(dict.fromkeys(out))


def _per_unit(plan, ind, unit, period, as_of, source, fr, target) -> dict:
    """A target each unit of a kind must meet alone: the roll-up counts how many do (met, or on
    track while the period runs). One unit that has failed decides it; a unit with no data or
    an incomplete verdict leaves it open (``incomplete``) until then."""
    subs = source.units_of_kind(unit, ind.per_unit, fr.last)
    judged = rows_for(plan, ind, subs, period, as_of, source, set())
    good, bad = ((targets.MET,), (targets.NOT_MET,)) if fr.final else \
        ((targets.MET, targets.ON_TRACK), (targets.NOT_MET, targets.BEHIND))
    ahead = sum(1 for r in judged if r["status"] in good)
    reported = sum(1 for r in judged if r["status"] != targets.NO_DATA)
    if not subs or reported == 0:
        status = targets.NO_DATA
    elif any(r["status"] in bad for r in judged):
        status = bad[0]
    elif ahead == len(subs):
        status = good[0] if fr.final else targets.ON_TRACK
    else:
        status = targets.INCOMPLETE
    n = Fraction(len(subs))
    return dict(target=target, baseline=None, value=Fraction(ahead), denominator=n, actual=Fraction(ahead),
                gap=n - ahead, needed=None, status=status, units_expected=len(subs), units_reported=reported)


def report(plans: list[Plan], source: Source, as_of: date, *, unit: str | None = None,
           period: Period | None = None, ref: str | None = None) -> list[dict]:
    """Without ``unit``: the plan's area (followed to its successors), or — for a plan that
    names none — each province with figures."""
    rows = []
    for plan in plans:
        p = period or current_period(plan, as_of)
        last = bounds(p, plan.cutoff_day)[1]
        reach: tuple = ()
        if plan.area:
            at = min(last, max(as_of, plan.start))
            successors = source.successors_at(plan.area, at) or [plan.area]
            reach = _area_reach(plan, successors, at, source)
        if unit:
            units, area = [unit], {unit} & {plan.area}
        elif plan.area:
            units = successors
            area = set(units)
        else:
            units, area = source.provinces_with_figures(plan.id, last), set()
        chosen = [ind for ind in plan.indicators if not ref or ind.ref == ref]
        if hasattr(source, "prefetch"):  # let the store read every indicator's figures at once
            source.prefetch([req for ind in chosen if not ind.per_unit
                             for req in _requests(plan, ind, units, p, as_of, reach)])
        for ind in chosen:
            rows += rows_for(plan, ind, units, p, as_of, source, area, reach)
    return rows


def _requests(plan: Plan, ind: Indicator, units: list[str], period: Period, as_of: date,
              reach: tuple[str, ...] = ()) -> list[tuple]:
    """The totals rows_for will ask for: (plan, ref, units, first month, last month, stock, at),
    with ``cover`` (level, area) so that it counts who reported, and the units expected:
    ("expected", units, first month, last month, stock, at, level, area)."""
    fr = frame(plan, ind, period, as_of)
    stock = ind.measure == "stock"
    window = _window(plan, ind, fr)
    out = [(plan.id, ind.ref, tuple(units), *window, stock, fr.last, (ind.reported_by, reach)),
           ("expected", tuple(units), *window, stock, fr.last, ind.reported_by, reach)]
    if ind.denominator_measure == "stock":
        out.append((plan.id, ind.ref, tuple(units), *window, True, fr.last))
    bp = _baseline_period(ind, period) if _judged(ind).kind in ("change", "decrease", "share_of_baseline") else None
    if bp is not None:
        out.append((plan.id, ind.ref, tuple(units), *month_index(bp), stock, bounds(bp, plan.cutoff_day)[1]))
    return out
