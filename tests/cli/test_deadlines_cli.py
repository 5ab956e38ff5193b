"""Deadlines, submissions, tasks and overdue lists through the real CLI, walking the seed plans
through their year."""

import pytest

from tests.conftest import query, store_fingerprint

SYT = "Sở Y tế"


def row(k, plan, obligation, who, *args):
    rows = k.ok("deadlines", "--plan", plan, "-a", who, "-f", "json", *args).json()
    return [r for r in rows if r["obligation"] == obligation]


@pytest.mark.parametrize("as_of,status,late", [
    ("2021-02-01", "not_due", None), ("2021-02-02", "due_soon", None), ("2021-02-09", "due_soon", None),
    ("2021-02-10", "overdue", 1), ("2021-03-01", "overdue", 20)])
def test_the_yearly_plan_due_before_10_02_2021(kh_seeded, as_of, status, late):
    [r] = row(kh_seeded, "na-2021", "ke-hoach-2021", SYT, "--as-of", as_of)
    assert (r["due"], r["status"], r["days_overdue"]) == ("2021-02-09", status, late)
    assert r["deadline_text"] == "trước ngày 10/02/2021"


def test_a_year_of_submissions(kh_seeded):
    k = kh_seeded
    assert "Recorded" in k.ok("submit", "na-2021", "ke-hoach-2021", "-a", SYT, "--on", "9/2/2021", "--as-of", "2021-03-01").out
    k.ok("submit", "na-2021", "bc-6-thang", "-a", SYT, "--on", "ngày 18 tháng 6 năm 2021", "--as-of", "2021-07-01")
    rows = {r["obligation"]: r for r in k.ok("deadlines", "-p", "na-2021", "-a", SYT, "--as-of", "2021-12-20", "-f", "json").json()}
    assert (rows["ke-hoach-2021"]["status"], rows["ke-hoach-2021"]["submitted_on"]) == ("done_on_time", "2021-02-09")
    assert (rows["bc-6-thang"]["status"], rows["bc-6-thang"]["days_overdue"]) == ("done_late", 3)
    assert (rows["bc-nam"]["status"], rows["bc-nam"]["days_overdue"]) == ("overdue", 5)


def test_a_second_submission_is_not_a_new_one_and_undo_keeps_history(kh_seeded):
    k = kh_seeded
    args = ["submit", "na-2021", "bc-6-thang", "-a", SYT, "--as-of", "2021-07-01"]
    k.ok(*args, "--on", "2021-06-10")
    assert "nothing changed" in k.ok(*args, "--on", "2021-06-20").out
    assert row(k, "na-2021", "bc-6-thang", SYT, "--as-of", "2021-07-01")[0]["submitted_on"] == "2021-06-10"
    assert "Taken back" in k.ok(*args, "--undo").out
    assert row(k, "na-2021", "bc-6-thang", SYT, "--as-of", "2021-07-01")[0]["status"] == "overdue"
    hist = query(k.db, "select done_on, undone_at is not null from completion")
    assert [(str(d), bool(u)) for d, u in hist] == [("2021-06-10", True)]
    assert "nothing to undo" in k.refused(*args, "--undo").err


def test_submit_refusals_write_nothing(kh_seeded):
    k = kh_seeded
    before = store_fingerprint(k.db)
    assert "did you mean 'bc-6-thang'" in k.refused("submit", "na-2021", "bc-6-thnag", "-a", SYT).err
    assert "does not owe" in k.refused("submit", "na-2021", "bc-6-thang", "-a", "Công an tỉnh").err
    assert "covers no period 2021-H2" in k.refused("submit", "na-2021", "bc-6-thang", "-a", SYT,
                                                   "--period", "2021-H2").err
    assert "say which period" in k.refused("submit", "bk-238-2017", "bc-6-thang", "-a", "Ủy ban nhân dân các huyện").err
    assert "in the future" in k.refused("submit", "na-2021", "bc-6-thang", "-a", SYT, "--on", "2021-07-02",
                                        "--as-of", "2021-07-01").err
    assert "no day 31 in month 2" in k.refused("submit", "na-2021", "bc-6-thang", "-a", SYT, "--on", "31/02/2021").err
    assert "did you mean" in k.refused("submit", "na-2021", "bc-6-thang", "-a", "Sở Y tê").err
    assert store_fingerprint(k.db) == before


