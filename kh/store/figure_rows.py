"""Figures in the store: recording (all or nothing, with history) and listing."""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from datetime import date, datetime
from operator import attrgetter

import sqlalchemy as sa

from kh.errors import KhError, NotFound
from kh.figures import NewFigure, check, month_index, number_text, scaled, unscaled
from kh.model import Plan
from kh.periods import local_day, bounds, parse_period
from kh.store import access, history, unit_rows
from kh.store import plans as store_plans
from kh.store.schema import FIGURE, UNIT
from kh.suggest import did_you_mean

F = FIGURE
U = UNIT
_REBUILD_FROM = 20_000  # figures in one import from which the indexes are built once, at the end
_CHUNK = 500  # bound parameters per IN (…): well under SQLite's and PostgreSQL's limits
# Bulk imports go straight to the driver's executemany with a fixed statement (no data is ever
# pasted into it): SQLAlchemy's per-row parameter work was a third of a 200,000-figure import.
_COLUMNS = "plan_id, ref, unit, period, m_from, m_to, value, denominator, note, recorded_at, recorded_by"
_INSERT = {style: f"INSERT INTO figure ({_COLUMNS}) VALUES ({', '.join([mark] * 11)})"
           for style, mark in (("qmark", "?"), ("format", "%s"), ("pyformat", "%s"))}
# On SQLite, rows go in 90 to a statement (9 parameters each, 810 and 2: under the 999 of
# SQLite before 3.32): sqlite3's executemany spends more on each row's round through the module
# than SQLite spends storing it (0.36 s against 0.25 s for 200,000 figures); and each bound
# parameter costs about 65 ns, so the recorder and the time, the same in every row, are bound
# once per statement (?1, ?2).
_SQLITE_ROWS = 90


def _insert(conn: sa.Connection, rows: list[tuple], at, by: str) -> None:
    """Insert figure rows: the first 9 columns of ``_COLUMNS`` each, then ``at`` and ``by``;
    bound parameters only."""
    from itertools import chain

    if conn.dialect.driver == "psycopg2":
        # psycopg2's executemany is one round trip per row (psycopg's pipelines them): 500 rows
        # to a statement instead, built of %s placeholders only, every value bound by the driver.
        def markers(n: int) -> str:
            return f"INSERT INTO figure ({_COLUMNS}) VALUES " + ", ".join(["(" + ", ".join(["%s"] * 11) + ")"] * n)

        full = markers(500)
        for chunk in _chunks(rows, 500):
            conn.exec_driver_sql(full if len(chunk) == 500 else markers(len(chunk)),
                                 tuple(chain.from_iterable((*r, at, by) for r in chunk)))
        return
    if conn.dialect.name != "sqlite":
        for chunk in _chunks(rows, 20000):
            conn.exec_driver_sql(_INSERT[conn.dialect.paramstyle], [(*r, at, by) for r in chunk])
        return

    def statement(n: int) -> str:
        return f"INSERT INTO figure ({_COLUMNS}) VALUES " + ", ".join(
            "(" + ", ".join(f"?{3 + 9 * i + j}" for j in range(9)) + ", ?1, ?2)" for i in range(n))

    full = statement(_SQLITE_ROWS)
    for chunk in _chunks(rows, _SQLITE_ROWS):
        conn.exec_driver_sql(full if len(chunk) == _SQLITE_ROWS else statement(len(chunk)),
                             (at, by, *chain.from_iterable(chunk)))


# One C-level call per column for the loops over every figure of an import.
_PLAN, _REF, _UNIT, _LABEL = (attrgetter(a) for a in ("plan", "ref", "unit", "label"))


def _pairs(figs: list[NewFigure]) -> list[tuple[str, str]]:
    """The (plan, ref) pairs of the figures, in the order they first come."""
    plans = dict.fromkeys(map(_PLAN, figs))
    if len(plans) == 1:  # one plan (the usual import): its refs, without a pair per figure
        pid = next(iter(plans))
        return [(pid, ref) for ref in dict.fromkeys(map(_REF, figs))]
    return list(dict.fromkeys(zip(map(_PLAN, figs), map(_REF, figs))))


