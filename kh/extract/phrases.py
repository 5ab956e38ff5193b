"""The phrase table: what the words of a Kế hoạch mean, as pure functions over one clause.

Every function takes lower-cased, NFC text without the ``*`` emphasis markers (``clean``) and
returns plain values; none knows about documents, sections or files. docs/extract.md lists the
phrases recognised here; tests/core/test_extract_phrases.py pins each one.
"""

from __future__ import annotations

import re
from datetime import date

from kh.text import nfc


def clean(s: str) -> str:
    """The form phrases are matched in: NFC, lower case, no emphasis markers, one space,
    and the two spellings of "hằng năm" made one."""
    s = nfc(s).replace("*", " ").lower()
    s = s.replace("hàng năm", "hằng năm").replace("hàng tháng", "hằng tháng").replace("hàng quý", "hằng quý")
    s = s.replace("uỷ", "ủy").replace("toà", "tòa")
    return " ".join(s.split())


# ---------------------------------------------------------------- comparators

# Longest first: "không dưới" is ≥ although it ends in "dưới", "từ hơn" is > although it starts like "từ".
_BEFORE = [
    ("không thấp hơn", ">="), ("không dưới", ">="), ("không ít hơn", ">="), ("tối thiểu", ">="),
    ("ít nhất", ">="), ("từ hơn", ">"), ("cao hơn", ">"), ("nhiều hơn", ">"), ("vượt", ">"),
    ("trên", ">"), ("hơn", ">"), ("không vượt quá", "<="), ("không quá", "<="), ("tối đa", "<="),
    ("thấp hơn", "<"), ("dưới", "<"), ("từ", ">="), ("đạt", ">="), ("lên", ">="),
]
_AFTER = [("trở lên", ">="), ("trở xuống", "<="), ("trở lại", "<=")]


def comparator(before: str, after: str = "") -> tuple[str, str | None]:
    """The comparator of a figure from the words right before it and right after it:
    "ít nhất 5" → >=, "trên 80" → >, "70 % trở lên" → >=. Without a word: (">=", None): a plan's
    bare figure is the floor to reach. The second value is the word that decided, if any."""
    b = before.rstrip()
    for word, sym in _BEFORE:
        if re.search(rf"(?:^|\s){re.escape(word)}$", b):
            return sym, word
    a = after.lstrip()
    for word, sym in _AFTER:
        if a.startswith(word):
            return sym, word
    return ">=", None


# ---------------------------------------------------------------- values

_NUMBER = r"\d{1,3}(?:[.,]\d{1,2})?"
PERCENT = re.compile(rf"(?<![\d/.,])({_NUMBER})\s*%")
# A range "từ 5 - 10 %": the floor counts (docs/plan-format.md), the ceiling is said in a note.
RANGE = re.compile(rf"(?<![\d/.,])({_NUMBER})\s*%?\s*[-–]\s*({_NUMBER})\s*%")
COUNT_NOUNS = ("mô hình", "địa bàn", "xã", "người", "vụ", "điểm", "tụ điểm", "thôn", "trường",
               "đối tượng", "cơ sở", "huyện", "đơn vị", "ha", "câu lạc bộ", "đường dây", "ổ nhóm")
# A count is a figure before one of these nouns, not a year, not part of a date or a number like 1.234.
COUNT = re.compile(r"(?<![\d/.,])(\d{1,3}(?:\.\d{3})+|\d{1,4})(?![\d%]|[.,/]\d)\s+([^\W\d_]+(?:\s+[^\W\d_]+)?)")
# Periods and frequencies are not what a count target counts.
NOT_COUNTED = ("năm", "tháng", "ngày", "quý", "giờ", "tuần")
FREQUENCY = ("lần", "buổi", "đợt")


def count_value(raw: str) -> int:
    """ "1.200" → 1200: in a Vietnamese plan a dot before three digits groups thousands."""
    return int(raw.replace(".", ""))


def number(raw: str) -> float:
    """ "5" → 5, "01" → 1, "1,5" → 1.5 (a decimal comma, as Vietnamese writes it)."""
    return float(raw.replace(",", "."))


# ---------------------------------------------------------------- baselines and periods

_BASE_YEAR = re.compile(r"so với (?:[^;.]{0,40}?)năm (\d{4})|so với (?:thời điểm |ngày )?\d{1,2}/\d{1,2}/(\d{4})")
_BASE_PREVIOUS = re.compile(r"so với (?:năm trước|cùng kỳ|kỳ trước)|năm sau cao hơn năm trước")


def baseline(s: str) -> str | int | None:
    """ "so với năm 2020" → 2020; "so với năm trước", "so với cùng kỳ" → "previous"; else None."""
    if _BASE_PREVIOUS.search(s):
        return "previous"
    m = _BASE_YEAR.search(s)
    return int(m.group(1) or m.group(2)) if m else None


