"""The plan's frame: number, issuer, place, date, title and span from the header and the plan's
own words; phases and steps."""

from __future__ import annotations

from datetime import date

from kh.extract import phrases as ph
from kh.extract.doc import Para
from kh.extract.items import DraftPhase, DraftPlan, DraftStep
from kh.text import strip_accents


# ---------------------------------------------------------------- the header
# The header of a Kế hoạch is a two-column table: the issuer (under its parent body) and the
# number on the left, the national motto and "Place, ngày … tháng … năm …" on the right. A copy
# from a web page or a PDF breaks its cells anywhere ("UỶ / BAN NHÂN DÂN / TỈNH …", "Hà / Tĩnh,
# ngày …", "… năm / 2026") and may put one column after the other, so the header is read as one
# run of words up to "KẾ HOẠCH", not line by line.

LEVEL_OF = {"tỉnh": "province", "thành phố": "district", "huyện": "district", "quận": "district",
            "thị xã": "district", "xã": "commune", "phường": "commune", "thị trấn": "commune",
            "đặc khu": "commune"}


def _dmy(s: str) -> date | None:
    d, m, y = (int(x) for x in s.split("/"))
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _header_lines(lines: list[str]) -> tuple[list[str], int]:
    """The lines before the word "KẾ HOẠCH" (at most 60), and the index of that line (or -1)."""
    for i, line in enumerate(lines[:60]):
        if ph.clean(line).strip(" :") == "kế hoạch":
            return lines[:i], i
    return lines[:40], -1


def _title_case(upper: str) -> str:
    return " ".join(w[:1] + w[1:].lower() for w in upper.split())


def header(paras: list[Para], lines: list[str]) -> tuple[DraftPlan, dict[str, str]]:
    plan = DraftPlan()
    todo: dict[str, str] = {}
    head, k = _header_lines(lines)
    run = " ".join(" ".join(x.replace("*", " ").split()) for x in head)
    m = ph.NUMBER.search(run)
    if m:
        num = m.group(1).strip()
        plan.number = "" if num.startswith("/") or not num[:1].isdigit() else num
        if not plan.number:
            todo["number"] = "the số hiệu is blank in the document"
    else:
        plan.number = ""
        todo["number"] = "no số hiệu found"
    issued_year = None
    m = ph.DATE_LINE.search(run)
    if m:
        place = ph.place_before(run[:m.start()])
        if place:
            plan.place = place
        issued_year = int(m.group(3))
        if m.group(1):
            try:
                plan.issued_on = date(issued_year, int(m.group(2)), int(m.group(1)))
            except ValueError:
                todo["issued_on"] = f"no such day: {m.group(0).strip()}"
        else:
            todo["issued_on"] = "the day of signing is blank in the document; left out"
            plan.issued_month = (issued_year, int(m.group(2)))
    else:
        todo["issued_on"] = "no date of signing found"
    title = _title(lines, k) if k >= 0 else ""
    if not title:  # no "KẾ HOẠCH" line: the paragraph after it, as a paragraph
        for i, p in enumerate(paras[:15]):
            if ph.clean(p.text) == "kế hoạch" and i + 1 < len(paras):
                title = paras[i + 1].text.replace("*", "").strip()
                break
    plan.title = title or "Kế hoạch"
    if not title:
        todo["title"] = "no title after the word KẾ HOẠCH"
    issuer, level = _issuer(run, plan.place)
    opening = []
    for p in paras[:12]:
        if p.marker == "roman":
            break  # the opening ends where the first section begins
        opening.append(p.text)
    intro = " ".join(opening)
    if issuer is None:
        m3 = ph.ISSUER_IN_TEXT.search(intro)
        if m3 and m3.group(2)[:1].isupper():
            issuer, level = f"UBND {m3.group(1)} {m3.group(2)}", LEVEL_OF[m3.group(1)]
    if issuer is None:
        # No header (a copy without it): the kind of UBND of the opening, the place of the title.
        m4 = ph.ISSUER_KIND.search(intro)
        kind = m4.group(1).lower() if m4 else None
        where = [(x.group(1).lower(), x.group(2)) for x in ph.UNIT_NAMED.finditer(title + " . " + intro)
                 if all(w[:1].isupper() for w in x.group(2).split())]
        title_kind = ph.UNIT_WORD.search(ph.clean(title))
        kind = kind or (where[0][0] if where else title_kind.group(1) if title_kind else "tỉnh")
        name = next((n for kd, n in where if kd == kind), "")
        if not name:  # the first "tỉnh Nghệ An" of the text, for a kind the opening names without a name
            whole = " ".join(p.text for p in paras)
            name = next((x.group(2) for x in ph.UNIT_NAMED.finditer(whole) if x.group(1).lower() == kind
                         and all(w[:1].isupper() and not ph.ROMAN_NUMERAL.fullmatch(w) for w in x.group(2).split())),
                        plan.place or "")
        name = _title_case(name) if name.isupper() else name
        issuer, level = f"UBND {kind} {name}".strip(), LEVEL_OF.get(kind, "province")
        todo["issuer"] = "the issuer is not named in full; guessed from the text"
    plan.issuer, plan.level = issuer, level
    plan.issued_year = issued_year
    return plan, todo


