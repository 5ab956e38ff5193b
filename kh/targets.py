"""Target arithmetic: one indicator, its rolled-up figures and the time elapsed → actual, gap,
needed, status. Pure functions on exact fractions; nothing here reads a clock or a store.

Every kind of DOMAIN.md is a line in the counted value ``v`` (cases, people, communes):

| kind              | actual                          | moves with v |
| ----------------- | ------------------------------- | ------------ |
| change (percent)  | (v − b) / b × 100               | up           |
| change (count)    | v − b                           | up           |
| share             | v / d × 100 (pooled Σv / Σd)    | up           |
| share_of_baseline | v / B × 100 (B frozen)          | up           |
| count, zero       | v                               | up           |
| decrease (count)  | b − v                           | down         |
| decrease (percent)| (b − v) / b × 100               | down         |

so "needed" — the least number of further counted items that meets the target — is found
exactly by solving that line against the comparator: ≥ 5 % on 1,504 needs 1,580 (not 1,579),
and "trên 5 %" is not met by exactly 5 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from kh.model import Indicator

MET, NOT_MET, ON_TRACK, BEHIND, NO_DATA = "met", "not_met", "on_track", "behind", "no_data"
INCOMPLETE = "incomplete"  # units that should have reported did not, and they could change the verdict


@dataclass(frozen=True)
class Line:
    """actual = slope × v + intercept, with v the counted value."""

    slope: Fraction
    intercept: Fraction


@dataclass(frozen=True)
class Judgement:
    target: Fraction | None
    actual: Fraction | None
    gap: Fraction | None
    needed: int | Fraction | None  # in whole steps of the indicator's decimals
    status: str


def as_decimal(q: Fraction | int | None, places: int) -> "Decimal | Fraction | int | None":
    """A figure computed on fractions, shown with the indicator's decimal places (exactly: a
    sum of figures with ``places`` decimals has no more); anything else is left as it is."""
    from decimal import Decimal

    if q is None or not places:
        return q
    scaled = Fraction(q) * 10 ** places
    if scaled.denominator != 1:
        return q
    return Decimal(scaled.numerator).scaleb(-places)


def compare(actual: Fraction, comparator: str, target: Fraction) -> bool:
    return {">=": actual >= target, ">": actual > target, "<=": actual <= target,
            "<": actual < target, "=": actual == target}[comparator]


def line(ind: Indicator, baseline: Fraction | None, denominator: Fraction | None) -> Line | None:
    """The measure of ``ind`` as a line in v; None when it cannot be computed (no base)."""
    kind, pct = ind.kind, ind.unit == "percent"
    if kind in ("count", "zero"):
        return Line(Fraction(1), Fraction(0))
    if kind == "share":
        if not denominator:
            return None
        return Line(Fraction(100) / denominator, Fraction(0))
    if baseline is None:
        return None
    if kind == "share_of_baseline":
        return Line(Fraction(100) / baseline, Fraction(0)) if baseline else None
    if kind == "change":
        if not pct:
            return Line(Fraction(1), -baseline)
        return Line(Fraction(100) / baseline, Fraction(-100)) if baseline else None
    if kind == "decrease":
        if not pct:
            return Line(Fraction(-1), baseline)
        return Line(Fraction(-100) / baseline, Fraction(100)) if baseline else None
    raise ValueError(f"no line for kind {kind}")


def boundary(ln: Line, comparator: str, target: Fraction, step: Fraction = Fraction(1)) -> Fraction | None:
    """The counted value where the target starts (up) or stops (down) being met.

    For a rising line and ≥/>: the least v that meets it, in whole ``step``s (1 for a count,
    0.01 for hectares with two decimals). For a falling line and ≥/>: the greatest such v. None
    for comparators adding items cannot satisfy."""
    x = (target - ln.intercept) / ln.slope / step  # where actual == target, in steps
    if ln.slope > 0 and comparator in (">=", ">"):
        n = math.ceil(x) if comparator == ">=" else math.floor(x) + 1
    elif ln.slope < 0 and comparator in (">=", ">"):
        n = math.floor(x) if comparator == ">=" else math.ceil(x) - 1
    elif ln.slope > 0 and comparator in ("<=", "<"):
        n = math.floor(x) if comparator == "<=" else math.ceil(x) - 1
    else:
        return None
    return n * step


def _exact(q: Fraction) -> int | Fraction:
    return int(q) if q.denominator == 1 else q


def needed(ln: Line, comparator: str, target: Fraction, v: Fraction,
           cap: Fraction | None = None, step: Fraction = Fraction(1)) -> int | Fraction | None:
    """Least number of further counted items that would meet the target (0 when met).

    For a decrease it is how many fewer. None where no count can say it (an upper bound that is
    already exceeded, "= x", or more than ``cap`` — a share cannot pass its denominator)."""
    if compare(ln.slope * v + ln.intercept, comparator, target):
        return 0
    b = boundary(ln, comparator, target, step)
    if b is None:
        return None
    if ln.slope > 0 and comparator in (">=", ">"):
        if cap is not None and b > cap:
            return None
        return _exact(b - v) if b > v else 0
    if ln.slope < 0 and comparator in (">=", ">"):
        return _exact(v - b) if b >= 0 else None
    return None  # ≤ or < exceeded: adding items cannot help


def gap(actual: Fraction, comparator: str, target: Fraction) -> Fraction:
    """How far actual is from target in the target's measure, positive when short."""
    if comparator in ("<=", "<"):
        return actual - target
    if comparator == "=":
        return abs(actual - target)
    return target - actual