_YEARLY = re.compile(r"hằng năm|mỗi năm|/\s*(?:0?1\s+)?năm\b|năm sau cao hơn năm trước|mỗi năm học|/năm học")
_BY_YEAR = re.compile(r"(?:đến|vào|tới|đến hết) năm (\d{4})")
_MILESTONE = re.compile(rf"năm (\d{{4}}),?\s*(?:phải\s+)?(?:đạt|có|là)\s*(?:ít nhất\s+|trên\s+|hơn\s+)?"
                        rf"({_NUMBER}\s*%|\d{{1,4}}\s*/\s*\d{{1,4}})")


def periodicity(s: str) -> tuple[str, int] | tuple[str, None] | None:
    """ "đến năm 2030" → ("by_year", 2030); "hằng năm", "mỗi năm", "…/năm" → ("yearly", None);
    nothing said → None (the caller decides from the section and the plan)."""
    m = _BY_YEAR.search(s)
    if m:
        return "by_year", int(m.group(1))
    if _YEARLY.search(s):
        return "yearly", None
    return None


def milestones(s: str) -> tuple[dict[int, float], str]:
    """ "đến năm 2018 đạt 75 % và năm 2020 đạt 100 %" → ({2018: 75, 2020: 100}, "share");
    "năm 2025 có ít nhất 10/18 thôn, đến năm 2026 có 100 % thôn" → ({2025: 10, 2026: 18}, "count")
    (10 of 18, then all 18). Fewer than two years is not a milestones target: ({}, "")."""
    raw = _MILESTONE.findall(s)
    if len(raw) < 2:
        return {}, ""
    whole = next((int(v.split("/")[1]) for _, v in raw if "/" in v), None)
    found: dict[int, float] = {}
    for y, v in raw:
        if "/" in v:
            found[int(y)] = float(v.split("/")[0])
        elif whole is not None:
            found[int(y)] = round(number(v.rstrip("% ")) * whole / 100)
        else:
            found[int(y)] = number(v.rstrip("% "))
    return found, ("count" if whole is not None else "share")


# ---------------------------------------------------------------- kinds

ZERO = re.compile(r"không\s+(?:để\s+(?:\S+\s+){0,3}?)?(?:xảy ra|phát sinh|hình thành|tái trồng|xâm nhập)"
                  r"|không để (?!\S+ (?:ra|cho))|không có tệ nạn|tuyệt đối không")
# "làm giảm người nghiện", "giảm số người nghiện", "kiềm chế, làm giảm, …": fewer than before.
DECREASE_WORDS = re.compile(r"(?:làm giảm|giảm mạnh|^giảm|[\s,;]giảm)(?:,|\s+(?:số\s+)?(?:người nghiện|người sử dụng|"
                            r"vụ|tội phạm|xã|địa bàn|điểm))")
# "năm sau cao hơn năm trước", "tiếp tục nâng cao số người …": more than before.
INCREASE_WORDS = re.compile(r"cao hơn năm trước|(?:nâng cao|tăng) số (?:người|vụ)")
QUOTA = re.compile(r"hoàn thành (?:các |100 ?% )?chỉ tiêu")


def change_word(before: str) -> str | None:
    """ "tăng" or "giảm" right before a figure (its comparator words aside): the figure is a
    change against a baseline, not a share. "tăng cường" and "giảm mức độ … của" are not."""
    b = before.rstrip()
    for word, _ in _BEFORE:
        if re.search(rf"(?:^|\s){re.escape(word)}$", b):
            b = b[: -len(word)].rstrip()
            break
    m = re.search(r"(?:^|\s)(tăng|giảm)$", b)
    return m.group(1) if m else None


# ---------------------------------------------------------------- deadlines

_DAY = r"(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?"
BEFORE_DAY = re.compile(r"trước ngày " + _DAY)
BY_DAY = re.compile(r"(?:chậm nhất(?: là)?(?: vào)?|(?<!từ )\btrong|hạn chót) ngày " + _DAY)
PERIODIC = re.compile(r"định kỳ\s*\(?\s*((?:[^;.,)]|,(?=\s*\d)){0,40})")
HALF = re.compile(r"\b0?6 tháng|sáu tháng|nửa năm")
YEAR = re.compile(r"\b0?1 năm\b|hằng năm|cả năm|tổng kết năm|\bnăm\b")
QUARTER = re.compile(r"quý")
MONTH = re.compile(r"hằng tháng|\btháng\b")
MIDTERM = re.compile(r"sơ kết[^;.]{0,30}?năm (\d{4})|năm (\d{4}),?\s*(?:tổ chức\s+)?sơ kết")
FINAL_YEAR = re.compile(r"năm (\d{4}),?\s*(?:tổ chức\s+)?tổng kết|tổng kết[^;.]{0,30}?năm (\d{4})")
# "trước ngày 16/6 và ngày 16/12 hằng năm": several days of the year, one per period.
DAYS_OF_YEAR = re.compile(r"trước ngày (\d{1,2}/\d{1,2})(?!\s*/\s*\d)((?:\s*(?:,|và)\s*(?:ngày\s+)?\d{1,2}/\d{1,2}(?!\s*/\s*\d))+)")
# "trước ngày 12 của tháng cuối quý", "trước ngày 18 hằng tháng": a day of each period's last month.
DAY_OF_PERIOD = re.compile(r"(trước|chậm nhất) ngày (\d{1,2})(?!\s*/)\s+(?:của\s+)?(hằng tháng|tháng cuối quý|tháng cuối kỳ|"
                           r"mỗi tháng|tháng cuối năm|hằng quý)")
