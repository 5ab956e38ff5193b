"""What the papers an office files say, before any file format: the results report (Báo cáo kết
quả thực hiện Kế hoạch), the signable overdue list and the reminder letters (công văn đôn đốc).

Pure functions over the plan and the rows kh already computes (gap, task and obligation rows);
``as_of`` is always passed in. The words are the administrative ones of Nghị định 30/2020/NĐ-CP
(the header, the motto, the place and date line, Nơi nhận, the signature block); kh/paper_docx.py
lays them out. Everything the clerk must write or check is marked ``[…]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kh.model import Plan
from kh.periods import Period, bounds, period_name

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")

# A gap status in the report's words. A period still running is judged by its pace, not yet
# Đạt / Không đạt.
VERDICT = {
    "met": "Đạt",
    "not_met": "Không đạt",
    "no_data": "Chưa đủ số liệu",
    "incomplete": "Chưa đủ số liệu",
    "on_track": "Đạt tiến độ",
    "behind": "Chậm tiến độ",
}

# Task statuses grouped as the report counts them.
TASK_GROUPS = (
    ("done_on_time", "Hoàn thành đúng hạn"),
    ("done_late", "Hoàn thành quá hạn"),
    ("running", "Đang thực hiện, trong hạn"),
    ("overdue", "Quá hạn, chưa hoàn thành"),
)
_TASK_GROUP_OF = {"done_on_time": "done_on_time", "done_late": "done_late", "overdue": "overdue",
                  "not_due": "running", "due_soon": "running", "open": "running"}

# Words before a place name in an issuer's name: "UBND tỉnh Nghệ An" is in Nghệ An.
_PLACE_PREFIX = re.compile(r"^.*?\b(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+", re.I)


def place_of(plan: Plan) -> str:
    """Where the paper is written: the plan's place, else the place its issuer names, else a
    mark for the clerk (never a bare "…")."""
    if plan.place:
        return plan.place
    m = _PLACE_PREFIX.match(plan.issuer or "")
    if m and plan.issuer[m.end():].strip():
        return plan.issuer[m.end():].strip()
    return "[Địa danh]"


def abbreviation(body: str, place: str | None = None) -> str:
    """The issuer's letters in a document number ("Số: …/BC-UBND"): UBND for a people's
    committee, else the initials of its name without the place ("Công an tỉnh Nghệ An" → CAT)."""
    text = " ".join(body.split())
    if re.match(r"^(ủy|uỷ) ban nhân dân|^ubnd\b", text, re.I):
        return "UBND"
    if place and text.lower().endswith(place.lower()):
        text = text[: -len(place)].strip()
    letters = "".join(w[0] for w in re.findall(r"\w+", text) if w[0].isalpha())
    return letters.upper() or "…"


def date_line(place: str, day: date) -> str:
    """"Nghệ An, ngày 05 tháng 01 năm 2022": days below 10 and months 1 and 2 take a leading
    zero (Nghị định 30/2020, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


# Kinds of administrative unit, before a place's name ("trên địa bàn tỉnh Lạng Sơn").
_KIND = r"(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)"
# Kinds of document, capitalised when a title cites one ("thực hiện Chương trình …",
# Nghị định 30/2020, Phụ lục II: "viết hoa chữ cái đầu" of a cited document's kind).
_DOC_KINDS = ("chương trình", "kế hoạch", "chỉ thị", "nghị quyết", "quyết định", "nghị định",
              "thông tư", "đề án", "chiến lược", "kết luận", "luật")
# What may follow a place's name at the end of a title: the year, the span, punctuation.
_AFTER_PLACE = r"(?=\s*(?:$|[,;:.()\-–]|\d|năm\b|giai đoạn\b|đến\b|từ\b))"


def known_names(plan: Plan) -> list[str]:
    """The proper names a plan itself spells: its place, its issuer (and the place the issuer
    names), its assignees. Used to give an all-capitals title its capitals back."""
    names = [plan.place or "", plan.issuer or "", place_of(plan)]
    names += [a.name for a in plan.assignees]
    return [n for n in dict.fromkeys(" ".join(n.split()) for n in names) if n and not n.startswith("[")]


def recase(title: str, names: list[str] = ()) -> str:
    """A title as a sentence cites it. A title the plan writes in capitals ("TRIỂN KHAI …
    TRÊN ĐỊA BÀN TỈNH LẠNG SƠN") is put in sentence case, then the names it holds get their
    capitals back: the names the plan spells (``names``), a cited document's kind, and the
    one to three words after a unit's kind that end the title ("tỉnh Lạng Sơn", "xã Diên Thạnh
    giai đoạn …"). A title written in mixed case is the author's spelling and stays as it is."""
    title = " ".join(title.split())
    if not title.isupper():
        return title
    # A number or code ("36-CT/TW", "238/KH-UBND") keeps its capitals.
    out = " ".join(w if re.search(r"[\d/]", w) else w.lower() for w in title.split(" "))
    for kind in _DOC_KINDS:
        out = re.sub(rf"(?<!\w){kind}(?!\w)", kind[0].upper() + kind[1:], out)

    def place(m):
        return m.group(1) + " ".join(w[:1].upper() + w[1:] for w in m.group(2).split())

    out = re.sub(rf"(?<!\w)({_KIND}\s+)([^\W\d_]+(?:\s+[^\W\d_]+){{0,2}}?){_AFTER_PLACE}", place, out)
    for name in sorted(names, key=len, reverse=True):
        out = re.sub(rf"(?<!\w){re.escape(name.lower())}(?!\w)", lambda _m: name, out)
    return out[:1].upper() + out[1:]


def _cited(title: str, names: list[str]) -> str:
    """The title after "về": its first letter in lower case, unless it begins a name (a cited
    document's kind, a name the plan spells, or two capitalised words, as in "Lạng Sơn")."""
    words = title.split()
    first = words[0] if words else ""
    if (not first[:1].isupper() or first[1:2].isupper()
            or any(title.startswith(n) for n in names)
            or any(title.lower().startswith(k + " ") for k in _DOC_KINDS)
            or (len(words) > 1 and words[1][:1].isupper())):
        return title
    return first[:1].lower() + title[1:]


def plan_name(plan: Plan) -> str:
    """The plan as a title names it: "Kế hoạch số 238/KH-UBND ngày 30/6/2017 của UBND tỉnh Bắc
    Kạn về thực hiện Chương trình …". Its title is recased (``recase``), never shortened."""
    names = known_names(plan)
    title = recase(plan.title, names)
    parts = ["Kế hoạch"]
    if plan.number:
        parts.append(f"số {plan.number}")
    if plan.issued_on:
        parts.append(f"ngày {plan.issued_on.day}/{plan.issued_on.month}/{plan.issued_on.year}")
    parts.append(f"của {plan.issuer}")
    if title.lower().startswith("kế hoạch"):
        parts.append(title[len("kế hoạch"):].strip())
    else:
        parts.append("về " + (title[len("về "):] if title.lower().startswith("về ") else _cited(title, names)))
    return " ".join(p for p in parts if p)


@dataclass
class Header:
    """The two-column header block of every paper."""

    issuer: str
    parent: str | None
    number: str  # "Số:      /BC-UBND"
    place_date: str
    # Nơi nhận: who gets a copy; the last line is the archive's.
    recipients: list[str] = field(default_factory=list)
    signer_title: str = "[CHỨC VỤ NGƯỜI KÝ]"
    signer_name: str = "[Họ và tên]"


def header(plan: Plan, day: date, *, issuer: str | None, parent: str | None, kind: str,
           recipients: list[str] | None = None) -> Header:
    """``kind``: BC (báo cáo), CV (công văn, whose number has no kind), TB …"""
    body = issuer or plan.issuer
    place = place_of(plan)
    abbr = abbreviation(body, place if place != "[Địa danh]" else None)
    number = f"Số:        /{kind}-{abbr}" if kind != "CV" else f"Số:        /{abbr}"
    return Header(issuer=body, parent=parent, number=number, place_date=date_line(place, day),
                  recipients=recipients or ["[Cơ quan nhận báo cáo];", "Lưu: VT."])


def _num(v) -> str:
    """A figure in Vietnamese: 1.234 for thousands, 87,5 for decimals."""
    if v is None:
        return ""
    from fractions import Fraction

    from decimal import Decimal

    if isinstance(v, Fraction):
        from kh.render import places

        v = places(v, 2)  # exact, never through a float
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int):
        return f"{v:,}".replace(",", ".")
    if isinstance(v, Decimal):  # a figure with decimals (1,5 ha) keeps its places
        text = f"{v:,f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
    else:
        text = f"{v:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@dataclass
