"""From paragraphs to a draft plan: header, phases, steps, assignees, tasks, targets, deadlines.

Every item remembers the line it came from and its sentence (``source``) and says what it had to
guess (``todo``): the officer reads the draft against the document, and the guesses are where to
look first. Pure: no files, no store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kh.extract import names as nm
from kh.extract import phrases as ph
from kh.extract.doc import Para, clauses, paragraphs, sentences
from kh.model import plain_number
from kh.text import strip_accents


@dataclass
class Item:
    line: int
    data: dict
    todo: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # plain comments above the item (what was read)
    heading: str = ""                                 # a task's: the body of the item it stands under
    lines: tuple[int, ...] = ()                       # a task's: the lines of its paragraphs


@dataclass
class Draft:
    plan: dict
    plan_todo: dict[str, str]
    phases: list[Item] = field(default_factory=list)
    steps: list[Item] = field(default_factory=list)
    assignees: list[Item] = field(default_factory=list)
    tasks: list[Item] = field(default_factory=list)
    indicators: list[Item] = field(default_factory=list)
    obligations: list[Item] = field(default_factory=list)
    unclassified: list[tuple[int, str]] = field(default_factory=list)


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


_END_OF_BODY = re.compile(r"^(?:nơi nhận|tm\.|kt\.|\[\d+\])", re.I)


def body_paragraphs(paras: list[Para]) -> list[Para]:
    """The numbered body: from the first section (I.) to "Nơi nhận" (the distribution list and
    signature are not the plan)."""
    out, started = [], False
    for p in paras:
        if p.marker == "roman":
            started = True
        if started and _END_OF_BODY.match(p.text.strip("* ")):
            break
        if started:
            out.append(p)
    return out


# ---------------------------------------------------------------- the header

_NUMBER = re.compile(r"Số\s*:\s*([^\s,]*)")
_DATE_LINE = re.compile(r"^\s*([^\d,]{2,40}?)\s*,\s*ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
_SPAN_DAYS = re.compile(r"từ ngày (\d{1,2}/\d{1,2}/\d{4}) đến (?:hết )?ngày (\d{1,2}/\d{1,2}/\d{4})")
_SPAN_YEARS = re.compile(r"từ năm (\d{4}) đến (?:hết )?năm (\d{4})")
_PERIOD_YEARS = re.compile(r"giai đoạn (\d{4})\s*[-–]\s*(\d{4})")
_PLACE_WORDS = re.compile(r"\b(tỉnh|huyện|xã|thành phố|thị xã|phường)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3})")
LEVEL_OF = {"tỉnh": "province", "thành phố": "district", "huyện": "district", "thị xã": "district",
            "xã": "commune", "phường": "commune"}


def _dmy(s: str) -> date | None:
    d, m, y = (int(x) for x in s.split("/"))
    try:
        return date(y, m, d)
    except ValueError:
        return None


def header(paras: list[Para], lines: list[str]) -> tuple[dict, dict[str, str]]:
    plan: dict = {}
    todo: dict[str, str] = {}
    head_text = "\n".join(lines[:40])
    m = _NUMBER.search(head_text)
    if m:
        num = m.group(1).strip()
        plan["number"] = "" if num.startswith("/") or not num[:1].isdigit() else num
        if not plan["number"]:
            todo["number"] = "the số hiệu is blank in the document"
    else:
        plan["number"] = ""
        todo["number"] = "no số hiệu found"
    issued_year = None
    for line in lines[:40]:
        m = _DATE_LINE.match(line.replace("*", ""))
        if m:
            plan["place"] = m.group(1).strip()
            issued_year = int(m.group(4))
            if m.group(2):
                try:
                    plan["issued_on"] = date(issued_year, int(m.group(3)), int(m.group(2)))
                except ValueError:
                    todo["issued_on"] = f"no such day: {line.strip()}"
            else:
                todo["issued_on"] = "the day of signing is blank in the document; left out"
                plan["_issued_month"] = (issued_year, int(m.group(3)))
            break
    # Title: the paragraph after "KẾ HOẠCH".
    title = ""
    for i, p in enumerate(paras[:15]):
        if ph.clean(p.text) == "kế hoạch" and i + 1 < len(paras):
            title = paras[i + 1].text.replace("*", "").strip()
            break
    plan["title"] = title or "Kế hoạch"
    if not title:
        todo["title"] = "no title after the word KẾ HOẠCH"
    # Issuer: "ỦY BAN NHÂN DÂN / TỈNH BẮC KẠN" in the header, else "UBND tỉnh X" in the opening.
    issuer = level = None
    for a, b in zip(lines[:10], lines[1:11]):
        if ph.clean(a) in ("ủy ban nhân dân", "ubnd"):
            m2 = re.match(r"\s*(TỈNH|HUYỆN|XÃ|THÀNH PHỐ|THỊ XÃ|PHƯỜNG)\s+(.+)", b.strip())
            if m2:
                kind = m2.group(1).lower()
                issuer, level = f"UBND {kind} {m2.group(2).strip().title()}", LEVEL_OF[kind]
                break
    intro = " ".join(p.text for p in paras[:12] if p.marker != "roman")
    if issuer is None:
        m3 = re.search(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(tỉnh|huyện|xã|thành phố|thị xã|phường)"
                       r"\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3})", intro)
        if m3:
            issuer, level = f"UBND {m3.group(1)} {m3.group(2)}", LEVEL_OF[m3.group(1)]
    if issuer is None:
        m4 = re.search(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(tỉnh|huyện|xã|thành phố|thị xã)\b", intro)
        whole = " ".join(p.text for p in paras)
        places = _PLACE_WORDS.findall(whole + " " + title.title())
        kind = m4.group(1) if m4 else (places[0][0] if places else "tỉnh")
        place = next((n for k, n in places if k == kind), plan.get("place", ""))
        issuer, level = f"UBND {kind} {place}".strip(), LEVEL_OF[kind]
        todo["issuer"] = "the issuer is not named in full; guessed from the text"
    plan["issuer"], plan["level"] = issuer, level
    if not plan.get("place"):
        plan.pop("place", None)
    plan["_issued_year"] = issued_year
    return plan, todo


def span(plan: dict, todo: dict, paras: list[Para], phases: list[Item]) -> None:
    """start and end: a "từ ngày … đến ngày …" or "từ năm … đến năm …" of the plan, else its
    phases, else the years its title names."""
    text = ph.clean(" ".join(p.text for p in paras[:12])) + " " + ph.clean(plan["title"])
    body = ph.clean(" ".join(p.text for p in paras if "thời gian" in ph.clean(p.text)))
    year = plan.get("_issued_year")
    m = _SPAN_DAYS.search(text) or _SPAN_DAYS.search(body)
    if m and _dmy(m.group(1)) and _dmy(m.group(2)):
        plan["start"], plan["end"] = _dmy(m.group(1)), _dmy(m.group(2))
        return
    m = _SPAN_YEARS.search(body) or _SPAN_YEARS.search(text)
    if m:
        plan["start"], plan["end"] = date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
        return
    if phases:
        ends = [ph_["end"] for ph_ in (i.data for i in phases)]
        starts = [ph_["start"] for ph_ in (i.data for i in phases) if "start" in ph_]
        first = plan.get("issued_on") or (date(*plan["_issued_month"], 1) if "_issued_month" in plan else None)
        first = min([*starts, *([first] if first else [])]) if (starts or first) else date(max(ends).year, 1, 1)
        plan["start"], plan["end"] = first, max(ends)
        todo["start"] = "the plan's first day is not written; taken from the date of signing"
        return
    title = ph.clean(plan["title"])
    m = _PERIOD_YEARS.search(title) or _PERIOD_YEARS.search(text)
    if m:
        plan["start"], plan["end"] = date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
        return
    m = re.search(r"đến năm (\d{4})", title)
    if m:
        first = year or int(m.group(1))
        plan["start"], plan["end"] = date(first, 1, 1), date(int(m.group(1)), 12, 31)
        todo["start"] = "the span is not written: from the year of signing to the year of the title"
        return
    m = re.search(r"năm (\d{4})", title)
    y = int(m.group(1)) if m else (year or date.today().year)
    plan["start"], plan["end"] = date(y, 1, 1), date(y, 12, 31)
    if not m:
        todo["start"] = "the span is not written: the year of signing is used"


def plan_id(plan: dict) -> str:
    """A short slug: initials of the place, the number, the year ("bk-238-2017")."""
    place = re.sub(r"^UBND\s+\S+(?:\s+phố|\s+xã)?\s+", "", plan["issuer"]) if plan.get("issuer") else ""
    place = plan.get("place") or place
    letters = "".join(w[0] for w in place.split() if w[:1].isalpha())
    letters = strip_accents(letters.lower()) or "kh"
    num = re.match(r"(\d+)", plan.get("number") or "")
    year = plan["start"].year
    return "-".join(x for x in (letters, num.group(1) if num else "", str(year)) if x)


# ---------------------------------------------------------------- phases and steps

_PHASE = re.compile(r"^\W*giai đoạn\s*(\d+)\s*:?\W*(.*)$")
_STEP = re.compile(r"^\W*bước\s*(\d+)\s*:\s*(.+)$")
_DATE = r"(\d{1,2}/\d{1,2}/\d{4})"


def phases_and_steps(paras: list[Para]) -> tuple[list[Item], list[Item]]:
    phases, steps = [], []
    for p in paras:
        low = ph.clean(p.body)
        m = _PHASE.match(low)
        if m and re.search(_DATE, low):
            n = int(m.group(1))
            d: dict = {"key": f"gd{n}", "name": f"Giai đoạn {m.group(1)}"}
            s = re.search(r"từ (?:ngày )?" + _DATE, low)
            e = re.search(r"đến (?:hết )?(?:ngày )?" + _DATE, low)
            if s and _dmy(s.group(1)):
                d["start"] = _dmy(s.group(1))
            if not e or not _dmy(e.group(1)):
                continue
            d["end"] = _dmy(e.group(1))
            d["source"] = p.body
            phases.append(Item(p.line, d))
            continue
        m = _STEP.match(low)
        if m:
            text = re.sub(r"^\W*Bước\s*\d+\s*:\s*", "", p.body.replace("*", ""), flags=re.I)
            steps.append(Item(p.line, {"number": int(m.group(1)), "text": text, "source": p.body}))
    seen: set[int] = set()
    steps = [s for s in steps if not (s.data["number"] in seen or seen.add(s.data["number"]))]
    keys: set[str] = set()
    phases = [x for x in phases if not (x.data["key"] in keys or keys.add(x.data["key"]))]
    return phases, steps


# ---------------------------------------------------------------- assignees and tasks

class Roster:
    """The assignees found so far, by ``names.key``; aliases point to the same entry."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.by_key: dict[str, Item] = {}

    def add(self, name: str, line: int, why: str | None = None, aliases: list[str] = ()) -> str:
        name = " ".join(name.split()).strip(" .:;,-")
        k = nm.key(name)
        if k not in self.by_key:
            for a in aliases:
                if nm.key(a) in self.by_key:
                    return self.by_key[nm.key(a)].data["name"]
        if k in self.by_key:
            return self.by_key[k].data["name"]
        # "Công an tỉnh - Cơ quan Thường trực …" is Công an tỉnh under a longer name.
        for known, item in self.by_key.items():
            if k.startswith(known + " - ") or k.startswith(known + " (") or k.startswith(known + " – "):
                item.data.setdefault("aliases", []).append(name)
                self.by_key[k] = item
                return item.data["name"]
        item = Item(line, {"name": name, "kind": nm.kind_of(name)}, [why] if why else [])
        self.items.append(item)
        self.by_key[k] = item
        for a in aliases:
            if nm.key(a) not in self.by_key:
                item.data.setdefault("aliases", []).append(a)
                self.by_key[nm.key(a)] = item
        return name

    def known(self) -> dict[str, str]:
        return {k: it.data["name"] for k, it in self.by_key.items()}