FINAL = re.compile(r"tổng kết")
PLAN_WORDS = re.compile(r"kế hoạch|chương trình hành động|dự toán|báo cáo")
WHOLE_SPAN = re.compile(r"cả giai đoạn")
AS_REQUIRED = re.compile(r"báo cáo[^;.]*theo quy định|theo quy định[^;.]*báo cáo")


def due_day(d: int, m: int, y: int | None, plan_year: int) -> date | None:
    """The date written as d/m[/y]; a day without a year belongs to the plan's year
    ("trước ngày 05/7" in a plan of 2024 is 5/7/2024). None when no such day exists."""
    try:
        return date(y if y is not None else plan_year, m, d)
    except ValueError:
        return None


def periods_named(s: str) -> list[str]:
    """The kinds of period a "định kỳ …" phrase names, in the order half, year, quarter, month:
    "định kỳ 06 tháng, 01 năm" → ["half", "year"]; "định kỳ hằng năm" → ["year"]."""
    out = []
    if HALF.search(s):
        out.append("half")
    if YEAR.search(HALF.sub(" ", s)):
        out.append("year")
    if QUARTER.search(s):
        out.append("quarter")
    if MONTH.search(HALF.sub(" ", s)) and "half" not in out:
        out.append("month")
    return out


# ---------------------------------------------------------------- due dates of tasks
# A task's own day, month, quarter, year or phase ("vào ngày 26/6/2023", "trong tháng 6/2023",
# "(tháng 01 đến tháng 3/2023)", "trong quý IV/2027", "trong năm 2018", "khi kết thúc Giai đoạn 2").
# "trước ngày" and "chậm nhất ngày" are read by the deadline phrases above (a report owed is an
# obligation, not a task's due), except "hoàn thành … trước ngày" with nothing sent (COMPLETED_BY).

# A day: the word before it decides (None: a bare "- 26/6/2024"); "từ" opens a window, "trước",
# "chậm nhất", "trong ngày" and "hạn chót" are deadlines of reports.
ON_DAY = re.compile(r"(?:\b(vào|trong|đến hết|đến|từ|trước|chậm nhất(?: là)?(?: vào)?|hạn chót)\s+)?"
                    r"(?:\b(ngày)\s+)?(?<![\d/.,-])(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?!\s*/?\s*\d|%)")
# The number of a document cited just before a date: "Chỉ thị số 36-CT/TW, ngày 16/8/2019".
CITED = re.compile(r"\bsố\s+[\w.&-]*/[\w./&-]*\s*,?\s*(?:ngày\s*)?$")
MONTH_IN = re.compile(r"\b(?:trong|vào|hết|cuối)\s+tháng\s+(\d{1,2})(?:\s*/\s*(\d{4})|\s+năm\s+(\d{4}))?(?!\s*/?\s*\d)")
# "(tháng 01 đến tháng 3/2023)", "từ tháng 4 - tháng 6/2024": a window, due by its last month.
MONTH_WINDOW = re.compile(r"\btháng\s+(\d{1,2})(?:\s*/\s*\d{4})?\s*(?:đến|-|–)\s*(?:hết\s+)?tháng\s+(\d{1,2})"
                          r"(?:\s*/\s*(\d{4})|\s+năm\s+(\d{4}))?(?!\s*/?\s*\d)")
QUARTER_IN = re.compile(r"\bquý\s+(iv|iii|ii|i|[1-4])\b(?:\s*/\s*(\d{4})|\s+năm\s+(\d{4}))?")
YEAR_IN = re.compile(r"\b(?:trong|vào|cuối|chậm nhất(?: trong)?)\s+năm\s+(\d{4})\b|\(\s*năm\s+(\d{4})\s*\)")
PHASE_END = re.compile(r"\b(?:trong|kết thúc|hết|cuối)\s+giai đoạn\s+(\d{1,2})(?!\d|\s*[-–/]\s*\d)")
EVERY_YEAR = re.compile(r"hằng năm|mỗi năm(?!\s+học)")
FOLLOWS_EVERY_YEAR = re.compile(r"^\W{0,3}\s*(?:hằng năm|mỗi năm(?!\s+học))")
# "hoàn thành … trước ngày 30/9/2024" with nothing sent or reported: the task's due, not a report.
COMPLETED_BY = re.compile(r"hoàn thành\b[^;]*?(?P<word>trước|chậm nhất)(?: là)?(?: vào)? ngày " + _DAY)
SENT = re.compile(r"gửi|báo cáo|nộp|trình\b|đăng ký")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def quarter_number(raw: str) -> int:
    """ "iv" or "4" → 4."""
    return _QUARTERS.get(raw) or int(raw)


def last_day(year: int, kind: str, index: int) -> date:
    """The last calendar day of a month, quarter or year ("trong tháng 6/2023" → 30/6/2023): a
    task done within a period is due by its end, whatever the plan's reporting cut-off."""
    from kh.periods import Period, bounds

    return bounds(Period(year, kind, index))[1]
