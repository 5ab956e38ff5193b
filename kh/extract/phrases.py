"""The phrase table: what the words of a Kế hoạch mean, as pure functions over one clause.

Every function takes lower-cased, NFC text without the ``*`` emphasis markers (``clean``) and
returns plain values; none knows about documents, sections or files. docs/extract.md lists the
phrases recognised here; tests/core/test_extract_phrases.py pins each one.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from kh.text import nfc


def clean(s: str) -> str:
    """The form phrases are matched in: NFC, lower case, no emphasis markers, one space,
    and the two spellings of "hằng năm" made one."""
    s = nfc(s).replace("*", " ").lower()
    s = s.replace("hàng năm", "hằng năm").replace("hàng tháng", "hằng tháng").replace("hàng quý", "hằng quý")
    s = s.replace("uỷ", "ủy").replace("toà", "tòa")
    return " ".join(s.split())


# ---------------------------------------------------------------- the header (header.py)
# Matched on the header's words run together (original case), or on ``clean`` text for the span.

NUMBER = re.compile(r"Số\s*:\s*([^\s,]*)")
# "Hà Tĩnh, ngày 23 tháng 01 năm 2026", "ngày    tháng 12 năm 2024" (a blank day), "ngày 17 tháng 08 năm 2023".
DATE_LINE = re.compile(r",\s*ngày\s*(\d{1,2})?[\s.…]*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
# The issuer and its parent, in the header's capitals: "ỦY BAN NHÂN DÂN XÃ DIÊN THẠNH".
_AGENCY_HEADS = r"SỞ|CÔNG AN|BAN CHỈ ĐẠO|BỘ CHỈ HUY|TRUNG TÂM|PHÒNG|ĐỒN|VĂN PHÒNG"
UNIT_BODY = re.compile(r"(ỦY BAN NHÂN DÂN|UBND)\s+(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|THỊ TRẤN|XÃ|PHƯỜNG|ĐẶC KHU)\s+"
                       rf"((?:(?!ỦY BAN|UBND|CỘNG HÒA|CỘNG HOÀ|SỐ\b|(?:{_AGENCY_HEADS})\b)[^\W\d_][^\s-]*\s*){{1,5}})")
# An agency under its UBND ("UBND TỈNH QUẢNG NINH / SỞ Y TẾ"): the agency issues the plan.
AGENCY_BODY = re.compile(rf"(?<!\w)({_AGENCY_HEADS})\b((?:\s+(?!ỦY BAN|UBND|CỘNG HÒA|CỘNG HOÀ|SỐ\b)[^\W\d_][^\s-]*){{0,9}})")
HEADER_END = re.compile(r"CỘNG HÒA|CỘNG HOÀ|SỐ\s*:|ĐỘC LẬP")
CENTRAL_CITIES = ("hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế")
ISSUER_IN_TEXT = re.compile(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(tỉnh|huyện|xã|thành phố|thị xã|phường)"
                            r"\s+((?:[^\W\d_]+)(?:\s+[^\W\d_]+){0,3}?)(?=\s+(?:ban hành|xây dựng|triển khai)|[,.;:])")
ISSUER_KIND = re.compile(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(tỉnh|huyện|xã|thành phố|thị xã|phường)\b", re.I)
UNIT_NAMED = re.compile(r"\b(tỉnh|huyện|xã|thành phố|thị xã|phường)\s+((?:[^\W\d_]+)(?:\s+[^\W\d_]+){0,3}?)"
                        r"(?=\s*(?:[,.;:()]|$|\s(?:năm|giai|đến|về|trong|ban|của|theo)\b))", re.I)
# The opening of the text under the title: the title ends before it.
OPENING = re.compile(r"(?:Căn cứ|Thực hiện|Để|Nhằm|Trên cơ sở|Thi hành|Theo|Qua|Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\b")
# The first section under the title: "I. MỤC TIÊU", "1. MỤC ĐÍCH, YÊU CẦU".
SECTION_START = re.compile(r"(?:[IVX]{1,4}|\d{1,2})\s*[.:]\s+[A-ZĐÀ-Ỹ]")
# The plan issuing itself: "… ban hành Kế hoạch …", "… xây dựng Kế hoạch …".
ISSUES_PLAN = re.compile(r"(?:ban hành|xây dựng|triển khai)\s+(?=Kế hoạch|kế hoạch)", re.I)
# A document cited in the plan's own paragraphs: "Kế hoạch số 96/KH-UBND ngày … của …" up to ";".
CITATION = re.compile(r"(?:kế hoạch|quyết định|chỉ thị|nghị quyết|chương trình|đề án|công văn)\s+(?:số\s+)?"
                      r"[\w.-]*/[^;]*")
SPAN_DAYS = re.compile(r"từ ngày (\d{1,2}/\d{1,2}/\d{4}) đến (?:hết )?ngày (\d{1,2}/\d{1,2}/\d{4})")
SPAN_YEARS = re.compile(r"từ năm (\d{4}) đến (?:hết )?năm (\d{4})")
PERIOD_YEARS = re.compile(r"giai đoạn (\d{4})\s*[-–]\s*(\d{4})")
UNTIL_YEAR = re.compile(r"đến năm (\d{4})")
ONE_YEAR = re.compile(r"(?<!đến )năm (\d{4})")
# The kind of unit a title names ("… trên địa bàn xã Minh Lương"), when no issuer says it.
UNIT_WORD = re.compile(r"\b(tỉnh|huyện|xã|phường|thành phố|thị xã)\b")
# A Roman numeral is no word of a place's name ("tỉnh Nghệ An", not "tỉnh II").
ROMAN_NUMERAL = re.compile(r"[IVX]+")
# Where the sentence that issues the plan ends: a colon, a semicolon or a full stop.
OWN_WORDS_END = re.compile(r"[:;]|\.(?:\s|$)")
# "UBND tỉnh Bắc Kạn", "UBND thành phố Hà Nội" → the place after the kind of unit.
ISSUER_UNIT = re.compile(r"^UBND\s+\S+(?:\s+phố|\s+xã)?\s+")
# The UBND that issues the plan and the place, as drafted: "UBND xã Minh Lương".
ISSUER_UBND = re.compile(r"UBND\s+(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu)\b\s*([^,]*)")
LEADING_NUMBER = re.compile(r"(\d+)")  # "238/KH-UBND" → 238


def agency_case(upper: str) -> str:
    """ "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" → "Sở Văn hóa, Thể thao và Du lịch": a head word, then each
    part of the name capitalised on its first word ("CÔNG AN" stays "Công an")."""
    words = upper.lower().split()
    out: list[str] = []
    for i, w in enumerate(words):
        first = i == 0 or (i == 1 and words[0] != "công") or out[-1].endswith(",") or words[i - 1] == "và"
        out.append(w[:1].upper() + w[1:] if first and w not in ("và",) else w)
    return " ".join(out)


def place_before(text: str) -> str:
    """The place written before ", ngày …" of the date line: the capitalised words right before
    it ("Số: 27/KH-UBND Hà Tĩnh" → "Hà Tĩnh"), stopping at a word in capitals, a number or a
    word in lower case ("… Hạnh phúc Tuyên Quang" → "Tuyên Quang")."""
    out: list[str] = []
    for w in reversed(text.split()):
        if not w.isalpha() or not w[:1].isupper() or (w.isupper() and len(w) > 1) or len(out) == 5:
            if w == "phố" and out and text.split()[-len(out) - 2:][:1] == ["Thành"]:
                out[:0] = ["Thành", "phố"]  # "Thành phố Hồ Chí Minh, ngày …"
            break
        out.insert(0, w)
    return " ".join(out)


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
# Units of weight, volume and age qualify what is counted ("vụ … từ 5 kg heroin trở lên").
NOT_COUNTED = ("năm", "tháng", "ngày", "quý", "giờ", "tuần", "kg", "kilôgam", "gam", "gram", "g", "tấn",
               "lít", "ml", "bánh", "viên", "tuổi", "lần/năm", "km")
# "6/8 thôn", "10/18 xã": a count of the first figure out of the second.
FRACTION = re.compile(r"(?<![\d/.,])(\d{1,4})\s*/\s*(\d{1,4})(?![\d/%])\s+(thôn|xã|phường|bản|tổ dân phố|khu dân cư|"
                      r"huyện|trường|cơ sở|đơn vị|xã, phường)\b")
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


# "… giảm mức độ phức tạp so với năm 2015" after the figure: the comparison belongs to that verb
# (it says which units count), not to the share.
COMPARED_BY_VERB = re.compile(r"(?:^|\s)(?:giảm|tăng|nâng)(?!\s+cường)\s[^%;]*?so với\b")
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
                  r"|không có (?:\S+\s+){1,6}?(?:mới\s+)?(?:phát sinh|xảy ra|hình thành)"
                  r"|không để (?!\S+ (?:ra|cho))|không có tệ nạn|tuyệt đối không")
# Outside the targets sections a zero is drafted only when it forbids an event outright ("không để
# xảy ra / phát sinh / hình thành …"): "không để học sinh sử dụng …" is a body's duty.
ZERO_EVENT = re.compile(r"không\s+(?:để\s+)?(?:(?:tái\s+)?(?:xảy ra|phát sinh|hình thành|tái trồng)|"
                        r"\S+\s+(?:xảy ra|phát sinh|hình thành)\b)|tuyệt đối không để (?:xảy ra|phát sinh|hình thành)")
def inside_quotes(s: str, pos: int) -> bool:
    """Whether position ``pos`` of ``s`` lies inside quotation marks ("…" or “…”): a name."""
    before = s[:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


# "1. Tình hình" under "II. TÌNH HÌNH VÀ CHỈ TIÊU": where the plan starts from, not targets.
SITUATION = re.compile(r"(?:tình hình|thực trạng|kết quả|đánh giá)\b")
# "I. MỤC ĐÍCH, YÊU CẦU": purposes, which restate the targets in words.
PURPOSES = re.compile(r"mục đích")
# A numbered item of the targets section that holds the measurable targets: "2. Chỉ tiêu cụ thể",
# "3. Chỉ tiêu chủ yếu đến năm 2030", "2.2. Các chỉ tiêu chủ yếu …" (clean form).
TARGETS_ITEM = re.compile(r"(?:các\s+|một số\s+)?chỉ tiêu\b")
# A direction before "không có …" decides: "tăng thêm … xã không có tệ nạn ma túy" is an increase
# of drug-free communes, not a zero.
DIRECTION_BEFORE = re.compile(r"(?:^|[\s,])(?:tăng|giảm|nâng)(?!\s+cường)\b")
# "làm giảm người nghiện", "giảm số người nghiện", "kiềm chế, làm giảm, …": fewer than before.
DECREASE_WORDS = re.compile(r"(?:làm giảm|giảm mạnh|^giảm|[\s,;]giảm)(?:,|\s+(?:số\s+)?(?:người nghiện|người sử dụng|"
                            r"vụ|xã|địa bàn|điểm))")  # not "giảm tội phạm": an aim, no count
# "năm sau cao hơn năm trước", "tiếp tục nâng cao số người …": more than before.
INCREASE_WORDS = re.compile(r"cao hơn năm trước|(?:nâng cao|tăng) số (?:người|vụ)")
QUOTA = re.compile(r"hoàn thành (?:các |100 ?% )?chỉ tiêu")
# The words that belong to one figure end at a bracket, a comma, a semicolon or "và".
FIGURE_WORDS_END = re.compile(r"[),;]|\svà\s")
A_DIGIT = re.compile(r"\d")
YEAR_WORD_AT_END = re.compile(r"năm\s*$")   # "năm 2025": the figure is a year
DAY_WORD_AT_END = re.compile(r"ngày\s*$")   # "ngày 26/6": the figure is a day
PART_OF_CLAUSE = re.compile(r"[,;:]")        # the part of a clause a direction word must be in
# Words before a target's name that are not its name: "Phấn đấu", "Hằng năm,".
NAME_OPENING = re.compile(r"^(?:Phấn đấu|phấn đấu|Hằng năm,|Hàng năm,|Mỗi năm,?)\s*")


def change_word(before: str) -> str | None:
    """ "tăng" or "giảm" right before a figure (its comparator words aside): the figure is a
    change against a baseline, not a share. "tăng cường" and "giảm mức độ … của" are not."""
    b = before.rstrip()
    for word, _ in _BEFORE:
        if re.search(rf"(?:^|\s){re.escape(word)}$", b):
            b = b[: -len(word)].rstrip()
            break
    m = _CHANGE_AT_END.search(b)
    return (m.group(1) or "tăng") if m else None


# "có thêm ít nhất 03 xã", "xây dựng thêm 02 thôn": "thêm" alone is an increase too.
_CHANGE_AT_END = re.compile(r"(?:^|\s)(?:(tăng|giảm)(?:\s+(?:thêm|bớt|được))?|thêm)$")


# A clause that opens with the direction of a number ("Giảm số người nghiện … mỗi năm ít nhất 5 %")
# speaks of a change even when the figure stands far from the verb. "Nâng … lên 80 %" names the
# level to reach; "Tăng khả năng … của 80 % số người nghiện" is no change of a number.
OPENING_DIRECTION = re.compile(r"^(?:phấn đấu\s+|hằng năm,?\s+|mỗi năm,?\s+)?(tăng|giảm)(?:\s+(?:thêm|bớt))?\s+số\b")


def direction(clause: str) -> str | None:
    """ "tăng" or "giảm" when the clause opens with it (``clean`` text), else None."""
    m = OPENING_DIRECTION.match(clause.strip(" -+•"))
    return m.group(1) if m else None


# ---------------------------------------------------------------- deadlines

_DAY = r"(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?"
BEFORE_DAY = re.compile(r"trước ngày " + _DAY)
BY_DAY = re.compile(r"(?:chậm nhất(?: là)?(?: vào)?|(?<!từ )\btrong|hạn chót) ngày " + _DAY)
PERIODIC = re.compile(r"định kỳ\s*\(?\s*((?:[^;.,)]|,(?=\s*\d)){0,40})")
# The words of a "định kỳ" phrase up to its last period word, as the deadline's text: "định kỳ 06
# tháng, 01 năm", "Định kỳ (6 tháng và hàng năm)", not the report and receiver that follow.
PERIODIC_WORDS = (r"định kỳ\s*(?:\([^;.)]{0,40}\)|(?:[^;.,)]|,(?=\s*\d)){0,30}(?:tháng|năm|quý)(?!\w)"
                  r"|sơ kết|tổng kết|tổng hợp, báo cáo|báo cáo)")
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
DAY_MONTH = re.compile(r"\d{1,2}/\d{1,2}")  # each day of "trước ngày 16/6 và 16/12"
# The words of a DAYS_OF_YEAR phrase, as the deadline's text (``verbatim``).
DAYS_OF_YEAR_WORDS = r"trước ngày [^;.]*?\d{1,2}/\d{1,2}(?:\s+hằng năm|\s+hàng năm)?(?=[\s;.,)]|$)"
# "định kỳ sơ kết", "định kỳ tổng hợp, báo cáo": a periodic report that names no period.
REPORT_WORDS = re.compile(r"sơ kết|báo cáo|tổng hợp|tổng kết")
YEAR_REVIEW = re.compile(r"tổng kết năm")  # the yearly review, not the plan's final one
# What is owed, from the words before its deadline: after the previous day, before the words that
# send it ("gửi", "nộp về" and up to six words after them: the receiver).
A_DAY = re.compile(r"\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?")
OWED_CUT = re.compile(r"[;:()]|trong đó")
SENT_TAIL = re.compile(r"\s*(?:gửi|nộp)(?:\s+về)?(?:\s+\S+){0,6}$")
SENT_WORD_AT_END = re.compile(r"\s+(?:gửi|nộp)(?:\s+về)?$")
# An obligation's key: "bc" for "báo cáo", then up to five plain words ("bc-6-thang").
BAO_CAO_PLAIN = re.compile(r"\bbao cao\b")
PLAIN_WORD = re.compile(r"[a-z0-9]+")


def verbatim(clause: str, pattern: str) -> str:
    """The words of the clause a phrase was read from (``pattern``, any case), as the document
    writes them; a bracket it opened is closed ("sơ kết giữa kỳ (năm 2018)")."""
    m = re.search(pattern, clause.replace("*", ""), flags=re.I)
    s = " ".join(m.group(0).split()).strip(" ,") if m else clause
    return s + ")" * (s.count("(") - s.count(")"))


def literal(words: str, any_space: bool = False) -> str:
    """A pattern for ``words`` as they are (for ``verbatim``); ``any_space``: any run of spaces
    between them."""
    escaped = re.escape(words)
    return escaped.replace("\\ ", r"\s+") if any_space else escaped


def said(text: str, low: str) -> str:
    """The words of ``text`` that read as ``low`` (the ``clean`` form), as the document writes them."""
    pattern = r"\s+".join(re.escape(w) for w in low.split()).replace("hằng", "h[ằà]ng")
    m = re.search(pattern, " ".join(text.replace("*", " ").split()), flags=re.I)
    return m.group(0) if m else low


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


# ---------------------------------------------------------------- the document's structure and names
# (used by core.py, header.py, assignees.py, targets.py and obligations.py)

END_OF_BODY = re.compile(r"^(?:nơi nhận|tm\.|kt\.|\[\d+\])", re.I)
PHASE = re.compile(r"^\W*giai đoạn\s*(\d+)\s*:?\W*(.*)$")
STEP = re.compile(r"^\W*bước\s*(\d+)\s*:\s*(.+)$")
DATE = r"(\d{1,2}/\d{1,2}/\d{4})"
A_DATE = re.compile(DATE)
PHASE_FROM = re.compile(r"từ (?:ngày )?" + DATE)
PHASE_TO = re.compile(r"đến (?:hết )?(?:ngày )?" + DATE)
STEP_LABEL = re.compile(r"^\W*Bước\s*\d+\s*:\s*", re.I)  # "Bước 1:" before a step's text
# Numbering (doc.py), outermost first: I. → 1. / 1.1. → a) → (1) → "-" → "+".
ITEM_ROMAN = re.compile(r"^([IVX]{1,5})\s*[.:]\s*(.*)$")
ITEM_DOTTED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(.*)$")
ITEM_NUM = re.compile(r"^(\d{1,2})\s*[.)]\s+(.*)$")
ITEM_LETTER = re.compile(r"^([a-zđ])\s*[).,]\s*(.*)$")
ITEM_PAREN = re.compile(r"^\((\d{1,2})\)\s*(.*)$")
ITEM_DASH = re.compile(r"^[-–—•]\s*(.*)$")
ITEM_PLUS = re.compile(r"^\+\s*(.*)$")
# "giai đoạn 2025 / - 2030": a range of years cut by a wrap, not a bullet.
YEAR_RANGE_REST = re.compile(r"[-–]\s*\d{4}\b")
ENDS_WITH_YEAR = re.compile(r"\b\d{4}$")
# Headings that name targets ("Chỉ tiêu chủ yếu đến năm 2030", "- Mục tiêu:") mark what lies under
# them; a dash heading of tasks ("- Nhiệm vụ:") ends that.
TARGET_HEADING = re.compile(r"(?:một số |các )?(?:mục tiêu|chỉ tiêu)")
TARGET_WORD = re.compile(r"\b(?:mục tiêu|chỉ tiêu)\b")
TARGETS_DASH = re.compile(r"(?:các )?(?:mục tiêu|chỉ tiêu)\b[^.]{0,60}:?$")
TASKS_DASH = re.compile(r"(?:nhiệm vụ|giải pháp|nội dung|hoạt động)\b[^.]{0,40}:?$")
# An item that is only a heading ("- Nhiệm vụ:"), not a task.
BARE_HEADING = re.compile(r"^\W*(?:mục tiêu|nhiệm vụ|chỉ tiêu)\W*$")
# A full stop and a space before a capital letter or a figure ends a sentence.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[*“\"(]*[A-ZĐÀ-Ỹ0-9])")
# A paragraph that opens with "Hằng năm," or "Mỗi năm": its targets restart each year.
YEARLY_OPENING = re.compile(r"\W*(?:hằng năm|mỗi năm)\b")
PARTNER = re.compile(r"(?:phối hợp(?: chặt chẽ)?(?: với)?|gửi(?: về)?|báo cáo(?: về)?|(?<![\w])về|(?<![\w])qua|"
                     r"liên hệ|giúp|trình|với)\s+(?=[A-ZĐÀ-Ỹ])")
COUNTS = [("người", "người"), ("vụ", "vụ"), ("diện tích", "ha"), (" ha ", "ha"), ("tụ điểm", "điểm"),
          ("điểm", "điểm"), ("thôn", "thôn"), ("nhà trường", "trường"), ("trường", "trường"),
          ("mô hình", "mô hình"), ("xã", "xã"), ("phường", "xã"), ("cơ sở", "cơ sở"),
          ("thiết chế", "thiết chế"), ("đối tượng", "người"), ("cán bộ", "người")]
FLOW = re.compile(r"triệt xóa|triệt phá|bắt giữ|phát hiện|xử lý|phát sinh|hình thành|tái trồng|"
                  r"đào tạo|dạy nghề|xảy ra|vay vốn|vụ")
PER_UNIT = re.compile(r"mỗi (huyện|xã|tỉnh|thôn)")
LOOKS_LIKE = re.compile(r"\d\s*%|chỉ tiêu|trước ngày|chậm nhất|định kỳ|hạn chót|đến năm \d{4}|\bít nhất\b")
GENERIC = re.compile(r"\bcac (?:so|ban|nganh|don vi|co quan|dia phuong|doan the)\b")  # names.key form
# A body charged with following the plan through ("theo dõi, kiểm tra, đôn đốc … thực hiện Kế
# hoạch") collects what the others report: it does not owe their reports (clean form).
MONITOR = re.compile(r"theo dõi,? (?:kiểm tra,? )?đôn đốc\b[^.;]{0,80}?thực hiện (?:kế hoạch|kh)\b")
# In names.key form: armed forces commanded from outside the locality (a Bộ Tư lệnh, the coast
# guard, a border post stationed in a commune) are not among its "sở, ban, ngành, đoàn thể": they
# owe what a plan names them for, not what it asks of every body.
OUTSIDE_FORCE = re.compile(r"^(?:bo tu lenh|don bien phong|tram bien phong|hai doi)\b|\bcanh sat bien\b")
RECEIVER = re.compile(r"(?:\bve|\bqua|\bgui|\btrinh|\bbao cao|\bcho|\btham muu|\bgiup|\bvoi|\bphoi hop)\s*\(?\s*$")
# What a deadline is for ("báo cáo sơ kết 6 tháng", "kế hoạch thực hiện") and where the words that
# send it begin ("gửi Ủy ban nhân dân xã", "về Công an xã", "(qua …)").
OWED_THING = re.compile(r"(?<!\w)(?:báo cáo(?:\s+(?:sơ kết|tổng kết|kết quả))?|kế hoạch|kết quả|hồ sơ|dự toán|sơ kết|"
                        r"tổng kết|chương trình)(?!\w)")
SENT_TO = re.compile(r",?\s+(?:gửi|nộp|về|trình)(?!\w)|[(:;]")
SENT_TO_BODY = re.compile(r"(?:về|gửi|báo cáo)\s+((?:Ủy ban|Uỷ ban|UBND|Công an|Ban Chỉ đạo|BCĐ|Sở|Trung ương))")


# ---------------------------------------------------------------- names of bodies (names.py)

BODY_HEADS = ("Công an", "Sở", "Bộ Chỉ huy", "Bộ đội", "Bộ Tư lệnh", "Bộ", "Ban Chỉ huy", "Ban Chỉ đạo",
              "Ban", "BCĐ", "Ủy ban", "Uỷ ban", "UBND", "UBMTTQ", "Viện", "Tòa án", "Toà án", "Chi cục",
              "Cục", "Hội", "Tỉnh đoàn", "Thành đoàn", "Huyện đoàn", "Đoàn", "Liên đoàn", "Đài", "Báo",
              "Trạm", "Văn phòng", "Mặt trận", "Trung ương", "Trưởng", "Phòng", "Trung tâm", "Văn hóa",
              "Văn hoá", "Bệnh viện", "Kho bạc", "Thanh tra", "Cảnh sát", "Chủ tịch", "Đồn", "Ngân hàng",
              "Hạt kiểm lâm", "Chi nhánh", "Nhà trường", "Trường", "Công chức", "Tổ trưởng")
BODY_HEAD = re.compile(r"(?:" + "|".join(sorted(map(re.escape, BODY_HEADS), key=len, reverse=True)) + r")(?=\s|$|,)")
BODY_GROUP = re.compile(r"[Cc]ác (?:sở|Sở|ban|Ban|cơ quan|đơn vị|tổ chức|đoàn thể|ngành|ban, ngành|hội|lực lượng|"
                        r"trường|thôn|xã|huyện|phòng|Phòng)")
# Words that start what a body is asked to do: a name ends before them.
NAME_VERBS = ("tổ chức", "có trách nhiệm", "chủ trì", "phối hợp", "căn cứ", "thực hiện", "triển khai",
              "xây dựng", "tham mưu", "chỉ đạo", "tăng cường", "tiếp tục", "theo dõi", "hướng dẫn",
              "chịu trách nhiệm", "là cơ quan", "đôn đốc", "kiểm tra", "nâng cao", "đẩy mạnh", "quản lý",
              "rà soát", "bố trí", "đề xuất", "giúp", "trên cơ sở", "theo chức năng", "được giao", "ban hành",
              "làm tốt", "chủ động", "tích cực", "gửi", "báo cáo", "thường xuyên", "tập trung")
NAME_VERB = re.compile(r"\s(?:" + "|".join(map(re.escape, NAME_VERBS)) + r")\b")
# The steering committee's title holds a verb that is part of the name: "Ban Chỉ đạo phòng, chống
# tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc".
VERB_IN_NAME = re.compile(r"\sxây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc\b", re.I)
# In ``names.key`` form: a subject that means every body of the plan ("Các sở, ban, ngành, đoàn
# thể …", "Các cơ quan, đơn vị được phân công …", "Các ban, ngành, đoàn thể xã và Trưởng các thôn").
EVERYONE = re.compile(r"cac (?:so|ban|nganh|co quan|don vi|dia phuong)\b")
LEVEL_AT_END = re.compile(r"\s(tỉnh|huyện|xã|thị xã|thành phố)$")  # "… nhân dân tỉnh"
# A courtesy before a name: "Đề nghị Tỉnh đoàn …", "Giao Công an xã …" (ASKED_FOLDED: folded text).
ASKED = re.compile(r"^(?:Đề nghị|Giao|đề nghị|giao)\s+")
ASKED_FOLDED = re.compile(r"^(?:đề nghị|giao)\s+")
# The role after a name: "Công an tỉnh (Cơ quan Thường trực …)", "Công an huyện - Cơ quan Thường trực …".
ROLE_IN_BRACKETS = re.compile(r"\s*\([^)]*\)?\s*$")
STANDING_BODY = re.compile(r"\s+[-–]\s+cơ quan thường trực\b.*$", re.I)
# Where one heading names several bodies: a comma, a semicolon, "và" before "các" or a capital.
NAME_SEPARATORS = re.compile(r"(,\s+|;\s+|\s+và\s+(?=(?:các|Các)\s)|\s+và\s+(?=[A-ZĐÀ-Ỹ]))")
# "Văn phòng HĐND và UBND": "và" after the council continues the name.
ENDS_WITH_COUNCIL = re.compile(r"(?:Hội đồng nhân dân|HĐND)$")
# A task's support is named after these words.
PARTNER_WORD = re.compile(r"phối hợp|với", re.I)
# In ``names.key`` form, right before "các sở, ban, ngành": partners, not owners.
AFTER_PARTNER_KEY = re.compile(r"(?:phoi hop|voi)\s*$")
# "… Ủy ban nhân dân xã và Công an tỉnh": a second receiver; "(qua Công an xã)": who collects.
AND_NEXT_BODY = re.compile(r"\s+và\s+(?=[A-ZĐÀ-Ỹ])")
VIA = re.compile(r"\s*\(qua ([^)]*)\)")


@lru_cache(maxsize=4096)
def whole_words(key: str) -> re.Pattern:
    """``key`` (a name in ``names.key`` form) standing as whole words, not inside a longer word."""
    return re.compile(rf"(?<![\w]){re.escape(key)}(?![\w])")