class TargetLine:
    """One chỉ tiêu of the report: as the plan words it, and how it stands."""

    ref: str
    name: str
    target_text: str
    figure: str      # what was recorded: "140/200", "12"
    comparison: str  # "70 % (chỉ tiêu ≥ 80 %), còn thiếu 10 %"
    verdict: str
    status: str
    coverage: str    # "12/15": units reported of those expected, or ""
    row: dict


def target_lines(gap_rows: list[dict], plan: Plan) -> list[TargetLine]:
    by_ref = {i.ref: i for i in plan.indicators}
    out = []
    for r in gap_rows:
        ind = by_ref.get(r["ref"])
        pct = ind is not None and ind.unit == "percent"
        unit = " %" if pct else ""
        if r.get("value") is None:
            figure = "—"
        elif r.get("denominator") is not None:
            figure = f"{_num(r['value'])}/{_num(r['denominator'])}"
        else:
            figure = _num(r["value"])
        if r.get("actual") is None:
            # A figure without what it is compared with (a decrease without last year's figure).
            comparison = "Chưa có số liệu" if r.get("value") is None else "Chưa có số liệu để so sánh"
        else:
            # "Thực hiện", not "Đạt": the verdict column alone says Đạt, and only with the evidence.
            comparison = f"Thực hiện {_num(r['actual'])}{unit}, chỉ tiêu {_num(r.get('target'))}{unit}"
            gap = r.get("gap")
            if gap is not None and gap > 0:
                # A ceiling (≤, <, = 0) is exceeded ("vượt"); a floor is short of ("còn thiếu").
                over = r.get("comparator") in ("<=", "<") or (r.get("comparator") == "=" and
                                                              r.get("actual") is not None and r.get("target") is not None
                                                              and r["actual"] > r["target"])
                comparison += f"; {'vượt' if over else 'còn thiếu'} {_num(gap)}{unit}"
            if r.get("needed"):
                comparison += f" (cần thêm {_num(r['needed'])})"
        coverage = ""
        if r.get("units_expected"):
            coverage = f"{_num(r.get('units_reported') or 0)}/{_num(r['units_expected'])}"
        out.append(TargetLine(ref=r["ref"], name=r.get("indicator") or (ind.name if ind else ""),
                              target_text=(ind.target_text if ind else "") or _num(r.get("target")),
                              figure=figure, comparison=comparison,
                              verdict=VERDICT.get(r.get("status"), r.get("status") or ""),
                              status=r.get("status") or "", coverage=coverage, row=r))
    return out


