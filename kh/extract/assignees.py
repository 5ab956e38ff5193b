"""Who the plan gives work to: the PHÂN CÔNG headings, partners and receivers; their tasks."""

from __future__ import annotations

from kh.extract import names as nm
from kh.extract import phrases as ph
from kh.extract.doc import Para
from kh.extract.items import DraftAssignee, DraftTask


# ---------------------------------------------------------------- assignees and tasks

class Roster:
    """The assignees found so far, by ``names.key``; aliases point to the same entry."""

    def __init__(self) -> None:
        self.items: list[DraftAssignee] = []
        self.by_key: dict[str, DraftAssignee] = {}
        self.partners: list[str] = []   # named only as partners or receivers, not in PHÂN CÔNG
        self.monitors: list[str] = []   # charged with following the plan through: they collect

    def add(self, name: str, line: int, why: str | None = None, aliases: list[str] = ()) -> str:
        name = " ".join(name.split()).strip(" .:;,-")
        k = nm.key(name)
        if k not in self.by_key:
            for a in aliases:
                if nm.key(a) in self.by_key:
                    return self.by_key[nm.key(a)].name
        if k in self.by_key:
            return self.by_key[k].name
        # "Công an tỉnh - Cơ quan Thường trực …" is Công an tỉnh under a longer name.
        for known, item in self.by_key.items():
            if k.startswith(known + " - ") or k.startswith(known + " (") or k.startswith(known + " – "):
                item.aliases.append(name)
                self.by_key[k] = item
                return item.name
        item = DraftAssignee(line=line, name=name, kind=nm.kind_of(name), todo=[why] if why else [])
        if why:
            self.partners.append(name)
        self.items.append(item)
        self.by_key[k] = item
        for a in aliases:
            if nm.key(a) not in self.by_key:
                item.aliases.append(a)
                self.by_key[nm.key(a)] = item
        return name

    def known(self) -> dict[str, str]:
        return {k: it.name for k, it in self.by_key.items()}


def assignees_and_tasks(body: list[Para], kinds: dict[str, str],
                        level: str = "") -> tuple[Roster, list[DraftTask], dict[str, list[str]]]:
    roster = Roster()
    leads_of: dict[str, list[str]] = {}      # item ref (III.1) → its leads
    # 1. The headings of the PHÂN CÔNG items, then the subjects of the TỔ CHỨC THỰC HIỆN items.
    for p in body:
        kind = kinds.get(p.section)
        if p.marker != "num" or kind not in ("assign", "organise"):
            continue
        name = nm.heading_name(p.body)
        if not name:
            continue
        if kind == "organise" and ph.EVERYONE.match(nm.key(name)):
            # "Các sở, ban, ngành, đoàn thể cấp tỉnh và UBND các xã, phường căn cứ …" in TỔ CHỨC
            # THỰC HIỆN is every assignee (owed_by = "all"), not one more of them.
            continue
        leads = [roster.add(n, p.line, aliases=al) for n, al in nm.split_names(name)]
        leads_of[p.item] = list(dict.fromkeys(leads))
    # 2. Bodies named as partners or receivers anywhere in the body ("phối hợp với Sở Tài chính",
    #    "gửi về Trung ương", "báo cáo Ủy ban nhân dân tỉnh").
    for p in body:
        if p.marker == "roman":
            continue
        for m in ph.PARTNER.finditer(p.body.replace("*", "")):
            rest = p.body.replace("*", "")[m.end():m.end() + 160]
            found = nm.names_in(rest, roster.known())
            if not found:
                continue
            # The names listed right after the word: "phối hợp với Bộ Chỉ huy …, Cục Hải quan khu vực".
            listed, tail = [], nm.key(rest)
            for name in found:
                if not tail.startswith(nm.key(name)):
                    break
                listed.append(name)
                tail = tail[len(nm.key(name)):]
                if not tail.startswith(", "):
                    break
                tail = tail[2:]
            if m.group(0).startswith("qua"):
                # "báo cáo Bộ Công an (qua Cục Cảnh sát điều tra …)": who collects for a body above
                # the plan belongs to that body, above the plan too.
                ahead = _named_last(p.body.replace("*", "")[max(0, m.start() - 120):m.start()])
                if ahead and (_too_generic(ahead) or _above(ahead, level)):
                    continue
            for first in listed:
                if ph.BODY_HEAD.match(first) and len(first.split()) >= 2 \
                        and nm.key(first) not in roster.by_key and not _too_generic(first) \
                        and not _above(first, level) and not _part_of_known(first, roster):
                    roster.add(first, p.line, "named as a partner or receiver, not in PHÂN CÔNG")
    # 3. Tasks: the first level of items under each PHÂN CÔNG item; an item without sub-items is one task.
    tasks: list[DraftTask] = []
    by_item: dict[str, list[Para]] = {}
    for p in body:
        if p.item in leads_of and kinds.get(p.section) in ("assign", "organise"):
            by_item.setdefault(p.item, []).append(p)
    used_refs: set[str] = set()
    for item_ref, ps in by_item.items():
        head, rest = ps[0], ps[1:]
        leads = leads_of[item_ref]
        level = next((q.marker for q in rest if q.marker), "")
        chosen = [q for q in rest if q.marker == level and level] if level else []
        chosen = [q for q in chosen if not ph.BARE_HEADING.match(ph.clean(q.body))]
        if not chosen:
            text = head.body.split(":", 1)[1].strip() if ":" in head.body[:260] else ""
            extra = " ".join(q.body for q in rest)
            text = (text + " " + extra).strip() or head.body
            chosen_pairs = [(head.ref, text, head, (head.line, *(q.line for q in rest)))]
        elif level == "plus":
            # "+" items right under the numbered item are numbered like dash items: 5.1-1, 5.1-2, …
            chosen_pairs = [(f"{q.anchor}-{k}", q.body, q, (q.line,)) for k, q in enumerate(chosen, start=1)]
        else:
            chosen_pairs = [(q.ref, q.body, q, (q.line,)) for q in chosen]
        for ref, text, q, lines in chosen_pairs:
            if ref in used_refs:
                continue
            used_refs.add(ref)
            support = [n for n in _partners(text, roster) if n not in leads]
            tasks.append(DraftTask(line=q.line, ref=ref, text=text.replace("*", "").strip(), lead=leads,
                                   support=support, source=q.text,
                                   heading=head.body if q is not head else "", lines=lines))
            if ph.MONITOR.search(ph.clean(text)):
                roster.monitors += [n for n in leads if n not in roster.monitors]
    return roster, tasks, leads_of