def _chunks(items: list, n: int = _CHUNK):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _plans_for(conn: sa.Connection, figs: list[NewFigure]) -> dict[str, Plan]:
    """The plans the figures name: their header and indicators, all that recording checks (a
    national plan's 3,341 assignees took `kh record` of one figure 55 ms to load)."""
    out = {}
    for pid in dict.fromkeys(map(_PLAN, figs)):
        try:
            out[pid] = store_plans.load(conn, pid, targets_only=True)
        except NotFound as e:
            first = next(f for f in figs if f.plan == pid)
            raise e.at(first.where or "PLAN") from None
    return out


def _check_units(conn: sa.Connection, figs: list[NewFigure], plans: dict[str, Plan]) -> None:
    codes = list(dict.fromkeys(map(_UNIT, figs)))
    versions: dict[str, list[tuple]] = defaultdict(list)
    for chunk in _chunks(codes):
        for r in conn.execute(sa.select(U.c.code, U.c.valid_from, U.c.valid_to).where(U.c.code.in_(chunk))):
            versions[r.code].append((r.valid_from or date.min, r.valid_to or date.max))
    # A unit with a version spanning every period of the import (most units: one version, never
    # closed) is alive for each of its figures: only the others are checked figure by figure.
    cutoffs = {pid: plan.cutoff_day for pid, plan in plans.items()}
    # Each plan's periods (with one plan: the few labels, without a pair per figure; a label
    # reads back as its period).
    labels = set(map(_LABEL, figs))
    pairs = [(pid, label) for pid in plans for label in labels] if len(plans) == 1 else \
        set(zip(map(_PLAN, figs), map(_LABEL, figs)))
    span = [bounds(parse_period(label), cutoffs[pid]) for pid, label in pairs]
    first, last = min(s for s, _ in span), max(e for _, e in span)
    alive = {code for code, vs in versions.items() if any(lo <= first and last <= hi for lo, hi in vs)}
    # The usual import: every unit alive throughout, no figure needs a closer look.
    closer = figs if not alive.issuperset(codes) else []
    checked: set[tuple] = set()
    for f in closer:
        if f.unit in alive:
            continue
        key = (f.plan, f.unit, f.label)
        if key in checked:
            continue
        checked.add(key)
        if f.unit not in versions:
            raise NotFound("unit.not_found", where=f.where or "--unit", code=f.unit,
                           suggest=unit_rows.suggest_code(conn, f.unit))
        start, end = bounds(f.period, plans[f.plan].cutoff_day)
        if not any(lo <= end and start <= hi for lo, hi in versions[f.unit]):
            raise KhError("figure.unit_not_alive", where=f.where or "--unit", unit=f.unit, period=f.period,
                          start=start, end=end, merged=unit_rows.successor_note(conn, f.unit, start))
    _check_areas(conn, figs, plans)


def _check_areas(conn: sa.Connection, figs: list[NewFigure], plans: dict[str, Plan]) -> None:
    """A plan with an area takes figures only for the units that count for it in the figure's
    months: the area as it was named, then the units that took it over (by identity, not by a
    code that another unit reused), each over its own months."""
    from kh.gap import _area_reach
    from kh.store.rollup import UC, StoreSource

    allowed: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for pid, plan in plans.items():
        if not plan.area:
            continue
        src = StoreSource(conn)
        reach = _area_reach(plan, src.successors_at(plan.area, plan.end) or [plan.area], plan.end, src)
        if not reach:
            continue
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for code, a_lo, a_hi in reach:
            q = sa.select(UC.c.descendant, UC.c.lo, UC.c.hi).where(UC.c.ancestor == code, UC.c.lo <= a_hi,
                                                                    UC.c.hi >= a_lo)
            for d, lo, hi in conn.execute(q):
                spans[d].append((max(lo, a_lo), min(hi, a_hi)))
        allowed[pid] = spans
    if not allowed:  # no plan with an area: nothing to check (a national import)
        return
    seen: set[tuple] = set()
    for f in figs:
        spans = allowed.get(f.plan)
        if spans is None or (f.plan, f.unit, f.label) in seen:
            continue
        seen.add((f.plan, f.unit, f.label))
        m_from, m_to = f.months
        if not any(lo <= m_to and m_from <= hi for lo, hi in spans.get(f.unit, ())):
            plan = plans[f.plan]
            start = bounds(f.period, plan.cutoff_day)[0]
            names = {}  # each unit's name as it was then (a code may since belong to another unit)
            for code, name, lo, hi in conn.execute(sa.select(U.c.code, U.c.name, U.c.valid_from, U.c.valid_to)
                                                   .where(U.c.code.in_([f.unit, plan.area]))
                                                   .order_by(sa.func.coalesce(U.c.valid_from, date(1, 1, 1)))):
                if code not in names or (lo or date.min) <= start:
                    names[code] = name
            raise KhError("figure.outside_area", where=f.where or "--unit", unit=f.unit, unit_name=names.get(f.unit),
                          plan=f.plan, area=plan.area, area_name=names.get(plan.area), period=f.period)


