"""The plan-file reader: every refusal names the file, the line and the item; good files read
back to what they say; export → import → export is identical."""

import re
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


_ASSIGNMENTS = [line for line in MINIMAL.splitlines() if " = " in line]
_VALUES = st.one_of(
    st.integers(-3, 3000), st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans(),
    st.text(max_size=12), st.sampled_from(["", "all", "previous", "nd09", "calendar", "Sở Y tế", "2021-H1",
                                           "share", "count", "zero", "milestones", "by_year", "<", "="]),
    st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)),
    st.lists(st.sampled_from(["Công an tỉnh", "Sở Y tế", "Sở Tài chính", "", "16/6", "31/02"]), max_size=3),
    st.dictionaries(st.sampled_from(["2021", "2030", "x"]), st.integers(0, 120), max_size=2))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_ASSIGNMENTS), _VALUES)
def test_any_value_for_any_key_reads_back_the_same_or_is_refused_where_it_is(line, value):
    """Valid TOML, one key given another value: the plan either round-trips through the writer
    unchanged, or the refusal names the file, the item, and the line where that item is."""
    import tomli_w

    key = line.split(" = ", 1)[0]
    if isinstance(value, dict):  # inline, as a plan writes milestones
        written = f"{key} = {{ " + ", ".join(f'"{k}" = {v}' for k, v in value.items()) + " }"
    else:
        written = tomli_w.dumps({key.strip(): value}).strip()
    text = MINIMAL.replace(line, written, 1)
    try:
        plan = planfile.loads(text, "fuzz.toml")
    except KhError as e:
        m = re.match(r"fuzz\.toml:(\d+): ([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)*): .+", str(e))
        assert m, str(e)
        number, item = int(m.group(1)), m.group(2)
        at = text.splitlines()[number - 1]
        last = item.rsplit(".", 1)[-1].split("[")[0]
        # The line holds the item's key (inline tables too), or, for a key that is missing
        # or a rule about the whole item, the header of its table.
        whole = "is missing" in str(e) or "needs" in str(e) or "exactly one of" in str(e)
        assert (re.match(rf"\s*{last}\s*=", at) or f" {last} =" in at or f"{{ {last} =" in at
                or (whole and at.startswith("["))), (str(e), at)
    else:
        assert planfile.loads(planfile.dumps(plan), "export") == plan


def test_the_fuzz_value_reaches_the_file():
    # The test above must change the file it reads (else it only ever reads MINIMAL).
    line = 'target = 5'
    assert line in _ASSIGNMENTS
    import tomli_w

    text = MINIMAL.replace(line, tomli_w.dumps({"target": "5"}).strip(), 1)
    assert 'target = "5"' in text and "must be a number" in refused(text)
