"""The plan's frame: number, issuer, place, date, title and span from the header and the plan's
own words; phases and steps."""

from __future__ import annotations

import re
from datetime import date

from kh.extract import phrases as ph
from kh.extract.doc import Para
from kh.extract.items import Item


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
    import unicodedata

    letters = "".join(w[0] for w in place.split() if w[:1].isalpha())
    letters = "".join(c for c in unicodedata.normalize("NFD", letters.lower()) if not unicodedata.combining(c))
    letters = letters.replace("đ", "d") or "kh"
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
