"""From paragraphs to a draft plan: header, phases, steps, assignees, tasks, targets, deadlines.

Every item remembers the line it came from and its sentence (``source``) and says what it had to
guess (``todo``): the officer reads the draft against the document, and the guesses are where to
look first. Pure: no files, no store.
"""

from __future__ import annotations

from datetime import date

from kh.extract import phrases as ph
from kh.extract.assignees import Roster, assignees_and_tasks
from kh.extract.doc import Para, clauses, paragraphs, sentences
from kh.extract.dues import TaskDue, beyond_span, task_due_in, task_dues
from kh.extract.header import header, phases_and_steps, plan_id, span
from kh.extract.items import Draft, DraftIndicator, DraftObligation, DraftTask, Item
from kh.extract.obligations import AS_REQUIRED_TODO, Due, deadlines_in, owners, receiver, slug
from kh.extract.targets import Context, name_of, targets_in


# ---------------------------------------------------------------- sections

def section_kind(title: str) -> str:
    t = ph.clean(title)
    if "phân công" in t or "trách nhiệm" in t and "tổ chức" not in t:
        return "assign"
    if "tổ chức thực hiện" in t:
        return "organise"
    if "chỉ tiêu" in t or "mục tiêu" in t:
        return "targets"
    return "other"


def body_paragraphs(paras: list[Para]) -> list[Para]:
    """The numbered body: from the first section (I.) to "Nơi nhận" (the distribution list and
    signature are not the plan)."""
    out, started = [], False
    for p in paras:
        if p.marker == "roman":
            started = True
        if started and ph.END_OF_BODY.match(p.text.strip("* ")):
            break
        if started:
            out.append(p)
    return out


# ---------------------------------------------------------------- the whole document