def record(conn: sa.Connection, figs: list[NewFigure], *, replace: bool, by: str,
           now: datetime, as_of: date, reason: str | None = None,
           source: str | None = None) -> tuple[int, int]:
    """Store the figures, or none of them, and log the change (one entry per figure typed on
    the command line or replaced; one per imported ``source`` file). Returns (added, replaced)."""
    if not figs:
        return 0, 0
    plans = _plans_for(conn, figs)
    indicators = {(pid, i.ref): i for pid, p in plans.items() for i in p.indicators}
    checked: set[tuple] = set()  # the rules depend on the indicator and period, save one: per row
    for f in figs:
        group = (f.plan, f.ref, f.label, f.denominator is None)
        if group not in checked or f.pending:
            ind = indicators.get((f.plan, f.ref))
            if ind is None:
                refs = [i.ref for i in plans[f.plan].indicators]
                raise NotFound("plan.indicator_not_found", where=f.where or "REF", plan=f.plan, ref=f.ref,
                               suggest=did_you_mean(f.ref, refs))
            check(f, plans[f.plan], ind, as_of)
            checked.add(group)
        elif f.denominator is not None and not 0 < f.denominator >= f.value:
            check(f, plans[f.plan], indicators[(f.plan, f.ref)], as_of)  # raises, saying why
    _check_units(conn, figs, plans)
    access.check_units(conn, figs)  # a shared PostgreSQL store: the role's own units only
    from kh.store.acceptance_rows import check_unlocked

    check_unlocked(conn, figs)  # an accepted report's figures stay as accepted (kh accept)

    # Each indicator's figures are kept × 10^decimals (docs/architecture.md, "Decimals").
    decimals = {key: ind.decimals for key, ind in indicators.items()}
    # What is already recorded for these units and refs: the same period is a correction
    # (--replace); an overlapping one (a month inside a recorded quarter) is refused.
    existing: dict[tuple, list] = defaultdict(list)
    # An indicator with no current figure at all (a new store, a new year's plan) needs no
    # look-up unit by unit: one probe of the index instead of a query per 500 units.
    refs = _pairs(figs)
    pairs = [(pid, ref) for pid, ref in refs if len(figs) <= _CHUNK or conn.execute(
        sa.select(F.c.id).where(F.c.plan_id == pid, F.c.ref == ref, F.c.replaced_at.is_(None)).limit(1)).first()]
    groups: dict[tuple, set] = {key: set() for key in pairs}
    if pairs:
        for f in figs:
            units = groups.get((f.plan, f.ref))
            if units is not None:
                units.add(f.unit)
    for (pid, ref), units in groups.items():
        for chunk in _chunks(sorted(units)):
            q = sa.select(F.c.id, F.c.unit, F.c.period, F.c.m_from, F.c.m_to, F.c.value, F.c.denominator,
                          F.c.recorded_by,
                          F.c.recorded_at).where(F.c.plan_id == pid, F.c.ref == ref,
                                                 F.c.replaced_at.is_(None), F.c.unit.in_(chunk))
            for r in conn.execute(q):
                existing[(pid, ref, r.unit)].append(r)
    to_replace: list[int] = []
    entries: list[dict] = []
    spans: dict[tuple, list[tuple]] = defaultdict(list)  # (plan, ref, unit) → (lo, hi, label, figure)
    # The kinds of period, from the few distinct labels (a Period's own hash is a Python call).
    # The usual import: nothing stored yet for these units, one kind of period. Periods of one
    # kind only overlap when they are the same period, and a row that repeats another's plan,
    # ref, unit and period breaks the unique index of current figures (ux_figure_current): the
    # insert below finds it, or the refusals that would come before it (``_repeats`` names the
    # lines). A set of 200,000 keys cost a twentieth of the import.
    fresh = not existing and len({parse_period(label).kind for label in set(map(_LABEL, figs))}) == 1
    if not fresh:
        for f in figs:
            spans[(f.plan, f.ref, f.unit)].append((*f.months, f.label, f))
    for key, olds in existing.items():
        mine = {s[2]: s[3] for s in spans.get(key, [])}
        for r in olds:
            f = mine.get(r.period)
            if f is None:
                spans[key].append((r.m_from, r.m_to, r.period, None))
            elif not replace:
                d = decimals[(f.plan, f.ref)]
                raise KhError("figure.already_recorded", where=f.where or "--period", plan=f.plan, ref=f.ref,
                              unit=f.unit, period=f.period, value=number_text(unscaled(r.value, d)),
                              by=r.recorded_by, on=local_day(r.recorded_at))
            else:
                to_replace.append(r.id)
                d = decimals[(f.plan, f.ref)]
                entries.append(_entry(f, "replace", old=_value(unscaled(r.value, d), unscaled(r.denominator, d))))
    for (_, _, unit), items in spans.items():
        if len(items) < 2:
            continue
        items.sort(key=lambda s: (s[0], s[1]))
        for a, b in zip(items, items[1:]):
            if b[0] <= a[1]:
                if a[3] is not None and b[3] is not None and a[2] == b[2]:
                    _repeated(*sorted((a[3], b[3]), key=lambda x: _line(x.where)))
                f = b[3] or a[3]
                other = a if f is b[3] else b
                raise KhError("figure.overlaps" if other[3] is None else "figure.overlaps_import",
                              where=f.where or "--period", period=f.period, other=other[2], unit=unit)
    try:
        _check_wholes(conn, figs, plans, indicators, existing, set(to_replace), refs)
    except KhError:
        if fresh:
            _repeats(figs)  # a repeated row is refused first, as it always was
        raise
    for chunk in _chunks(to_replace):
        conn.execute(sa.update(F).where(F.c.id.in_(chunk)).values(replaced_at=now, replaced_by=by))
    # SQLite keeps datetimes as text, in the form SQLAlchemy reads back.
    at = now.isoformat(sep=" ") if conn.dialect.name == "sqlite" else now
    if any(decimals.values()):
        rows = [(f.plan, f.ref, f.unit, f.label, f.months[0], f.months[1],
                 scaled(f.value, decimals[(f.plan, f.ref)]), scaled(f.denominator, decimals[(f.plan, f.ref)]),
                 f.note) for f in figs]
    else:
        rows = [(f.plan, f.ref, f.unit, f.label, f.months[0], f.months[1], f.value, f.denominator, f.note)
                for f in figs]
    try:
        with _indexes_rebuilt(conn, len(rows)):
            _insert(conn, rows, at, by)
    except sa.exc.IntegrityError:
        if fresh:
            _repeats(figs)
        raise
    added, replaced = len(figs) - len(to_replace), len(to_replace)
    if source is None:
        replaced_keys = {e["key"] for e in entries}
        entries += [_entry(f, "add") for f in figs if _key(f) not in replaced_keys]
    elif added:
        plans_in = sorted({f.plan for f in figs})
        entries.append(dict(what="figure", action="import", plan_id=plans_in[0] if len(plans_in) == 1 else None,
                            key=source, new=f"{added} figure{'s' if added != 1 else ''}"))
    history.log(conn, entries, by=by, at=now, reason=reason)
    return added, replaced


