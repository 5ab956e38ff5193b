"""Roll-ups in SQL: a unit's figures are those of every unit that counts for it, month by month.

Which unit counts for which, and in which months, is the closure table built from the unit tree
(``kh.units.closure``): a commune merged on 1/7/2025 counts for its old district until June 2025
and for its successor's province; an abolished district collects nothing after June 2025. A
unit's own figures count with its children's.

- flows: the sum of the figures whose period lies inside the window;
- stocks: for each unit still counting in the window's last month, its latest figure inside the
  window, summed (a merged commune's June figure is not added to its successor's December one);
- shares: numerators and denominators each rolled up the same way, then divided (pooled).
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

import sqlalchemy as sa

from kh.store.schema import FIGURE, UNIT, UNIT_CLOSURE, UNIT_SUCCESSOR

F = FIGURE
U = UNIT
US = UNIT_SUCCESSOR
UC = UNIT_CLOSURE
_ZERO = sa.literal_column("0")  # month + 0: the same number, but no index range for the planner


def _valid_on(at: date):
    return sa.and_(sa.or_(U.c.valid_from.is_(None), U.c.valid_from <= at),
                   sa.or_(U.c.valid_to.is_(None), U.c.valid_to >= at))


def _month(at: date) -> int:
    return at.year * 12 + at.month - 1


class StoreSource:
    """What the gap report reads from the store (kh.gap takes any object with these methods)."""

    def __init__(self, conn: sa.Connection, known_at: datetime | None = None, *,
                 accepted_only: bool = False):
        """``known_at`` (an instant, UTC): read the figures as they stood then — recorded before
        it, and not yet replaced (hledger's --known-at). None: the current figures, from the
        covering index; with it the replaced rows are read too, so only that report pays."""
        self.conn = conn
        self.known_at = known_at
        self.accepted_only = accepted_only  # kh gap --accepted-only: figures of accepted reports only
        self._ready: dict[tuple, dict] = {}
        self._versions: dict[tuple, dict] = {}
        self._reported: dict[tuple, dict[str, int]] = {}  # counted alongside totals, for coverage
        self._belows: dict[tuple, list[str] | None] = {}  # _below's answers

    def prefetch(self, requests: list[tuple]) -> None:
        """Compute many ``totals`` at once on two connections (both drivers let the interpreter
        go while a query runs, so a 2-core machine reads two indicators at a time); ``totals``
        then answers from what was read. Requests: (plan, ref, units, m_from, m_to, stock, at)."""
        requests = list(dict.fromkeys(requests))
        if len(requests) < 4:
            return
        import threading
        from concurrent.futures import ThreadPoolExecutor

        engine = self.conn.engine
        queue = iter(())
        lock, ready = threading.Lock(), threading.Event()

        def work(conn: sa.Connection) -> tuple[list[tuple], dict]:
            done = []
            other = StoreSource(conn, self.known_at, accepted_only=self.accepted_only)
            other._belows = self._belows  # each window's units, read once for both connections
            while True:
                with lock:
                    r = next(queue, None)
                if r is None:
                    return done, other._reported
                if isinstance(r, _Batch):
                    done += other._batch_totals(r.requests)
                    continue
                done.append((r, other.expected(*r[1:]) if r[0] == "expected" else
                             other.totals(r[0], r[1], list(r[2]), r[3], r[4], stock=r[5], at=r[6],
                                          cover=r[7] if len(r) > 7 else None)))

        def work_apart() -> tuple[list[tuple], dict]:
            with engine.connect() as conn:
                ready.wait()
                return work(conn)

        # This thread reads on the connection it has, a second one on a connection of its own:
        # one login fewer (on PostgreSQL a round trip, a password check and a server process).
        with ThreadPoolExecutor(max_workers=1) as pool:
            apart = pool.submit(work_apart)  # it logs in while this thread orders the requests
            try:
                # Longest window first, each connection taking the next request when it is free:
                # an even split by position left one connection with the 30-month flows while
                # the other had finished.
                items = sorted(requests, key=lambda r: r[3] - r[2] if r[0] == "expected" else r[4] - r[3],
                               reverse=True)
                if self.conn.dialect.name == "postgresql":
                    items = self._batches(items)
                queue = iter(items)
            finally:
                ready.set()
            for done, reported in [work(self.conn), apart.result()]:
                self._ready.update(done)
                self._reported.update(reported)

    def totals(self, plan_id: str, ref: str, units: list[str], m_from: int, m_to: int, *, stock: bool,
               at: date, cover: tuple | None = None) -> dict[str, tuple[Fraction, Fraction | None]]:
        """Roll-ups for many units at once: unit → (value, denominator), for the units with
        something recorded.

        Figures are first summed (flows) or reduced to their latest (stocks) per recording unit,
        then carried up the closure: a unit that counts for an ancestor over the whole window
        carries its total in one step; only the rare pairs that begin or end inside the window
        (a commune merged that year) are matched figure by figure."""
        key = (plan_id, ref, tuple(units), m_from, m_to, stock, at)
        if key + ((cover,) if cover else ()) in self._ready:
            return self._ready.pop(key + ((cover,) if cover else ()))
        out: dict[str, list] = {}
        # With ``cover`` = (level, area), the same statement also counts, per unit, the units of
        # that level inside the area that have a figure in the window (coverage, for nothing
        # more than a join on the rows already read).
        reported: dict[str, int] = {}
        end = min(_month(at), m_to)
        base = [F.c.plan_id == plan_id, F.c.ref == ref, *self._known()]
        if self.accepted_only:
            from kh.store.acceptance_rows import accepted_figures

            base.append(accepted_figures())
        # SQLite: an expression, not the column, so that its planner reaches the closure by
        # descendant (one to three rows) instead of probing every ancestor for every figure.
        # PostgreSQL hashes the join either way, and with the column it reads the asked units'
        # closure rows from the primary key instead of scanning all 43,000 of them each time.
        postgres = self.conn.dialect.name == "postgresql"
        ancestor = UC.c.ancestor if postgres else UC.c.ancestor.concat("")
        for i in range(0, len(units), 500):
            chunk = units[i:i + 500]
            below = self._below(chunk, m_from, m_to)
            # m_from <= m_to as well, which every figure in the window meets anyway (a period's
            # first month is never after its last): it bounds the index range on m_from at both
            # ends. Without it the scan of the month index ran from the window's first month to
            # the plan's last figure — for 2027 in a plan recorded to 2030, four times the rows.
            current = [*base, F.c.m_from >= m_from, F.c.m_from <= m_to, F.c.m_to <= m_to]
            src, where = F, current
            if below is not None:
                # A commune or a province: only its own units' figures, found by unit in the
                # current-figure index (plan, ref, unit, period), instead of scanning the whole
                # country's window in the month index.
                if self.conn.dialect.name == "postgresql":
                    src, where = _by_unit(below, [*current, *_period_years(m_from, m_to)]), []
                else:
                    # Months compared as expressions (+ 0) so that SQLite seeks by unit, not by
                    # month range; a list of at least two (one code repeated) for the same reason:
                    # SQLite turns IN (one) into =, which it then answers from the month index.
                    current = where = [*base, F.c.unit.in_(below if len(below) > 1 else below * 2),
                                       F.c.m_from + _ZERO >= m_from, F.c.m_to + _ZERO <= m_to]
            if stock:
                latest = self._latest(where, src)
                counted = self._counted(latest.c.unit, cover, stock, m_from, at)
                found = self.conn.execute(
                    sa.select(UC.c.ancestor, sa.func.sum(latest.c.value), sa.func.sum(latest.c.denominator),
                              counted)
                    .select_from(latest).join(UC, UC.c.descendant == latest.c.unit)
                    .where(ancestor.in_(chunk), UC.c.lo <= latest.c.m_from, UC.c.hi >= end)
                    .group_by(UC.c.ancestor)).all()
                queries = []
                for anc, v, d, n in found:
                    self._add(out, anc, v, d)
                    reported[anc] = reported.get(anc, 0) + int(n or 0)
            else:
                per_unit = (sa.select(src.c.unit, sa.func.min(src.c.m_from).label("lo"),
                                      sa.func.max(src.c.m_to).label("hi"), sa.func.sum(src.c.value).label("v"),
                                      sa.func.sum(src.c.denominator).label("d"))
                            .where(*where).group_by(src.c.unit).cte("per_unit"))
                # The pair counts over every month the unit recorded in the window: one step,
                # summed per ancestor in SQL; the pairs that begin or end inside the window (a
                # commune merged that year) come back one per unit, to be matched figure by
                # figure below. One scan of the figures, and a few dozen rows to Python.
                whole = sa.and_(UC.c.lo <= per_unit.c.lo, UC.c.hi >= per_unit.c.hi)
                partial = sa.case((whole, None), else_=per_unit.c.unit)
                counted = self._counted(per_unit.c.unit, cover, stock, m_from, at)
                found = self.conn.execute(
                    sa.select(UC.c.ancestor, partial, sa.func.sum(per_unit.c.v), sa.func.sum(per_unit.c.d), counted)
                    .select_from(per_unit).join(UC, UC.c.descendant == per_unit.c.unit)
                    .where(ancestor.in_(chunk), UC.c.lo <= per_unit.c.hi, UC.c.hi >= per_unit.c.lo)
                    .group_by(UC.c.ancestor, partial)).all()
                queries = []
                changed = sorted({unit for _, unit, _, _, _ in found if unit is not None})
                for anc, unit, v, d, n in found:
                    reported[anc] = reported.get(anc, 0) + int(n or 0)
                    if unit is None:
                        self._add(out, anc, v, d)
                if changed:  # units that began or ended counting inside the window: figure by figure
                    queries.append(_partial_pairs(chunk, changed, m_from, m_to, current))
            for q in queries:
                for unit, value, den in self.conn.execute(q):
                    self._add(out, unit, value, den)
        if cover:
            self._reported[key + (cover,)] = reported
        return {u: (Fraction(v), Fraction(d) if d is not None else None) for u, (v, d) in out.items()}

    def _batches(self, requests: list) -> list:
        """PostgreSQL: the totals of a few units (a province, a commune) asked in batches, one
        statement for every indicator of the same plan, units and kind (flow or stock), split in
        two for the two connections. Each statement is a round trip and a plan; a province's
        report asked 26 of them, and their client-side building cost about as much as the
        server's work. Requests of many units (the whole country) stay one statement each."""
        groups: dict[tuple, list] = {}
        rest = []
        for r in requests:
            if r[0] != "expected" and len(r[2]) <= 500 and self._below(list(r[2]), r[3], r[4]) is not None:
                groups.setdefault((r[0], r[2], r[5]), []).append(r)
            else:
                rest.append(r)
        # A batch counts coverage inside one area; requests without coverage go with any.
        for key, reqs in list(groups.items()):
            areas = list(dict.fromkeys(r[7][1] for r in reqs if len(r) > 7 and r[7]))
            for i, area in enumerate(areas[1:], 1):
                groups[key + (i,)] = [r for r in reqs if len(r) > 7 and r[7] and r[7][1] == area]
                groups[key] = [r for r in groups[key] if not (len(r) > 7 and r[7] and r[7][1] == area)]
        out = []
        for reqs in groups.values():
            # Alternate, longest window first: the two halves cost about the same.
            out += [_Batch(reqs[0::2]), _Batch(reqs[1::2])] if len(reqs) >= 4 else [_Batch(reqs)]
        return out + rest

    def _batch_totals(self, requests: list[tuple]) -> list[tuple]:
        """``totals`` of many requests of one plan, the same units and kind, in one statement:
        the requests are rows of a parameter table (unnest of arrays), and every per-request
        condition of ``totals`` is a column of it. Returns [(request, totals)] and keeps the
        coverage counts as ``totals`` does. The rows equal ``totals``' (tests/store/test_rollup.py)."""
        from sqlalchemy.dialects.postgresql import ARRAY, distinct_on

        plan_id, units, stock = requests[0][0], list(requests[0][2]), requests[0][5]
        areas = {r[7][1] for r in requests if len(r) > 7 and r[7]}
        assert len(areas) <= 1, "a batch counts coverage inside one area (_batches)"
        area = next(iter(areas), None)
        cols: dict[str, list] = {c: [] for c in ("k", "ref", "lo", "hi", "end", "plo", "phi", "level", "at", "vto",
                                                 "ilo", "ihi")}
        pairs: tuple[list, list] = ([], [])  # (request, unit): each request's own units below
        for k, r in enumerate(requests):
            _, ref, _, m_from, m_to, _, at = r[:7]
            cover = r[7] if len(r) > 7 else None
            first = date(m_from // 12, m_from % 12 + 1, 1) if m_from > 0 else date(1, 1, 1)
            plo, phi = _year_texts(m_from, m_to)
            for c, v in (("k", k), ("ref", ref), ("lo", m_from), ("hi", m_to), ("end", min(_month(at), m_to)),
                         ("plo", plo), ("phi", phi), ("level", cover[0] if cover else None), ("at", at),
                         ("vto", at if stock else first), ("ilo", min(_month(at), m_from if not stock else _month(at))),
                         ("ihi", _month(at))):
                cols[c].append(v)
            below = self._below(units, m_from, m_to)
            pairs[0].extend([k] * len(below))
            pairs[1].extend(below)
        types = dict(k=sa.Integer, lo=sa.Integer, hi=sa.Integer, end=sa.Integer, at=sa.Date, vto=sa.Date,
                     ilo=sa.Integer, ihi=sa.Integer)
        req = sa.select(sa.func.unnest(*[sa.literal(v, ARRAY(types.get(c, sa.String))) for c, v in cols.items()])
                        .table_valued(*cols).render_derived(name="r")).cte("req")
        wanted = (sa.func.unnest(sa.literal(pairs[0], ARRAY(sa.Integer)), sa.literal(pairs[1], ARRAY(sa.String)))
                  .table_valued("k", "code").render_derived(name="wanted"))
        base = [F.c.plan_id == plan_id, *self._known()]
        if self.accepted_only:
            from kh.store.acceptance_rows import accepted_figures

            base.append(accepted_figures())
        one = (sa.select(F.c.unit, F.c.m_from, F.c.m_to, F.c.value, F.c.denominator)
               .where(*base, F.c.ref == req.c.ref, F.c.unit == wanted.c.code, F.c.period >= req.c.plo,
                      F.c.period < req.c.phi, F.c.m_from >= req.c.lo, F.c.m_from <= req.c.hi, F.c.m_to <= req.c.hi)
               .offset(0)  # a fence, as in _by_unit: one index seek per request and unit
               .lateral("one"))
        fig = sa.select(wanted.c.k, one).select_from(wanted).join(req, req.c.k == wanted.c.k).join(one, sa.true())
        if stock:
            fig = fig.subquery("fig")
            unit = fig.c.unit.collate("C")
            src = (sa.select(fig).ext(distinct_on(fig.c.k, unit))
                   .order_by(fig.c.k, unit, fig.c.m_to.desc(), fig.c.m_from.desc()).subquery("latest"))
            joined = [UC.c.lo <= src.c.m_from]
            sums, partial = (sa.func.sum(src.c.value), sa.func.sum(src.c.denominator)), sa.null()
        else:
            src = (fig.with_only_columns(wanted.c.k, one.c.unit, sa.func.min(one.c.m_from).label("m_lo"),
                                         sa.func.max(one.c.m_to).label("m_hi"), sa.func.sum(one.c.value).label("v"),
                                         sa.func.sum(one.c.denominator).label("d"))
                   .group_by(wanted.c.k, one.c.unit).subquery("per_unit"))
            joined = [UC.c.lo <= src.c.m_hi, UC.c.hi >= src.c.m_lo]
            sums = (sa.func.sum(src.c.v), sa.func.sum(src.c.d))
            partial = sa.case((sa.and_(UC.c.lo <= src.c.m_lo, UC.c.hi >= src.c.m_hi), None), else_=src.c.unit)
        r2 = req.alias("asked")
        if stock:
            joined.append(UC.c.hi >= r2.c.end)
        ok = [sa.exists().where(U.c.code == UC.c.descendant, U.c.kind == r2.c.level,
                                sa.or_(U.c.valid_from.is_(None), U.c.valid_from <= r2.c.at),
                                sa.or_(U.c.valid_to.is_(None), U.c.valid_to >= r2.c.vto))]
        if area:
            ok.append(_inside(UC.c.descendant, area, r2.c.ilo, r2.c.ihi))
        counted = sa.func.count(sa.distinct(sa.case((sa.and_(*ok), src.c.unit), else_=None)))
        q = (sa.select(src.c.k, UC.c.ancestor, partial.label("partial"), *sums, counted)
             .select_from(src).join(r2, r2.c.k == src.c.k).join(UC, UC.c.descendant == src.c.unit)
             .where(UC.c.ancestor.in_(units), *joined)
             .group_by(src.c.k, UC.c.ancestor, *([] if stock else [partial])))
        found: dict[int, list] = {}
        for row in self.conn.execute(q):
            found.setdefault(row[0], []).append(row[1:])
        done = []
        for k, r in enumerate(requests):
            _, ref, _, m_from, m_to, _, at = r[:7]
            out: dict[str, list] = {}
            reported: dict[str, int] = {}
            changed = set()
            for anc, unit, v, d, n in found.get(k, ()):
                reported[anc] = reported.get(anc, 0) + int(n or 0)
                if unit is None:
                    self._add(out, anc, v, d)
                else:
                    changed.add(unit)
            if changed:  # as in totals: units that began or ended counting inside the window
                current = [F.c.plan_id == plan_id, F.c.ref == ref, *base[1:], F.c.m_from >= m_from,
                           F.c.m_from <= m_to, F.c.m_to <= m_to]
                for unit, value, den in self.conn.execute(_partial_pairs(units, sorted(changed), m_from, m_to,
                                                                         current)):
                    self._add(out, unit, value, den)
            if len(r) > 7 and r[7]:
                self._reported[r] = reported
            done.append((r, {u: (Fraction(v), Fraction(d) if d is not None else None) for u, (v, d) in out.items()}))
        return done

    # Up to this many units below the asked ones, figures are found unit by unit; above it (the
    # whole country, 34 provinces over ten thousand units) one pass over the window is cheaper.
    FEW = 1000

    def _below(self, units: list[str], m_from: int, m_to: int) -> list[str] | None:
        """Every unit counting for one of ``units`` in some month of the window (the units
        themselves included), when they are few; None when they are many. Once per report."""
        key = (tuple(units), m_from, m_to)
        if key not in self._belows:
            q = (sa.select(UC.c.descendant).distinct()
                 .where(UC.c.ancestor.in_(units), UC.c.lo <= m_to, UC.c.hi >= m_from).limit(self.FEW + 1))
            found = sorted(r[0] for r in self.conn.execute(q))
            self._belows[key] = found if len(found) <= self.FEW else None
        return self._belows[key]

    def _known(self) -> list:
        if self.known_at is None:
            return [F.c.replaced_at.is_(None)]
        return [F.c.recorded_at < self.known_at, sa.or_(F.c.replaced_at.is_(None), F.c.replaced_at >= self.known_at)]

    @staticmethod
    def _counted(unit_col, cover: tuple | None, stock: bool, m_from: int, at: date):
        """How many distinct recording units of the level (inside the area) a group holds; a
        constant when coverage is not asked for."""
        if not cover:
            return sa.literal(0)
        level, area = cover
        first = date(m_from // 12, m_from % 12 + 1, 1) if m_from > 0 else date(1, 1, 1)
        ok = [sa.exists().where(U.c.code == UC.c.descendant, U.c.kind == level,
                                sa.or_(U.c.valid_from.is_(None), U.c.valid_from <= at),
                                sa.or_(U.c.valid_to.is_(None), U.c.valid_to >= (at if stock else first)))]
        if area:
            ok.append(_inside(UC.c.descendant, area, min(_month(at), m_from if not stock else _month(at)),
                              _month(at)))
        return sa.func.count(sa.distinct(sa.case((sa.and_(*ok), unit_col), else_=None)))

    def expected(self, units: tuple[str, ...], m_from: int, m_to: int, stock: bool, at: date, level: str,
                 area: tuple) -> dict[str, int]:
        """unit → how many units of kind ``level`` count for it in the window (a stock: in its
        last month), inside ``area`` (the plan's area as (code, first month, last month)) when
        one is given. The same for every indicator of a window: asked once per report."""
        key = ("expected", units, m_from, m_to, stock, at, level, area)
        if key in self._ready:
            return self._ready[key]
        end = min(_month(at), m_to)
        lo = end if stock else m_from
        first = date(m_from // 12, m_from % 12 + 1, 1) if m_from > 0 else date(1, 1, 1)
        of_level = sa.exists().where(U.c.code == UC.c.descendant, U.c.kind == level,
                                     sa.or_(U.c.valid_from.is_(None), U.c.valid_from <= at),
                                     sa.or_(U.c.valid_to.is_(None), U.c.valid_to >= (at if stock else first)))
        inside = [_inside(UC.c.descendant, area, lo, end)] if area else []
        out: dict[str, int] = {}
        for i in range(0, len(units), 500):
            chunk = list(units[i:i + 500])
            q = (sa.select(UC.c.ancestor, sa.func.count(sa.distinct(UC.c.descendant)))
                 .where(UC.c.ancestor.in_(chunk), UC.c.lo <= end, UC.c.hi >= lo, of_level, *inside)
                 .group_by(UC.c.ancestor))
            out.update({u: int(n) for u, n in self.conn.execute(q)})
        self._ready[key] = out
        return out

    def coverage(self, plan_id: str, ref: str, units: tuple[str, ...], m_from: int, m_to: int, stock: bool,
                 at: date, level: str, area: tuple) -> dict[str, tuple[int, int]]:
        """unit → (units expected, units reported): ``expected``, and the count made by the
        ``totals`` call with ``cover`` for the same window (made now if it was not)."""
        key = (plan_id, ref, tuple(units), m_from, m_to, stock, at, (level, area))
        if key not in self._reported:
            self.totals(plan_id, ref, list(units), m_from, m_to, stock=stock, at=at, cover=(level, area))
        reported = self._reported.pop(key)
        return {u: (n, min(reported.get(u, 0), n)) for u, n in self.expected(units, m_from, m_to, stock, at,
                                                                             level, area).items()}

    @staticmethod
    def _add(out: dict, unit: str, value, den) -> None:
        if value is None:
            return
        total = out.setdefault(unit, [0, None])
        total[0] += int(value)
        if den is not None:
            total[1] = (total[1] or 0) + int(den)

    def _latest(self, where: list, src=F) -> sa.Subquery:
        """Each recording unit's latest figure in the window (unit, m_from, value, denominator)."""
        if self.conn.dialect.name == "sqlite":
            # SQLite returns the other columns from the row holding the MAX: one pass, no sort.
            return (sa.select(src.c.unit, sa.func.max(src.c.m_to).label("m_to"), src.c.m_from, src.c.value,
                              src.c.denominator).where(*where).group_by(src.c.unit).subquery())
        if self.conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import distinct_on

            # Sorted bytewise (COLLATE "C"): the same groups, since equal codes are equal bytes
            # under any collation, and no locale comparison for each of 40,000 rows.
            unit = src.c.unit.collate("C")
            return (sa.select(src.c.unit, src.c.m_to, src.c.m_from, src.c.value, src.c.denominator).where(*where)
                    .ext(distinct_on(unit)).order_by(unit, src.c.m_to.desc(), src.c.m_from.desc())
                    .subquery())
        rank = sa.func.row_number().over(partition_by=src.c.unit, order_by=(src.c.m_to.desc(), src.c.m_from.desc()))
        ranked = (sa.select(src.c.unit, src.c.m_from, src.c.value, src.c.denominator, rank.label("rn")).where(*where)
                  .subquery())
        return sa.select(ranked).where(ranked.c.rn == 1).subquery()

    def versions(self, codes: list[str], at: date) -> dict[str, dict]:
        """Each code's version valid on ``at``, else its latest (asked once per report: every
        indicator of a period shares its units)."""
        key = (tuple(codes), at)
        if key not in self._versions:
            self._versions[key] = self._read_versions(codes, at)
        return self._versions[key]

    def _read_versions(self, codes: list[str], at: date) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for i in range(0, len(codes), 500):
            q = (sa.select(U).where(U.c.code.in_(codes[i:i + 500]))
                 .order_by(U.c.code, sa.func.coalesce(U.c.valid_from, date(1, 1, 1))))
            for r in self.conn.execute(q).mappings():
                valid = (r["valid_from"] or date.min) <= at <= (r["valid_to"] or date.max)
                if valid or r["code"] not in out or not out[r["code"]]["_valid"]:
                    out[r["code"]] = {**r, "_valid": valid}
        return out

    def provinces_with_figures(self, plan_id: str, at: date) -> list[str]:
        """The top of the tree over everything recorded for a plan: its provinces (for a plan
        that names no area, such as one covering the whole country)."""
        m = _month(at)
        refs = self._refs(plan_id)
        if not refs:
            return []
        # Each province asks whether any unit under it has a figure: it stops at the first one,
        # found by (plan, ref, unit) in the current-figure index, instead of listing the distinct
        # units of millions of figures. OFFSET 0 keeps the question a question on PostgreSQL:
        # without it the planner turns it into a join that hashes every figure of the plan
        # (1.5 s on the national store, against a few milliseconds asked province by province).
        any_figure = (sa.select(sa.literal(1)).select_from(UC).join(F, F.c.unit == UC.c.descendant)
                      .where(UC.c.ancestor == U.c.code, UC.c.lo <= m, UC.c.hi >= m, F.c.plan_id == plan_id,
                             F.c.ref.in_(refs), F.c.replaced_at.is_(None))
                      .offset(0).exists())
        q = (sa.select(U.c.code).distinct().where(U.c.kind == "province", _valid_on(at), any_figure)
             .order_by(U.c.code))
        return [r[0] for r in self.conn.execute(q)]

    def _refs(self, plan_id: str) -> list[str]:
        """The distinct refs of a plan's current figures, one index seek each (a loose index
        scan in one recursive statement), however many figures there are."""
        cur = [F.c.plan_id == plan_id, F.c.replaced_at.is_(None)]
        found = sa.select(sa.func.min(F.c.ref).label("ref")).where(*cur).cte("refs", recursive=True)
        after = sa.select(sa.func.min(F.c.ref)).where(*cur, F.c.ref > found.c.ref).scalar_subquery()
        found = found.union_all(sa.select(after).where(found.c.ref.is_not(None)))
        return [r[0] for r in self.conn.execute(sa.select(found.c.ref).where(found.c.ref.is_not(None)))]

    def units_of_kind(self, unit: str, kind: str, at: date) -> list[str]:
        m = _month(at)
        below = sa.select(UC.c.descendant).where(UC.c.ancestor == unit, UC.c.lo <= m, UC.c.hi >= m)
        q = (sa.select(U.c.code).distinct().where(U.c.code.in_(below), U.c.kind == kind, _valid_on(at))
             .order_by(U.c.code))
        return [r[0] for r in self.conn.execute(q)]

    def version(self, code: str, at: date) -> dict | None:
        """The unit version valid on ``at``, else its latest one; None if the code is unknown."""
        rows = self.conn.execute(sa.select(U).where(U.c.code == code)
                                 .order_by(sa.func.coalesce(U.c.valid_from, date(1, 1, 1)))).mappings().all()
        for r in rows:
            if (r["valid_from"] or date.min) <= at <= (r["valid_to"] or date.max):
                return dict(r)
        return dict(rows[-1]) if rows else None

    def successors_at(self, code: str, at: date) -> list[str]:
        """``code`` if it is valid on ``at``, else the units that took it over, followed to ``at``."""
        seen, todo, out = set(), [code], []
        while todo:
            c = todo.pop(0)
            if c in seen:
                continue
            seen.add(c)
            v = self.version(c, at)
            if v is None:
                continue
            if (v["valid_from"] or date.min) <= at <= (v["valid_to"] or date.max):
                out.append(c)
                continue
            todo += [r[0] for r in self.conn.execute(
                sa.select(US.c.successor).where(US.c.unit_id == v["id"]).order_by(US.c.position))]
        return out


def _partial_pairs(ancestors: list[str], units: list[str], m_from: int, m_to: int, current: list):
    """The sums, per ancestor, of the figures of ``units`` that count for it only in part of
    the window (a commune merged inside it), figure by figure."""
    return (sa.select(UC.c.ancestor, sa.func.sum(F.c.value), sa.func.sum(F.c.denominator))
            .select_from(UC).join(F, F.c.unit == UC.c.descendant)
            .where(UC.c.ancestor.in_(ancestors), F.c.unit.in_(units), UC.c.lo <= F.c.m_to, UC.c.hi >= F.c.m_from,
                   sa.not_(sa.and_(UC.c.lo <= m_from, UC.c.hi >= m_to)), *current)
            .group_by(UC.c.ancestor))


class _Batch:
    """Requests that StoreSource.prefetch reads in one statement (StoreSource._batches)."""

    def __init__(self, requests: list[tuple]):
        self.requests = requests


def _by_unit(codes: list[str], current: list) -> sa.Subquery:
    """PostgreSQL: the window's figures of these units, one index seek per unit (a LATERAL join
    over the list). Given ``unit = ANY(list)``, or a plain join, its planner scans the month
    index of the whole country instead: a hundred times the rows for one province."""
    from sqlalchemy.dialects.postgresql import ARRAY

    wanted = sa.func.unnest(sa.literal(codes, ARRAY(sa.String))).table_valued("code").render_derived(name="wanted")
    one = (sa.select(F.c.unit, F.c.m_from, F.c.m_to, F.c.value, F.c.denominator)
           .where(*current, F.c.unit == wanted.c.code)
           .offset(0)  # a fence: without it the planner flattens the join back into the scan
           .lateral("one"))
    return sa.select(one).select_from(wanted).join(one, sa.true()).subquery("by_unit")


def _year_texts(m_from: int, m_to: int) -> tuple[str, str]:
    """The window's calendar years as a range of the figure's period text: every period lies
    inside one year and its text begins with that year's four digits ("2027", "2027-H1",
    "2027-Q3", "2027-03"), so a figure inside the window has first <= period < after, in any
    collation (the year's digits decide; a longer text sorts after its prefix). Always true
    of the window's figures; it lets the current-figure index (plan, ref, unit, period) seek
    one unit's years instead of reading every figure it ever recorded."""
    first, last = max(m_from, 0) // 12, min(m_to // 12, 9998)  # years are 1900-2999 (kh.periods)
    return f"{first:04d}", f"{last + 1:04d}"


def _period_years(m_from: int, m_to: int) -> list:
    first, after = _year_texts(m_from, m_to)
    return [F.c.period >= first, F.c.period < after]


def _inside(code_col, area: tuple, lo: int, hi: int):
    """``code_col`` counts, in some month of lo … hi, for the plan's area: (code, first month,
    last month) triples, the area and then its successors."""
    UA = UC.alias("area")
    if isinstance(lo, int):
        bounds = [(min(hi, a_hi), max(lo, a_lo)) for _, a_lo, a_hi in area]
    else:  # columns of a batch's parameter table (StoreSource._batch_totals)
        bounds = [(sa.func.least(hi, a_hi), sa.func.greatest(lo, a_lo)) for _, a_lo, a_hi in area]
    return sa.exists().where(UA.c.descendant == code_col, sa.or_(*[
        sa.and_(UA.c.ancestor == code, UA.c.lo <= upper, UA.c.hi >= lower)
        for (code, _, _), (upper, lower) in zip(area, bounds)]))