def extract(lines: list[str], plan_id_: str | None = None, today: date | None = None) -> Draft:
    """The draft of a document's lines. ``today`` gives the year of a plan that names no year at
    all (marked TODO); the extractor itself reads no clock."""
    paras = paragraphs(lines)
    plan, plan_todo = header(paras, lines)
    body = body_paragraphs(paras)
    kinds: dict[str, str] = {}
    for p in body:
        if p.marker == "roman":
            kinds[p.section] = section_kind(p.body)
    phases, steps = phases_and_steps(body)
    span(plan, plan_todo, paras, phases, today)
    # Phases must lie inside the plan: a phase that does not is left for the reader.
    phases = [x for x in phases if plan.start <= (x.start or plan.start) and x.end <= plan.end]
    for x in phases:
        if x.start == plan.start:
            x.start = None
    if plan_id_:
        plan.id = plan_id_
    else:
        plan.id = plan_id(plan)
        plan_todo["id"] = "derived from the place, number and year; --id sets it"
    draft = Draft(plan=plan, plan_todo=plan_todo,
                  phases=phases, steps=steps)
    roster, tasks, leads_of = assignees_and_tasks(body, kinds, plan.level)
    draft.tasks = tasks
    start, end = plan.start, plan.end
    task_dues(tasks, start, end, {x.key for x in phases})
    task_lines = {line for t in tasks for line in t.lines}
    per_anchor: dict[str, list[DraftIndicator]] = {}
    due_seen: set = set()
    parent: dict[str, str] = {}   # anchor → the text of its numbered paragraph (for "- Báo cáo 6 tháng …")
    situation = {p.item for p in body if p.marker == "num" and ph.SITUATION.match(p.low)}
    # A plan with no targets section (a month of action) has no targets but its "không để …":
    # those are drafted wherever they stand, each marked TODO.
    has_targets = any(kinds.get(p.section) == "targets" or p.target_block for p in body)
    # A targets section that has a "Chỉ tiêu …" item writes its measurable targets there: its other
    # items ("Mục tiêu chung", "Mục tiêu cụ thể") state aims, and an aim without a figure ("giảm số
    # xã có ma túy") is no target there.
    targets_items = {p.item for p in body if p.marker in ("num", "dotted") and ph.TARGETS_ITEM.match(p.low)}
    targets_sections = {i.split(".")[0] for i in targets_items}
    for p in body:
        if p.marker not in ("dash", "plus", ""):
            parent[p.anchor] = p.body
        if p.marker == "roman":
            continue
        kind = kinds.get(p.section, "other")
        in_targets = (kind == "targets" or p.target_block) and kind != "organise" \
            and p.item not in situation
        para_yearly = bool(ph.YEARLY_OPENING.match(ph.clean(p.body)))
        aims_only = p.section in targets_sections and p.item not in targets_items
        ctx = Context(start, end, hint=p.period_hint, para_yearly=para_yearly, in_targets=in_targets,
                      aims_only=aims_only)
        if not p.period_hint and kind == "targets":
            m = ph.UNTIL_YEAR.search(ph.clean(p.section_title))
            ctx.hint = m.group(1) if m else ""
        leads = leads_of.get(p.item) if kinds.get(p.section) == "assign" else None
        for sent in sentences(p.body):
            # "… tăng 5% so với năm trước; …, triệt xóa 10% số điểm …": the sentence's yearly
            # comparison speaks for its later clauses that name no period of their own.
            ctx.carried_yearly = False
            for cl in clauses(sent):
                found_any = False
                if not in_targets and has_targets and ph.ZERO.search(ph.clean(cl)) and not (
                        kind == "other" and ph.ZERO_EVENT.search(ph.clean(cl))
                        and not ph.PURPOSES.match(ph.clean(p.section_title))):
                    # "không để …" in a task or a measure is a duty, not a target: listed at the
                    # end of the draft, for the reader to encode if the plan means it as one.
                    draft.unclassified.append((p.line, cl))
                    found_any = True
                elif in_targets or (not has_targets and ph.ZERO.search(ph.clean(cl))) or (
                        ph.ZERO_EVENT.search(ph.clean(cl)) and not ph.PURPOSES.match(ph.clean(p.section_title))):
                    for t in targets_in(cl, ctx):
                        if t.baseline == "previous" and t.kind in ("change", "decrease"):
                            ctx.carried_yearly = True
                        item = DraftIndicator(line=p.line, ref=p.anchor or p.section, name=name_of(cl),
                                              target=t, source=cl, todo=t.todo)
                        per_anchor.setdefault(p.anchor or p.section, []).append(item)
                        draft.indicators.append(item)
                        found_any = True
                for due in deadlines_in(cl, start, end, in_task=p.line in task_lines):
                    owed, except_, otodo = owners([cl, sent, p.body, parent.get(p.anchor, "")], roster, leads,
                                                   plan.issuer)
                    sig = (repr(sorted(due.rule.items())), p.line)  # one paragraph owes a rule once
                    if sig in due_seen:
                        found_any = True
                        continue
                    due_seen.add(sig)
                    draft.obligations.append(DraftObligation(
                        line=p.line, key="", name=due.name, owed_by=owed, except_=except_,
                        to=receiver(sent + " " + p.body, roster, plan.issuer), deadline_text=due.text,
                        due=beyond_span(due.rule, start, end, due.todo), source=cl, todo=due.todo + otodo))
                    found_any = True
                if not found_any and ph.LOOKS_LIKE.search(ph.clean(cl)) and (kind != "other" or p.target_block):
                    draft.unclassified.append((p.line, cl))
    # "Không để …" of a measures section is drafted as a target only in a plan whose targets count
    # zeros themselves: where every target is a figure, such words are precautions of the work.
    outside = "found outside the targets sections: is it a target or a task?"
    if has_targets and not any(i.target.kind == "zero" and outside not in i.todo for i in draft.indicators):
        draft.indicators = [i for i in draft.indicators if outside not in i.todo]
        for lst in per_anchor.values():
            lst[:] = [i for i in lst if outside not in i.todo]
    # A review year named twice ("Giai đoạn 1 … năm 2027 sơ kết", then "Năm 2027 sơ kết, năm 2030
    # tổng kết" in TỔ CHỨC THỰC HIỆN) is one review: the one where the plan says who owes it.
    kind_at = {p.line: kinds.get(p.section, "other") for p in body}
    by_year: dict[int, list[DraftObligation]] = {}
    for o in draft.obligations:
        if "year" in o.due:
            by_year.setdefault(o.due["year"], []).append(o)
    for same in by_year.values():
        if len(same) > 1:
            keep = [o for o in same if kind_at.get(o.line) in ("assign", "organise")][:1] or same[-1:]
            draft.obligations = [o for o in draft.obligations if o not in same or o in keep]
    # A plan of one year that dates its reports ("trước ngày 16/6/2021") does not also owe an
    # undated "định kỳ 6 tháng, 01 năm" report: that phrase says the same.
    if start.year == end.year and any("date" in o.due for o in draft.obligations):
        draft.obligations = [o for o in draft.obligations
                             if not (o.due.get("after_end") == 0 and o.due.get("every") in ("half", "year"))]
    # A plan that dates its periodic reports ("trước ngày 16/6 và ngày 16/12 hằng năm") means them
    # by "chế độ báo cáo theo quy định": that phrase owes nothing more.
    if any(o.due.get("every") and ("on" in o.due or "day" in o.due) for o in draft.obligations):
        draft.obligations = [o for o in draft.obligations if AS_REQUIRED_TODO not in o.todo]
    # One body does not owe "báo cáo … theo quy định" twice ("báo cáo … theo quy định", then
    # "định kỳ tổng hợp, báo cáo theo quy định"): the first stands.
    seen_undated: set = set()
    kept = []
    for o in draft.obligations:
        if o.due.get("after_end") is not None and ph.AS_REQUIRED.search(ph.clean(o.source)):
            k = (o.due.get("every"), repr(o.owed_by), tuple(o.except_))
            if k in seen_undated:
                continue
            seen_undated.add(k)
        kept.append(o)
    draft.obligations = kept
    # Refs: one target under a numbered item keeps the item's ref; several are -1, -2, …
    for anchor, items in per_anchor.items():
        if len(items) > 1:
            for i, it in enumerate(items, start=1):
                it.ref = f"{anchor}-{i}"
    _unique_refs(draft.indicators)
    _unique_refs(draft.tasks)
    draft.assignees = roster.items
    # Obligation keys: short, unique, from the name.
    used: set[str] = set()
    for it in draft.obligations:
        it.key = slug(it.name, used)
    return draft


def _unique_refs(items: list[DraftIndicator] | list[DraftTask]) -> None:
    seen: dict[str, int] = {}
    for it in items:
        r = it.ref
        if r in seen:
            seen[r] += 1
            it.ref = f"{r}#{seen[r]}"
            it.todo.append("the same ref twice in the document: renamed")
        else:
            seen[r] = 1


__all__ = ["Context", "Draft", "Due", "Item", "Roster", "TaskDue", "assignees_and_tasks", "deadlines_in",
           "extract", "targets_in", "task_due_in"]
