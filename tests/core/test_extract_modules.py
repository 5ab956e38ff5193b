"""Each module of kh/extract on its own: the unwrapping of doc.py, the header of header.py, the
targets of targets.py, the debtors of obligations.py, the due dates of dues.py; and, over every
seed and fixture, that the draft cuts what it quotes on word boundaries of the document."""

import re
from datetime import date

import pytest

from kh.extract import phrases as ph
from kh.extract.assignees import Roster, assignees_and_tasks
from kh.extract.doc import paragraphs, wrap_width
from kh.extract.dues import task_due_in
from kh.extract.header import header, span
from kh.extract.names import heading_name, kind_of, split_names
from kh.extract.obligations import deadlines_in, owners
from kh.extract.targets import Context, targets_in
from tests.conftest import ROOT

ONE_YEAR = Context(date(2026, 1, 1), date(2026, 12, 31))
THREE_YEARS = Context(date(2023, 1, 1), date(2025, 12, 31))


# ---------------------------------------------------------------- doc.py: unwrapping

def _wrapped(words: list[str], width: int) -> list[str]:
    lines, cur = [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return lines + [cur]


@pytest.mark.parametrize("width", [60, 72, 84])
def test_a_hard_wrapped_copy_is_joined_into_its_paragraphs_and_keeps_their_first_lines(width):
    sentence = ("Các sở, ban, ngành, đoàn thể cấp tỉnh và Ủy ban nhân dân các xã, phường căn cứ nhiệm vụ "
                "được giao xây dựng kế hoạch thực hiện, gửi về Ủy ban nhân dân tỉnh (qua Công an tỉnh) "
                "trước ngày 20/02/2026.")
    other = ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh Chủ trì đấu tranh với tội phạm ma túy tại khu vực biên "
             "giới, cửa khẩu, vùng biển do Bộ đội Biên phòng quản lý.")
    lines = ["V. TỔ CHỨC THỰC HIỆN", *["1. " + x if i == 0 else x for i, x in enumerate(_wrapped(sentence.split(), width))],
             "2. Sở Y tế", *_wrapped(other.split(), width)] * 4
    assert wrap_width(lines) > 0
    paras = paragraphs(lines)
    texts = [p.text for p in paras]
    assert texts[1] == "1. " + sentence and texts[2] == "2. Sở Y tế" and texts[3] == other
    assert paras[1].line == 2 and paras[2].line == 2 + len(_wrapped(sentence.split(), width))


def test_a_range_of_years_cut_by_the_wrap_is_not_a_bullet():
    lines = ["Thực hiện Kế hoạch số 96/KH-UBND về phòng, chống ma túy giai đoạn 2025", "- 2030; Chỉ thị số 36-CT/TW."]
    assert [p.text for p in paragraphs(lines)] == [" ".join(lines)]


def test_whole_paragraphs_are_not_joined_even_without_a_full_stop():
    lines = ["1. Công an tỉnh", "Chủ trì tổ chức Tháng hành động.", "2. Sở Y tế", "Hướng dẫn xác định tình trạng nghiện"]
    assert wrap_width(lines) == 0
    assert [p.text for p in paragraphs(lines)] == lines


# ---------------------------------------------------------------- header.py

WEB_HEADER = """UBND HUYỆN DIÊN KHÁNH
UỶ
BAN NHÂN DÂN
XÃ DIÊN THẠNH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 77/KH-UBND
Diên
Thạnh, ngày 05 tháng 09
năm 2024
KẾ HOẠCH
Phòng, chống ma túy trên địa bàn xã
năm 2025
Thực hiện Kế hoạch số 12/KH-UBND ngày 01/3/2024 của Ủy ban nhân dân huyện về phòng, chống ma túy giai đoạn 2021 - 2030;
Ủy ban nhân dân xã ban hành Kế hoạch phòng, chống ma túy năm 2025, cụ thể như sau:
I. MỤC TIÊU""".splitlines()


def _header(lines: list[str], today=None) -> dict:
    paras = paragraphs(lines)
    plan, todo = header(paras, lines)
    span(plan, todo, paras, [], today)
    return {**plan.plan_keys(), "_todo": todo}


def test_a_broken_web_header_gives_number_place_date_title_and_the_issuer_under_its_parent():
    plan = _header(WEB_HEADER)
    assert plan["number"] == "77/KH-UBND"
    assert plan["place"] == "Diên Thạnh" and plan["issued_on"] == date(2024, 9, 5)
    assert plan["title"] == "Phòng, chống ma túy trên địa bàn xã năm 2025"
    assert plan["issuer"] == "UBND xã Diên Thạnh, huyện Diên Khánh" and plan["level"] == "commune"