def task_summary(task_rows: list[dict], order: list[str]) -> list[dict]:
    """Per assignee (in the plan's order), how many of its tasks are in each group."""
    counts: dict[str, dict[str, int]] = {}
    for r in task_rows:
        group = _TASK_GROUP_OF.get(r["status"])
        if group is None:
            continue
        c = counts.setdefault(r["assignee"], {g: 0 for g, _ in TASK_GROUPS})
        c[group] += 1
    rank = {name: i for i, name in enumerate(order)}
    names = sorted(counts, key=lambda n: (rank.get(n, len(rank)), n))
    return [dict(assignee=n, **counts[n], total=sum(counts[n].values())) for n in names]


def in_period(row: dict, first: date, last: date) -> bool:
    """An obligation's occurrence belongs to the report's period when its own period lies
    inside it, or, for a one-off with no period, when it falls due inside it."""
    if row.get("period_start") and row.get("period_end"):
        return first <= row["period_start"] and row["period_end"] <= last
    return row.get("due") is not None and first <= row["due"] <= last


def discipline(ob_rows: list[dict], order: list[str], first: date, last: date) -> tuple[list[dict], dict]:
    """Reporting discipline over the report's period: per assignee, reports due, sent on time,
    sent late, missing (overdue), not yet due; and the totals with the rates (percent)."""
    keys = ("due", "on_time", "late", "missing", "not_yet")
    per: dict[str, dict[str, int]] = {}
    for r in ob_rows:
        if not in_period(r, first, last):
            continue
        c = per.setdefault(r["assignee"], dict.fromkeys(keys, 0))
        st = r["status"]
        if st in ("not_due", "due_soon"):
            c["not_yet"] += 1
            continue
        c["due"] += 1
        c[{"done_on_time": "on_time", "done_late": "late"}.get(st, "missing")] += 1
    rank = {name: i for i, name in enumerate(order)}
    rows = [dict(assignee=n, **per[n]) for n in sorted(per, key=lambda n: (rank.get(n, len(rank)), n))]
    total = {k: sum(r[k] for r in rows) for k in keys}
    for r in rows + [total]:
        r["rate_sent"] = round(100 * (r["on_time"] + r["late"]) / r["due"], 2) if r["due"] else None
        r["rate_on_time"] = round(100 * r["on_time"] / r["due"], 2) if r["due"] else None
    return rows, total