_ABOVE = {"commune": ("tinh", "huyen", "thanh pho", "quan", "thi xa"), "district": ("tinh",), "province": ()}


def _above(name: str, level: str) -> bool:
    """A body the plan reports to, not one it binds: a bare "Ủy ban nhân dân" or, in a commune's
    plan, "Công an tỉnh", "Ủy ban nhân dân huyện" (its superiors)."""
    k = nm.key(name)
    if k == "uy ban nhan dan":
        return True
    return k.endswith(tuple(" " + w for w in _ABOVE.get(level, ())))


def _named_last(before: str) -> str:
    """The body whose name ends ``before`` ("báo cáo Bộ Công an (" → "Bộ Công an"), or ""."""
    before = before.rstrip(" (")
    for h in reversed([x.start() for x in ph.BODY_HEAD.finditer(before)]):
        name = nm.name_run(before[h:])
        if len(name.split()) >= 2 and nm.key(name) == nm.key(before[h:]):
            return name
    return ""


def _part_of_known(name: str, roster: Roster) -> bool:
    """ "Ủy ban nhân dân các huyện biên giới" cut to "Ủy ban nhân dân các huyện": the start of a
    declared "Ủy ban nhân dân các huyện, thành phố", some of it, not one more body."""
    k = nm.key(name)
    return any(known.startswith((k + ",", k + " ")) for known in roster.by_key)


def _too_generic(name: str) -> bool:
    return nm.key(name) in ("cong an", "bo cong an", "trung uong dang", "ban chi dao") or \
        nm.key(name).startswith(("cac ", "bo chinh tri", "chinh phu", "thu tuong"))


def _partners(text: str, roster: Roster) -> list[str]:
    """Declared bodies named after "phối hợp" / "với" in a task: its support."""
    out: list[str] = []
    t = text.replace("*", "")
    for m in ph.PARTNER_WORD.finditer(t):
        for n in nm.names_in(t[m.end():m.end() + 200], roster.known()):
            k = nm.key(n)
            if k in roster.by_key:
                name = roster.by_key[k].name
                if name not in out:
                    out.append(name)
    return out
