"""The executable-docs runner itself: it reads the convention, runs what a reader would type, and
catches a page that drifted (so that tests/test_docs.py can fail)."""

from pathlib import Path

from tests.docs_runner import Shell, blocks, matches
from tests.test_docs import _base_env, _invoke


def page(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "page.md"
    p.write_text(text, encoding="utf-8")
    return p


def test_blocks_follow_the_convention(tmp_path):
    found = blocks(page(tmp_path, (
        "```sh\nkh plan list   # a comment\n\n# a comment line\nkh where \\\n  --help\n```\n"
        "```sh no-run needs a PostgreSQL server\nkh admin list\n```\n"
        "```sh no-run\nkh x\n```\n"
        "```bash\nkh x\n```\n"
        "```sh tested\nkh x\n```\n"
        "```toml\nkh = 1\n```\n"
        "  ```sh\n  $ kh overdue --fail-if-any   # exit 3\n  x\n  $ kh gap\n  kh: no\n  ```\n"
        "```\n$ kh plan list\nna-2021\n```\n"
        "```\nplain text, not a transcript\n```\n")))
    run, skip, bare, bash, odd, transcript, unmarked = found
    assert not unmarked.run and "bare ``` block" in unmarked.problem  # a transcript says if it runs
    assert [c.text.split("#")[0].strip() for c in run.commands] == ["kh plan list", "kh where  --help"]
    assert [c.line for c in run.commands] == [2, 5]
    assert all(c.expected is None and c.exit == 0 for c in run.commands)
    assert not skip.run and skip.problem is None
    assert "needs a reason" in bare.problem
    assert "```bash" in bash.problem
    assert "tested" in odd.problem
    assert [(c.expected, c.exit) for c in transcript.commands] == [(["x"], 3), (["kh: no"], 1)]
    assert transcript.commands[0].expected_lines == (25, 26) and transcript.commands[0].indent == 2


def test_an_ellipsis_stands_for_lines_or_the_end_of_a_line():
    assert matches(["a", "…", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "…"], ["a"])
    assert matches(["kh: --unit: no unit …"], ["kh: --unit: no unit with code '6211'"])
    assert not matches(["a", "…", "d"], ["a", "b", "c"])
    assert not matches(["a", "b"], ["a", "c"])
    assert not matches(["kh: --unit: no plan …"], ["kh: --unit: no unit with code '6211'"])
    assert matches(["Trusted key … of unit 06211"], ["Trusted key 3f2a9c0d41b7e855 of unit 06211"])
    assert not matches(["Trusted key … of unit 06211"], ["Trusted key 3f2a of unit 06212"])
    assert matches(["a  ", ""], ["a", "", ""])  # trailing spaces and blank lines do not count


def shell(tmp_path, kh_store) -> Shell:
    return Shell(tmp_path, _base_env(kh_store), _invoke)


def test_the_shell_runs_kh_in_process_with_redirections_pipes_and_status(kh, tmp_path):
    sh = shell(tmp_path, kh.db)
    assert sh.run("kh plan list --format csv").output == "id,number,title,issuer,issued_on,start,end\n"
    r = sh.run("kh plan show nope; echo $?")
    assert r.status == 0 and r.output.endswith("\n1\n") and r.output.startswith("kh: PLAN: no plan 'nope'")
    assert sh.run("kh plan show nope && echo never").output.count("never") == 0
    assert sh.run("kh plan show nope || echo fallback").output.endswith("fallback\n")
    sh.run("kh plan list --format csv > plans.csv 2>&1")
    assert (tmp_path / "plans.csv").read_text(encoding="utf-8").startswith("id,number")
    assert sh.run("cat plans.csv | head -1").output == "id,number,title,issuer,issued_on,start,end\n"
    sh.run("export KH_DB=other.sqlite")
    assert sh.run("kh where").output.strip().endswith("other.sqlite")
    assert sh.run("KH_DB=third.sqlite kh where").output.strip().endswith("third.sqlite")
    assert sh.run("echo $KH_DB").output == "other.sqlite\n"


def test_globs_expand_in_the_pages_folder(kh, tmp_path):
    (tmp_path / "b.csv").write_text("", encoding="utf-8")
    (tmp_path / "a.csv").write_text("", encoding="utf-8")
    assert shell(tmp_path, kh.db).run("echo *.csv").output == "a.csv b.csv\n"


def test_a_program_outside_the_list_is_not_run(kh, tmp_path):
    r = shell(tmp_path, kh.db).run("touch made-by-the-docs")
    assert r.status == 127 and "no-run" in r.output
    assert not (tmp_path / "made-by-the-docs").exists()