@dataclass
class Report:
    plan: Plan
    period: Period
    first: date
    last: date
    head: Header
    title: str      # "Kết quả thực hiện Kế hoạch số … 6 tháng đầu năm 2021"
    plan_name: str  # "Kế hoạch số … của … về …"
    unit_name: str | None
    targets: list[TargetLine]
    tasks: list[dict]
    late_tasks: list[dict]
    reports: list[dict]
    reports_total: dict


def report(plan: Plan, period: Period, as_of: date, gap_rows: list[dict], task_rows_: list[dict],
           ob_rows: list[dict], *, issuer: str | None = None, parent: str | None = None,
           unit_name: str | None = None) -> Report:
    first, last = bounds(period, plan.cutoff_day)
    order = [a.name for a in plan.assignees]
    head = header(plan, as_of, issuer=issuer, parent=parent, kind="BC")
    title = f"Kết quả {period_name(period)} thực hiện {plan_name(plan)}"
    late = [r for r in task_rows_ if r["status"] == "overdue" and r["role"] == "lead"]
    late.sort(key=lambda r: (-(r["days_overdue"] or 0), r["ref"]))
    rows, total = discipline(ob_rows, order, first, last)
    return Report(plan=plan, period=period, first=first, last=last, head=head, title=title, plan_name=plan_name(plan),
                  unit_name=unit_name, targets=target_lines(gap_rows, plan),
                  tasks=task_summary(task_rows_, order), late_tasks=late, reports=rows,
                  reports_total=total)


def plan_covers(plan: Plan, period: Period) -> bool:
    first, last = bounds(period, plan.cutoff_day)
    return first <= plan.end and last >= plan.start


def series_periods(plan: Plan, period: Period) -> list[Period]:
    """The points of a progress chart, ending with the report's own period: each year of a plan
    that runs several years, else each quarter of the report's year (months for a plan of a few
    months), up to the report's period."""
    first_year = plan.start.year
    if plan.end.year > first_year:
        points = [Period(y, "year", 1) for y in range(first_year, period.year + 1)]
        points = [p for p in points if p.year < period.year or period.kind == "year"]
    else:
        months = (plan.end.year - plan.start.year) * 12 + plan.end.month - plan.start.month + 1
        if months <= 3:
            points = [Period(period.year, "month", m) for m in range(plan.start.month, plan.end.month + 1)
                      if m <= period.last_month]
        else:
            points = [Period(period.year, "quarter", q) for q in range(1, 5) if q * 3 <= period.last_month]
    if period not in points:
        points.append(period)
    return points


def plan_label(plan: Plan) -> str:
    """A plan as a list names it: its title (in sentence case when written in capitals), and its
    number when it has one — never its id."""
    title = recase(plan.title, known_names(plan))
    return f"Kế hoạch số {plan.number}: {title}" if plan.number else title


@dataclass
class OverdueLine:
    stt: int
    what: str
    deadline_text: str
    plan: str
    period: str
    due: str
    days: int


@dataclass
class OverdueList:
    head: Header
    title: str
    as_of: date
    groups: list[tuple[str, list[OverdueLine]]]
    total: int


