"""Every pattern of kh extract lives in the phrase table (kh/extract/phrases.py), by name, and is
pinned here: one phrase it reads, with what it takes from it, and one it must leave alone. The
other extract modules hold no pattern of their own (the last tests)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kh.extract import phrases as ph

EXTRACT = Path(__file__).resolve().parents[2] / "kh" / "extract"

# name: (how the extractor applies it, a phrase it reads → what it gives, a phrase it leaves alone).
# What it gives: the groups when the pattern has any, else the words matched; for split, findall
# and sub, their result. Phrases in lower case are ``clean`` text, as the extractor passes them.
TABLE: dict[str, tuple[str, str, object, str]] = {
    # ---- the header
    "NUMBER": ("search", "Số: 238/KH-UBND Bắc Kạn", ("238/KH-UBND",), "KẾ HOẠCH"),
    "DATE_LINE": ("search", "Lạng Sơn, ngày 31 tháng 5 năm 2024", ("31", "5", "2024"), "Lạng Sơn, năm 2024"),
    "UNIT_BODY": ("search", "UBND HUYỆN DIÊN KHÁNH CỘNG HÒA", ("UBND", "HUYỆN", "DIÊN KHÁNH "), "SỞ Y TẾ"),
    "AGENCY_BODY": ("search", "UBND TỈNH QUẢNG NINH SỞ Y TẾ", ("SỞ", " Y TẾ"), "ỦY BAN NHÂN DÂN"),
    "HEADER_END": ("search", "UBND TỈNH X CỘNG HÒA XÃ HỘI", "CỘNG HÒA", "UBND TỈNH X"),
    "ISSUER_IN_TEXT": ("search", "UBND tỉnh Nghệ An ban hành Kế hoạch", ("tỉnh", "Nghệ An"), "Sở Y tế ban hành"),
    "ISSUER_KIND": ("search", "Ủy ban nhân dân xã ban hành", ("xã",), "Ban Chỉ đạo tỉnh"),
    "UNIT_NAMED": ("search", "kế hoạch của xã Minh Lương năm 2026", ("xã", "Minh Lương"), "kế hoạch năm 2026"),
    "OPENING": ("match", "Căn cứ Luật Phòng, chống ma túy", "Căn cứ", "KẾ HOẠCH phòng, chống"),
    "SECTION_START": ("search", "I. MỤC ĐÍCH, YÊU CẦU", "I. M", "Kế hoạch phòng, chống ma túy"),
    "ISSUES_PLAN": ("search", "UBND tỉnh ban hành Kế hoạch thực hiện", "ban hành ", "ban hành Quyết định"),
    "CITATION": ("search", "thực hiện chỉ thị số 36-ct/tw ngày 16/8/2019; năm 2026",
                 "chỉ thị số 36-ct/tw ngày 16/8/2019", "thực hiện kế hoạch này"),
    "SPAN_DAYS": ("search", "(từ ngày 01/6/2024 đến ngày 30/6/2024)", ("01/6/2024", "30/6/2024"), "từ ngày 01/6/2024"),
    "SPAN_YEARS": ("search", "từ năm 2025 đến hết năm 2030", ("2025", "2030"), "từ năm 2025"),
    "PERIOD_YEARS": ("search", "giai đoạn 2021 - 2025", ("2021", "2025"), "giai đoạn 1"),
    "UNTIL_YEAR": ("search", "chỉ tiêu đến năm 2030", ("2030",), "năm 2030"),
    "ONE_YEAR": ("search", "phòng, chống ma túy năm 2021", ("2021",), "đến năm 2030"),
    "UNIT_WORD": ("search", "trên địa bàn xã minh lương", ("xã",), "trên địa bàn toàn quốc"),
    "ROMAN_NUMERAL": ("fullmatch", "IV", "IV", "Ia"),
    "OWN_WORDS_END": ("search", "Kế hoạch năm 2021 như sau: I.", ":", "Kế hoạch năm 2021"),
    "ISSUER_UNIT": ("sub", "UBND thành phố Hà Nội", "Hà Nội", "Sở Y tế"),
    "ISSUER_UBND": ("match", "UBND xã Minh Lương, huyện Văn Bàn", ("xã", "Minh Lương"), "Công an xã"),
    "LEADING_NUMBER": ("match", "238/KH-UBND", ("238",), "/KH-UBND"),
    # ---- values
    "PERCENT": ("search", "tăng ít nhất 5% so với năm 2020", ("5",), "ngày 16/6/2021"),
    "RANGE": ("search", "triệt xóa từ 5 - 10% số điểm", ("5", "10"), "triệt xóa 10% số điểm"),
    "COUNT": ("search", "xây dựng được 1 mô hình", ("1", "mô hình"), "ngày 16/6/2021"),
    "FRACTION": ("search", "07/18 thôn chưa có người nghiện", ("07", "18", "thôn"), "16/6 hằng năm"),
    # ---- baselines and periods
    "_BASE_YEAR": ("search", "tăng 5% so với năm 2020", ("2020", None), "tăng 5% so với năm trước"),
    "_BASE_PREVIOUS": ("search", "tăng 5% so với cùng kỳ", "so với cùng kỳ", "so với năm 2020"),
    "_YEARLY": ("search", "ít nhất 01 lần/năm", "/năm", "đến năm 2030"),
    "_BY_YEAR": ("search", "đến hết năm 2025 đạt 80%", ("2025",), "năm 2025 đạt 80%"),
    "_MILESTONE": ("search", "năm 2030 đạt ít nhất 50% xã", ("2030", "50%"), "năm 2030 xây dựng"),
    # ---- kinds
    "ZERO": ("search", "không để xảy ra tụ điểm", "không để xảy ra", "không ngừng nâng cao"),
    "ZERO_EVENT": ("search", "tuyệt đối không để hình thành tụ điểm", "tuyệt đối không để hình thành",
                   "không để học sinh sử dụng ma túy"),
    "SITUATION": ("match", "tình hình tội phạm về ma túy", "tình hình", "chỉ tiêu cụ thể"),
    "PURPOSES": ("match", "mục đích, yêu cầu", "mục đích", "mục tiêu"),
    "DIRECTION_BEFORE": ("search", "tăng thêm 02 thôn", "tăng", "tăng cường công tác"),
    "DECREASE_WORDS": ("search", "giữ và làm giảm số người nghiện", "làm giảm số người nghiện", "giảm tội phạm"),
    "INCREASE_WORDS": ("search", "năm sau cao hơn năm trước", "cao hơn năm trước", "cao hơn mức trung bình"),
    "QUOTA": ("search", "hoàn thành các chỉ tiêu của kế hoạch", "hoàn thành các chỉ tiêu", "hoàn thành việc lập"),
    "FIGURE_WORDS_END": ("split", "tăng 5% (so với 2020) và giảm", ["tăng 5% (so với 2020", "", "giảm"], ""),
    "A_DIGIT": ("search", "khoảng 5 vụ", "5", "vài vụ"),
    "YEAR_WORD_AT_END": ("search", "so với năm ", "năm ", "so với năm 2020"),
    "DAY_WORD_AT_END": ("search", "trước ngày", "ngày", "ngày 16/6"),
    "PART_OF_CLAUSE": ("split", "giảm số xã; tăng thêm: thôn", ["giảm số xã", " tăng thêm", " thôn"], ""),
    "NAME_OPENING": ("sub", "Phấn đấu giảm số người nghiện", "giảm số người nghiện", "Giảm số người nghiện"),
    "_CHANGE_AT_END": ("search", "số người nghiện giảm bớt", ("giảm",), "giảm số người nghiện"),
    "OPENING_DIRECTION": ("match", "hằng năm, giảm số người nghiện", ("giảm",), "tăng khả năng tiếp cận"),
    # ---- deadlines
    "BEFORE_DAY": ("search", "gửi trước ngày 16/6/2021", ("16", "6", "2021"), "trước tháng 6"),
    "BY_DAY": ("search", "chậm nhất ngày 20/12", ("20", "12", None), "từ ngày 20/12"),
    "PERIODIC": ("search", "định kỳ 06 tháng, 01 năm báo cáo", ("06 tháng, 01 năm báo cáo",), "theo định hướng"),
    "HALF": ("search", "báo cáo sáu tháng", "sáu tháng", "báo cáo 16 tháng"),
    "YEAR": ("search", "báo cáo hằng năm", "hằng năm", "báo cáo quý"),
    "QUARTER": ("search", "báo cáo quý", "quý", "báo cáo tháng"),
    "MONTH": ("search", "báo cáo hằng tháng", "hằng tháng", "báo cáo quý"),
    "MIDTERM": ("search", "năm 2027 sơ kết", (None, "2027"), "sơ kết giữa kỳ"),
    "FINAL_YEAR": ("search", "năm 2030 tổng kết", ("2030", None), "tổng kết rút kinh nghiệm"),
    "DAYS_OF_YEAR": ("search", "trước ngày 16/6 và ngày 16/12 hằng năm", ("16/6", " và ngày 16/12"),
                     "trước ngày 16/6/2021"),
    "DAY_OF_PERIOD": ("search", "trước ngày 12 của tháng cuối quý", ("trước", "12", "tháng cuối quý"),
                      "trước ngày 12/6"),
    "FINAL": ("search", "tổ chức tổng kết", "tổng kết", "tổ chức sơ kết"),
    "PLAN_WORDS": ("search", "lập dự toán hằng năm", "dự toán", "lập danh sách"),
    "WHOLE_SPAN": ("search", "kế hoạch cả giai đoạn", "cả giai đoạn", "giai đoạn 1"),
    "AS_REQUIRED": ("search", "báo cáo kết quả theo quy định", "báo cáo kết quả theo quy định", "theo quy định của pháp luật"),
    "DAY_MONTH": ("findall", " và 16/12, 16/3", ["16/12", "16/3"], ""),
    "REPORT_WORDS": ("search", "tổng hợp kết quả", "tổng hợp", "06 tháng, 01 năm"),
    "YEAR_REVIEW": ("search", "báo cáo tổng kết năm", "tổng kết năm", "tổng kết giai đoạn"),
    "A_DAY": ("split", "trước ngày 16/6/2021 báo cáo năm", ["trước ngày ", " báo cáo năm"], ""),
    "OWED_CUT": ("split", "kế hoạch (qua công an); báo cáo", ["kế hoạch ", "qua công an", "", " báo cáo"], ""),
    "SENT_TAIL": ("sub", "Báo cáo kết quả thực hiện gửi về Công an tỉnh", "Báo cáo kết quả thực hiện",
                  "Báo cáo kết quả thực hiện"),
    "SENT_WORD_AT_END": ("sub", "Báo cáo 6 tháng gửi về", "Báo cáo 6 tháng", "Báo cáo 6 tháng"),
    "BAO_CAO_PLAIN": ("sub", "bao cao 6 thang", " 6 thang", "bao caos"),
    "PLAIN_WORD": ("findall", "bc 6 thang (quy)", ["bc", "6", "thang", "quy"], ""),
    # ---- due dates of tasks
    "ON_DAY": ("search", "hoàn thành vào ngày 26/6/2023", ("vào", "ngày", "26", "6", "2023"), "tăng 25%"),
    "CITED": ("search", "chỉ thị số 36-ct/tw, ngày ", "số 36-ct/tw, ngày ", "chỉ thị ngày "),
    "MONTH_IN": ("search", "trong tháng 6/2023", ("6", "2023", None), "tháng 6/2023"),
    "MONTH_WINDOW": ("search", "(tháng 01 đến tháng 3/2023)", ("01", "3", "2023", None), "tháng 01/2023"),
    "QUARTER_IN": ("search", "trong quý iv/2027", ("iv", "2027", None), "quý báu"),
    "YEAR_IN": ("search", "sơ kết (năm 2018)", (None, "2018"), "đến năm 2018"),
    "PHASE_END": ("search", "khi kết thúc giai đoạn 2.", ("2",), "giai đoạn 2025 - 2030"),
    "EVERY_YEAR": ("search", "tổ chức mỗi năm", "mỗi năm", "mỗi năm học"),
    "FOLLOWS_EVERY_YEAR": ("match", ", hằng năm", ", hằng năm", "của năm"),
    "COMPLETED_BY": ("search", "hoàn thành trước ngày 31/3/2026", ("trước", "31", "3", "2026"),
                     "báo cáo trước ngày 31/3/2026"),
    "SENT": ("search", "nộp công an xã", "nộp", "hoàn thành việc kiểm tra"),
    # ---- the document's structure
    "END_OF_BODY": ("match", "Nơi nhận:", "Nơi nhận", "Nội dung nhận"),
    "PHASE": ("match", "- giai đoạn 02: từ 15/12/2024", ("02", "từ 15/12/2024"), "các giai đoạn"),
    "STEP": ("match", "bước 2: tổ chức tuyên truyền", ("2", "tổ chức tuyên truyền"), "từng bước nâng cao"),
    "A_DATE": ("search", "đến 31/12/2025", ("31/12/2025",), "đến 31/12"),
    "PHASE_FROM": ("search", "từ ngày 01/6/2024 đến", ("01/6/2024",), "đến 01/6/2024"),
    "PHASE_TO": ("search", "từ 15/12/2024 đến hết ngày 31/12/2025", ("31/12/2025",), "từ 15/12/2024"),
    "STEP_LABEL": ("sub", "Bước 1: Căn cứ Nghị quyết", "Căn cứ Nghị quyết", "Từng bước nâng cao"),
    "ITEM_ROMAN": ("match", "II. NHIỆM VỤ", ("II", "NHIỆM VỤ"), "Ia. X"),
    "ITEM_DOTTED": ("match", "1.2. Hoàn thiện", ("1.2", "Hoàn thiện"), "1. Hoàn thiện"),
    "ITEM_NUM": ("match", "3) Tuyên truyền", ("3", "Tuyên truyền"), "2024 Tuyên truyền"),
    "ITEM_LETTER": ("match", "b) Tuyên truyền", ("b", "Tuyên truyền"), "bộ Tuyên truyền"),
    "ITEM_PAREN": ("match", "(1) Tỷ lệ xã", ("1", "Tỷ lệ xã"), "(a) Tỷ lệ xã"),
    "ITEM_DASH": ("match", "– Tuyên truyền", ("Tuyên truyền",), "Tuyên truyền"),
    "ITEM_PLUS": ("match", "+ Kiểm soát", ("Kiểm soát",), "Kiểm soát +"),
    "YEAR_RANGE_REST": ("match", "- 2030, trên địa bàn", "- 2030", "- Tuyên truyền"),
    "ENDS_WITH_YEAR": ("search", "giai đoạn 2025", "2025", "giai đoạn 1"),
    "TARGET_HEADING": ("match", "một số chỉ tiêu", "một số chỉ tiêu", "nhiệm vụ"),
    "TARGET_WORD": ("search", "iii. các chỉ tiêu chủ yếu", "chỉ tiêu", "chỉ tiêuu"),
    "TARGETS_DASH": ("match", "mục tiêu cụ thể:", "mục tiêu cụ thể:", "mục tiêu là giảm số người nghiện. tăng"),
    "TASKS_DASH": ("match", "nhiệm vụ, giải pháp:", "nhiệm vụ, giải pháp:", "nhiệm vụ được giao. x"),
    "BARE_HEADING": ("match", "- nhiệm vụ:", "- nhiệm vụ:", "- nhiệm vụ của công an"),
    "SENTENCE_END": ("split", "Tuyên truyền. Kiểm tra 2 lần. “Xã” sạch", ["Tuyên truyền.", "Kiểm tra 2 lần.",
                                                                          "“Xã” sạch"], ""),
    "YEARLY_OPENING": ("match", "- hằng năm, tổ chức", "- hằng năm", "tổ chức hằng năm"),
    # ---- names of bodies
    "PARTNER": ("search", "phối hợp với Công an tỉnh", "phối hợp với ", "phối hợp chặt chẽ"),
    "FLOW": ("search", "triệt phá đường dây", "triệt phá", "duy trì mô hình"),
    "PER_UNIT": ("search", "mỗi xã xây dựng 01 mô hình", ("xã",), "mỗi năm"),
    "LOOKS_LIKE": ("search", "ít nhất 05 buổi", "ít nhất", "tổ chức tuyên truyền"),
    "GENERIC": ("search", "giao cac so, ban, nganh", "cac so", "cac sot"),
    "RECEIVER": ("search", "bao cao ve ", "ve ", "cong an tinh "),
    "TARGETS_ITEM": ("match", "chỉ tiêu cụ thể năm 2023", "chỉ tiêu", "mục tiêu chung"),
    "COMPARED_BY_VERB": ("search", " số xã trọng điểm giảm mức độ phức tạp so với năm 2015",
                         " giảm mức độ phức tạp so với", " số điểm phức tạp về ma túy so với năm 2020"),
    "MONITOR": ("search", "theo dõi, kiểm tra, đôn đốc, hướng dẫn việc thực hiện kế hoạch này",
                "theo dõi, kiểm tra, đôn đốc, hướng dẫn việc thực hiện kế hoạch", "theo dõi, đôn đốc việc điều trị methadone"),
    "OUTSIDE_FORCE": ("search", "don bien phong tan lap", "don bien phong", "bo chi huy bo doi bien phong tinh"),
    "OWED_THING": ("search", "lập báo cáo sơ kết 6 tháng", "báo cáo sơ kết", "tổ chức tuyên truyền"),
    "SENT_TO": ("search", "báo cáo 6 tháng, gửi công an", ", gửi", "báo cáo 6 tháng"),
    "SENT_TO_BODY": ("search", "báo cáo kết quả về UBND tỉnh", ("UBND",), "báo cáo kết quả về trường"),
    "BODY_HEAD": ("match", "Công an tỉnh", "Công an", "Công tác tuyên truyền"),
    "BODY_GROUP": ("match", "Các sở, ban, ngành", "Các sở", "Các nội dung"),
    "NAME_VERB": ("search", "Sở Y tế chủ trì", " chủ trì", "Sở Y tế"),
    "VERB_IN_NAME": ("search", "tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc tỉnh",
                     " xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc", "và xây dựng kế hoạch"),
    "EVERYONE": ("match", "cac co quan, don vi", "cac co quan", "cac truong hop"),
    "LEVEL_AT_END": ("search", "Tòa án nhân dân tỉnh", ("tỉnh",), "Tòa án tỉnh Bắc Kạn"),
    "ASKED": ("sub", "Đề nghị Tỉnh đoàn", "Tỉnh đoàn", "Tỉnh đoàn đề nghị"),
    "ASKED_FOLDED": ("sub", "giao công an xã", "công an xã", "công an xã giao"),
    "ROLE_IN_BRACKETS": ("sub", "Công an tỉnh (Cơ quan Thường trực)", "Công an tỉnh", "Công an tỉnh"),
    "STANDING_BODY": ("sub", "Công an huyện - Cơ quan Thường trực Ban Chỉ đạo", "Công an huyện", "Công an huyện"),
    "NAME_SEPARATORS": ("split", "Viện kiểm sát, Tòa án và Các hội", ["Viện kiểm sát", ", ", "Tòa án", " và ",
                                                                     "Các hội"], ""),
    "ENDS_WITH_COUNCIL": ("search", "Văn phòng HĐND", "HĐND", "HĐND xã"),
    "PARTNER_WORD": ("search", "Phối hợp Công an", "Phối hợp", "Công an xã"),
    "AFTER_PARTNER_KEY": ("search", "chu tri phoi hop ", "phoi hop ", "phoi hop cac so"),
    "AND_NEXT_BODY": ("match", " và Công an tỉnh", " và ", " và các"),
    "VIA": ("match", " (qua Công an xã)", ("Công an xã",), " (theo mẫu)"),
}


def _apply(rx: re.Pattern, how: str, text: str):
    if how in ("search", "match", "fullmatch"):
        m = getattr(rx, how)(text)
        if m is None:
            return None
        return m.groups() if rx.groups and how != "fullmatch" else m.group(0)
    if how == "sub":
        return rx.sub("", text)
    return getattr(rx, how)(text)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_phrase_reads_its_words_and_leaves_others_alone(name):
    how, text, expected, other = TABLE[name]
    rx = getattr(ph, name)
    assert _apply(rx, how, text) == expected, name
    if how in ("search", "match", "fullmatch"):
        assert _apply(rx, how, other) is None, f"{name} reads {other!r}"
    elif how == "sub":
        assert _apply(rx, how, other) == other, f"{name} changes {other!r}"


def test_every_pattern_of_the_phrase_table_is_pinned_here():
    patterns = {n for n, v in vars(ph).items() if isinstance(v, re.Pattern)}
    assert patterns - set(TABLE) == set(), "patterns of kh/extract/phrases.py not in TABLE"
    assert set(TABLE) - patterns == set(), "TABLE names patterns the phrase table does not have"


def patterns_outside(source: str) -> list[str]:
    """Where a module uses ``re`` itself instead of the phrase table: its imports of re and
    every call on it."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any(a.name == "re" for a in node.names):
            out.append(f"{node.lineno}: import re")
        elif isinstance(node, ast.ImportFrom) and node.module == "re":
            out.append(f"{node.lineno}: from re import …")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
            out.append(f"{node.lineno}: re.{node.attr}")
    return out


