"""kh history: every change to a figure, a submission, a task or a plan — who, when, old, new, why."""

from tests.conftest import PLANS, by, recorder


def test_changes_are_kept_with_who_when_old_new_and_why(world, tmp_path):
    k = world
    k.ok("record", "na-2021", "III.1-1", "130", "--unit", "40", "--period", "2021", *by("Lê Văn A"),
         "--as-of", "2022-01-01")
    k.ok("record", "na-2021", "III.1-1", "135", "--unit", "40", "--period", "2021", "--replace", *by("Trần Thị B"),
         "--reason", "sửa theo báo cáo của Công an huyện", "--as-of", "2022-01-01")
    k.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--on", "2021-06-10", *by("Văn thư"))
    k.ok("submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--undo", *by("Văn thư"), "--reason", "nhầm đơn vị")
    k.ok("task", "done", "ls-2024-thang6", "III.11.b", "-a", "Tỉnh đoàn", "--on", "2024-06-25")
    text = (PLANS / "na-2021.toml").read_text(encoding="utf-8").replace(
        'title = "Thực hiện công tác', 'title = "Kế hoạch thực hiện công tác', 1)
    changed = tmp_path / "na-2021.toml"
    changed.write_text(text, encoding="utf-8")
    k.ok("plan", "import", changed, *by("Công an tỉnh"), "--reason", "tên đầy đủ")
    k.ok("plan", "import", changed)  # nothing changed: nothing logged
    seeded = lambda r: (r["what"], r["action"]) == ("plan", "import")  # the world's five seeds  # noqa: E731
    rows = [r for r in k.ok("history", "-f", "json").json() if not seeded(r)]
    got = [(r["what"], r["action"], r["by"], r["old"], r["new"], r["reason"]) for r in rows]
    assert got[:5] == [
        ("figure", "add", recorder("Lê Văn A"), None, "130", None),
        ("figure", "replace", recorder("Trần Thị B"), "130", "135", "sửa theo báo cáo của Công an huyện"),
        ("submission", "submit", recorder("Văn thư"), None, "2021-06-10", None),
        ("submission", "undo", recorder("Văn thư"), "2021-06-10", None, "nhầm đơn vị"),
        ("task", "done", got[4][2], None, "2024-06-25", None),
    ]
    plan = rows[5]
    assert (plan["what"], plan["action"], plan["by"], plan["reason"], plan["key"]) == (
        "plan", "update", recorder("Công an tỉnh"), "tên đầy đủ", str(changed))
    assert 'title = "Thực hiện' in plan["old"] and 'title = "Kế hoạch thực hiện' in plan["new"]
    assert len(rows) == 6 and all(r["at"] for r in rows)
    assert rows[1]["key"] == "III.1-1 40 2021" and rows[1]["plan"] == "na-2021"
    assert [r["action"] for r in k.ok("history", "--what", "submission", "-f", "json").json()] == ["submit", "undo"]
    assert [r["what"] for r in k.ok("history", "--plan", "ls-2024-thang6", "-f", "json").json()] == ["plan", "task"]


def test_an_import_is_one_entry_and_each_replaced_figure_its_own(world, tmp_path):
    f = tmp_path / "thang.csv"
    f.write_text("plan,ref,unit,period,value\nna-2021,III.1-1,40,2021-01,5\nna-2021,III.1-1,40,2021-02,6\n",
                 encoding="utf-8")
    world.ok("record", "import", f, "--as-of", "2022-01-01")
    f.write_text("plan,ref,unit,period,value\nna-2021,III.1-1,40,2021-02,7\n", encoding="utf-8")
    world.ok("record", "import", f, "--replace", "--as-of", "2022-01-01", "--reason", "số liệu chốt")
    rows = world.ok("history", "--what", "figure", "-f", "json").json()
    assert [(r["action"], r["key"], r["old"], r["new"]) for r in rows] == [
        ("import", "thang.csv", None, "2 figures"), ("replace", "III.1-1 40 2021-02", "6", "7")]