def test_recurring_obligation_each_period_owed_separately(kh_seeded):
    k = kh_seeded
    who = "Ủy ban nhân dân các huyện, thành phố"
    k.ok("submit", "bk-238-2017", "bc-6-thang", "-a", who, "--period", "2018-H1", "--on", "2018-06-30",
         "--as-of", "2019-01-10")
    rows = {r["period"]: r for r in row(k, "bk-238-2017", "bc-6-thang", who, "--as-of", "2019-01-10")}
    # two halves a year, 2017–2020, but the plan was signed on the last day of 2017-H1
    assert len(rows) == 7 and "2017-H1" not in rows
    assert rows["2018-H1"]["status"] == "done_on_time" and rows["2018-H2"]["status"] == "overdue"
    assert rows["2020-H2"]["status"] == "not_due"
    [mid] = row(k, "bk-238-2017", "so-ket-giua-ky", who, "--as-of", "2019-01-10")
    assert (mid["due"], mid["status"], mid["days_overdue"]) == ("2018-12-31", "overdue", 10)


def test_soon_window_from_the_option(kh_seeded):
    [r] = row(kh_seeded, "na-2021", "ke-hoach-2021", SYT, "--as-of", "2021-01-30", "--soon", "10")
    assert r["status"] == "due_soon"


def test_soon_window_and_working_days_from_the_plan_file(kh, tmp_path):
    from tests.core.test_planfile import MINIMAL

    text = MINIMAL.replace('cutoff = "nd09"', 'cutoff = "nd09"\ndue_soon_days = 20\nworking_days = true')
    text = text.replace("2021-06-16, relation", "2021-06-14, relation")  # before Mon 14/6 → Sun 13/6 → Mon 14/6
    f = tmp_path / "p.toml"
    f.write_text(text, encoding="utf-8")
    kh.ok("plan", "import", f)
    [r] = kh.ok("deadlines", "--as-of", "2021-05-26", "-f", "json").json()
    assert (r["due"], r["status"]) == ("2021-06-14", "due_soon")
    assert "due_soon_days = 20" in kh.ok("plan", "export", "test-2021").out


def test_tasks_have_a_status_per_assignee_and_can_be_done(kh_seeded):
    k = kh_seeded
    rows = [r for r in k.ok("task", "list", "-p", "ls-2024-thang6", "--as-of", "2024-06-27", "-f", "json").json()
            if r["ref"] == "III.11.b"]
    assert {(r["assignee"], r["role"], r["due"], r["status"]) for r in rows} >= {
        ("Tỉnh đoàn Lạng Sơn", "lead", "2024-06-26", "overdue")}
    k.ok("task", "done", "ls-2024-thang6", "III.11.b", "-a", "Tỉnh đoàn", "--on", "25/6/2024", "--as-of", "2024-06-27")
    [lead] = [r for r in k.ok("task", "list", "-p", "ls-2024-thang6", "-a", "Tỉnh đoàn", "--as-of", "2024-06-27",
                              "-f", "json").json() if r["ref"] == "III.11.b"]
    assert (lead["done_on"], lead["status"]) == ("2024-06-25", "done_on_time")
    no_due = [r for r in k.ok("task", "list", "-p", "na-2021", "-f", "json").json() if r["ref"] == "IV.9"]
    assert {r["status"] for r in no_due} == {"open"}
    assert "not assigned" in k.refused("task", "done", "ls-2024-thang6", "III.11.b", "-a", "Sở Y tế").err
    assert "did you mean" in k.refused("task", "done", "ls-2024-thang6", "III.11.c", "-a", "Tỉnh đoàn").err


def test_phase_end_is_a_tasks_due_day(kh, tmp_path):
    from tests.core.test_planfile import MINIMAL

    text = MINIMAL.replace("[[assignees]]", '[[phases]]\nkey = "gd1"\nname = "Giai đoạn 1"\nend = 2021-06-30\n\n[[assignees]]', 1)
    text = text.replace('support = ["Sở Y tế"]', 'support = ["Sở Y tế"]\nphase = "gd1"')
    f = tmp_path / "p.toml"
    f.write_text(text, encoding="utf-8")
    kh.ok("plan", "import", f)
    rows = kh.ok("task", "list", "--as-of", "2021-07-02", "-f", "json").json()
    assert [(r["assignee"], r["due"], r["status"], r["days_overdue"]) for r in rows] == [
        ("Công an tỉnh", "2021-06-30", "overdue", 2), ("Sở Y tế", "2021-06-30", "overdue", 2)]


