"""The plan-file reader: every refusal names the file, the line and the item; good files read
back to what they say; export → import → export is identical."""

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from kh import planfile
from kh.errors import KhError

from tests.conftest import SEEDS

MINIMAL = '''format = 1

[plan]
id = "test-2021"
title = "Kế hoạch thử"
issuer = "UBND tỉnh Thử"
level = "province"
start = 2021-01-01
end = 2021-12-31
cutoff = "nd09"

[[assignees]]
name = "Công an tỉnh"
kind = "agency"

[[assignees]]
name = "Sở Y tế"
kind = "agency"

[[tasks]]
ref = "IV.1"
text = "Chủ trì theo dõi"
lead = ["Công an tỉnh"]
support = ["Sở Y tế"]

[[indicators]]
ref = "III.1"
name = "Số vụ bắt giữ"
counts = "vụ"
kind = "change"
comparator = ">="
target = 5
measure = "flow"
periodicity = "yearly"
baseline = 2020
source = "tăng ít nhất 5% so với năm 2020"

[[obligations]]
key = "bc-6-thang"
name = "Báo cáo 6 tháng"
owed_by = ["Sở Y tế"]
to = "Công an tỉnh"
deadline_text = "trước ngày 16/6/2021"
due = { date = 2021-06-16, relation = "before", covers = "2021-H1" }
'''


def test_minimal_plan_reads():
    plan = planfile.loads(MINIMAL, "t.toml")
    assert plan.id == "test-2021" and plan.cutoff_day == 15
    assert plan.tasks[0].lead == ["Công an tỉnh"] and plan.tasks[0].support == ["Sở Y tế"]
    ind = plan.indicators[0]
    assert (ind.kind, ind.comparator, ind.target, ind.unit, ind.baseline_year) == ("change", ">=", 5, "percent", 2020)
    assert plan.obligations[0].due.date == date(2021, 6, 16)


def refused(text: str) -> str:
    with pytest.raises(KhError) as e:
        planfile.loads(text, "t.toml")
    return str(e.value)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old,new,expect,line_needle", [
    ('comparator = ">="', 'comparitor = ">="', "indicators[0].comparitor: unknown key", "comparitor"),
    ('comparator = ">="', 'comparator = "≥="', "indicators[0].comparator", "comparator"),
    ('target = 5', 'target = "5"', "must be a number", "target ="),
    ('level = "province"', 'level = "tinh"', "plan.level", "level ="),
    ('cutoff = "nd09"', 'cutoff = 31', "plan.cutoff", "cutoff"),
    ('lead = ["Công an tỉnh"]', 'lead = ["Công an huyện"]', "is not declared in [[assignees]]", "lead ="),
    ('owed_by = ["Sở Y tế"]', 'owed_by = ["Sở Tài chính"]', "is not declared", "owed_by"),
    ('start = 2021-01-01', 'start = "2021-01-01"', "must be a date", "start ="),
    ('end = 2021-12-31', 'end = 2020-12-31', "before the start", "end ="),
    ('baseline = 2020\n', '', "needs baseline", "[[indicators]]"),
    ('kind = "change"', 'kind = "percentage"', "is not one of", "kind = \"percentage\""),
    ('relation = "before", covers', 'relation = "truoc", covers', "relation", "due ="),
    ('covers = "2021-H1"', 'covers = "2021-H3"', "not a period", "due ="),
    ('date = 2021-06-16,', 'date = 2021-06-31,', "invalid TOML", None),
    ('format = 1', 'format = 2', "format", "format"),
])
def test_refused_with_file_line_and_item(old, new, expect, line_needle):
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    msg = refused(text)
    assert expect in msg
    assert msg.startswith("t.toml:")
    if line_needle:
        assert msg.startswith(f"t.toml:{line_of(text, line_needle)}:"), msg


def test_duplicate_ref_is_refused():
    text = MINIMAL + MINIMAL[MINIMAL.index("[[indicators]]"):MINIMAL.index("[[obligations]]")]
    assert "'III.1' is already used by indicators[0]" in refused(text)


def test_duplicate_assignee_in_another_unicode_form_is_refused():
    text = MINIMAL.replace('name = "Sở Y tế"', f'name = "{unicodedata.normalize("NFD", "Công an tỉnh")}"')
    assert "already used" in refused(text)


def test_recurring_rule_needs_one_day_per_period():
    text = MINIMAL.replace('due = { date = 2021-06-16, relation = "before", covers = "2021-H1" }',
                           'due = { every = "half", on = ["16/6"], relation = "before" }')
    assert "needs 2 day(s)" in refused(text)
    text = text.replace('on = ["16/6"]', 'on = ["16/6", "31/02"]')
    assert "31/02" in refused(text)


def test_zero_target_takes_no_value():
    text = MINIMAL.replace('kind = "change"', 'kind = "zero"').replace('baseline = 2020\n', '')
    assert "always = 0" in refused(text)


def test_share_above_100_percent_is_refused():
    text = MINIMAL.replace('kind = "change"', 'kind = "share"').replace("target = 5", "target = 120")
    assert "cannot exceed 100" in refused(text)


def test_milestones_are_years_inside_the_span():
    text = (MINIMAL.replace('kind = "change"', 'kind = "milestones"\nof = "share"')
            .replace("target = 5\n", "milestones = { 2021 = 75 }\n"))
    assert planfile.loads(text).indicators[0].milestones == {2021: 75}
    assert "outside the plan's span" in refused(text.replace("{ 2021 = 75 }", "{ 2018 = 75 }"))


def test_decomposed_text_is_stored_composed():
    text = MINIMAL.replace("Chủ trì theo dõi", unicodedata.normalize("NFD", "Chủ trì theo dõi"))
    assert planfile.loads(text).tasks[0].text == "Chủ trì theo dõi"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_export_import_export_is_identical(path):
    once = planfile.dumps(planfile.load(path))
    twice = planfile.dumps(planfile.loads(once, "export"))
    assert once == twice


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_is_a_plan_or_a_clean_refusal(s):
    try:
        planfile.loads(s, "fuzz.toml")
    except KhError:
        pass


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(MINIMAL.splitlines()), st.text(max_size=20))
def test_mangled_lines_are_refused_cleanly(line, junk):
    try:
        planfile.loads(MINIMAL.replace(line, line[: len(line) // 2] + junk, 1), "fuzz.toml")
    except KhError:
        pass
