"""Bundles in the store (docs/exchange.md): what an export gathers, what an import writes, and
the public keys a store trusts. The file format itself is kh.bundle (pure)."""

from __future__ import annotations

import base64
from collections import defaultdict
from datetime import date, datetime

import sqlalchemy as sa

from kh import bundle as fmt
from kh.errors import KhError, NotFound
from kh.i18n import Msg, t
from kh.figures import month_index, parse_row, resolve, unscaled
from kh.periods import local_day, bounds, parse_period
from kh.store import completions, history
from kh.store import plans as store_plans
from kh.store.schema import BUNDLE, BUNDLE_FIGURE, COMPLETION, FIGURE, TRUSTED_KEY, UNIT, UNIT_CLOSURE
from kh.suggest import did_you_mean
from kh.text import figure_text, fold

F = FIGURE
C = COMPLETION
U = UNIT
UC = UNIT_CLOSURE
K = TRUSTED_KEY
B = BUNDLE
BF = BUNDLE_FIGURE


def _iso(v) -> str | None:
    # To the microsecond: made_at, the latest of these, orders two bundles exported a second apart.
    return None if v is None else v.isoformat(sep=" ")


def _value(value, den) -> str:
    return f"{figure_text(value)}/{figure_text(den)}" if den is not None else figure_text(value)


def _num(v) -> str | None:
    return None if v is None else figure_text(v)


def require_unit(conn: sa.Connection, unit: str, where: str = "--unit") -> None:
    if conn.execute(sa.select(U.c.code).where(U.c.code == unit).limit(1)).first() is None:
        from kh.store.unit_rows import suggest_code

        raise NotFound("unit.not_found", where=where, code=unit, suggest=suggest_code(conn, unit))


def scope(conn: sa.Connection, unit: str, lo: int, hi: int) -> list[str]:
    """The unit and every unit counting for it during months lo..hi (the closure)."""
    q = (sa.select(UC.c.descendant).distinct()
         .where(UC.c.ancestor == unit, UC.c.lo <= hi, UC.c.hi >= lo).order_by(UC.c.descendant))
    return [r[0] for r in conn.execute(q)] or [unit]


def covers(conn: sa.Connection, ancestor: str, unit: str, lo: int, hi: int) -> bool:
    if ancestor == unit:
        return True
    q = sa.select(UC.c.descendant).where(UC.c.ancestor == ancestor, UC.c.descendant == unit,
                                         UC.c.lo <= hi, UC.c.hi >= lo).limit(1)
    return conn.execute(q).first() is not None


def unit_names(conn: sa.Connection, unit: str) -> list[str]:
    return [r[0] for r in conn.execute(sa.select(U.c.name).where(U.c.code == unit))]


def unit_assignees(plans, names: list[str]) -> list[str]:
    """The plans' assignees named for the unit: whose name holds one of the unit's names
    ("UBND xã Cao Lộc", "Công an xã Cao Lộc" for "Xã Cao Lộc"), compared folded."""
    folded = [fold(n) for n in names if n.strip()]
    return sorted({a.name for p in plans for a in p.assignees if any(n in fold(a.name) for n in folded)})


def _in_window(label: str, lo: int, hi: int) -> bool:
    if not label:
        return False
    a, b = month_index(parse_period(label))
    return lo <= a and b <= hi


# --- export ---------------------------------------------------------------------------------