def test_the_span_is_the_plans_own_year_not_a_cited_plans_period_nor_the_year_of_signing():
    plan = _header(WEB_HEADER)
    assert (plan["start"], plan["end"]) == (date(2025, 1, 1), date(2025, 12, 31))


def test_the_span_comes_from_the_sentence_that_issues_the_plan_when_the_title_has_no_year():
    lines = [x if x != "năm 2025" else "" for x in WEB_HEADER]
    lines = [x.replace("năm 2025, cụ thể", "giai đoạn 2025 - 2027, cụ thể") for x in lines]
    plan = _header(lines)
    assert (plan["start"], plan["end"]) == (date(2025, 1, 1), date(2027, 12, 31))


def test_a_document_with_no_year_at_all_takes_todays_year_and_says_so_and_never_reads_the_clock():
    lines = ["KẾ HOẠCH", "Phòng, chống ma túy trên địa bàn xã", "", "I. MỤC TIÊU", "1. Không để phát sinh người nghiện mới."]
    with pytest.raises(ValueError):
        _header(lines)  # no today given: the extractor does not guess from the clock
    plan = _header(lines, today=date(2031, 5, 5))
    assert (plan["start"], plan["end"]) == (date(2031, 1, 1), date(2031, 12, 31))
    assert "no year" in plan["_todo"]["start"] and "issued_on" in plan["_todo"]


def test_a_centrally_run_city_is_a_province():
    lines = ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ ĐÀ NẴNG", "Số: 5/KH-UBND", "Đà Nẵng, ngày 02 tháng 01 năm 2026",
             "KẾ HOẠCH", "Phòng, chống ma túy năm 2026"]
    plan = _header(lines)
    assert plan["issuer"] == "UBND thành phố Đà Nẵng" and plan["level"] == "province"


# ---------------------------------------------------------------- targets.py: direction words

@pytest.mark.parametrize("clause, kind, comparator, target, base", [
    ("Tăng thêm ít nhất 02 thôn không có tệ nạn ma túy so với năm 2025.", "change", ">=", 2, 2025),
    ("Tăng thêm ít nhất 20 xã, phường đạt tiêu chí so với năm 2025.", "change", ">=", 20, 2025),
    ("Giảm số người nghiện ma túy trên địa bàn xã mỗi năm ít nhất 5% so với năm trước.", "decrease", ">=", 5, "previous"),
    ("Nâng tỷ lệ người nghiện được cai nghiện lên trên 80%.", "share", ">", 80, None),
    ("Tăng khả năng tiếp nhận của cơ sở cai nghiện, đáp ứng nhu cầu của 80% số người nghiện.", "share", ">=", 80, None),
    # "thêm" alone is an increase; the total it leads to ("nâng tổng số lên 08/12") is the same promise
    ("Có thêm ít nhất 03 xã được công nhận đạt tiêu chí \"xã không ma túy\" trong năm 2024.", "change", ">=", 3, "previous"),
    ("Xây dựng thêm 02 thôn đạt tiêu chí \"thôn không ma túy\", nâng tổng số lên 08/12 thôn, tổ dân phố.",
     "change", ">=", 2, "previous"),
    # "so với năm 2015" after a verb that follows the figure says which units count: a plain share
    ("đến năm 2020 có hơn 20% số xã trọng điểm về ma túy giảm mức độ phức tạp so với năm 2015", "share", ">", 20, None),
    ("Triệt xóa ít nhất 20% số điểm phức tạp về ma túy so với năm 2020.", "share_of_baseline", ">=", 20, 2020),
])
def test_the_direction_decides_before_the_words_that_follow(clause, kind, comparator, target, base):
    got = targets_in(clause, ONE_YEAR)
    assert [(t.kind, t.comparator, t.target, t.baseline) for t in got] == [(kind, comparator, target, base)]


@pytest.mark.parametrize("clause", [
    "Kiềm chế, giảm tội phạm và tệ nạn xã hội trên địa bàn.",
    "Nâng cao chất lượng công tác quản lý sau cai nghiện.",
    "Có từ 05 xã trở lên đạt tiêu chí \"xã không có tệ nạn ma túy\".",  # the zero is a criterion's name
])
def test_vague_aims_and_quoted_criteria_are_not_zero_or_decrease_targets(clause):
    assert not [t for t in targets_in(clause, ONE_YEAR) if t.kind in ("zero", "decrease")]