def _title(lines: list[str], k: int) -> str:
    """The lines after "KẾ HOẠCH" up to the opening of the text ("Căn cứ …", "Thực hiện …"), a
    blank line after some title, or a line in lower case under a title in capitals."""
    out: list[str] = []
    for line in lines[k + 1:k + 8]:
        s = " ".join(line.replace("*", " ").split())
        if not s:
            if out:
                break
            continue
        if out and (ph.OPENING.match(s) or (out[0].isupper() and not s.isupper())
                    or out[-1].endswith((".", ";", ":")) or ph.SECTION_START.match(s)):
            break
        out.append(s)
        if len(" ".join(out)) > 400:
            break
    return " ".join(out).strip()


def _issuer(run: str, place: str | None) -> tuple[str | None, str | None]:
    """The issuer from the header's capitals: the last body named ("ỦY BAN NHÂN DÂN XÃ DIÊN THẠNH"),
    with its parent when the header names one above it ("UBND HUYỆN DIÊN KHÁNH")."""
    upper = run.upper().replace("UỶ", "ỦY")
    stop = ph.HEADER_END.search(upper)
    upper = upper[:stop.start()] if stop else upper
    found = list(ph.UNIT_BODY.finditer(upper))
    bodies = [(m.group(2), m.group(3).strip()) for m in found]
    if not bodies:
        return None, None
    agency = ph.AGENCY_BODY.search(upper, found[-1].end())
    if agency:  # "UBND TỈNH QUẢNG NINH / SỞ Y TẾ": the Sở issues, under its province
        kind, name = bodies[-1]
        return (f"{ph.agency_case(agency.group(0))} {kind.lower()} {_title_case(name)}",
                LEVEL_OF[kind.lower()] if not (kind.lower() == "thành phố" and ph.clean(name) in ph.CENTRAL_CITIES)
                else "province")
    kind, name = bodies[-1]
    kind = kind.lower()
    shown = place if place and ph.clean(place) == ph.clean(name) else _title_case(name)
    level = LEVEL_OF[kind]
    if kind == "thành phố" and len(bodies) == 1 and ph.clean(shown) in ph.CENTRAL_CITIES:
        level = "province"
    issuer = f"UBND {kind} {shown}"
    if len(bodies) > 1:
        pkind, pname = bodies[-2]
        if (pkind, pname) != (bodies[-1][0], bodies[-1][1]):
            issuer += f", {pkind.lower()} {_title_case(pname)}"
    return issuer, level


