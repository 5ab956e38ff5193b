"""The phrase table of kh extract (kh/extract/phrases.py, core.py): one clause in, plain values out."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kh.deadlines import last_on_time
from kh.extract import phrases as ph
from kh.extract.core import Context, assignees_and_tasks, deadlines_in, targets_in, task_due_in
from kh.extract.doc import clauses, paragraphs
from kh.extract.names import heading_name, key, split_names

ONE_YEAR = Context(date(2021, 1, 1), date(2021, 12, 31))
FOUR_YEARS = Context(date(2017, 1, 1), date(2020, 12, 31))
MONTH = Context(date(2024, 6, 1), date(2024, 6, 30))


@pytest.mark.parametrize("before, after, expected", [
    ("tăng ít nhất ", "", ">="), ("", " trở lên người nghiện", ">="), ("không dưới ", "", ">="),
    ("trên ", "", ">"), ("đưa hơn ", "", ">"), ("giảm từ hơn ", "", ">"), ("vượt ", "", ">"),
    ("không quá ", "", "<="), ("dưới ", "", "<"), ("tối thiểu ", "", ">="), ("", " người", ">="),
])
def test_comparators(before, after, expected):
    assert ph.comparator(before, after)[0] == expected


@pytest.mark.parametrize("text, expected", [
    ("tăng ít nhất 5% so với năm 2020", 2020), ("so với năm trước", "previous"),
    ("so với số liệu thống kê năm 2020", 2020), ("năm sau cao hơn năm trước", "previous"),
    ("so với thời điểm 31/12/2021 (312 người)", 2021), ("so với cùng kỳ", "previous"), ("100% xã", None),
])
def test_baselines(text, expected):
    assert ph.baseline(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("hằng năm, giảm số người nghiện", ("yearly", None)), ("mỗi năm đưa hơn 1%", ("yearly", None)),
    ("1 mô hình điểm tại xã/năm", ("yearly", None)), ("ít nhất 01 buổi tuyên truyền/01 năm học", ("yearly", None)),
    ("phấn đấu đến năm 2030 đạt ít nhất 50%", ("by_year", 2030)), ("100% xã", None),
])
def test_periodicity(text, expected):
    assert ph.periodicity(ph.clean(text)) == expected


def test_milestones_of_a_share_and_of_a_count():
    assert ph.milestones("đến năm 2018, đạt 75% và năm 2020 đạt 100% xã") == ({2018: 75, 2020: 100}, "share")
    assert ph.milestones("đến hết năm 2025 có ít nhất 10/18 thôn, đến năm 2026 có 100% thôn") == \
        ({2025: 10, 2026: 18}, "count")
    assert ph.milestones("đến năm 2020 đạt 70%") == ({}, "")


def _one(clause, ctx=ONE_YEAR):
    found = targets_in(clause, ctx)
    assert len(found) == 1, found
    return found[0]


def test_a_change_against_a_year():
    t = _one("Số vụ phát hiện, bắt giữ tội phạm về ma túy năm 2021 tăng ít nhất 5% so với năm 2020")
    assert (t.kind, t.comparator, t.target, t.baseline, t.periodicity) == \
        ("change", ">=", 5, 2020, "yearly")


def test_a_share_or_more_and_a_share_of_a_baseline():
    assert _one("70% trở lên người nghiện có hồ sơ được cai nghiện").kind == "share"
    t = _one("triệt xóa ít nhất 20% số điểm, tụ điểm phức tạp về ma túy so với số liệu thống kê năm 2020.")
    assert (t.kind, t.target, t.baseline) == ("share_of_baseline", 20, 2020)


def test_strictly_more_and_by_a_year():
    t = _one("Trên 80% số trạm y tế cấp xã đủ điều kiện đến năm 2030", Context(date(2025, 1, 1), date(2030, 12, 31)))
    assert (t.comparator, t.periodicity, t.by) == (">", "by_year", 2030)


def test_zero_decrease_and_count():
    assert _one("Không để tái trồng cây có chứa chất ma túy").kind == "zero"
    t = _one("giảm hơn 01 xã, phường, thị trấn có ma túy so với năm trước", FOUR_YEARS)
    assert (t.kind, t.comparator, t.target, t.baseline, t.periodicity) == \
        ("decrease", ">", 1, "previous", "yearly")
    t = _one("Giữ và làm giảm số người nghiện ma túy")
    assert (t.kind, t.comparator, t.target) == ("decrease", ">", 0)
    t = _one("phấn đấu làm giảm tính chất phức tạp ít nhất 10 địa bàn cấp xã trọng điểm về ma túy")
    assert (t.kind, t.comparator, t.target) == ("count", ">=", 10)
    t = _one("mỗi huyện, thành phố xây dựng được 1 mô hình điểm về phòng, chống ma túy tại xã, phường, thị trấn/năm",
             FOUR_YEARS)
    assert (t.kind, t.target, t.per_unit, t.periodicity) == ("count", 1, "district", "yearly")
    assert _one("duy trì điều trị Methadone cho trên 1.200 người bệnh").target == 1200


def test_two_figures_in_one_clause_are_two_targets():
    found = targets_in("80% số người cai nghiện tại các cơ sở, 40% số người cai nghiện tại gia đình được đào tạo nghề.",
                       ONE_YEAR)
    assert [t.target for t in found] == [80, 40]


def test_a_range_keeps_its_floor():
    t = _one("triệt xóa từ 5 - 10% số điểm ma túy mỗi năm", FOUR_YEARS)
    assert (t.target, t.comparator, t.periodicity) == (5, ">=", "yearly")


def test_outside_the_targets_sections_only_zeros_count():
    ctx = Context(date(2021, 1, 1), date(2021, 12, 31), in_targets=False)
    assert targets_in("tăng ít nhất 5% so với năm 2020", ctx) == []
    assert [t.kind for t in targets_in("tuyệt đối không để hình thành các tụ điểm", ctx)] == ["zero"]


def _due(clause, start=date(2021, 1, 1), end=date(2021, 12, 31)):
    return [d.rule for d in deadlines_in(clause, start, end)]


def test_deadlines():
    assert _due("Báo cáo 6 tháng gửi trước ngày 16/6/2021") == [{"date": date(2021, 6, 16), "relation": "before"}]
    # A day without a year takes the plan's year.
    assert _due("báo cáo kết quả trước ngày 05/7", date(2024, 6, 1), date(2024, 6, 30)) == \
        [{"date": date(2024, 7, 5), "relation": "before"}]
    assert _due("định kỳ 06 tháng, 01 năm và đột xuất báo cáo kết quả") == \
        [{"every": "half", "after_end": 0}, {"every": "year", "after_end": 0}]
    assert {"year": 2018} in _due("Định kỳ (6 tháng và hàng năm), sơ kết giữa kỳ (năm 2018) và tổng kết có báo cáo",
                                  date(2017, 1, 1), date(2020, 12, 31))
    assert {"year": 2020} in _due("sơ kết giữa kỳ (năm 2018) và tổng kết có báo cáo về UBND tỉnh",
                                  date(2017, 1, 1), date(2020, 12, 31))
    assert _due("báo cáo trước ngày 16/6 và ngày 16/12 hằng năm", date(2025, 8, 12), date(2026, 12, 31)) == \
        [{"every": "half", "on": ["16/6", "16/12"], "relation": "before"}]
    assert _due("báo cáo quý trước ngày 12 của tháng cuối quý") == [{"every": "quarter", "day": 12, "relation": "before"}]
    assert _due("chậm nhất ngày 30/11/2021 gửi hồ sơ") == [{"date": date(2021, 11, 30), "relation": "by"}]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_before_a_day_is_due_the_day_before(day):
    (rule,) = _due(f"gửi báo cáo trước ngày {day.day}/{day.month}/{day.year}.", date(day.year, 1, 1),
                   date(day.year, 12, 31))
    assert rule == {"date": day, "relation": "before"}
    assert last_on_time(rule["date"], rule["relation"]) == day - timedelta(days=1)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_a_day_without_its_year_belongs_to_the_plans_year(day):
    (rule,) = _due(f"trước ngày {day.day:02d}/{day.month}", date(day.year, 1, 1), date(day.year, 12, 31))
    assert rule["date"] == day


@given(st.integers(1, 99), st.sampled_from(["ít nhất", "trên", "hơn", "không dưới"]))
def test_any_percent_with_a_comparator_is_read(value, word):
    t = _one(f"{word} {value}% người nghiện được điều trị")
    assert t.target == value and t.comparator == ph.comparator(word + " ")[0]


def test_heading_names_and_their_split():
    assert heading_name("Đề nghị Tỉnh đoàn, Hội Liên hiệp Phụ nữ tỉnh, Hội Cựu chiến binh") == \
        "Tỉnh đoàn, Hội Liên hiệp Phụ nữ tỉnh, Hội Cựu chiến binh"
    assert heading_name("Sở Tư pháp: Chủ trì, phối hợp với các đơn vị") == "Sở Tư pháp"
    assert heading_name("Công an tỉnh (Cơ quan Thường trực Ban Chỉ đạo 138 tỉnh)") == "Công an tỉnh"
    assert [n for n, _ in split_names("Sở Lao động, Thương binh và Xã hội")] == ["Sở Lao động, Thương binh và Xã hội"]
    assert split_names("Viện kiểm sát nhân dân, Tòa án nhân dân tỉnh") == \
        [("Viện kiểm sát nhân dân", ["Viện kiểm sát nhân dân tỉnh"]), ("Tòa án nhân dân tỉnh", [])]
    assert [n for n, _ in split_names("Báo và Đài Phát thanh Truyền hình Lạng Sơn")] == \
        ["Báo và Đài Phát thanh Truyền hình Lạng Sơn"]
    assert key("Sở Văn hoá và Thể thao") == key("sở văn hóa và thể thao")
    assert heading_name("Công an huyện - Cơ quan Thường trực Ban Chỉ đạo 138 huyện") == "Công an huyện"
    assert heading_name("Sở Lao động - Thương binh và Xã hội") == "Sở Lao động - Thương binh và Xã hội"


def test_plus_items_under_a_numbered_item_are_tasks_of_their_own():
    lines = ["5. PHÂN CÔNG TRÁCH NHIỆM", "5.1. Công an thành phố (Cơ quan thường trực Chương trình)",
             "+ Chủ trì tham mưu Ủy ban nhân dân thành phố chỉ đạo.", "+ Tham mưu tổ chức Hội nghị sơ kết."]
    body = paragraphs(lines)
    _, tasks, _ = assignees_and_tasks(body, {"5": "assign"})
    assert [(t.ref, t.lead) for t in tasks] == \
        [("5.1-1", ["Công an thành phố"]), ("5.1-2", ["Công an thành phố"])]


def test_wrapped_lines_join_and_list_items_do_not():
    paras = paragraphs(["III. MỘT SỐ CHỈ TIÊU", "", "5. Làm tốt; 80% số", "", "người cai nghiện.",
                        "a) Tăng cường", "- Mục tiêu:"])
    assert [(p.line, p.ref) for p in paras] == [(1, "III"), (3, "III.5"), (6, "III.5.a"), (7, "III.5.a-1")]
    assert paras[1].body == "Làm tốt; 80% số người cai nghiện."
    assert clauses("gửi về (qua Phòng PC04; số 15) trước ngày 05/7; báo cáo") == \
        ["gửi về (qua Phòng PC04; số 15) trước ngày 05/7", "báo cáo"]


# ---------------------------------------------------------------- due dates of tasks

def _task_due(text, start=date(2023, 1, 1), end=date(2023, 12, 31), phases=frozenset()):
    found = task_due_in(text, start, end, set(phases))
    return None if found is None else (found.phase or found.rule)


def test_task_dues():
    assert _task_due('tổ chức Lễ mít tinh hưởng ứng "Ngày toàn dân phòng, chống ma túy" vào ngày 26/6/2023.') == \
        {"date": date(2023, 6, 26), "relation": "by"}
    assert _task_due("các hoạt động hưởng ứng “Ngày toàn dân PCMT” - 26/6/2024.", date(2024, 6, 1),
                     date(2024, 6, 30)) == {"date": date(2024, 6, 26), "relation": "by"}
    assert _task_due("gửi tin nhắn tuyên truyền đến các thuê bao di động trong tháng 6/2023.") == \
        {"date": date(2023, 6, 30), "relation": "by"}
    assert _task_due("triệt phá diện tích trồng cây thuốc phiện ngay từ đầu vụ (tháng 01 đến tháng 3/2023).") == \
        {"date": date(2023, 3, 31), "relation": "by"}
    assert _task_due("tổ chức Hội nghị sơ kết Giai đoạn 1 trong quý IV/2027.", date(2026, 1, 1), date(2030, 12, 31)) == \
        {"date": date(2027, 12, 31), "relation": "by"}
    assert _task_due("gửi tin nhắn tuyên truyền trong tháng 6 hằng năm;", date(2026, 1, 1), date(2030, 12, 31)) == \
        {"every": "year", "on": ["30/6"], "relation": "by"}
    assert _task_due("hoàn thành việc rà soát các điểm phức tạp trước ngày 30/9/2023.") == \
        {"date": date(2023, 9, 30), "relation": "before"}
    assert _task_due("hoàn thành việc sửa chữa trụ sở trong năm 2018.", date(2017, 1, 1), date(2020, 12, 31)) == \
        {"year": 2018}
    assert _task_due("Hằng năm, trang bị thêm các thiết bị, phương tiện.", date(2025, 1, 1), date(2030, 12, 31)) == \
        {"every": "year", "after_end": 0}


def test_a_task_tied_to_a_phase_is_due_at_its_end():
    assert _task_due("ký cam kết tại thôn, hoàn thành trong Giai đoạn 1.", phases={"gd1", "gd2"}) == "gd1"
    assert _task_due("tổng kết việc thực hiện Kế hoạch khi kết thúc Giai đoạn 2.", phases={"gd1", "gd2"}) == "gd2"
    assert _task_due("ký cam kết tại thôn, hoàn thành trong Giai đoạn 3.", phases={"gd1", "gd2"}) is None
    assert _task_due("xây dựng Chương trình trong giai đoạn 2021 - 2025.", phases={"gd1", "gd2"}) is None
    # A date of its own comes first: "sơ kết Giai đoạn 1 trong tháng 01/2026".
    assert _task_due("tổ chức Hội nghị sơ kết Giai đoạn 1 trong tháng 01/2026.", date(2025, 8, 12), date(2026, 12, 31),
                     phases={"gd1"}) == {"date": date(2026, 1, 31), "relation": "by"}


def test_what_is_not_a_tasks_due():
    # A cited document's date, a plan's "năm 2023", a target's "đến năm 2030", a bare "24/7".
    assert _task_due("triển khai Kế hoạch số 73/KH-UBND ngày 28/3/2023 của UBND tỉnh về Chương trình.") is None
    assert _task_due("thực hiện Chỉ thị số 36-CT/TW, ngày 16/8/2019 của Bộ Chính trị.") is None
    assert _task_due("Xây dựng kế hoạch PCMT năm 2023 của địa phương.") is None
    assert _task_due("phân bổ kinh phí Chương trình MTQG đến năm 2030.", date(2025, 1, 1), date(2030, 12, 31)) is None
    assert _task_due("duy trì đường dây nóng trực 24/7.") is None
    assert _task_due("bắt đầu từ tháng 9/2023, tổ chức giao ban.") is None
    # What is sent or reported by a day is a report obligation, not repeated on the task.
    assert _task_due("Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 20/12/2023.") is None
    assert _task_due("Tổng hợp báo cáo 6 tháng, năm gửi Công an tỉnh trước ngày 16/6 và ngày 16/12 hằng năm.",
                     date(2025, 8, 12), date(2026, 12, 31)) is None
    assert _task_due("lập dự toán kinh phí vào dự toán ngân sách hằng năm.", date(2025, 1, 1), date(2030, 12, 31)) is None


def test_completing_by_a_day_is_the_tasks_due_not_a_report():
    clause = "hoàn thành việc rà soát các điểm phức tạp trước ngày 30/9/2023"
    assert _due(clause, date(2023, 1, 1), date(2023, 12, 31)) == [{"date": date(2023, 9, 30), "relation": "before"}]
    assert [d.rule for d in deadlines_in(clause, date(2023, 1, 1), date(2023, 12, 31), in_task=True)] == []
    sent = "hoàn thành hồ sơ, gửi Công an tỉnh trước ngày 30/9/2023"
    assert len(deadlines_in(sent, date(2023, 1, 1), date(2023, 12, 31), in_task=True)) == 1


def test_a_yearly_plan_kept_by_its_body_is_a_task_a_sent_one_is_owed():
    start, end = date(2025, 1, 1), date(2030, 12, 31)
    kept = "Cụ thể hóa các nhiệm vụ vào kế hoạch phát triển kinh tế - xã hội hằng năm của địa phương"
    assert _due(kept, start, end) == []
    assert _task_due(kept, start, end) == {"every": "year", "after_end": 0}
    assert _due("Xây dựng kế hoạch hằng năm gửi Ban Chỉ đạo 138 tỉnh (qua Công an tỉnh)", start, end) == \
        [{"every": "year", "after_end": 0}]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(["vào ngày", "ngày", "-"]))
def test_a_tasks_day_is_due_on_that_day(day, word):
    got = _task_due(f"tổ chức mít tinh {word} {day.day}/{day.month}/{day.year}.", date(day.year, 1, 1),
                    date(day.year, 12, 31))
    assert got == {"date": day, "relation": "by"}


@given(st.integers(2000, 2099), st.integers(1, 12), st.booleans())
def test_a_month_is_due_by_its_last_day(year, month, padded):
    m = f"{month:02d}" if padded else str(month)
    got = _task_due(f"gửi tin nhắn tuyên truyền trong tháng {m}/{year}.", date(year, 1, 1), date(year, 12, 31))
    assert got == {"date": date(year, month, calendar.monthrange(year, month)[1]), "relation": "by"}
    window = _task_due(f"rà soát ngay từ đầu vụ (tháng 01 đến tháng {m}/{year}).", date(year, 1, 1), date(year, 12, 31))
    assert window == got


@given(st.integers(2000, 2099), st.sampled_from([("I", 3), ("II", 6), ("III", 9), ("IV", 12), ("4", 12)]))
def test_a_quarter_is_due_by_its_last_day(year, quarter):
    roman, last_month = quarter
    got = _task_due(f"tổ chức Hội nghị sơ kết trong quý {roman}/{year}.", date(year, 1, 1), date(year + 4, 12, 31))
    assert got == {"date": date(year, last_month, calendar.monthrange(year, last_month)[1]), "relation": "by"}


def test_a_day_without_its_year():
    assert _task_due("tổ chức mít tinh vào ngày 26/6.") == {"date": date(2023, 6, 26), "relation": "by"}
    found = task_due_in("tổ chức mít tinh vào ngày 26/6.", date(2025, 1, 1), date(2030, 12, 31))
    assert found.rule == {"every": "year", "on": ["26/6"], "relation": "by"} and found.todo


def test_a_task_takes_its_heading_s_day_and_the_draft_imports():
    from kh import planfile
    from kh.extract import draft_lines

    lines = ["UBND TỈNH HÀ GIANG", "KẾ HOẠCH", "Phòng, chống ma túy năm 2023", "I. MỤC ĐÍCH",
             "Bảo đảm hiệu quả.", "II. PHÂN CÔNG NHIỆM VỤ",
             "1. Sở Thông tin và Truyền thông (trong tháng 6/2023)",
             "- Chỉ đạo các doanh nghiệp viễn thông gửi tin nhắn tuyên truyền.",
             "2. Công an tỉnh", "- Tổ chức Lễ mít tinh vào ngày 26/6/2023.",
             "- Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 20/12/2023."]
    result = draft_lines(lines, "t.txt", "hg-t")
    plan = planfile.loads(result.text, "<draft>")
    dues = {t.ref: t.due.to_dict() if t.due else None for t in plan.tasks}
    assert dues == {"II.1-1": {"date": date(2023, 6, 30), "relation": "by"},
                    "II.2-1": {"date": date(2023, 6, 26), "relation": "by"}, "II.2-2": None}
    assert "# TODO check: read from the heading of the item" in result.text
    assert [o.due.to_dict()["date"] for o in plan.obligations] == [date(2023, 12, 20)]