def collect(conn: sa.Connection, *, unit: str, period: str, plan: str | None,
            assignees: list[str] | None) -> dict:
    """The unsigned bundle of ``unit`` and everything under it, for ``period``."""
    require_unit(conn, unit)
    p = parse_period(period)
    lo, hi = month_index(p)
    first, last = bounds(p)
    if plan:
        store_plans.require(conn, plan)
        plans = [store_plans.load(conn, plan)]
    else:
        plans = [store_plans.load(conn, r["id"]) for r in store_plans.list_plans(conn)]
    units = scope(conn, unit, lo, hi)
    who = sorted(set(assignees)) if assignees else unit_assignees(plans, unit_names(conn, unit))
    if assignees:
        known = {a.name for pl in plans for a in pl.assignees}
        for a in who:
            if a not in known:
                raise NotFound("assignee.not_found", where="--assignee", query=a, suggest=did_you_mean(a, sorted(known)))
    ids = [pl.id for pl in plans]

    figures = []
    places = store_plans.decimals(conn)  # figures travel as written (1.5), not as stored (× 10^decimals)
    q = (sa.select(F).where(F.c.plan_id.in_(ids), F.c.m_from >= lo, F.c.m_to <= hi)
         .order_by(F.c.plan_id, F.c.ref, F.c.unit, F.c.m_from, F.c.m_to, F.c.recorded_at, F.c.id))
    wanted = set(units)
    for r in conn.execute(q).mappings():
        if r["unit"] not in wanted:
            continue
        figures.append(dict(plan=r["plan_id"], ref=r["ref"], unit=r["unit"], period=r["period"],
                            value=_num(unscaled(r["value"], places.get((r["plan_id"], r["ref"])))),
                            denominator=_num(unscaled(r["denominator"], places.get((r["plan_id"], r["ref"])))),
                            note=r["note"],
                            recorded_at=_iso(r["recorded_at"]), recorded_by=r["recorded_by"],
                            replaced_at=_iso(r["replaced_at"]), replaced_by=r["replaced_by"]))
    done: dict[str, list] = {"obligation": [], "task": []}
    if who:
        q = (sa.select(C).where(C.c.plan_id.in_(ids), C.c.assignee.in_(who))
             .order_by(C.c.plan_id, C.c.kind, C.c.item, C.c.assignee, C.c.period, C.c.recorded_at, C.c.id))
        for r in conn.execute(q).mappings():
            # Periodless work (a task with no due day) travels in the period it was done in.
            if not (_in_window(r["period"], lo, hi) if r["period"] else first <= r["done_on"] <= last):
                continue
            done[r["kind"]].append(dict(plan=r["plan_id"], item=r["item"], assignee=r["assignee"],
                                        period=r["period"], done_on=r["done_on"].isoformat(), note=r["note"],
                                        recorded_at=_iso(r["recorded_at"]), recorded_by=r["recorded_by"],
                                        undone_at=_iso(r["undone_at"]), undone_by=r["undone_by"]))
    # The reports this bundle is: each obligation a unit's assignee owes for exactly this period.
    from kh.deadlines import occurrences

    answers = []
    for pl in plans:
        for ob in pl.obligations:
            debtors = [a for a in pl.debtors(ob) if a in who]
            if debtors and any(o.period == p for o in occurrences(ob.due, pl)):
                answers += [dict(plan=pl.id, obligation=ob.key, assignee=a, period=str(p)) for a in debtors]
    used = {f["plan"] for f in figures} | {d["plan"] for k in done for d in done[k]} | {a["plan"] for a in answers}
    if plan:
        used.add(plan)
    from kh.planfile import dumps

    plan_sums = [dict(id=pl.id, sha256=fmt.sha256(dumps(pl).encode())) for pl in plans if pl.id in used]
    stamps = [x for f in figures for x in (f["recorded_at"], f["replaced_at"]) if x]
    stamps += [x for k in done for d in done[k] for x in (d["recorded_at"], d["undone_at"]) if x]
    manifest = dict(unit=unit, period=str(p), plans=plan_sums, units=units, assignees=who,
                    answers=answers, made_at=max(stamps, default=""))
    return fmt.build(manifest, dict(figures=figures, reports=done["obligation"], tasks=done["task"]))


# --- keys -----------------------------------------------------------------------------------

def trust(conn: sa.Connection, unit: str, public_raw: bytes, *, by: str, now: datetime) -> bool:
    """Trust ``unit``'s key; returns False when it was trusted already."""
    require_unit(conn, unit, where="UNIT")
    fp = fmt.fingerprint(public_raw)
    row = conn.execute(sa.select(K).where(K.c.fingerprint == fp)).mappings().first()
    if row is not None:
        if row["revoked_at"] is not None:
            raise KhError("bundle.key_revoked_for_good", where="FILE", fp=fp, unit=row['unit'],
                          on=local_day(row['revoked_at']))
        return False
    conn.execute(sa.insert(K).values(fingerprint=fp, unit=unit, public_key=base64.b64encode(public_raw).decode(),
                                     trusted_at=now, trusted_by=by))
    history.log(conn, [dict(what="key", action="trust", key=f"{unit} {fp}")], by=by, at=now)
    return True


def revoke(conn: sa.Connection, unit: str, public_raw: bytes, *, by: str, now: datetime,
           reason: str) -> None:
    fp = fmt.fingerprint(public_raw)
    row = conn.execute(sa.select(K).where(K.c.fingerprint == fp, K.c.unit == unit)).mappings().first()
    if row is None:
        raise KhError("bundle.key_not_trusted", where="FILE", fp=fp, unit=unit)
    if row["revoked_at"] is not None:
        raise KhError("bundle.key_revoked_already", where="FILE", fp=fp, unit=unit, on=local_day(row['revoked_at']))
    conn.execute(sa.update(K).where(K.c.fingerprint == fp).values(revoked_at=now, revoked_by=by, reason=reason))
    history.log(conn, [dict(what="key", action="revoke", key=f"{unit} {fp}")], by=by, at=now, reason=reason)


