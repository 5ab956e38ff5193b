"""Executable docs: every command line of every ```sh block in README.md, docs/ and docs/vi/
runs against the demo store (``kh demo --into``, built once per session), and its exit status and
shown output are checked (tests/docs_runner.py has the convention). A doc that drifts from the
program fails here.

Each Markdown file runs in its own temporary folder, on its own copy of the demo store
(``KH_DB``), blocks in order, so a page can record a figure and then show it in the gap report.
``examples/``, ``data/`` and ``tests/`` are linked into the folder, as in a checkout. Tables are 80 columns
wide, the locale is neutral (a page in Vietnamese says ``--lang vi`` or ``export LANG=vi_VN.UTF-8``).

``KH_DOCS_UPDATE=1 python -m pytest tests/test_docs.py`` writes each failing transcript's actual
output into the page instead of failing; read the diff before committing it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kh.cli import app
from tests.conftest import PG_URL, ROOT
from tests.docs_runner import Shell, blocks, matches

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
UPDATE = os.environ.get("KH_DOCS_UPDATE") == "1"
# The docs run on a local SQLite file whatever the suite's engine; the SQLite run covers them.
pytestmark = pytest.mark.skipif(PG_URL is not None, reason="the docs run on a SQLite demo store")


def _invoke(args: list[str], env: dict[str, str], stdin: bytes):
    # CliRunner's env= sets and unsets os.environ around the call: give it the whole difference.
    changes = {k: v for k, v in env.items() if os.environ.get(k) != v}
    changes.update({k: None for k in os.environ if k not in env})
    r = CliRunner().invoke(app, args, env=changes, input=stdin)
    if r.exception and not isinstance(r.exception, SystemExit):
        return 1, r.stdout, f"{r.stderr}docs test: {type(r.exception).__name__}: {r.exception}\n"
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docs-demo") / "demo.sqlite"
    code, _, err = _invoke(["demo", "--into", str(path)], _base_env(path), b"")
    assert code == 0, err
    return path


def _base_env(store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LC_", "KH_")) and k not in ("LANG", "LANGUAGE", "COLUMNS", "LINES")}
    env.update({"KH_DB": str(store), "COLUMNS": "80", "LINES": "40"})
    return env


def test_the_convention_is_kept():
    """Every shell block is ```sh or ```sh no-run REASON, and a transcript starts with a command."""
    problems = [f"{b.path.relative_to(ROOT)}:{b.line}: {b.problem}"
                for page in PAGES for b in blocks(page) if b.problem]
    assert not problems, "\n".join(problems)


def test_the_readme_gives_the_two_commands_and_ci_runs_the_second_verbatim():
    first = next(b for b in blocks(ROOT / "README.md"))
    text = first.path.read_text(encoding="utf-8").splitlines()
    head = "\n".join(text[first.line:first.line + 3])
    assert "python -m pip install . && kh demo" in head
    assert "python -m pip install -e '.[test]' && python -m pytest" in head
    assert "python -m pip install -e '.[test]' && python -m pytest\n" in (ROOT / ".ci" / "run").read_text()
    # The first screen links the Vietnamese guide before anything else in docs/.
    links = re.findall(r"\]\((docs/[^)]*)\)", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert links and links[0].startswith("docs/vi/")


@pytest.mark.parametrize("page", [p for p in PAGES if any(b.run and b.commands for b in blocks(p))],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_command_of_the_page_runs_as_shown(page: Path, demo_store: Path, tmp_path: Path):
    work = tmp_path / "work"
    work.mkdir()
    for name in ("examples", "data", "tests"):
        (work / name).symlink_to(ROOT / name)
    store = work / "kh.sqlite"
    shutil.copy(demo_store, store)
    home = work / "home"  # ~ is a folder of the page's own, never the real home
    home.mkdir()
    shell = Shell(work, {**_base_env(store), "HOME": str(home)}, _invoke)
    failures, updates = [], []
    for block in blocks(page):
        if not block.run:
            continue
        for cmd in block.commands:
            got = shell.run(cmd.text)
            where = f"{page.relative_to(ROOT)}:{cmd.line}: {cmd.text}"
            if got.status != cmd.exit:
                failures.append(f"{where}\n  exit {got.status}, expected {cmd.exit}\n  {got.output.strip()[:2000]}")
            elif cmd.expected is not None and not matches(cmd.expected, got.output.splitlines()):
                if UPDATE:
                    updates.append((cmd.expected_lines, cmd.indent, got.output.rstrip("\n").splitlines()))
                    continue
                failures.append(f"{where}\n  shown:\n" + "\n".join(cmd.expected) +
                                "\n  printed:\n" + got.output.rstrip())
    if updates:
        _rewrite(page, updates)
    assert not failures, "\n\n".join(failures)


def _rewrite(page: Path, updates) -> None:
    lines = page.read_text(encoding="utf-8").split("\n")
    for (first, last), indent, new in sorted(updates, reverse=True):
        old = lines[first - 1:last - 1]
        blank_after = bool(old) and not old[-1].strip()
        lines[first - 1:last - 1] = [(" " * indent + ln) if ln else ln for ln in new] + [""] * blank_after
    page.write_text("\n".join(lines), encoding="utf-8")


def test_the_guides_links_lead_somewhere():
    """Every relative link of README.md and docs/vi/ names a file that exists."""
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs" / "vi").rglob("*.md"))]:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith(("#", "mailto:")):
                continue
            if not (page.parent / target.split("#")[0]).exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_the_refusals_page_is_what_the_program_says(demo_store):
    """docs/vi/tu-choi.md is generated (scripts/vi_refusals.py) from the refusals kh prints; a
    reworded message, or a catalogue entry without its plain words, fails here."""
    script = _script("vi_refusals")
    committed = script.PAGE.read_text(encoding="utf-8")
    assert committed == script.render(demo_store), "docs/vi/tu-choi.md is stale: run python scripts/vi_refusals.py"


def _script(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_quick_reference_is_the_block_the_docs_test_runs():
    """docs/vi/tra-cuu-nhanh.html is generated from the ```sh block of tra-cuu-nhanh.md (which
    test_every_command_of_the_page_runs_as_shown runs); the committed PDF is one A4 page that
    holds every command of it."""
    import shutil
    import subprocess

    card = _script("vi_quickref")
    assert len(card.commands()) == 10
    assert card.PAGE.read_text(encoding="utf-8") == card.render(), "run python scripts/vi_quickref.py --pdf"
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("needs poppler-utils")
    info = subprocess.run(["pdfinfo", str(card.PDF)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M) and "(A4)" in info
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", str(card.PDF), "-"], capture_output=True, text=True,
                                            check=True).stdout)
    for command, what in card.commands():
        assert re.sub(r"\s+", "", command) in text, f"the PDF is stale: run python scripts/vi_quickref.py --pdf ({command})"


# ------------------------------------------------------------ a guided session, replayed

GUIDED_MARK = "tests/test_docs.py"  # named in the reason of the no-run block this test replays


def _guided_blocks(page: Path) -> list:
    return [b for b in blocks(page) if not b.run and "no-run" in b.info and GUIDED_MARK in b.info]


def _fence_body(page: Path, line: int) -> list[str]:
    lines = page.read_text(encoding="utf-8").splitlines()
    end = next(i for i in range(line, len(lines)) if lines[i].strip().startswith("```"))
    return lines[line:end]