def _share_window(plan: Plan, ind, m_from: int) -> tuple[int, int, str] | None:
    """The months a share's numerators add up over, as kh gap judges it: the figure's year for
    a yearly target, else everything from the plan's start (None: a figure before it)."""
    if ind.periodicity == "yearly":
        y = m_from // 12
        return y * 12, y * 12 + 11, str(y)
    start = plan.start.year * 12 + plan.start.month - 1
    return (start, 10 ** 7, f"{plan.start.year}–{plan.end.year}") if m_from >= start else None


def _check_wholes(conn: sa.Connection, figs: list[NewFigure], plans: dict[str, Plan], indicators: dict,
                  existing: dict, replaced: set[int], refs: list[tuple[str, str]]) -> None:
    """Entries that contradict a share whose whole is measured apart (docs/gap.md, "Entries that
    contradict the plan"): the numerators summed over the window never exceed the whole they are
    a share of — each unit's register as it stood at each entry (``denominator_measure =
    "stock"``), or the plan's number over every unit together (``"fixed"``, a flow). ``refs``:
    the figures' (plan, ref) pairs."""
    wanted = {key for key in refs if indicators[key].denominator_measure in ("stock", "fixed")}
    from kh.model import number_text as plan_number

    for pid, ref in sorted(wanted):
        ind, plan = indicators[(pid, ref)], plans[pid]
        d = ind.decimals
        mine = [f for f in figs if (f.plan, f.ref) == (pid, ref)]
        new_keys = {(f.unit, f.label) for f in mine}
        if ind.denominator_measure == "stock":
            # unit → entries (m_to, m_from, period, numerator, register, the new figure or None)
            series: dict[str, list] = defaultdict(list)
            for f in mine:
                series[f.unit].append((f.months[1], f.months[0], f.label, f.value, f.denominator, f))
            for (p_, r_, unit), olds in existing.items():
                if (p_, r_) == (pid, ref):
                    series[unit] += [(r.m_to, r.m_from, r.period, unscaled(r.value, d), unscaled(r.denominator, d),
                                      None) for r in olds if r.id not in replaced and (unit, r.period) not in new_keys]
            for unit, items in series.items():
                if not any(x[5] for x in items):
                    continue
                items.sort(key=lambda x: (x[0], x[1]))
                totals: dict[tuple, object] = defaultdict(int)
                blame: NewFigure | None = None
                for m_to, m_from, period, value, whole, f in items:
                    window = _share_window(plan, ind, m_from)
                    if window is None:
                        continue
                    totals[window] += value
                    blame = f or blame
                    if whole is not None and totals[window] > whole and blame is not None:
                        raise KhError("figure.stock_whole_exceeded", where=blame.where or "VALUE", ref=ref,
                                      unit=unit, window=window[2], period=period, total=number_text(totals[window]),
                                      whole=number_text(whole))
        elif ind.measure == "flow":
            windows = sorted({w for f in mine if (w := _share_window(plan, ind, f.months[0])) is not None})
            for lo, hi, label in windows:
                q = sa.select(F.c.id, F.c.unit, F.c.period, F.c.value).where(
                    F.c.plan_id == pid, F.c.ref == ref, F.c.replaced_at.is_(None), F.c.m_from >= lo, F.c.m_to <= hi)
                total = sum((unscaled(r.value, d) for r in conn.execute(q)
                             if r.id not in replaced and (r.unit, r.period) not in new_keys), 0)
                for f in sorted((f for f in mine if lo <= f.months[0] and f.months[1] <= hi), key=lambda f: f.months):
                    total += f.value
                    if total > ind.denominator_value:
                        raise KhError("figure.fixed_whole_exceeded", where=f.where or "VALUE", ref=ref, window=label,
                                      total=number_text(total), whole=plan_number(ind.denominator_value))