def milestone_target(ind: Indicator, year: int, start_year: int) -> tuple[Fraction, bool]:
    """The target a milestones indicator sets for ``year``, and whether ``year`` is a milestone.

    Between milestones the target is the straight line from the previous milestone (or from 0
    the year before the plan starts, or the stated baseline value) to the next one."""
    ms = {y: Fraction(v).limit_denominator() for y, v in sorted(ind.milestones.items())}
    if year in ms:
        return ms[year], True
    later = [y for y in ms if y > year]
    if not later:
        return ms[max(ms)], False
    nxt = later[0]
    earlier = [y for y in ms if y < year]
    if earlier:
        y0, v0 = earlier[-1], ms[earlier[-1]]
    else:
        y0 = start_year - 1
        v0 = Fraction(ind.baseline_value).limit_denominator() if ind.baseline_value is not None else Fraction(0)
    return v0 + (ms[nxt] - v0) * Fraction(year - y0, nxt - y0), False


def judge(ind: Indicator, *, target: Fraction, value: Fraction | None,
          denominator: Fraction | None = None, baseline: Fraction | None = None,
          progress: Fraction = Fraction(1), final: bool = True, flow: bool = True,
          step: Fraction = Fraction(1)) -> Judgement:
    """Judge one indicator for one unit and period.

    ``value``/``denominator``: the rolled-up figures (None: nothing recorded).
    ``baseline``: what change/decrease compare with, or share_of_baseline divides by.
    ``progress``: the share of the target's time that has passed (1 when it is over).
    ``final``: the period is over and the target is due: met/not_met; else on_track/behind,
    judged for flows against ``progress`` × the threshold, for stocks and shares on the value.
    """
    if value is None:
        return Judgement(target, None, None, None, NO_DATA)
    kind = ind.kind
    ln = line(ind, baseline, denominator)
    if ln is None:
        return Judgement(target, None, None, None, NO_DATA)
    comparator = "=" if kind == "zero" else ind.comparator
    actual = ln.slope * value + ln.intercept
    met = compare(actual, comparator, target)
    cap = denominator if kind == "share" else None
    need = needed(ln, comparator, target, value, cap, step)
    g = gap(actual, comparator, target)
    if final:
        return Judgement(target, actual, g, need, MET if met else NOT_MET)
    accumulating = flow and kind in ("change", "count", "share_of_baseline") \
        and comparator in (">=", ">") and ln.slope > 0
    if accumulating and progress < 1:
        # A flow is on track when it has reached the part of the threshold the elapsed time asks.
        threshold = boundary(ln, comparator, target, step)
        on_track = met or (threshold is not None and value >= threshold * progress)
        if kind == "change" and ind.unit == "percent" and baseline and progress > 0:
            # Part of a year against a whole one says nothing: compare with the same share of
            # the baseline (9 months of 2026 against 9/12 of 2025).
            part = line(ind, baseline * progress, denominator)
            actual = part.slope * value + part.intercept
            g = gap(actual, comparator, target)
    else:
        on_track = met
    return Judgement(target, actual, g, need, ON_TRACK if on_track else BEHIND)


def settle(ind: Indicator, j: Judgement, *, silent: bool, value: Fraction | None,
           denominator: Fraction | None = None, baseline: Fraction | None = None,
           progress: Fraction = Fraction(1), final: bool = True, flow: bool = True,
           fixed_denominator: bool = False, stock_denominator: bool = False,
           step: Fraction = Fraction(1)) -> Judgement:
    """``j`` as printed when some units that should have reported are silent: its status stands
    only if nothing they could send would change it, else ``incomplete`` with no ``needed``.

    What the silent units could send is never negative, and every kind's status moves one way
    along its line in v (docs/gap.md), so the two ends decide it: v as it is, and v plus an
    amount beyond any threshold. A pooled share moves both ways — a silent unit may bring many
    people and none of them treated — so its ends are ~0 % and ~100 % (a numerator over a stock:
    ~0 and unbounded); with a fixed whole only the numerator grows, a line like a count."""
    if not silent or j.status == NO_DATA or value is None:
        return j
    big = Fraction(10) ** 30 * (1 + abs(value) + abs(denominator or 0) + abs(baseline or 0) + abs(j.target or 0))
    kw = dict(target=j.target, baseline=baseline, progress=progress, final=final, flow=flow, step=step)
    kind = ind.kind if ind.kind != "milestones" else ind.of
    if kind == "share" and not fixed_denominator and denominator:
        ends = [judge(ind, value=value, denominator=denominator + big, **kw),
                judge(ind, value=value + big, denominator=denominator + (0 if stock_denominator else big), **kw)]
    else:
        ends = [judge(ind, value=value + big, denominator=denominator, **kw)]
    if all(e.status == j.status for e in ends):
        return j
    return Judgement(j.target, j.actual, j.gap, None, INCOMPLETE)