def test_overdue_most_late_first_and_fail_if_any(kh_seeded):
    k = kh_seeded
    rows = k.ok("overdue", "-p", "na-2021", "--as-of", "2021-07-01", "-f", "json").json()
    assert rows and {r["status"] for r in rows} == {"overdue"}
    lates = [r["days_overdue"] for r in rows]
    assert lates == sorted(lates, reverse=True) and lates[0] == 142
    assert k("overdue", "-p", "na-2021", "--as-of", "2021-07-01", "--fail-if-any").code == 3
    r = k("overdue", "-p", "na-2021", "--as-of", "2021-01-01", "--fail-if-any", "-f", "json")
    assert (r.code, r.json()) == (0, [])


def test_overdue_table_is_grouped_by_assignee_in_vietnamese(kh_seeded):
    out = kh_seeded.ok("--lang", "vi", "overdue", "-p", "na-2021", "-a", SYT, "--as-of", "2021-07-01").out
    assert f"{SYT} — 2 quá hạn" in out and "Danh sách quá hạn" in out
    words = kh_seeded.ok("--lang", "vi", "deadlines", "-p", "na-2021", "-a", SYT, "--as-of", "2021-07-01").out
    assert "Quá hạn" in words and "Chưa đến hạn" in words


def test_overdue_html_page(kh_seeded, tmp_path):
    page = tmp_path / "qua-han.html"
    kh_seeded.ok("--lang", "vi", "overdue", "-p", "na-2021", "--as-of", "2021-07-01", "-f", "html", "-o", page,
                 "--from", "Công an tỉnh Nghệ An")
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "@page" in html and "break-inside: avoid" in html
    assert "Công an tỉnh Nghệ An" in html and "01/07/2021" in html
    assert "Thực hiện công tác phòng, chống ma túy năm 2021" in html  # the plan's title, not its id
    # One table, a group row per agency (tests/papers/test_overdue_paper.py checks the rest).
    assert html.count("<table") == 1 and html.count('<tr class="group">') == len({r["assignee"] for r in kh_seeded.ok(
        "overdue", "-p", "na-2021", "--as-of", "2021-07-01", "-f", "json").json()})
    assert "http" not in html  # self-contained: nothing fetched
    assert kh_seeded("overdue", "-f", "xml").code == 2


def test_overdue_only_reports_or_only_tasks(kh_seeded):
    args = ["overdue", "-p", "ls-mtqg-2030", "--as-of", "2026-09-30", "-f", "json"]
    every = kh_seeded.ok(*args).json()
    reports = kh_seeded.ok(*args, "--only", "reports").json()
    tasks = kh_seeded.ok(*args, "--only", "tasks").json()
    assert {r["kind"] for r in reports} == {"report"} and {r["kind"] for r in tasks} == {"task"}
    assert len(every) == len(reports) + len(tasks) and reports and tasks


def test_overdue_output_file_for_every_format(kh_seeded, tmp_path):
    for fmt in ("csv", "json", "table", "html"):
        out = tmp_path / f"o.{fmt}"
        r = kh_seeded.ok("overdue", "-p", "na-2021", "--as-of", "2021-07-01", "-f", fmt, "-o", out)
        assert r.out == "" and out.read_text(encoding="utf-8").strip()
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_task_done_late_is_not_overdue(kh_seeded):
    k = kh_seeded
    k.ok("task", "done", "ls-2024-thang6", "III.11.b", "-a", "Tỉnh đoàn", "--on", "2024-06-28", "--as-of", "2024-07-01")
    late = k.ok("overdue", "-p", "ls-2024-thang6", "--as-of", "2024-07-01", "--only", "tasks", "-f", "json").json()
    assert "III.11.b" not in {r["obligation"] for r in late if r["assignee"] == "Tỉnh đoàn Lạng Sơn"}
    assert {r["obligation"] for r in late} >= {"III.1.g"}
