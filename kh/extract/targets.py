"""Targets (chỉ tiêu) of one clause: kind, comparator, value, baseline, period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kh.extract import phrases as ph
from kh.extract.items import Target
from kh.model import plain_number


# ---------------------------------------------------------------- targets



@dataclass
class Context:
    plan_start: date
    plan_end: date
    hint: str = ""            # "2030" of a heading "… đến năm 2030"
    para_yearly: bool = False  # the paragraph opens with "Hằng năm,"
    in_targets: bool = True
    carried_yearly: bool = False  # an earlier clause of the sentence compares with the year before
    aims_only: bool = False    # an objective ("Mục tiêu chung") beside a "Chỉ tiêu" item: figures only

    @property
    def one_year(self) -> bool:
        return self.plan_start == date(self.plan_start.year, 1, 1) and self.plan_end == date(self.plan_start.year, 12, 31)

    @property
    def whole_years(self) -> bool:
        return self.plan_start.month == 1 and self.plan_start.day == 1 and (self.plan_end.month, self.plan_end.day) == (12, 31)


def _counts(s: str) -> str:
    for word, noun in ph.COUNTS:
        if word in f" {s} ":
            return noun
    return "đơn vị"


def _when(texts: list[str], ctx: Context, kind: str, base) -> tuple[str, int | None, str | None]:
    """periodicity and by for one target, from the first of ``texts`` (its own words first) that
    names a period; the third value says what was guessed."""
    for s in texts:
        got = ph.periodicity(s)
        if got:
            return got[0], got[1], None
    if base == "previous" or ctx.para_yearly:
        return "yearly", None, None
    if ctx.hint:
        return "by_year", int(ctx.hint), None
    if ctx.carried_yearly:
        return "yearly", None, None
    if ctx.one_year or (kind == "zero" and ctx.whole_years):
        return "yearly", None, "no period written: the plan's years, one by one"
    return "span", None, "no period written: the whole span of the plan"


def targets_in(clause: str, ctx: Context) -> list[Target]:
    """The targets of one clause (verbatim text), each with what was guessed in ``todo``.
    Outside the targets sections only "không để" zeros count."""
    low = ph.clean(clause)
    out: list[Target] = []

    def add(d: dict, seg: str, todo: list[str]) -> None:
        d.setdefault("counts", _counts(seg))
        d.setdefault("measure", "flow" if d["kind"] == "zero" or ph.FLOW.search(seg) else "stock")
        d["todo"] = todo
        out.append(Target(**d))

    ms, of = ph.milestones(low) if ctx.in_targets else ({}, "")
    if ms:
        years = [y for y in ms if ctx.plan_start.year <= y <= ctx.plan_end.year]
        if len(years) >= 2:
            add({"kind": "milestones", "comparator": ">=", "of": of,
                 "milestones": {str(y): plain_number(ms[y]) for y in years}, "periodicity": "by_year",
                 "by": max(years)}, low, [f"milestones of a {of}: check of = {of}"])
            return out
    if ctx.in_targets:
        ranges = list(ph.RANGE.finditer(low))
        spans = [(r.start(), r.end()) for r in ranges]
        figures = [(r.start(), r.end(), ph.number(r.group(1)), f"a range {r.group(1)}–{r.group(2)} %: the floor is the target")
                   for r in ranges]
        figures += [(m.start(), m.end(), ph.number(m.group(1)), None) for m in ph.PERCENT.finditer(low)
                    if not any(a <= m.start() < b for a, b in spans)]
        figures.sort()
        # Where each figure's words end: at the next figure of any kind (a count included).
        stops = sorted({a for a, *_ in figures} | {m.start() for m in ph.COUNT.finditer(low)
                                                     if m.group(2).split()[0] not in ph.FREQUENCY + ph.NOT_COUNTED})
        prev = 0
        for i, (a, b, value, note) in enumerate(figures):
            nxt = next((s for s in stops if s > a), len(low))
            before, after = low[prev:a], low[b:nxt]
            seg = before[-80:] + low[a:b] + after
            lead = low[:figures[0][0]]  # "Hằng năm, …" before the first figure speaks for all
            cmp_, word = ph.comparator(before, after)
            change = ph.change_word(before)
            if change is None and i == 0 and word != "lên":  # "Giảm số người nghiện … mỗi năm ít nhất 5 %"
                change = ph.direction(low)
            base = ph.baseline(seg)
            todo = [note] if note else []
            if change == "tăng":
                kind = "change"
                base = base or "previous"
            elif change == "giảm":
                kind = "decrease"
                base = base or "previous"
            elif base is not None and ph.COMPARED_BY_VERB.search(after):
                kind, base = "share", None
            elif base is not None:
                kind = "share_of_baseline"
            else:
                kind = "share"
            if kind in ("share", "share_of_baseline") and value > 100:
                prev = b
                continue
            own_before = ph.FIGURE_WORDS_END.split(before)[-1]  # not the previous figure's words
            per, by, guess = _when([low[a:nxt], own_before, lead], ctx, kind, base)
            d = {"kind": kind, "comparator": cmp_, "target": plain_number(value), "periodicity": per}
            if kind == "decrease":
                d["unit"] = "percent"
            if by:
                d["by"] = by
            if base is not None:
                d["baseline"] = base
            if guess:
                todo.append(guess)
            add(d, after if _counts(after) != "đơn vị" else before, todo)
            prev = b
        for m in ph.COUNT.finditer(low):
            before = low[:m.start()]
            noun = m.group(2).split()[0]
            if noun in ph.NOT_COUNTED or (noun in ph.FREQUENCY and figures) or any(a <= m.start() < b for a, b, *_ in figures):
                continue
            cmp_, word = ph.comparator(before, low[m.end():])
            change = ph.change_word(before)
            if change is None and not figures and word != "lên" and not ph.A_DIGIT.search(before) \
                    and not ph.YEAR_WORD_AT_END.search(before):
                change = ph.direction(low)  # the clause's first figure: "Giảm số xã có ma túy ít nhất 2 xã"
            per_unit = ph.PER_UNIT.search(before[-60:])
            if not (word in ("ít nhất", "tối thiểu", "không dưới", "trên", "hơn", "từ hơn", "không quá", "tối đa", "từ")
                    or change or per_unit):
                continue
            value = ph.count_value(m.group(1))
            seg = low[max(0, m.start() - 60):m.end() + 80]
            base = ph.baseline(seg)
            kind = {"tăng": "change", "giảm": "decrease"}.get(change or "", "count")
            if kind != "count":
                base = base or "previous"
            two = m.group(2) if m.group(2) in ph.COUNT_NOUNS else noun
            d = {"kind": kind, "comparator": cmp_, "target": value, "periodicity": "",
                 "counts": "xã" if two in ("địa bàn", "xã") else two}
            if kind != "count":
                d["unit"] = "count"
            per, by, guess = _when([seg, low[:m.start()][-60:]], ctx, kind, base)
            d["periodicity"] = per
            if by:
                d["by"] = by
            if base is not None:
                d["baseline"] = base
            if per_unit:
                d["per_unit"] = {"huyện": "district", "xã": "commune", "tỉnh": "province",
                                 "thôn": "village"}[per_unit.group(1)]
            add(d, seg, [guess] if guess else [])
        for m in ph.FRACTION.finditer(low):
            before = low[:m.start()]
            if figures or before.count("(") > before.count(")") or ph.DAY_WORD_AT_END.search(before):
                continue  # "(năm 2025 có 09/14 thôn)" is where the plan starts from, not a target
            if any(t.kind == "change" for t in out):
                continue  # "thêm 02 thôn …, nâng tổng số lên 08/12 thôn": the total the increase leads to
            cmp_, word = ph.comparator(before, low[m.end():])
            per, by, guess = _when([low[m.start():], before[-60:]], ctx, "count", None)
            d = {"kind": "count", "comparator": cmp_, "target": int(m.group(1)), "periodicity": per,
                 "counts": "xã" if m.group(3).startswith(("xã", "phường")) else m.group(3)}
            if by:
                d["by"] = by
            add(d, low[m.start():], [f"'{m.group(0)}': a count of {int(m.group(1))} of {int(m.group(2))}"]
                + ([guess] if guess else []))
    numeric = bool(out)
    zero = ph.ZERO.search(low)
    if zero and ph.DIRECTION_BEFORE.search(ph.PART_OF_CLAUSE.split(low[:zero.start()])[-1]):
        zero = None  # "tăng thêm … thôn không có tệ nạn ma túy": the direction decides
    if zero and ph.inside_quotes(low, zero.start()):
        zero = None  # the name of a criterion: đạt tiêu chí "xã không có tệ nạn ma túy"
    if zero:
        per, by, guess = _when([low], ctx, "zero", None)
        d = {"kind": "zero", "periodicity": per}
        if by:
            d["by"] = by
        todo = [guess] if guess else []
        if not ctx.in_targets:
            todo.insert(0, "found outside the targets sections: is it a target or a task?")
        add(d, low[zero.end():], todo)
    if not ctx.in_targets or numeric or ctx.aims_only:
        return out
    if ph.QUOTA.search(low):
        per, by, guess = _when([low], ctx, "share", None)
        add({"kind": "share", "comparator": ">=", "target": 100, "periodicity": per, **({"by": by} if by else {})},
            low, ["a quota the plan does not state: share of the quota ≥ 100 %"])
    elif ph.INCREASE_WORDS.search(low):
        per, by, guess = _when([low], ctx, "change", "previous")
        add({"kind": "change", "comparator": ">", "target": 0, "periodicity": per, "baseline": "previous",
             "unit": "percent" if "tỷ lệ" in low else "count", **({"by": by} if by else {})},
            low, ["no figure: 'more than before' read as change > 0"])
    elif ph.DECREASE_WORDS.search(low) and not any(t.kind == "decrease" for t in out):
        per, by, guess = _when([low], ctx, "decrease", None)
        base: str | int = "previous" if per == "yearly" else ctx.plan_start.year
        add({"kind": "decrease", "comparator": ">", "target": 0, "periodicity": per, "baseline": base,
             "unit": "count", **({"by": by} if by else {})},
            low, ["no figure: 'làm giảm' read as decrease > 0"] + ([guess] if guess else []))
    return out


def name_of(clause: str) -> str:
    """A short name for a target: its clause without the figure words, at most 16 words."""
    s = clause.replace("*", "").strip(" .;:-+")
    s = ph.NAME_OPENING.sub("", s)
    words = s.split()
    s = " ".join(words[:16]) + (" …" if len(words) > 16 else "")
    return (s[:1].upper() + s[1:]) if s else "Chỉ tiêu"