@contextmanager
def _indexes_rebuilt(conn: sa.Connection, n: int):
    """A large import into a SQLite store holding fewer figures than it adds (a new store, the
    first year's import): the figure indexes are dropped and built again once at the end, inside
    the same transaction — sorting once costs less than keeping them up row by row. The unique
    index is built again too, so a repeated row still fails the whole import (``record`` then
    names its lines); a failure rolls it all back, the indexes included."""
    if conn.dialect.name != "sqlite" or n < _REBUILD_FROM or conn.exec_driver_sql(
            "SELECT count(*) FROM (SELECT 1 FROM figure LIMIT ?)", (n,)).scalar() >= n:
        yield
        return
    indexes = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'figure' "
                                   "AND sql IS NOT NULL ORDER BY name").all()
    for name, _ in indexes:  # names read from the schema, quoted: nothing from the input
        drop = "DROP INDEX " + conn.dialect.identifier_preparer.quote(name)
        conn.exec_driver_sql(drop)
    yield
    for _, sql in indexes:
        conn.exec_driver_sql(sql)


def _repeats(figs: list[NewFigure]) -> None:
    """Refuse the first figure that repeats an earlier one's plan, ref, unit and period."""
    seen: dict[tuple, NewFigure] = {}
    for f in figs:
        first = seen.setdefault(f.key, f)
        if first is not f:
            _repeated(first, f)