_PARTNER = re.compile(r"(?:phối hợp(?: chặt chẽ)?(?: với)?|gửi(?: về)?|báo cáo(?: về)?|(?<![\w])về|(?<![\w])qua|"
                      r"liên hệ|giúp|trình|với)\s+(?=[A-ZĐÀ-Ỹ])")


def assignees_and_tasks(body: list[Para], kinds: dict[str, str]) -> tuple[Roster, list[Item], dict[str, list[str]]]:
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
        leads = [roster.add(n, p.line, aliases=al) for n, al in nm.split_names(name)]
        leads_of[p.item] = list(dict.fromkeys(leads))
    # 2. Bodies named as partners or receivers anywhere in the body ("phối hợp với Sở Tài chính",
    #    "gửi về Trung ương", "báo cáo Ủy ban nhân dân tỉnh").
    for p in body:
        if p.marker == "roman":
            continue
        for m in _PARTNER.finditer(p.body.replace("*", "")):
            rest = p.body.replace("*", "")[m.end():m.end() + 160]
            found = nm.names_in(rest, roster.known())
            if not found:
                continue
            first = found[0]
            if nm.key(rest).startswith(nm.key(first)) and (nm._HEAD.match(first)) and len(first.split()) >= 2 \
                    and nm.key(first) not in roster.by_key and not _too_generic(first):
                roster.add(first, p.line, "named as a partner or receiver, not in PHÂN CÔNG")
    # 3. Tasks: the first level of items under each PHÂN CÔNG item; an item without sub-items is one task.
    tasks: list[Item] = []
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
        chosen = [q for q in chosen if not re.match(r"^\W*(?:mục tiêu|nhiệm vụ|chỉ tiêu)\W*$", ph.clean(q.body))]
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
            data = {"ref": ref, "text": text.replace("*", "").strip(), "lead": leads}
            support = [n for n in _partners(text, roster) if n not in leads]
            if support:
                data["support"] = support
            data["source"] = q.text
            tasks.append(Item(q.line, data, heading=head.body if q is not head else "", lines=lines))
    return roster, tasks, leads_of


