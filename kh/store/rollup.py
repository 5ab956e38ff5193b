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

from datetime import date
from fractions import Fraction

import sqlalchemy as sa

from kh.store.schema import FigureRow, UnitClosureRow, UnitRow, UnitSuccessorRow

F = FigureRow.__table__
U = UnitRow.__table__
US = UnitSuccessorRow.__table__
UC = UnitClosureRow.__table__
UC2 = UC.alias("alive")


def _valid_on(at: date):
    return sa.and_(sa.or_(U.c.valid_from.is_(None), U.c.valid_from <= at),
                   sa.or_(U.c.valid_to.is_(None), U.c.valid_to >= at))


def _month(at: date) -> int:
    return at.year * 12 + at.month - 1


class StoreSource:
    """What the gap report reads from the store (kh.gap takes any object with these methods)."""

    def __init__(self, conn: sa.Connection):
        self.conn = conn

    def totals(self, plan_id: str, ref: str, units: list[str], m_from: int, m_to: int, *, stock: bool,
               at: date) -> dict[str, tuple[Fraction, Fraction | None]]:
        """``total`` for many units in one query per chunk: unit → (value, denominator), for the
        units that have something recorded."""
        out: dict[str, tuple[Fraction, Fraction | None]] = {}
        for i in range(0, len(units), 500):
            chunk = units[i:i + 500]
            joined = sa.and_(UC.c.descendant == F.c.unit, UC.c.lo <= F.c.m_to, UC.c.hi >= F.c.m_from)
            where = [UC.c.ancestor.in_(chunk), F.c.plan_id == plan_id, F.c.ref == ref,
                     F.c.replaced_at.is_(None), F.c.m_from >= m_from, F.c.m_to <= m_to]
            if stock:
                end = min(_month(at), m_to)
                alive = sa.exists().where(UC2.c.ancestor == UC.c.ancestor, UC2.c.descendant == F.c.unit,
                                          UC2.c.lo <= end, UC2.c.hi >= end)
                rank = sa.func.row_number().over(partition_by=(UC.c.ancestor, F.c.unit),
                                                 order_by=(F.c.m_to.desc(), F.c.m_from.desc()))
                ranked = (sa.select(UC.c.ancestor.label("unit"), F.c.value, F.c.denominator, rank.label("rn"))
                          .select_from(F).join(UC, joined).where(*where, alive).subquery())
                q = (sa.select(ranked.c.unit, sa.func.sum(ranked.c.value), sa.func.sum(ranked.c.denominator))
                     .where(ranked.c.rn == 1).group_by(ranked.c.unit))
            else:
                q = (sa.select(UC.c.ancestor, sa.func.sum(F.c.value), sa.func.sum(F.c.denominator))
                     .select_from(F).join(UC, joined).where(*where).group_by(UC.c.ancestor))
            for unit, value, den in self.conn.execute(q):
                out[unit] = (Fraction(int(value)), Fraction(int(den)) if den is not None else None)
        return out

    def versions(self, codes: list[str], at: date) -> dict[str, dict]:
        """Each code's version valid on ``at``, else its latest."""
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
        recorded = sa.select(F.c.unit).where(F.c.plan_id == plan_id, F.c.replaced_at.is_(None)).distinct()
        tops = sa.select(U.c.code).where(U.c.kind == "province", _valid_on(at))
        q = (sa.select(UC.c.ancestor).distinct()
             .where(UC.c.descendant.in_(recorded), UC.c.ancestor.in_(tops), UC.c.lo <= m, UC.c.hi >= m)
             .order_by(UC.c.ancestor))
        return [r[0] for r in self.conn.execute(q)]

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