# --- import ---------------------------------------------------------------------------------

def _check_signature(conn: sa.Connection, b: dict, unsigned: bool, where: str) -> tuple[str | None, str | None]:
    sig = b.get("signature")
    if sig is None:
        if not unsigned:
            raise KhError("bundle.unsigned", where=where)
        return None, None
    if not isinstance(sig, dict) or not isinstance(sig.get("key"), str) or not isinstance(sig.get("unit"), str):
        raise KhError("bundle.signature_damaged", where=where)
    row = conn.execute(sa.select(K).where(K.c.fingerprint == sig["key"])).mappings().first()
    if row is None:
        raise KhError("bundle.signer_not_trusted", where=where, fp=sig['key'], unit=sig['unit'])
    if row["revoked_at"] is not None:
        raise KhError("bundle.signer_revoked", where=where, fp=row['fingerprint'], unit=row['unit'],
                      on=local_day(row['revoked_at']))
    if row["unit"] != sig["unit"] or not fmt.verify(b, base64.b64decode(row["public_key"])):
        raise KhError("bundle.signature_invalid", where=where, fp=row['fingerprint'], unit=row['unit'])
    return row["fingerprint"], row["unit"]


def apply(conn: sa.Connection, b: dict, *, content: bytes, unsigned: bool, replace: bool,
          reason: str | None, arrived_on: date, by: str, now: datetime, where: str) -> dict:
    """Import a bundle read by kh.bundle.read: all of it or nothing (the caller's transaction)."""
    from kh.store import figure_rows

    m = b["manifest"]
    sha = fmt.sha256(content)
    signer, signer_unit = _check_signature(conn, b, unsigned, where)
    unit, period = m["unit"], m["period"]
    try:
        lo, hi = month_index(parse_period(period))
    except (KhError, AttributeError):
        raise KhError("bundle.period_unreadable", where=where) from None
    require_unit(conn, unit, where=where)
    if signer_unit is not None and not covers(conn, signer_unit, unit, lo, hi):
        raise KhError("bundle.outside_signer", where=where, unit=unit, signer=signer_unit)
    seen = conn.execute(sa.select(B.c.arrived_on, B.c.made_at).where(B.c.sha256 == sha)).first()
    if seen is not None:
        return dict(same=True, arrived_on=seen.arrived_on, sha=sha)
    for pl in m["plans"]:
        if not store_plans.exists(conn, pl["id"]):
            raise NotFound("bundle.plan_missing", where=where, plan=pl['id'])
        from kh.planfile import dumps

        here = fmt.sha256(dumps(store_plans.load(conn, pl["id"])).encode())
        if here != pl["sha256"]:
            raise KhError("bundle.plan_differs", where=where, plan=pl['id'])
    plan_ids = {pl["id"] for pl in m["plans"]}
    newest = conn.execute(sa.select(sa.func.max(B.c.made_at)).where(B.c.unit == unit, B.c.period == period)).scalar()
    if newest is not None and m["made_at"] < newest:
        raise KhError("bundle.newer_imported", where=where, unit=unit, period=period, newest=newest,
                      made=m['made_at'] or Msg("bundle.empty"))

    # The figures as the commune has them now; the replaced ones travel as history, in the file.
    figs, seen_units = [], {}
    for i, r in enumerate(x for x in b["parts"]["figures"] if x.get("replaced_at") is None):
        try:
            f = parse_row(dict(plan=r["plan"], ref=r["ref"], unit=r["unit"], period=r["period"],
                               value=r["value"], denominator=r["denominator"] or "", note=r["note"] or ""),
                          f"{where}: figures[{i}]")
        except (KeyError, TypeError, AttributeError):
            raise KhError("bundle.figure_lacks_field", where=where) from None
        if f.plan not in plan_ids:
            raise KhError("bundle.figure_plan_unlisted", where=where, plan=f.plan)
        ok = seen_units.get((f.unit, f.months))
        if ok is None:
            ok = seen_units[(f.unit, f.months)] = (lo <= f.months[0] and f.months[1] <= hi
                                                   and covers(conn, unit, f.unit, *f.months))
        if not ok:
            raise KhError("bundle.figure_outside", where=where, figure_unit=f.unit, figure_period=f.period,
                          unit=unit, period=period)
        figs.append(f)

    # Compare with what this store holds now: equal → nothing to do; brought by an earlier
    # bundle → replaced; recorded here → a conflict.
    current: dict[tuple, sa.Row] = {}
    keys = {(f.plan, f.ref, f.unit, f.label) for f in figs}
    units_in = sorted({f.unit for f in figs})
    for i in range(0, len(units_in), 500):
        q = (sa.select(F.c.id, F.c.plan_id, F.c.ref, F.c.unit, F.c.period, F.c.value, F.c.denominator, F.c.note,
                       F.c.recorded_by, F.c.recorded_at, BF.c.bundle_id)
             .select_from(F.outerjoin(BF, BF.c.figure_id == F.c.id))
             .where(F.c.unit.in_(units_in[i:i + 500]), F.c.replaced_at.is_(None), F.c.m_from >= lo, F.c.m_to <= hi))
        for r in conn.execute(q):
            if (r.plan_id, r.ref, r.unit, r.period) in keys:
                current[(r.plan_id, r.ref, r.unit, r.period)] = r
    write, conflicts = [], []
    places = store_plans.decimals(conn)
    for f in figs:
        d = places.get((f.plan, f.ref))
        resolve(f, d)  # "1.5" is a number once the indicator's decimals are known
        r = current.get(f.key)
        if r is None:
            write.append(f)
        elif (unscaled(r.value, d), unscaled(r.denominator, d), r.note or None) == (f.value, f.denominator,
                                                                                   f.note or None):
            continue
        else:
            write.append(f)
            if r.bundle_id is None:
                conflicts.append((f, r))
    if conflicts and not (replace and reason):
        shown = "; ".join(t("bundle.conflict", plan=f.plan, ref=f.ref, unit=f.unit, period=f.label,
                            here=_value(unscaled(r.value, places.get((f.plan, f.ref))),
                                        unscaled(r.denominator, places.get((f.plan, f.ref)))), by=r.recorded_by,
                            on=local_day(r.recorded_at),
                            bundle=_value(f.value, f.denominator)) for f, r in conflicts[:3])
        more = t("bundle.and_more", n=len(conflicts) - 3) if len(conflicts) > 3 else ""
        raise KhError("bundle.changed_here_one" if len(conflicts) == 1 else "bundle.changed_here", where=where,
                      n=len(conflicts), shown=shown, more=more)

    name = f"bundle {unit} {period} {sha[:12]}"
    added, replaced = figure_rows.record(conn, write, replace=True, by=by, now=now, as_of=now.date(),
                                           reason=reason, source=name) if write else (0, 0)
    bundle_id = conn.execute(sa.insert(B).values(
        sha256=sha, unit=unit, period=period, made_at=m["made_at"], signer=signer, signer_unit=signer_unit,
        arrived_on=arrived_on, imported_at=now, imported_by=by, content=content.decode())).inserted_primary_key[0]
    if write:
        ids = []
        wanted = {f.key for f in write}
        for i in range(0, len(units_in), 500):
            q = sa.select(F.c.id, F.c.plan_id, F.c.ref, F.c.unit, F.c.period).where(
                F.c.unit.in_(units_in[i:i + 500]), F.c.replaced_at.is_(None), F.c.m_from >= lo, F.c.m_to <= hi)
            ids += [r.id for r in conn.execute(q) if (r.plan_id, r.ref, r.unit, r.period) in wanted]
        conn.execute(sa.insert(BF), [dict(bundle_id=bundle_id, figure_id=i) for i in ids])

    # The report the bundle is, sent the day it arrived; then what the commune marked itself.
    sent = 0
    for a in m["answers"]:
        new, _ = completions.mark(conn, plan_id=a["plan"], kind="obligation", item=a["obligation"],
                                  assignee=a["assignee"], period=a["period"], on=arrived_on, by=by, now=now,
                                  note=name)
        sent += new
    for kind, part in (("obligation", "reports"), ("task", "tasks")):
        for r in b["parts"][part]:
            if r.get("undone_at") is None and r["plan"] in plan_ids:
                new, _ = completions.mark(conn, plan_id=r["plan"], kind=kind, item=r["item"],
                                          assignee=r["assignee"], period=r["period"],
                                          on=date.fromisoformat(r["done_on"]), by=by, now=now, note=r.get("note"))
                sent += new
    signed = f"signed by {signer_unit} key {signer}" if signer else "unsigned"
    history.log(conn, [dict(what="bundle", action="import", plan_id=next(iter(plan_ids)) if len(plan_ids) == 1 else None,
                            key=f"{unit} {period}",
                            new=f"sha256 {sha}; {signed}; arrived {arrived_on}; made {m['made_at'] or '-'}; "
                                f"{added} added, {replaced} replaced")],
                by=by, at=now, reason=reason)
    return dict(same=False, sha=sha, added=added, replaced=replaced, conflicts=len(conflicts), marked=sent,
                signer=signer, signer_unit=signer_unit, arrived_on=arrived_on)