def _too_generic(name: str) -> bool:
    return nm.key(name) in ("cong an", "bo cong an", "trung uong dang", "ban chi dao") or \
        nm.key(name).startswith(("cac ", "bo chinh tri", "chinh phu", "thu tuong"))


def _partners(text: str, roster: Roster) -> list[str]:
    """Declared bodies named after "phối hợp" / "với" in a task: its support."""
    out: list[str] = []
    t = text.replace("*", "")
    for m in re.finditer(r"phối hợp|với", t, flags=re.I):
        for n in nm.names_in(t[m.end():m.end() + 200], roster.known()):
            k = nm.key(n)
            if k in roster.by_key:
                name = roster.by_key[k].data["name"]
                if name not in out:
                    out.append(name)
    return out


# ---------------------------------------------------------------- targets

_COUNTS = [("người", "người"), ("vụ", "vụ"), ("diện tích", "ha"), (" ha ", "ha"), ("tụ điểm", "điểm"),
           ("điểm", "điểm"), ("thôn", "thôn"), ("nhà trường", "trường"), ("trường", "trường"),
           ("mô hình", "mô hình"), ("xã", "xã"), ("phường", "xã"), ("cơ sở", "cơ sở"),
           ("thiết chế", "thiết chế"), ("đối tượng", "người"), ("cán bộ", "người")]
_FLOW = re.compile(r"triệt xóa|triệt phá|bắt giữ|phát hiện|xử lý|phát sinh|hình thành|tái trồng|"
                   r"đào tạo|dạy nghề|xảy ra|vay vốn|vụ")
_PER_UNIT = re.compile(r"mỗi (huyện|xã|tỉnh|thôn)")


@dataclass
class Context:
    plan_start: date
    plan_end: date
    hint: str = ""            # "2030" of a heading "… đến năm 2030"
    para_yearly: bool = False  # the paragraph opens with "Hằng năm,"
    in_targets: bool = True

    @property
    def one_year(self) -> bool:
        return self.plan_start == date(self.plan_start.year, 1, 1) and self.plan_end == date(self.plan_start.year, 12, 31)

    @property
    def whole_years(self) -> bool:
        return self.plan_start.month == 1 and self.plan_start.day == 1 and (self.plan_end.month, self.plan_end.day) == (12, 31)


