"""Deadlines of reports (obligations): the rule a clause states, who owes it, to whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kh.extract import names as nm
from kh.extract import phrases as ph
from kh.extract.assignees import Roster
from kh.text import strip_accents


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
        days = [m.group(1)] + ph.DAY_MONTH.findall(m.group(2))
        every = {1: "year", 2: "half", 4: "quarter", 12: "month"}.get(len(days))
        if every and all(ph.due_day(*map(int, d.split("/")), 2023, 2023) for d in days):
            taken.append((m.start(), m.end()))
            out.append(Due({"every": every, "on": days, "relation": "before"}, _due_name(low[:m.start()]),
                           ph.verbatim(clause, ph.DAYS_OF_YEAR_WORDS),
                           [f"{len(days)} days of the year: every {every}"]))
    for m in ph.DAY_OF_PERIOD.finditer(low):
        every = "quarter" if "quý" in m.group(3) else "year" if "năm" in m.group(3) else "month"
        if 1 <= int(m.group(2)) <= 28:
            taken.append((m.start(), m.end()))
            out.append(Due({"every": every, "day": int(m.group(2)),
                            "relation": "before" if m.group(1) == "trước" else "by"},
                           _due_name(low[:m.start()]), ph.verbatim(clause, ph.literal(m.group(0), any_space=True)), []))
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
        # "định kỳ sơ kết", "định kỳ tổng hợp, báo cáo" with no period: yearly in a plan of several
        # years (the seeds' reading); in a plan of one year its dated reports are the periodic
        # ones, so nothing more is drafted (the sentence is listed at the end for the reader).
        # A review held with nothing reported or sent ("định kỳ tổ chức sơ kết, tổng kết để kịp
        # thời đề ra chủ trương …") is a meeting, not a report owed.
        if not kinds and not one_year and ph.REPORT_WORDS.search(m.group(1)) and ph.SENT.search(low):
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
            out.append(Due({"every": k, "after_end": 0}, name, ph.verbatim(clause, ph.PERIODIC_WORDS),
                           todo + ["no day named: due on the last day of each period"]))
    for mm in ph.MIDTERM.finditer(low):
        if one_year:
            continue  # the review of a plan of one year is its yearly report
        out.append(Due({"year": int(mm.group(1) or mm.group(2))}, "Sơ kết", ph.verbatim(clause, ph.literal(mm.group(0))), []))
    finals = list(ph.FINAL_YEAR.finditer(low))
    for mm in finals:
        if one_year:
            continue
        out.append(Due({"year": int(mm.group(1) or mm.group(2))}, "Tổng kết", ph.verbatim(clause, ph.literal(mm.group(0))), []))
    if not finals and ph.FINAL.search(low) and "báo cáo" in low and not ph.YEAR_REVIEW.search(low) \
            and not one_year:  # in a plan of one year the review is its yearly report
        out.append(Due({"year": plan_end.year}, "Tổng kết", "tổng kết",
                       ["no year written: the final review is due in the plan's last year"]))
    if not m and not taken and not out and "hằng năm" in low and ph.PLAN_WORDS.search(low) and _owed_yearly(low):
        word = ph.PLAN_WORDS.search(low).group(0)
        out.append(Due({"every": "year", "after_end": 0}, f"{word.capitalize()} hằng năm", "hằng năm",
                       ["no day named: due on the last day of each year"]))
    if ph.WHOLE_SPAN.search(low) and "kế hoạch" in low:
        out.append(Due({"year": plan_start.year}, "Kế hoạch cả giai đoạn", "cả giai đoạn",
                       ["a plan for the whole span: due in its first year"]))
    if not out and not one_year and ph.AS_REQUIRED.search(low):
        # "báo cáo … theo quy định" names no day of its own: yearly in a plan of several years, as
        # the seeds read it; in a plan of one year, nothing (listed at the end for the reader).
        out.append(Due({"every": "year", "after_end": 0}, "Báo cáo theo quy định", "theo quy định",
                       [AS_REQUIRED_TODO]))
    return out


AS_REQUIRED_TODO = "'theo quy định' names no day: read as a yearly report"


def _owed_yearly(low: str) -> bool:
    """A yearly plan or report is owed when it is a report or an estimate, or sent to someone:
    "lập dự toán … hằng năm", "kế hoạch … hằng năm gửi Ban Chỉ đạo"; a plan the body keeps for
    itself ("cụ thể hóa … vào kế hoạch phát triển kinh tế - xã hội hằng năm") is a yearly task."""
    word = ph.PLAN_WORDS.search(low).group(0)
    return word in ("dự toán", "báo cáo") or bool(ph.SENT.search(low))


def _due_name(before: str) -> str:
    """What is owed, from the words before its deadline (after the clause's previous deadline): from
    the last report word ("báo cáo", "kế hoạch", "kết quả" …) up to where it is sent ("gửi", "về",
    "(qua …)"), capitalised: "… báo cáo Ủy ban nhân dân xã và Công an tỉnh kết quả thực hiện 6
    tháng" → "Kết quả thực hiện 6 tháng"."""
    before = ph.A_DAY.split(before)[-1]
    owed = list(ph.OWED_THING.finditer(before))
    if owed:
        s = before[owed[-1].start():]
        s = ph.SENT_TO.split(s, maxsplit=1)[0].strip(" ,.")
        words = s.split()[:10]
        if words:
            s = " ".join(words)
            return s[:1].upper() + s[1:]
    s = ph.OWED_CUT.split(before)[-1].strip(" ,.")
    s = ph.SENT_TAIL.sub("", s) if len(s.split()) > 6 else s
    s = ph.SENT_WORD_AT_END.sub("", s)
    words = s.split()[-10:]
    s = " ".join(words) or "Báo cáo"
    return s[:1].upper() + s[1:]


# In names.key form (no tone marks): a name right after these words receives, it does not owe.


def owners(context: list[str], roster: Roster, leads: list[str] | None,
           issuer: str = "") -> tuple[list[str] | str, list[str], list[str]]:
    """Who owes a deadline: the leads of the PHÂN CÔNG item it stands in, else the bodies named
    as subjects in its clause, sentence or paragraph (the smallest that names any), else every
    assignee ("các sở, ban, ngành …") but those it goes to ("về X", "qua X": X collects), the
    issuer itself and the bodies named only as partners. Returns (owed_by, except, todo)."""
    if leads:
        return leads, [], []
    own = _issuer_names(roster, issuer)

    def everyone_but(receivers: list[str]) -> list[str]:
        outside = [it.name for it in roster.items if ph.OUTSIDE_FORCE.search(nm.key(it.name))]
        return list(dict.fromkeys([*receivers, *own, *(n for n in roster.partners if n not in receivers),
                                   *roster.monitors, *outside]))

    seen_receivers: list[str] = []  # "Báo cáo gửi về UBND huyện (qua Công an huyện)" later in the paragraph
    for text in context:
        t = text.replace("*", "")
        found: list[tuple[str, bool, int]] = []
        kt = nm.key(t)
        for n in nm.names_in(t, roster.known()):
            k = nm.key(n)
            if k not in roster.by_key:
                continue
            name = roster.by_key[k].name
            pos = kt.find(k)
            receives = bool(ph.RECEIVER.search(kt[:pos])) if pos >= 0 else False
            found.append((name, receives, pos))
        subjects = list(dict.fromkeys(n for n, r, _ in found if not r and n not in own))
        receivers = list(dict.fromkeys(n for n, r, _ in found if r and n not in subjects))
        seen_receivers += [n for n in receivers if n not in seen_receivers]
        first_subject = min((pos for _, r, pos in found if not r), default=len(kt))
        # "các sở, ban, ngành …" binds everyone, unless a named body comes first ("Giao Công an xã
        # chủ trì phối hợp các ban ngành …") or it follows "phối hợp" (partners, not owners).
        g = next((m for m in ph.GENERIC.finditer(nm.key(t)) if not ph.AFTER_PARTNER_KEY.search(kt[:m.start()])),
                 None)
        if g and g.start() <= first_subject:
            return "all", everyone_but(receivers), ["'các sở, ban, ngành …': every assignee but the receiver"]
        if subjects:
            return subjects, [], []
    return "all", everyone_but(seen_receivers), ["nobody named: every assignee but the receiver"]


def _issuer_names(roster: Roster, issuer: str) -> list[str]:
    """The assignees that are the issuer itself ("UBND xã Minh Lương" = "Ủy ban nhân dân xã"): it
    receives its plan's reports, it does not owe them."""
    if not issuer:
        return []
    m = ph.ISSUER_UBND.match(issuer)
    keys = {nm.key(issuer)}
    if m:
        keys |= {nm.key(f"Ủy ban nhân dân {m.group(1)}"), nm.key(f"Ủy ban nhân dân {m.group(1)} {m.group(2)}")}
    return list(dict.fromkeys(it.name for k, it in roster.by_key.items() if k in keys))


def receiver(text: str, roster: Roster, issuer: str) -> str:
    """To whom a report goes: the body named after "về", "gửi" or "báo cáo", cut where its name
    ends ("Ủy ban nhân dân xã và Công an tỉnh kết quả …" → "Ủy ban nhân dân xã và Công an tỉnh"),
    with its "(qua X)"; else the issuer."""
    t = " ".join(text.replace("*", "").split())
    m = ph.SENT_TO_BODY.search(t)
    if not m:
        return issuer
    to = nm.name_run(t[m.start(1):])
    if not to:
        return issuer
    more = ph.AND_NEXT_BODY.match(t[m.start(1) + len(to):])
    if more:  # "Ủy ban nhân dân xã và Công an tỉnh": two receivers
        second = nm.name_run(t[m.start(1) + len(to) + more.end():])
        if second and ph.BODY_HEAD.match(second):
            to += " và " + second
    via = ph.VIA.match(t[m.start(1) + len(to):])
    if via:
        to += f" (qua {nm.name_run(via.group(1)) or via.group(1).strip()})"
    return to


def slug(name: str, used: set[str]) -> str:
    s = strip_accents(name.lower())
    s = ph.BAO_CAO_PLAIN.sub("bc", s)
    s = "-".join(ph.PLAIN_WORD.findall(s)[:5]) or "bc"
    base, n = s, 2
    while s in used:
        s, n = f"{base}-{n}", n + 1
    used.add(s)
    return s
