"""One declaration per plan element (kh/model.py) drives the plan file, the store's tables and
its save and load: a plan that sets every declared field comes back equal through the file and
through the store, every declared key has its line in docs/plan-format.md, and adding a field
takes the steps of docs/architecture.md ("Adding a field to a plan"), which the last test walks.

Adding a field to a plan: give FULL a value for it (a test says so when it is missing)."""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, fields
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from kh import model, planfile
from kh.model import NUMBER, Assignee, Indicator, Obligation, Phase, Plan, Step, Task, attr, declared
from kh.store import migrations, open_store, plans
from kh.store.db import init
from kh.store.schema import ELEMENT_TABLES, declared_columns, element_table, metadata

from tests.conftest import _url, new_target
from tests.store.test_migrations import schema_differences

ROOT = Path(__file__).resolve().parents[2]

TABLES = {Plan: "plan", Phase: "phase", Step: "step", Assignee: "assignee", Task: "task",
          Indicator: "indicator", Obligation: "obligation"}
SECTIONS = {Plan: "[plan]", Phase: "[[phases]]", Step: "[[steps]]", Assignee: "[[assignees]]",
            Task: "[[tasks]]", Indicator: "[[indicators]]", Obligation: "[[obligations]]"}
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


def test_each_element_table_is_its_declared_columns_and_what_the_store_adds():
    for cls, name in TABLES.items():
        table = metadata.tables[name]
        assert ELEMENT_TABLES[cls] is table
        columns = [s.column for _, s in declared(cls) if s.column is not None]
        assert [c for c in table.c.keys() if c in columns] == columns, name
        assert set(table.c.keys()) - set(columns) <= STORE_ONLY, name


def test_a_column_takes_its_type_and_nullability_from_the_field():
    ind, task, ob, plan = (metadata.tables[n].c for n in ("indicator", "task", "obligation", "plan"))
    assert (type(ind.target.type), ind.target.nullable) == (sa.Float, True)
    assert (type(ind.by_year.type), ind.by_year.nullable) == (sa.Integer, True)  # column="by_year"
    assert (type(ind.carry_forward.type), ind.carry_forward.nullable) == (sa.Boolean, False)
    assert (type(ind.milestones.type), ind.milestones.nullable) == (sa.JSON, False)
    assert (type(task.due.type), task.due.nullable) == (sa.JSON, True)  # a DeadlineRule | None
    assert (type(ob.due.type), ob.due.nullable) == (sa.JSON, False)
    assert (type(plan.start.type), plan.start.nullable) == (sa.Date, False)
    assert plan.id.primary_key and not plan.number.primary_key
    assert "owed_by" not in ob and "lead" not in task  # column=None: links, not columns


def test_a_field_of_two_types_has_no_column_type_and_says_so():
    @dataclass(kw_only=True)
    class Odd:
        year: int | str = attr(type=(str, int))

    with pytest.raises(TypeError, match=r"Odd\.year: one type"):
        declared_columns(Odd)


def format_keys(text: str) -> dict[str, set[str]]:
    """docs/plan-format.md: each ``## `[table]` `` section → the keys its table rows name."""
    out: dict[str, set[str]] = {}
    section = None
    for line in text.splitlines():
        if line.startswith("#"):
            m = re.match(r"^## `(\[\[?[a-z]+\]\]?)`", line)
            section = m.group(1) if m else None
            if section:
                out[section] = set()
        elif section and line.startswith("| `"):
            out[section] |= set(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return out


def undocumented(cls: type, keys: dict[str, set[str]], section: str) -> list[str]:
    return [s.key for _, s in declared(cls) if s.key is not None and s.key not in keys.get(section, set())]


def test_every_declared_key_has_its_line_in_the_plan_format_page():
    keys = format_keys((ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8"))
    assert keys["[[indicators]]"] >= {"ref", "baseline", "denominator_value"}  # the reader reads
    for cls, section in SECTIONS.items():
        assert undocumented(cls, keys, section) == [], \
            f"docs/plan-format.md, {section}: no line for these keys of {cls.__name__}"


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


@dataclass(kw_only=True)
class Weighted(Indicator):
    """Indicator with one field more: step 1 of adding a field, made without editing kh/model.py."""

    weight: float | None = attr(None, type=NUMBER)


def _add_weight(op) -> None:
    op.add_column("indicator", sa.Column("weight", sa.Float))


def test_adding_a_field_takes_the_declaration_one_migration_and_the_docs(tmp_path, monkeypatch):
    """docs/architecture.md, "Adding a field to a plan", step by step, with Indicator.weight."""
    # 1. The declaration. The indicator table follows from it …
    md = sa.MetaData()
    for table in metadata.tables.values():
        if table.name != "indicator":
            table.to_metadata(md)
    new = element_table("indicator", Weighted, unique="ref", into=md)
    assert "weight" in new.c
    # … and a store without the migration is told which one to write.
    target = new_target(tmp_path)
    init(str(target))
    assert schema_differences(_url(target), md) == [
        f"indicator.weight: Weighted.weight is declared in kh/model.py, but no migration adds the "
        f"column: append migration {migrations.LATEST + 1} to MIGRATIONS in kh/store/migrations.py"]
    # 2. One migration, appended: kh init upgrades the store, which then equals the tables.
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, _add_weight])
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    assert init(str(target)) == (migrations.LATEST - 1, migrations.LATEST)
    assert schema_differences(_url(target), md) == []
    # The store's save and load carry the field with no other change (to_row / from_row).
    plan = planfile.loads(FULL, "full.toml")
    heavy = Weighted(**{f.name: getattr(plan.indicators[0], f.name) for f in fields(Indicator)}, weight=0.25)
    engine = sa.create_engine(_url(target), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(md.tables["plan"]), dict(model.to_row(plan), imported_at=datetime(2026, 1, 2)))
            conn.execute(sa.insert(new), dict(model.to_row(heavy), plan_id=plan.id, position=0))
            row = conn.execute(sa.select(new)).mappings().one()
    finally:
        engine.dispose()
    assert model.from_row(Weighted, row) == heavy
    # 3. The docs: the plan-format page has no line for it yet, and the check says so.
    keys = format_keys((ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8"))
    assert undocumented(Weighted, keys, "[[indicators]]") == ["weight"]