def _counts(s: str) -> str:
    for word, noun in _COUNTS:
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
    if ctx.one_year or (kind == "zero" and ctx.whole_years):
        return "yearly", None, "no period written: the plan's years, one by one"
    return "span", None, "no period written: the whole span of the plan"


def targets_in(clause: str, ctx: Context) -> list[dict]:
    """The targets of one clause (verbatim text), each a dict of plan-file keys with
    ``_todo`` (what was guessed). Outside the targets sections only "không để" zeros count."""
    low = ph.clean(clause)
    out: list[dict] = []

    def add(d: dict, seg: str, todo: list[str]) -> None:
        d.setdefault("counts", _counts(seg))
        d.setdefault("measure", "flow" if d["kind"] == "zero" or _FLOW.search(seg) else "stock")
        d["_todo"] = todo
        out.append(d)

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
            cmp_, _ = ph.comparator(before, after)
            change = ph.change_word(before)
            base = ph.baseline(seg)
            todo = [note] if note else []
            if change == "tăng":
                kind = "change"
                base = base or "previous"
            elif change == "giảm":
                kind = "decrease"
                base = base or "previous"
            elif base is not None:
                kind = "share_of_baseline"
            else:
                kind = "share"
            if kind in ("share", "share_of_baseline") and value > 100:
                prev = b
                continue
            own_before = re.split(r"[),;]|\svà\s", before)[-1]  # not the previous figure's words
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
            per_unit = _PER_UNIT.search(before[-60:])
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
    numeric = bool(out)
    if ph.ZERO.search(low):
        per, by, guess = _when([low], ctx, "zero", None)
        d = {"kind": "zero", "periodicity": per}
        if by:
            d["by"] = by
        todo = [guess] if guess else []
        if not ctx.in_targets:
            todo.insert(0, "found outside the targets sections: is it a target or a task?")
        add(d, low[ph.ZERO.search(low).end():], todo)
    if not ctx.in_targets or numeric:
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
    elif ph.DECREASE_WORDS.search(low) and not any(d["kind"] == "decrease" for d in out):
        per, by, guess = _when([low], ctx, "decrease", None)
        base: str | int = "previous" if per == "yearly" else ctx.plan_start.year
        add({"kind": "decrease", "comparator": ">", "target": 0, "periodicity": per, "baseline": base,
             "unit": "count", **({"by": by} if by else {})},
            low, ["no figure: 'làm giảm' read as decrease > 0"] + ([guess] if guess else []))
    return out


_LOOKS_LIKE = re.compile(r"\d\s*%|chỉ tiêu|trước ngày|chậm nhất|định kỳ|hạn chót|đến năm \d{4}|\bít nhất\b")


def name_of(clause: str) -> str:
    """A short name for a target: its clause without the figure words, at most 16 words."""
    s = clause.replace("*", "").strip(" .;:-+")
    s = re.sub(r"^(?:Phấn đấu|phấn đấu|Hằng năm,|Hàng năm,|Mỗi năm,?)\s*", "", s)
    words = s.split()
    s = " ".join(words[:16]) + (" …" if len(words) > 16 else "")
    return (s[:1].upper() + s[1:]) if s else "Chỉ tiêu"


# ---------------------------------------------------------------- deadlines

@dataclass
class Due:
    rule: dict
    name: str
    text: str
    todo: list[str]