def span(plan: DraftPlan, todo: dict, paras: list[Para], phases: list[DraftPhase], today: date | None = None) -> None:
    """start and end, from the plan's own words, never from a document it cites: a "từ ngày …
    đến ngày …" or "từ năm … đến năm …" of its title, of the sentence that issues it ("… ban hành
    Kế hoạch … năm 2026") or of its "thời gian" paragraphs; else its phases; else the "giai đoạn
    2026 - 2030", "năm 2026" or "đến năm 2030" of the title or that sentence; else the year of
    signing; with no year at all, ``today``'s year, marked TODO (the extractor reads no clock)."""
    title = ph.clean(plan.title)
    own = ph.clean(_own_words(paras))
    timing = ph.clean(" ".join(p.text for p in paras if "thời gian" in ph.clean(p.text)))
    timing = ph.CITATION.sub(" ", timing)
    text = title + " . " + own
    year = plan.issued_year
    for where in (text, timing):
        m = ph.SPAN_DAYS.search(where)
        if m and _dmy(m.group(1)) and _dmy(m.group(2)):
            plan.start, plan.end = _dmy(m.group(1)), _dmy(m.group(2))
            return
    for where in (text, timing):
        m = ph.SPAN_YEARS.search(where)
        if m:
            plan.start, plan.end = date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
            return
    if phases:
        ends = [x.end for x in phases]
        starts = [x.start for x in phases if x.start is not None]
        first = plan.issued_on or (date(*plan.issued_month, 1) if plan.issued_month else None)
        first = min([*starts, *([first] if first else [])]) if (starts or first) else date(max(ends).year, 1, 1)
        plan.start, plan.end = first, max(ends)
        todo["start"] = "the plan's first day is not written; taken from the date of signing"
        return
    for where in (title, own):
        m = ph.PERIOD_YEARS.search(where)
        if m:
            plan.start, plan.end = date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
            return
        m = ph.UNTIL_YEAR.search(where)
        if m:
            first = year or int(m.group(1))
            plan.start, plan.end = date(first, 1, 1), date(int(m.group(1)), 12, 31)
            todo["start"] = "the span is not written: from the year of signing to the year of the title"
            return
        m = ph.ONE_YEAR.search(where)
        if m:
            y = int(m.group(1))
            plan.start, plan.end = date(y, 1, 1), date(y, 12, 31)
            return
    if year is None and today is None:
        raise ValueError("no year in the document: pass today")
    y = year if year is not None else today.year
    plan.start, plan.end = date(y, 1, 1), date(y, 12, 31)
    todo["start"] = ("the span is not written: the year of signing is used" if year is not None else
                     "no year anywhere in the document: this year is used; write the plan's span")


def _own_words(paras: list[Para]) -> str:
    """The sentence of the opening that issues the plan ("Ủy ban nhân dân tỉnh ban hành Kế hoạch
    … năm 2026, cụ thể như sau:"), from its "Kế hoạch" on: the plan speaking of itself. The
    documents it cites ("Thực hiện Kế hoạch số 96/KH-UBND … giai đoạn 2025 - 2030") are left out."""
    for p in paras[:20]:
        if p.marker == "roman":
            break
        for m in ph.ISSUES_PLAN.finditer(p.text):
            rest = p.text[m.end():]
            end = ph.OWN_WORDS_END.search(rest)
            return rest[:end.start()] if end else rest
    return ""


def plan_id(plan: DraftPlan) -> str:
    """A short slug: initials of the place, the number, the year ("bk-238-2017")."""
    place = ph.ISSUER_UNIT.sub("", plan.issuer) if plan.issuer else ""
    place = plan.place or place
    letters = "".join(w[0] for w in place.split() if w[:1].isalpha())
    letters = strip_accents(letters.lower()) or "kh"
    num = ph.LEADING_NUMBER.match(plan.number or "")
    year = plan.start.year
    return "-".join(x for x in (letters, num.group(1) if num else "", str(year)) if x)


# ---------------------------------------------------------------- phases and steps


def phases_and_steps(paras: list[Para]) -> tuple[list[DraftPhase], list[DraftStep]]:
    phases, steps = [], []
    for p in paras:
        low = ph.clean(p.body)
        m = ph.PHASE.match(low)
        if m and ph.A_DATE.search(low):
            n = int(m.group(1))
            s = ph.PHASE_FROM.search(low)
            e = ph.PHASE_TO.search(low)
            if not e or not _dmy(e.group(1)):
                continue
            phases.append(DraftPhase(line=p.line, key=f"gd{n}", name=f"Giai đoạn {m.group(1)}",
                                     start=_dmy(s.group(1)) if s else None, end=_dmy(e.group(1)), source=p.body))
            continue
        m = ph.STEP.match(low)
        if m:
            text = ph.STEP_LABEL.sub("", p.body.replace("*", ""))
            steps.append(DraftStep(line=p.line, number=int(m.group(1)), text=text, source=p.body))
    seen: set[int] = set()
    steps = [s for s in steps if not (s.number in seen or seen.add(s.number))]
    keys: set[str] = set()
    phases = [x for x in phases if not (x.key in keys or keys.add(x.key))]
    return phases, steps