def _prompts():
    """The guided prompts (Vietnamese and English): a pattern for a shown line holding one and
    what the officer typed after it, and a pattern for any prompt in kh's output."""
    from kh.i18n import lookup

    out = []
    for key in ("msg.guided_value", "msg.guided_numerator", "msg.guided_denominator", "msg.guided_confirm"):
        for lang in ("vi", "en"):
            text = lookup(key, lang).rstrip()
            out.append(".*?".join(re.escape(p) for p in re.split(r"\{\w+\}", text)))
    either = "(?:" + "|".join(out) + ")"
    return re.compile(r"^(\s*" + either + r") ?(.*)$"), either


def _line_pattern(text: str) -> str:
    return ".*?".join(re.escape(p) for p in text.split("…"))


@pytest.mark.parametrize("page", [p for p in PAGES if _guided_blocks(p)], ids=lambda p: str(p.relative_to(ROOT)))
def test_a_guided_session_shown_in_the_guide_is_what_kh_does(page: Path, demo_store: Path, tmp_path: Path):
    """The page's commands before the session run first (the store as the reader has it then);
    then the real kh runs in a pseudo-terminal, the answers shown are typed, and every line shown
    must appear, in order. A line that is only … answers Enter to every prompt until the line
    shown after it appears."""
    import shlex
    import sys

    import pexpect

    work = tmp_path / "work"
    work.mkdir()
    for name in ("examples", "data", "tests"):
        (work / name).symlink_to(ROOT / name)
    store = work / "kh.sqlite"
    shutil.copy(demo_store, store)
    env = {**_base_env(store), "HOME": str(work)}
    shell = Shell(work, env, _invoke)
    prompt, any_prompt = _prompts()
    from kh import i18n

    for target in _guided_blocks(page):
        try:
            for block in blocks(page):
                if block.run and block.line < target.line:
                    for cmd in block.commands:
                        assert shell.run(cmd.text).status == cmd.exit, cmd.text
        finally:
            i18n.set_lang("en")  # the page's commands ran in-process, some with --lang vi
        body = _fence_body(page, target.line)
        assert body[0].startswith("$ kh "), f"{page}:{target.line}: the session starts with its '$ kh …' line"
        child = pexpect.spawn(sys.executable, ["-m", "kh", *shlex.split(body[0][2:])[1:]], cwd=str(work),
                              encoding="utf-8", timeout=60, dimensions=(40, 80),
                              env={**env, "PYTHONPATH": str(ROOT), "TERM": "dumb", "NO_COLOR": "1"})
        shown = [(target.line + 2 + k, ln) for k, ln in enumerate(body[1:]) if ln.strip()]
        skipping = False
        for no, line in shown:
            where = f"{page.relative_to(ROOT)}:{no}: {line.strip()}"
            m = prompt.match(line)
            try:
                if line.strip() == "…":
                    skipping = True
                elif skipping:
                    assert not m, f"{where}: the line after … must be one kh prints, not a prompt"
                    while child.expect([_line_pattern(line.strip()), any_prompt]) == 1:
                        child.sendline("")
                    skipping = False
                elif m:
                    child.expect(_line_pattern(m.group(1).strip()))
                    child.sendline(m.group(2))
                else:
                    child.expect(_line_pattern(line.strip()))
            except pexpect.ExceptionPexpect:
                pytest.fail(f"{where}\n  not printed; kh printed:\n{child.before}")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0, f"{page}:{target.line}: exit {child.exitstatus}"