def deadlines_in(clause: str, plan_start: date, plan_end: date, in_task: bool = False) -> list[Due]:
    """The deadline rules a clause states: "trước ngày 16/6/2021", "định kỳ 06 tháng, 01 năm",
    "sơ kết giữa kỳ (năm 2018)", "tổng kết", "hằng năm" plans and reports. In a task
    (``in_task``), "hoàn thành … trước ngày …" with nothing sent is the task's due (``task_due_in``),
    not a report."""
    low = ph.clean(clause)
    out: list[Due] = []
    one_year = plan_start.year == plan_end.year
    taken: list[tuple[int, int]] = []
    if in_task and not ph.SENT.search(low):
        taken += [(m.start(), m.end()) for m in ph.COMPLETED_BY.finditer(low)]
    for m in ph.DAYS_OF_YEAR.finditer(low):
        days = [m.group(1)] + re.findall(r"\d{1,2}/\d{1,2}", m.group(2))
        every = {1: "year", 2: "half", 4: "quarter", 12: "month"}.get(len(days))
        if every and all(ph.due_day(*map(int, d.split("/")), 2023, 2023) for d in days):
            taken.append((m.start(), m.end()))
            out.append(Due({"every": every, "on": days, "relation": "before"}, _due_name(low[:m.start()]),
                           _verbatim(clause, r"trước ngày [^;.]*?\d{1,2}/\d{1,2}(?:\s+hằng năm|\s+hàng năm)?(?=[\s;.,)]|$)"),
                           [f"{len(days)} days of the year: every {every}"]))
    for m in ph.DAY_OF_PERIOD.finditer(low):
        every = "quarter" if "quý" in m.group(3) else "year" if "năm" in m.group(3) else "month"
        if 1 <= int(m.group(2)) <= 28:
            taken.append((m.start(), m.end()))
            out.append(Due({"every": every, "day": int(m.group(2)),
                            "relation": "before" if m.group(1) == "trước" else "by"},
                           _due_name(low[:m.start()]), _verbatim(clause, re.escape(m.group(0)).replace("\\ ", r"\s+")), []))
    for rx, relation in ((ph.BEFORE_DAY, "before"), (ph.BY_DAY, "by")):
        for m in rx.finditer(low):
            if any(a <= m.start() < b for a, b in taken):
                continue
            d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
            todo: list[str] = []
            if y is None and not one_year:
                if ph.due_day(d, mo, 2023, 2023) is None:
                    continue
                rule = {"every": "year", "on": [f"{d}/{mo:02d}" if mo < 10 else f"{d}/{mo}"], "relation": relation}
                todo.append("a day without a year in a plan of several years: every year")
            else:
                day = ph.due_day(d, mo, y, plan_start.year)
                if day is None:
                    continue
                rule = {"date": day, "relation": relation}
                if y is None:
                    todo.append(f"no year written: the plan's year {plan_start.year}")
                if not (plan_start <= day <= date(plan_end.year + 1, 12, 31)):
                    todo.append("the day lies outside the plan's span")
            out.append(Due(rule, _due_name(low[:m.start()]), m.group(0), todo))
    m = ph.PERIODIC.search(low)
    if m and not taken:
        kinds = ph.periods_named(m.group(1))
        todo = []
        if not kinds and re.search(r"sơ kết|báo cáo|tổng hợp|tổng kết", m.group(1)):
            kinds = ["year"]
            todo.append("'định kỳ' names no period: read as yearly")
        dated = {("half" if ph.HALF.search(low[:x.start()][-60:]) else "year") for x in ph.BEFORE_DAY.finditer(low)}
        for k in kinds:
            if k in dated and one_year:
                continue  # the sentence gives the day itself ("Báo cáo 6 tháng gửi trước ngày 16/6/2021")
            name = {"half": "Báo cáo 6 tháng", "year": "Báo cáo năm", "quarter": "Báo cáo quý",
                    "month": "Báo cáo tháng"}[k]
            if "sơ kết" in m.group(1) and k == "year":
                name = "Sơ kết"
            out.append(Due({"every": k, "after_end": 0}, name, _verbatim(clause, r"định kỳ\s*\(?[^;.)]*\)?"),
                           todo + ["no day named: due on the last day of each period"]))
    for mm in ph.MIDTERM.finditer(low):
        out.append(Due({"year": int(mm.group(1) or mm.group(2))}, "Sơ kết", _verbatim(clause, re.escape(mm.group(0))), []))
    finals = list(ph.FINAL_YEAR.finditer(low))
    for mm in finals:
        out.append(Due({"year": int(mm.group(1) or mm.group(2))}, "Tổng kết", _verbatim(clause, re.escape(mm.group(0))), []))
    if not finals and ph.FINAL.search(low) and "báo cáo" in low and not re.search(r"tổng kết năm", low):
        out.append(Due({"year": plan_end.year}, "Tổng kết", "tổng kết",
                       ["no year written: the final review is due in the plan's last year"]))
    if not m and not taken and "hằng năm" in low and ph.PLAN_WORDS.search(low) and _owed_yearly(low):
        word = ph.PLAN_WORDS.search(low).group(0)
        out.append(Due({"every": "year", "after_end": 0}, f"{word.capitalize()} hằng năm", "hằng năm",
                       ["no day named: due on the last day of each year"]))
    if ph.WHOLE_SPAN.search(low) and "kế hoạch" in low:
        out.append(Due({"year": plan_start.year}, "Kế hoạch cả giai đoạn", "cả giai đoạn",
                       ["a plan for the whole span: due in its first year"]))
    if not out and ph.AS_REQUIRED.search(low):
        out.append(Due({"every": "year", "after_end": 0}, "Báo cáo theo quy định", "theo quy định",
                       ["'theo quy định' names no day: read as a yearly report"]))
    return out


def _owed_yearly(low: str) -> bool:
    """A yearly plan or report is owed when it is a report or an estimate, or sent to someone:
    "lập dự toán … hằng năm", "kế hoạch … hằng năm gửi Ban Chỉ đạo"; a plan the body keeps for
    itself ("cụ thể hóa … vào kế hoạch phát triển kinh tế - xã hội hằng năm") is a yearly task."""
    word = ph.PLAN_WORDS.search(low).group(0)
    return word in ("dự toán", "báo cáo") or bool(ph.SENT.search(low))


@dataclass
class TaskDue:
    rule: dict | None     # a deadline rule, or None with a phase
    phase: str | None     # "gd2": due at the phase's end
    text: str             # the words it was read from
    todo: list[str]