def _line(where: str) -> int:
    """The line of ``file.csv:12``, or the row of ``file.xlsx [sheet] row 12``."""
    tail = where.rsplit(":", 1)[-1].rsplit(" row ", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _repeated(first: NewFigure, again: NewFigure) -> None:
    if _line(first.where):
        raise KhError("figure.repeated_row" if " row " in first.where else "figure.repeated_line",
                      where=again.where or "--period", line=_line(first.where))
    raise KhError("figure.repeated", where=again.where or "--period")


def bulk_load(conn: sa.Connection, rows: list[tuple], *, by: str, now: datetime) -> None:
    """Insert trusted rows (plan, ref, unit, period, m_from, m_to, value, denominator) without the
    checks of ``record``: for the synthetic stores of ``kh demo --scale``, never for user input."""
    at = now.isoformat(sep=" ") if conn.dialect.name == "sqlite" else now
    _insert(conn, [(*r, None) for r in rows], at, by)


def _key(f: NewFigure) -> str:
    return f"{f.ref} {f.unit} {f.period}"


def _value(value, den) -> str:
    return f"{number_text(value)}/{number_text(den)}" if den is not None else number_text(value)


def _entry(f: NewFigure, action: str, old: str | None = None) -> dict:
    return dict(what="figure", action=action, plan_id=f.plan, key=_key(f), old=old,
                new=_value(f.value, f.denominator))


def listing(conn: sa.Connection, *, plan: str | None = None, ref: str | None = None,
            unit: str | None = None, period: str | None = None, history: bool = False) -> list[dict]:
    q = sa.select(F).order_by(F.c.plan_id, F.c.ref, F.c.unit, F.c.m_from, F.c.m_to, F.c.recorded_at)
    if plan:
        store_plans.require(conn, plan)
        q = q.where(F.c.plan_id == plan)
    if ref:
        q = q.where(F.c.ref == ref)
    if unit:
        if not history and not ref:
            # One unit of a national store: seek it in the current-figure index (plan, ref, unit,
            # period) under each (plan, ref) that has figures, not scan millions of rows. The code
            # is a list of two (itself, repeated): SQLite turns `unit = ?` into a filter on the
            # month index, which holds the unit too, and reads every figure of each ref (0.6 s
            # on the national store); with `unit IN (?, ?)` it seeks (as kh.store.rollup does).
            pairs = _plan_refs(conn, plan)
            q = q.where(F.c.unit.in_([unit, unit]),
                        F.c.plan_id.in_(sorted({p for p, _ in pairs}) or [""]),
                        F.c.ref.in_(sorted({r for _, r in pairs}) or [""]))
        else:
            q = q.where(F.c.unit == unit)
    if period:
        lo, hi = month_index(parse_period(period))
        if unit:  # compared as expressions: a month range must not draw the planner off the unit
            q = q.where(F.c.m_from + sa.literal_column("0") >= lo, F.c.m_to + sa.literal_column("0") <= hi)
        else:
            q = q.where(F.c.m_from >= lo, F.c.m_to <= hi)
    if not history:
        q = q.where(F.c.replaced_at.is_(None))
    cutoffs = dict(conn.execute(sa.select(store_plans.P.c.id, store_plans.P.c.cutoff_day)).all())
    places = store_plans.decimals(conn)
    out = []
    for r in conn.execute(q).mappings():
        start, end = bounds(parse_period(r["period"]), cutoffs[r["plan_id"]])
        d = places.get((r["plan_id"], r["ref"]))
        out.append(dict(plan=r["plan_id"], ref=r["ref"], unit=r["unit"], period=r["period"],
                        period_start=start, period_end=end, value=unscaled(r["value"], d),
                        denominator=unscaled(r["denominator"], d), note=r["note"],
                        recorded_at=r["recorded_at"].replace(microsecond=0),
                        recorded_by=r["recorded_by"],
                        replaced_at=r["replaced_at"] and r["replaced_at"].replace(microsecond=0),
                        replaced_by=r["replaced_by"]))
    return out


def _plan_refs(conn: sa.Connection, plan: str | None) -> list[tuple[str, str]]:
    """The distinct (plan, ref) pairs of the current figures, one index seek each (a loose index
    scan: per plan, the next ref after the last one found), however many figures there are."""
    plans = [plan] if plan else [r[0] for r in conn.execute(sa.select(store_plans.P.c.id).order_by(store_plans.P.c.id))]
    out: list[tuple[str, str]] = []
    for pid in plans:
        last = None
        while True:
            q = (sa.select(F.c.ref).where(F.c.plan_id == pid, F.c.replaced_at.is_(None))
                 .order_by(F.c.ref).limit(1))
            if last is not None:
                q = q.where(F.c.ref > last)
            last = conn.execute(q).scalar()
            if last is None:
                break
            out.append((pid, last))
    return out