def test_a_fraction_of_villages_is_a_count_and_a_weight_is_not():
    assert [(t.kind, t.target) for t in targets_in("Đến năm 2025, có ít nhất 6/8 thôn đạt tiêu chí.", THREE_YEARS)] \
        == [("count", 6)]
    got = targets_in("số vụ vận chuyển từ 5 kg heroin trở lên tăng trên 10% so với năm 2025.", ONE_YEAR)
    assert [(t.kind, t.target) for t in got] == [("change", 10)]


def test_a_zero_with_no_direction_is_a_zero():
    got = targets_in("Không có người nghiện ma túy mới phát sinh tại các thôn.", ONE_YEAR)
    assert [t.kind for t in got] == ["zero"]


def _draft(body: list[str], start=None):
    from kh.extract.core import extract

    head = ["ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG", "Số: 1/KH-UBND", "Hà Giang, ngày 20 tháng 02 năm 2023", "",
            "KẾ HOẠCH", "Phòng, chống ma túy giai đoạn 2023 - 2025", ""]
    return extract(head + body, "x")


def test_an_objective_beside_a_targets_item_gives_no_target_without_a_figure():
    draft = _draft(["I. MỤC TIÊU, CHỈ TIÊU", "1. Mục tiêu chung",
                    "Ngăn chặn nguồn ma túy; giảm số xã, thị trấn có ma túy.", "2. Chỉ tiêu cụ thể",
                    "a) Hằng năm, giảm số người nghiện ma túy.", "b) Triệt xóa 100% điểm phức tạp về ma túy."])
    assert sorted((i.ref, i.target.kind) for i in draft.indicators) == [("I.2.a", "decrease"), ("I.2.b", "share")]
    # Without a "Chỉ tiêu" item the objective is where the targets are.
    draft = _draft(["I. MỤC TIÊU", "1. Mục tiêu chung", "Ngăn chặn nguồn ma túy; giảm số xã, thị trấn có ma túy."])
    assert [i.target.kind for i in draft.indicators] == ["decrease"]


def test_a_measures_zero_is_a_target_only_where_the_targets_count_zeros():
    measures = ["II. NHIỆM VỤ, GIẢI PHÁP", "1. Quản lý chặt chẽ người nghiện, không để xảy ra các vụ án phức tạp."]
    figures = ["I. CHỈ TIÊU", "1. Triệt xóa 100% điểm phức tạp về ma túy."]
    assert [i.target.kind for i in _draft(figures + measures).indicators] == ["share"]
    zeros = figures + ["2. Không để phát sinh điểm phức tạp mới về ma túy."]
    assert sorted(i.target.kind for i in _draft(zeros + measures).indicators) == ["share", "zero", "zero"]


def test_a_sentences_yearly_comparison_speaks_for_its_later_clauses():
    draft = _draft(["I. MỤC TIÊU", "1. Số vụ phạm tội về ma túy bị phát hiện tăng 5% so với năm trước; "
                    "triệt xóa 10% số điểm phức tạp về ma túy.", "2. Triệt xóa 20% số điểm phức tạp về ma túy."])
    assert [(i.target.target, i.target.periodicity) for i in draft.indicators] == \
        [(5, "yearly"), (10, "yearly"), (20, "span")]


def test_reports_as_required_add_nothing_where_the_plan_dates_its_periodic_reports():
    tail = ["II. TỔ CHỨC THỰC HIỆN", "1. Các sở, ban, ngành thực hiện nghiêm chế độ báo cáo theo quy định.",
            "2. Công an tỉnh tổng hợp, báo cáo Ủy ban nhân dân tỉnh theo quy định; định kỳ tổng hợp, báo cáo theo quy định."]
    rules = [o.due for o in _draft(["I. CHỈ TIÊU", "1. Triệt xóa 100% điểm."] + tail).obligations]
    assert rules == [{"every": "year", "after_end": 0}] * 2  # everyone's, and Công an tỉnh's once
    dated = tail + ["3. Công an tỉnh báo cáo 6 tháng, năm trước ngày 16/6 và ngày 16/12 hằng năm."]
    rules = [o.due for o in _draft(["I. CHỈ TIÊU", "1. Triệt xóa 100% điểm."] + dated).obligations]
    assert rules == [{"every": "half", "on": ["16/6", "16/12"], "relation": "before"}]