def task_due_in(text: str, plan_start: date, plan_end: date, phase_keys: set[str] = frozenset()) -> TaskDue | None:
    """The due of a task from its own words: a day ("vào ngày 26/6/2023", "- 26/6/2024"), a month
    ("trong tháng 6/2023"; "trong tháng 6 hằng năm"), a window ("tháng 01 đến tháng 3/2023"), a quarter
    ("trong quý IV/2027"), "hoàn thành … trước ngày …", a year ("trong năm 2018"), a phase
    ("hoàn thành trong Giai đoạn 1", "khi kết thúc Giai đoạn 2"), else "hằng năm". What a clause owes
    as a report (``deadlines_in``) is its obligation and is not repeated here, as the seeds do."""
    one_year = plan_start.year == plan_end.year
    dated: list[TaskDue] = []
    years: list[TaskDue] = []
    phases: list[TaskDue] = []
    yearly: list[TaskDue] = []

    def on_day(d: int, mo: int, y: int | None, relation: str, words: str, every_year: bool, todo=()) -> None:
        todo = list(todo)
        if y is None and (every_year or not one_year):
            if ph.due_day(d, mo, 2023, 2023) is None:
                return
            if not every_year:
                todo.append("a day without a year in a plan of several years: every year")
            dated.append(TaskDue({"every": "year", "on": [f"{d}/{mo}"], "relation": relation}, None, words, todo))
            return
        day = ph.due_day(d, mo, y, plan_start.year)
        if day is None:
            return
        if y is None:
            todo.append(f"no year written: the plan's year {plan_start.year}")
        if not (plan_start <= day <= date(plan_end.year + 1, 12, 31)):
            todo.append("the day lies outside the plan's span")
        dated.append(TaskDue({"date": day, "relation": relation}, None, words, todo))

    for sent in sentences(text):
        for cl in clauses(sent):
            low = ph.clean(cl)
            owed = deadlines_in(cl, plan_start, plan_end, in_task=True)
            owed_years = {d.rule.get("year") for d in owed}
            windows: list[tuple[int, int]] = []
            for m in ph.MONTH_WINDOW.finditer(low):
                y = m.group(3) or m.group(4)
                mo = int(m.group(2))
                if not 1 <= mo <= 12:
                    continue
                windows.append((m.start(), m.end()))
                todo = ["a window: due by its last day; its first day cannot be stored"]
                on_day(ph.last_day(int(y) if y else plan_start.year, "month", mo).day, mo, int(y) if y else None,
                       "by", m.group(0), False, todo)
            for m in ph.MONTH_IN.finditer(low):
                if any(a <= m.start() < b for a, b in windows) or not 1 <= int(m.group(1)) <= 12:
                    continue
                y = m.group(2) or m.group(3)
                mo = int(m.group(1))
                every = ph.FOLLOWS_EVERY_YEAR.match(low[m.end():])
                on_day(ph.last_day(int(y) if y else plan_start.year, "month", mo).day, mo, int(y) if y else None,
                       "by", m.group(0) + (every.group(0) if every else ""), bool(every))
            for m in ph.QUARTER_IN.finditer(low):
                q = ph.quarter_number(m.group(1))
                y = m.group(2) or m.group(3)
                last = ph.last_day(int(y) if y else plan_start.year, "quarter", q)
                every = ph.FOLLOWS_EVERY_YEAR.match(low[m.end():])
                on_day(last.day, last.month, int(y) if y else None, "by", m.group(0) + (every.group(0) if every else ""),
                       bool(every),
                       ["a quarter: due by its last day; its first day cannot be stored"])
            if not ph.SENT.search(low):
                for m in ph.COMPLETED_BY.finditer(low):
                    d, mo, y = int(m.group(2)), int(m.group(3)), m.group(4)   # group 1 is "trước" / "chậm nhất"
                    rel = "before" if m.group("word") == "trước" else "by"
                    on_day(d, mo, int(y) if y else None, rel, low[m.start("word"):m.end()], False)
            reported = [(x.start(), x.end()) for rx in (ph.DAYS_OF_YEAR, ph.DAY_OF_PERIOD, ph.BEFORE_DAY, ph.BY_DAY)
                        for x in rx.finditer(low)]
            for m in ph.ON_DAY.finditer(low):
                word, said_day = m.group(1), m.group(2)
                if any(a <= m.start(3) < b for a, b in reported):
                    continue  # "trước ngày 16/6 và ngày 16/12 hằng năm": a report's days (deadlines_in)
                if word is not None and word not in ("vào", "đến", "đến hết"):
                    continue  # "từ" opens a window; "trước", "chậm nhất", "trong ngày" are reports' (above)
                if ph.CITED.search(low[:m.start(3)]) or low[m.end():].lstrip(" ,").startswith("của"):
                    continue  # "Kế hoạch số 73/KH-UBND ngày 28/3/2024 của UBND tỉnh" cites a document
                d, mo, y = int(m.group(3)), int(m.group(4)), int(m.group(5)) if m.group(5) else None
                every = bool(ph.FOLLOWS_EVERY_YEAR.match(low[m.end():].lstrip(' "”')))
                if y is None and not (word or said_day or every):
                    continue  # a bare "24/7" is not a day
                if y is not None and not (word or said_day):
                    day = ph.due_day(d, mo, y, y)
                    if day is None or not plan_start <= day <= plan_end:
                        continue  # a bare date outside the plan is not the task's day
                on_day(d, mo, y, "by", m.group(0).strip(), every)
            for m in ph.YEAR_IN.finditer(low):
                y = int(m.group(1) or m.group(2))
                if y not in owed_years and plan_start.year <= y <= plan_end.year + 1:
                    years.append(TaskDue({"year": y}, None, m.group(0), []))
            for m in ph.PHASE_END.finditer(low):
                key = f"gd{int(m.group(1))}"
                if key in phase_keys:
                    phases.append(TaskDue(None, key, m.group(0), []))
            if not owed and ph.EVERY_YEAR.search(low):
                yearly.append(TaskDue({"every": "year", "after_end": 0}, None, ph.EVERY_YEAR.search(low).group(0),
                                      ["'hằng năm' names no day: due on the last day of each year "
                                       "(delete it if the work is ongoing)"]))
    for group in (dated, years, phases, yearly):
        if not group:
            continue
        for t in group:
            t.text = _said(text, t.text)
        once = [t for t in group if t.rule and "date" in t.rule]
        best = max(once, key=lambda t: t.rule["date"]) if len(once) == len(group) else group[0]
        rules = {repr(t.rule) + repr(t.phase) for t in group}
        if len(rules) > 1:
            best.todo.append("several days in the task: " + ", ".join(dict.fromkeys(t.text for t in group))
                             + (" (the latest taken)" if len(once) == len(group) else " (the first taken)"))
        return best
    return None