def signable_overdue(rows: list[dict], plans: list[Plan], as_of: date, *, sender: str | None = None,
                 parent: str | None = None) -> OverdueList:
    """The signable overdue list: one table, grouped by assignee (most late first within each,
    the groups in the order the rows first name them), numbered through (STT), with the plan's
    title and the period's Vietnamese name."""
    by_id = {p.id: p for p in plans}
    places = {place_of(p) for p in plans}
    first = plans[0] if plans else None
    issuer = sender or (first.issuer if len(plans) == 1 else None) or "[Cơ quan gửi]"
    head = header(first, as_of, issuer=issuer, parent=parent, kind="DS") if first else None
    if head and len(places) > 1:
        head.place_date = date_line("[Địa danh]", as_of)
    if head:
        head.recipients = ["Các cơ quan, đơn vị có tên trong danh sách;", "Lưu: VT."]
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["assignee"], []).append(r)
    out, n = [], 0
    for name, items in groups.items():
        lines = []
        for r in items:
            n += 1
            p = by_id.get(r["plan"])
            period = period_name(r["period"]) if r.get("period") else ""
            lines.append(OverdueLine(stt=n, what=r["obligation_name"], deadline_text=r.get("deadline_text") or "",
                                     plan=plan_label(p) if p else r["plan"], period=period,
                                     due=f"{r['due']:%d/%m/%Y}" if r.get("due") else "",
                                     days=r["days_overdue"] or 0))
        out.append((name, lines))
    return OverdueList(head=head, title="DANH SÁCH BÁO CÁO, NHIỆM VỤ QUÁ HẠN", as_of=as_of, groups=out, total=n)


SUBJECT = "V/v đôn đốc gửi báo cáo, thực hiện nhiệm vụ quá hạn"


@dataclass
class Letter:
    """A công văn đôn đốc to one late assignee."""

    head: Header
    to: str
    intro: str
    lines: list[OverdueLine]
    ask: str
    by: date


def letters(rows: list[dict], plans: list[Plan], as_of: date, by: date, *, sender: str | None = None,
            parent: str | None = None) -> list[Letter]:
    """One letter per assignee with something late: what it owes, the deadline as the plan wrote
    it, the due day, days late, and the day by which to send it."""
    lst = signable_overdue(rows, plans, as_of, sender=sender, parent=parent)
    names = {p.id: plan_name(p) for p in plans}
    out = []
    for who, lines in lst.groups:
        head = header(plans[0], as_of, issuer=lst.head.issuer, parent=parent, kind="CV")
        head.place_date = lst.head.place_date
        head.recipients = ["Như trên;", "Lưu: VT."]
        owing = {r["plan"] for r in rows if r["assignee"] == who}
        basis = "; ".join(names[p] for p in sorted(owing) if p in names)
        for n, x in enumerate(lines, start=1):
            x.stt = n
        intro = (f"Thực hiện {basis}, tính đến ngày {as_of:%d/%m/%Y}, {who} chưa gửi báo cáo, chưa hoàn "
                 f"thành các nội dung sau:")
        ask = (f"{head.issuer} đề nghị {who} khẩn trương hoàn thành và gửi về {head.issuer} trước ngày "
               f"{by:%d/%m/%Y}.")
        out.append(Letter(head=head, to=who, intro=intro, lines=lines, ask=ask, by=by))
    return out


def letter_text(letter: Letter) -> str:
    """The letter as plain text, for e-mail."""
    h = letter.head
    out = [h.issuer.upper(), h.number, SUBJECT, "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
           "Độc lập - Tự do - Hạnh phúc", h.place_date, "", f"Kính gửi: {letter.to}.", "", letter.intro, ""]
    one_plan = len({x.plan for x in letter.lines}) == 1  # cited in the opening sentence
    for x in letter.lines:
        what = x.what + (f" ({x.deadline_text})" if x.deadline_text else "")
        where = ", ".join(p for p in ("" if one_plan else x.plan, x.period) if p)
        out.append(f"{x.stt}. {what}" + (f" — {where}" if where else "") + f"; hạn {x.due}, quá hạn {x.days} ngày.")
    out += ["", letter.ask, "", h.signer_title, h.signer_name, ""]
    return "\n".join(out)