def test_a_review_held_with_nothing_reported_is_no_deadline():
    several = (date(2024, 1, 1), date(2025, 12, 31))
    assert deadlines_in("Định kỳ tổ chức sơ kết, tổng kết để kịp thời đề ra chủ trương phù hợp.", *several) == []
    assert [d.rule for d in deadlines_in("Định kỳ sơ kết, tổng kết, báo cáo Ủy ban nhân dân tỉnh.", *several)] \
        == [{"every": "year", "after_end": 0}, {"year": 2025}]


def test_partners_are_not_what_belongs_to_a_declared_body_or_to_a_body_above_the_plan():
    lines = ["I. PHÂN CÔNG NHIỆM VỤ", "1. Ủy ban nhân dân các huyện, thành phố", "Chủ trì triển khai.",
             "2. Sở Nông nghiệp", "Phối hợp với Ủy ban nhân dân các huyện biên giới vận động Nhân dân.",
             "3. Công an tỉnh", "Báo cáo Bộ Công an (qua Cục Cảnh sát điều tra tội phạm về ma túy) theo quy định; "
             "phối hợp với Viện kiểm sát nhân dân tỉnh, UBND các xã, thị trấn tổ chức xét xử."]
    body = paragraphs(lines)
    roster, _, _ = assignees_and_tasks(body, {p.section: "assign" for p in body}, "province")
    assert [a.name for a in roster.items] == ["Ủy ban nhân dân các huyện, thành phố", "Sở Nông nghiệp", "Công an tỉnh",
                                              "Viện kiểm sát nhân dân tỉnh", "UBND các xã, thị trấn"]


# ---------------------------------------------------------------- obligations.py: who owes

def _roster(*names: str, partners: tuple[str, ...] = ()) -> Roster:
    r = Roster()
    for n in names:
        r.add(n, 1)
    for n in partners:
        r.add(n, 1, "named as a partner or receiver, not in PHÂN CÔNG")
    return r


def test_everyone_owes_but_the_collector_the_issuer_and_mere_partners():
    r = _roster("Công an xã", "Trạm Y tế xã", "Trưởng các thôn", "Ủy ban nhân dân xã", partners=("Công an huyện",))
    clause = ("Các ban, ngành, đoàn thể xã và Trưởng các thôn gửi báo cáo về Ủy ban nhân dân xã (qua Công an xã) "
              "trước ngày 05/6/2026.")
    owed, except_, _ = owners([clause], r, None, "UBND xã Minh Lương")
    assert owed == "all" and set(except_) == {"Công an xã", "Ủy ban nhân dân xã", "Công an huyện"}


def test_with_nobody_named_everyone_owes_but_the_receiver_named_later_in_the_paragraph():
    r = _roster("Công an huyện", "Phòng Tư pháp", "Ủy ban nhân dân các xã, thị trấn")
    clause = "Báo cáo quý gửi trước ngày 12 của tháng cuối quý"
    para = clause + "; báo cáo năm gửi trước ngày 10/12. Báo cáo gửi về Ủy ban nhân dân huyện (qua Công an huyện) để tổng hợp."
    owed, except_, _ = owners([clause, clause, para], r, None, "UBND huyện Kiến Xương")
    assert owed == "all" and except_ == ["Công an huyện"]