def _said(text: str, low: str) -> str:
    """The words of ``text`` that read as ``low`` (the phrase table's form), as the document writes them."""
    pattern = r"\s+".join(re.escape(w) for w in low.split()).replace("hằng", "h[ằà]ng")
    m = re.search(pattern, " ".join(text.replace("*", " ").split()), flags=re.I)
    return m.group(0) if m else low


def _verbatim(clause: str, pattern: str) -> str:
    """The words of the clause a phrase was read from, as the document writes them."""
    m = re.search(pattern, clause.replace("*", ""), flags=re.I)
    s = " ".join(m.group(0).split()).strip(" ,") if m else clause
    return s + ")" * (s.count("(") - s.count(")"))  # "sơ kết giữa kỳ (năm 2018)" keeps its bracket


def _due_name(before: str) -> str:
    """What is owed, from the words before "trước ngày": the last phrase, capitalised."""
    s = re.split(r"[;:()]|trong đó", before)[-1].strip(" ,.")
    s = re.sub(r"\s*(?:gửi|nộp)(?:\s+về)?(?:\s+\S+){0,6}$", "", s) if len(s.split()) > 6 else s
    s = re.sub(r"\s+(?:gửi|nộp)(?:\s+về)?$", "", s)
    words = s.split()[-10:]
    s = " ".join(words) or "Báo cáo"
    return s[:1].upper() + s[1:]


_GENERIC = re.compile(r"\bcac (?:so|ban|nganh|don vi|co quan|dia phuong|doan the)\b")  # names.key form
# In names.key form (no tone marks): a name right after these words receives, it does not owe.
_RECEIVER = re.compile(r"(?:\bve|\bqua|\bgui|\btrinh|\bbao cao|\bcho|\btham muu|\bgiup|\bvoi|\bphoi hop)\s*\(?\s*$")


def owners(context: list[str], roster: Roster, leads: list[str] | None) -> tuple[list[str] | str, list[str], list[str]]:
    """Who owes a deadline: the leads of the PHÂN CÔNG item it stands in, else the bodies named
    as subjects in its clause, sentence or paragraph (the smallest that names any), else every
    assignee ("các sở, ban, ngành …") but those it goes to. Returns (owed_by, except, todo)."""
    if leads:
        return leads, [], []
    for text in context:
        t = text.replace("*", "")
        found: list[tuple[str, bool, int]] = []
        kt = nm.key(t)
        for n in nm.names_in(t, roster.known()):
            k = nm.key(n)
            if k not in roster.by_key:
                continue
            name = roster.by_key[k].data["name"]
            pos = kt.find(k)
            receiver = bool(_RECEIVER.search(kt[:pos])) if pos >= 0 else False
            found.append((name, receiver, pos))
        subjects = list(dict.fromkeys(n for n, r, _ in found if not r))
        receivers = list(dict.fromkeys(n for n, r, _ in found if r and n not in subjects))
        first_subject = min((pos for _, r, pos in found if not r), default=len(kt))
        # "các sở, ban, ngành …" binds everyone, unless a named body comes first ("Giao Công an xã
        # chủ trì phối hợp các ban ngành …") or it follows "phối hợp" (partners, not owners).
        g = next((m for m in _GENERIC.finditer(nm.key(t)) if not re.search(r"(?:phoi hop|voi)\s*$", kt[:m.start()])),
                 None)
        if g and g.start() <= first_subject:
            return "all", receivers, ["'các sở, ban, ngành …': every assignee but the receiver"]
        if subjects:
            return subjects, [], []
    return "all", [], ["nobody named: every assignee"]


# ---------------------------------------------------------------- the whole document

