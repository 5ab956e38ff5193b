"""One declaration per plan element (kh/model.py) drives the plan file and the store: a plan that
sets every declared field comes back equal through the file and through the store, and every
declared column is a column of the element's table.

Adding a field to a plan: give FULL a value for it (the last test says so when it is missing)."""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import datetime

import pytest

from kh import model, planfile
from kh.model import Assignee, Indicator, Obligation, Phase, Plan, Step, Task, declared
from kh.store import open_store, plans
from kh.store.db import init
from kh.store.schema import metadata

from tests.conftest import new_target

TABLES = {Plan: "plan", Phase: "phase", Step: "step", Assignee: "assignee", Task: "task",
          Indicator: "indicator", Obligation: "obligation"}
STORE_ONLY = {"id", "plan_id", "position", "imported_at"}  # what the store adds to each row

FULL = '''format = 1

[plan]
id = "full-2021"
number = "12/KH-UBND"
title = "Kế hoạch đầy đủ"
issuer = "UBND tỉnh Thử"
level = "district"
place = "Thử"
issued_on = 2020-12-20
start = 2021-01-01
end = 2025-12-31
cutoff = "nd09"
due_soon_days = 10
working_days = true
implements = ["Quyết định 1", "Chỉ thị 2"]
area = "40"
source = "Căn cứ"
note = "Ghi chú kế hoạch"

[[phases]]
key = "gd1"
name = "Giai đoạn 1"
start = 2021-02-01
end = 2022-12-31
text = "Triển khai"
source = "I.1"
note = "pha"

[[steps]]
number = 1
text = "Bước một"
phase = "gd1"
source = "II.1"
note = "bước"

[[assignees]]
name = "Công an tỉnh"
kind = "agency"
aliases = ["PC04"]
note = "cơ quan thường trực"

[[assignees]]
name = "Sở Y tế"
kind = "agency"

[[tasks]]
ref = "IV.1"
text = "Chủ trì theo dõi"
lead = ["Công an tỉnh"]
support = ["Sở Y tế"]
phase = "gd1"
due = { date = 2021-06-30, relation = "by" }
source = "IV.1 gốc"
note = "nhiệm vụ"

[[indicators]]
ref = "III.1"
name = "Số vụ bắt giữ"
counts = "vụ"
kind = "change"
comparator = ">"
target = 5.5
unit = "count"
measure = "flow"
periodicity = "by_year"
by = 2025
baseline = 2020
baseline_value = 1504
per_unit = "commune"
source = "tăng hơn 5,5 vụ so với năm 2020"
note = "chỉ tiêu"

[[indicators]]
ref = "III.2"
name = "Tỷ lệ xã"
counts = "xã"
decimals = 2
kind = "milestones"
comparator = ">="
of = "share"
measure = "stock"
periodicity = "yearly"
baseline = "previous"
milestones = { 2022 = 50, 2025 = 80.5 }
reported_by = "district"
carry_forward = true
denominator_measure = "fixed"
denominator_value = 200
source = "đạt 50% năm 2022, 80,5% năm 2025"

[[obligations]]
key = "bc-6-thang"
name = "Báo cáo 6 tháng"
owed_by = ["Sở Y tế"]
to = "Công an tỉnh"
deadline_text = "trước ngày 16/6"
due = { every = "half", on = ["16/6", "16/12"], relation = "before", from = 2022, until = 2024 }
source = "V.1"
note = "báo cáo"

[[obligations]]
key = "bc-nam"
name = "Báo cáo năm"
owed_by = "all"
except = ["Công an tỉnh"]
to = "Công an tỉnh"
deadline_text = "năm 2021"
due = { year = 2021, covers = "2021" }
'''


def _elements(plan: Plan):
    yield plan
    for part in model.PARTS:
        yield from getattr(plan, part)


def test_every_declared_column_is_in_its_table_and_every_column_is_declared():
    for cls, name in TABLES.items():
        table = metadata.tables[name]
        declared_columns = {s.column for _, s in declared(cls) if s.column is not None}
        assert declared_columns - set(table.c.keys()) == set(), f"{cls.__name__}: no such column in {name}"
        assert set(table.c.keys()) - declared_columns - STORE_ONLY == set(), \
            f"{name}: columns no field of {cls.__name__} declares"


def test_a_plan_with_every_field_set_comes_back_equal_through_the_file():
    plan = planfile.loads(FULL, "full.toml")
    assert planfile.loads(planfile.dumps(plan), "export") == plan


def test_a_plan_with_every_field_set_comes_back_equal_through_the_store(tmp_path):
    plan = planfile.loads(FULL, "full.toml")
    target = str(new_target(tmp_path))
    init(target)
    store = open_store(target)
    try:
        with store.begin() as conn:
            assert plans.save(conn, plan, now=datetime(2026, 1, 2, 3, 4)) is True
        with store.read() as conn:
            back = plans.load(conn, plan.id)
        assert back == plan
        with store.begin() as conn:  # saved again over itself: still equal (the update path)
            assert plans.save(conn, back, now=datetime(2026, 1, 2, 3, 5)) is False
        with store.read() as conn:
            assert plans.load(conn, plan.id) == plan
    finally:
        store.close()


def _default(f):
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:
        return f.default_factory()
    return MISSING


@pytest.mark.parametrize("cls", list(TABLES), ids=lambda c: c.__name__)
def test_full_sets_every_declared_field(cls):
    # Without this, a field missing from the mapping would come back as its default, unseen.
    plan = planfile.loads(FULL, "full.toml")
    items = [x for x in _elements(plan) if type(x) is cls]
    names = {name for name, _ in declared(cls)}
    for f in fields(cls):
        if f.name in names:
            default = _default(f)
            assert any(getattr(x, f.name) != default for x in items), \
                f"FULL sets no {cls.__name__}.{f.name} other than its default; add one"