def test_everyone_is_not_a_force_commanded_from_outside_the_locality():
    r = _roster("Công an xã", "Trạm Y tế xã", "Đồn Biên phòng Tân Lập", "Ban Chỉ huy Quân sự xã")
    clause = "Các ban, ngành, đoàn thể xã báo cáo kết quả về Ủy ban nhân dân xã (qua Công an xã) trước ngày 05/01/2026."
    owed, except_, _ = owners([clause], r, None, "UBND xã Tân Lập")
    assert owed == "all" and set(except_) == {"Công an xã", "Đồn Biên phòng Tân Lập"}
    r = _roster("Công an tỉnh", "Sở Y tế", "Bộ Tư lệnh Vùng 1 Cảnh sát biển", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh")
    owed, except_, _ = owners(["Các sở, ban, ngành báo cáo về Công an tỉnh trước ngày 15/6/2021."], r, None, "UBND tỉnh Nghệ An")
    assert set(except_) == {"Công an tỉnh", "Bộ Tư lệnh Vùng 1 Cảnh sát biển"}
    # Named as the subject, such a force owes.
    owed, _, _ = owners(["Bộ Tư lệnh Vùng 1 Cảnh sát biển báo cáo về Công an tỉnh trước ngày 15/6/2021."], r, None, "UBND tỉnh Nghệ An")
    assert owed == ["Bộ Tư lệnh Vùng 1 Cảnh sát biển"]


def test_the_body_that_follows_the_plan_through_collects_and_the_issuers_office_otherwise_owes():
    lines = ["I. PHÂN CÔNG NHIỆM VỤ", "1. Công an xã", "Chủ trì triển khai Kế hoạch.",
             "2. Văn phòng HĐND và UBND xã", "Theo dõi, đôn đốc các ban, ngành, thôn thực hiện Kế hoạch.",
             "3. Trạm Y tế xã", "Theo dõi, đôn đốc việc điều trị Methadone tại trạm."]
    body = paragraphs(lines)
    roster, _, _ = assignees_and_tasks(body, {p.section: "assign" for p in body})
    assert roster.monitors == ["Văn phòng HĐND và UBND xã"]   # Trạm Y tế follows a treatment, not the plan
    clause = "Các cơ quan, đơn vị báo cáo kết quả về Ủy ban nhân dân xã (qua Công an xã) trước ngày 10/6/2026."
    _, except_, _ = owners([clause], roster, None, "UBND xã X")
    assert set(except_) == {"Công an xã", "Văn phòng HĐND và UBND xã"}
    # The issuer's office with other work is one of "các cơ quan, đơn vị": it owes.
    plain = _roster("Công an xã", "Văn phòng HĐND và UBND xã")
    _, except_, _ = owners([clause], plain, None, "UBND xã X")
    assert except_ == ["Công an xã"]


def test_a_heading_of_village_and_ward_heads_names_two_people():
    assert [n for n, _ in split_names("Trưởng thôn, Tổ trưởng tổ dân phố")] == ["Trưởng thôn", "Tổ trưởng tổ dân phố"]
    assert kind_of("Tổ trưởng tổ dân phố") == "person"


def test_the_steering_committees_title_is_part_of_its_name():
    body = ("Các Sở, ngành thành viên Ban Chỉ đạo Phòng, chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn "
            "dân bảo vệ an ninh Tổ quốc tỉnh Lạng Sơn theo chức năng, nhiệm vụ, chủ động phối hợp triển khai.")
    assert heading_name(body).endswith("bảo vệ an ninh Tổ quốc tỉnh Lạng Sơn")
    assert heading_name("Sở Y tế xây dựng kế hoạch điều trị.") == "Sở Y tế"


def test_a_named_debtor_owes_and_its_receiver_does_not():
    r = _roster("Công an xã", "Trưởng các thôn")
    owed, except_, _ = owners(["Trưởng các thôn báo cáo tình hình về Công an xã trước ngày 20 hằng tháng."], r, None, "UBND xã X")
    assert owed == ["Trưởng các thôn"] and except_ == []


@pytest.mark.parametrize("clause", [
    "Định kỳ báo cáo kết quả thực hiện với Ủy ban nhân dân xã.",
    "Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh theo quy định.",
])
def test_a_report_with_no_period_and_no_day_owes_nothing_in_a_plan_of_one_year(clause):
    assert deadlines_in(clause, date(2026, 1, 1), date(2026, 12, 31)) == []
    assert [d.rule for d in deadlines_in(clause, date(2025, 1, 1), date(2030, 12, 31))] == [{"every": "year", "after_end": 0}]


def test_the_deadline_text_of_a_periodic_report_stops_at_its_period():
    [half, year] = deadlines_in("Định kỳ 06 tháng, 01 năm và đột xuất báo cáo kết quả thực hiện về UBND tỉnh (qua Công an tỉnh).",
                                date(2025, 1, 1), date(2030, 12, 31))
    assert half.text == year.text == "Định kỳ 06 tháng, 01 năm"


# ---------------------------------------------------------------- dues.py

def test_a_task_due_in_a_quarter_and_on_a_day_of_every_year():
    assert task_due_in("Tổ chức Hội thi trong quý III/2026.", date(2026, 1, 1), date(2026, 12, 31)).rule == \
        {"date": date(2026, 9, 30), "relation": "by"}
    assert task_due_in("Tổ chức các hoạt động vào ngày 26/6 hằng năm.", date(2023, 1, 1), date(2025, 12, 31)).rule == \
        {"every": "year", "on": ["26/6"], "relation": "by"}


# ---------------------------------------------------------------- word boundaries, over every document

DOCUMENTS = sorted((ROOT / "examples" / "documents").glob("*.txt")) + sorted(
    [*(ROOT / "tests" / "fixtures" / "extract").glob("*.txt"), *(ROOT / "tests" / "fixtures" / "extract").glob("*.pdf")])
_MADE_UP = {"Báo cáo", "Sơ kết", "Tổng kết", "Báo cáo 6 tháng", "Báo cáo năm", "Báo cáo quý", "Báo cáo tháng",
            "Báo cáo theo quy định", "Kế hoạch cả giai đoạn", "Chỉ tiêu"}


def _flat(s: str) -> str:
    return " ".join(s.replace("*", " ").split())


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_every_name_and_receiver_starts_and_ends_on_a_word_boundary_of_the_document(document):
    from kh.extract import draft_file
    from kh.extract.read import read_lines

    text = _flat(" ".join(read_lines(document)))
    low = ph.clean(text)
    d = draft_file(document, "x").draft
    quoted = [it.name for it in (*d.indicators, *d.obligations, *d.assignees)]
    quoted += [it.to for it in d.obligations] + [it.deadline_text for it in d.obligations]
    bad = []
    for q in quoted:
        q = _flat(q).removesuffix(" …")
        if q in _MADE_UP or q.endswith(" hằng năm") or q == d.plan.issuer:  # the draft's own words
            continue
        for part in re.split(r" \(qua ", q):  # "UBND tỉnh (qua Công an tỉnh)" joins two quotations
            part = ph.clean(part.rstrip(")"))
            hits = [m.start() for m in re.finditer(re.escape(part), low)]
            ok = any((i == 0 or not low[i - 1].isalnum()) and
                     (i + len(part) == len(low) or not low[i + len(part)].isalnum()) for i in hits)
            if not ok:
                bad.append(part)
    assert not bad, bad


def test_what_is_owed_and_to_whom_are_cut_where_their_words_end():
    from kh.extract.obligations import receiver

    clause = ("Tổng hợp, báo cáo Ủy ban nhân dân xã và Công an tỉnh kết quả thực hiện 6 tháng trước ngày 12/6/2026, "
              "kết quả thực hiện năm trước ngày 12/11/2026.")
    assert [d.name for d in deadlines_in(clause, date(2026, 1, 1), date(2026, 12, 31))] == \
        ["Kết quả thực hiện 6 tháng", "Kết quả thực hiện năm"]
    assert receiver(clause, Roster(), "UBND xã X") == "Ủy ban nhân dân xã và Công an tỉnh"
    sent = ("Chế độ báo cáo: các ban, ngành, đoàn thể xã gửi báo cáo về Ủy ban nhân dân xã (qua Công an xã): "
            "báo cáo sơ kết 6 tháng gửi trước ngày 05/6/2026")
    assert receiver(sent, Roster(), "UBND xã X") == "Ủy ban nhân dân xã (qua Công an xã)"
    assert [d.name for d in deadlines_in(sent, date(2026, 1, 1), date(2026, 12, 31))] == ["Báo cáo sơ kết 6 tháng"]


@pytest.mark.parametrize("head, issuer, level, place", [
    (["UBND TỈNH QUẢNG NINH", "SỞ Y TẾ"], "Sở Y tế tỉnh Quảng Ninh", "province", "Quảng Ninh"),
    (["UBND TỈNH LẠNG SƠN", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"], "Sở Văn hóa, Thể thao và Du lịch tỉnh Lạng Sơn",
     "province", "Lạng Sơn"),
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"], "UBND thành phố Hồ Chí Minh", "province", "Thành phố Hồ Chí Minh"),
    (["UỶ", "BAN NHÂN DÂN", "TỈNH TUYÊN QUANG"], "UBND tỉnh Tuyên Quang", "province", "Tuyên Quang"),
])
def test_the_issuer_an_agency_under_its_province_or_a_city(head, issuer, level, place):
    first, _, last = place.rpartition(" ")  # the place broken before its last word, as web copies do
    lines = [*head, "Số: 55/KH", first, f"{last}, ngày 02 tháng 3", "năm 2026", "KẾ HOẠCH", "Điều trị nghiện năm 2026",
             "I. MỤC TIÊU"]
    plan = _header(lines)
    assert (plan["issuer"], plan["level"], plan["place"], plan["title"]) == (issuer, level, place, "Điều trị nghiện năm 2026")