def extract(lines: list[str], plan_id_: str | None = None) -> Draft:
    paras = paragraphs(lines)
    plan, plan_todo = header(paras, lines)
    body = body_paragraphs(paras)
    kinds: dict[str, str] = {}
    for p in body:
        if p.marker == "roman":
            kinds[p.section] = section_kind(p.body)
    phases, steps = phases_and_steps(body)
    span(plan, plan_todo, paras, phases)
    # Phases must lie inside the plan: a phase that does not is left for the reader.
    phases = [x for x in phases if plan["start"] <= x.data.get("start", plan["start"]) and x.data["end"] <= plan["end"]]
    for x in phases:
        if x.data.get("start") == plan["start"]:
            x.data.pop("start")
    if plan_id_:
        plan["id"] = plan_id_
    else:
        plan["id"] = plan_id(plan)
        plan_todo["id"] = "derived from the place, number and year; --id sets it"
    draft = Draft(plan={k: v for k, v in plan.items() if not k.startswith("_")}, plan_todo=plan_todo,
                  phases=phases, steps=steps)
    roster, tasks, leads_of = assignees_and_tasks(body, kinds)
    draft.tasks = tasks
    start, end = plan["start"], plan["end"]
    _task_dues(tasks, start, end, {x.data["key"] for x in phases})
    task_lines = {line for t in tasks for line in t.lines}
    per_anchor: dict[str, list[Item]] = {}
    due_seen: set = set()
    parent: dict[str, str] = {}   # anchor → the text of its numbered paragraph (for "- Báo cáo 6 tháng …")
    for p in body:
        if p.marker not in ("dash", "plus", ""):
            parent[p.anchor] = p.body
        if p.marker == "roman":
            continue
        kind = kinds.get(p.section, "other")
        in_targets = (kind == "targets" or p.target_block) and kind != "organise"
        para_yearly = bool(re.match(r"\W*(?:hằng năm|mỗi năm)\b", ph.clean(p.body)))
        ctx = Context(start, end, hint=p.period_hint, para_yearly=para_yearly, in_targets=in_targets)
        if not p.period_hint and kind == "targets":
            m = re.search(r"đến năm (\d{4})", ph.clean(p.section_title))
            ctx.hint = m.group(1) if m else ""
        leads = leads_of.get(p.item) if kinds.get(p.section) == "assign" else None
        for sent in sentences(p.body):
            for cl in clauses(sent):
                found_any = False
                if kind != "other" or p.target_block or ph.ZERO.search(ph.clean(cl)):
                    for t in targets_in(cl, ctx):
                        todo = t.pop("_todo")
                        d = {"ref": p.anchor or p.section, "name": name_of(cl), **t, "source": cl}
                        item = Item(p.line, d, todo)
                        per_anchor.setdefault(p.anchor or p.section, []).append(item)
                        draft.indicators.append(item)
                        found_any = True
                for due in deadlines_in(cl, start, end, in_task=p.line in task_lines):
                    owed, except_, otodo = owners([cl, sent, p.body, parent.get(p.anchor, "")], roster, leads)
                    sig = (repr(sorted(due.rule.items())), repr(owed), p.line)
                    if sig in due_seen:
                        found_any = True
                        continue
                    due_seen.add(sig)
                    d = {"key": "", "name": due.name, "owed_by": owed}
                    if except_:
                        d["except"] = except_
                    d["to"] = _receiver(sent + " " + p.body, roster, plan["issuer"])
                    d["deadline_text"] = due.text
                    d["due"] = due.rule
                    d["source"] = cl
                    draft.obligations.append(Item(p.line, d, due.todo + otodo))
                    found_any = True
                if not found_any and _LOOKS_LIKE.search(ph.clean(cl)) and (kind != "other" or p.target_block):
                    draft.unclassified.append((p.line, cl))
    # Refs: one target under a numbered item keeps the item's ref; several are -1, -2, …
    for anchor, items in per_anchor.items():
        if len(items) > 1:
            for i, it in enumerate(items, start=1):
                it.data["ref"] = f"{anchor}-{i}"
    _unique_refs(draft.indicators)
    _unique_refs(draft.tasks)
    draft.assignees = roster.items
    # Obligation keys: short, unique, from the name.
    used: set[str] = set()
    for it in draft.obligations:
        it.data["key"] = _slug(it.data["name"], used)
    return draft


def _task_dues(tasks: list[Item], start: date, end: date, phase_keys: set[str]) -> None:
    """Each task's ``due`` (or ``phase``) from its own words, else from the item it stands under."""
    for t in tasks:
        found = task_due_in(t.data["text"], start, end, phase_keys)
        where = ""
        if found is None and t.heading:
            found = task_due_in(t.heading, start, end, phase_keys)
            where = " of the heading"
            if found is not None:
                found.todo.append("read from the heading of the item: does it bind this task?")
        if found is None:
            continue
        if found.phase:
            t.data["phase"] = found.phase
            t.notes.append(f"due at the end of phase {found.phase}: '{found.text}'{where}")
        else:
            t.data["due"] = found.rule
            t.notes.append(f"due: '{found.text}'{where}")
        t.todo += found.todo
        if "source" in t.data:  # keep source last, as the other items do
            t.data["source"] = t.data.pop("source")


def _unique_refs(items: list[Item]) -> None:
    seen: dict[str, int] = {}
    for it in items:
        r = it.data["ref"]
        if r in seen:
            seen[r] += 1
            it.data["ref"] = f"{r}#{seen[r]}"
            it.todo.append("the same ref twice in the document: renamed")
        else:
            seen[r] = 1


def _receiver(text: str, roster: Roster, issuer: str) -> str:
    m = re.search(r"(?:về|gửi|báo cáo)\s+((?:Ủy ban|Uỷ ban|UBND|Công an|Ban Chỉ đạo|BCĐ|Sở|Trung ương)[^;.,]*?)"
                  r"(?:\s*\(qua ([^)]*)\))?(?=[;.,]|\s+(?:để|trước|theo|định|trong)|$)", text.replace("*", ""))
    if not m:
        return issuer
    to = m.group(1).strip()
    if m.group(2):
        to += f" (qua {m.group(2).strip()})"
    return to


def _slug(name: str, used: set[str]) -> str:
    s = strip_accents(name.lower())
    s = re.sub(r"\bbao cao\b", "bc", s)
    s = "-".join(re.findall(r"[a-z0-9]+", s)[:5]) or "bc"
    base, n = s, 2
    while s in used:
        s, n = f"{base}-{n}", n + 1
    used.add(s)
    return s