def test_no_extract_module_but_the_phrase_table_holds_a_pattern():
    modules = sorted(p for p in EXTRACT.glob("*.py") if p.name != "phrases.py")
    assert len(modules) > 8
    for path in modules:
        assert patterns_outside(path.read_text(encoding="utf-8")) == [], path.name


def test_the_pattern_check_sees_a_pattern():
    assert patterns_outside("import re\nx = re.sub('a', 'b', 'c')\n") == ["1: import re", "2: re.sub"]


def test_each_drafted_item_has_only_keys_its_plan_element_declares():
    from dataclasses import fields

    from kh import model
    from kh.extract import items

    pairs = {items.DraftPhase: model.Phase, items.DraftStep: model.Step, items.DraftAssignee: model.Assignee,
             items.DraftTask: model.Task, items.DraftIndicator: model.Indicator,
             items.DraftObligation: model.Obligation, items.Target: model.Indicator, items.DraftPlan: model.Plan}
    meta = {f.name for f in fields(items.Item)} | {"heading", "lines", "target", "todo", "issued_year", "issued_month"}
    for drafted, element in pairs.items():
        keys = {f.name.rstrip("_") for f in fields(drafted) if f.name not in meta}
        declared = {s.key for _, s in model.declared(element) if s.key is not None}
        assert keys and keys <= declared, f"{drafted.__name__}: {keys - declared} are no keys of {element.__name__}"
