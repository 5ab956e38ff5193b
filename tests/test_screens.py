"""Golden screens: every listing as the officer sees it, at 80 and 160 columns, in Vietnamese
(LANG=vi_VN.UTF-8) and English. The real `kh` runs under a pseudo-terminal (pexpect) of that
size and its output goes through a terminal emulator (pyte); the screen is compared with
tests/screens/<name>.<lang>.<width>.txt. `KH_UPDATE_SCREENS=1 python -m pytest tests/test_screens.py`
rewrites them (read the diff).

A golden file cannot bless a broken table: each screen is also checked against the rule itself
(no line wider than the terminal; no id, code, ref, number, period or date cell broken over two
lines; headers broken only at spaces), from the listings' declarations in kh/render.py.

Deterministic by construction: the demo store (its figures are recorded at a fixed time by "kh
demo"), fixed --as-of days, the store given by a relative path from a fixed folder."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from kh.render import COLUMN_KIND, LISTINGS

ROOT = Path(__file__).resolve().parent.parent
SCREENS = Path(__file__).resolve().parent / "screens"
UPDATE = os.environ.get("KH_UPDATE_SCREENS") == "1"
WIDTHS = (80, 160)
LANGS = ("vi", "en")

# name → (argv after `kh --db demo.sqlite`, the listings the screen shows)
CASES = {
    "plan-list": (["plan", "list"], ["plan.list"]),
    "plan-show": (["plan", "show", "ls-2024-thang6", "--as-of", "2024-07-15"],
                  ["plan.show.phases", "plan.show.steps", "plan.show.indicators", "plan.show.tasks",
                   "plan.show.deadlines"]),
    "indicator-list": (["indicator", "list", "--plan", "na-2021"], ["indicator.list"]),
    "task-list": (["task", "list", "--plan", "ls-2024-thang6", "--as-of", "2024-07-15"], ["task.list"]),
    "deadlines": (["deadlines", "--plan", "na-2021", "--as-of", "2021-07-01"], ["deadlines"]),
    "overdue": (["overdue", "--as-of", "2026-09-30"], ["overdue"]),
    "rates": (["rates", "--as-of", "2026-09-30"], ["rates"]),
    "figures": (["figures", "--plan", "ls-mtqg-2030"], ["figures"]),
    "figures-history": (["figures", "--history", "--plan", "na-2021", "--ref", "III.1-1"], ["figures.history"]),
    "history": (["history", "--what", "submission"], ["history"]),
    "gap": (["gap", "--plan", "na-2021", "--as-of", "2022-01-10"], ["gap"]),
    "gap-all": (["gap", "--as-of", "2026-09-30"], ["gap"]),
    "unit-list": (["unit", "list", "--parent", "20", "--as-of", "2026-09-30"], ["unit.list"]),
    "unit-find": (["unit", "find", "cao lộc"], ["unit.find"]),
}
# Headers a command names itself (render(..., labels=)): listing → column → catalogue key.
LABELS = {"rates": {"due": "col.reports_due"}, "history": {"what": "col.changed"}}

DATE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d+)?)?( [+-]\d{2}(:?\d{2})?)?)?")
PERIOD = re.compile(r"\d{4}(-(H[12]|Q[1-4]|\d{2}))?|năm \d{4}|6 tháng (đầu|cuối) năm \d{4}|quý (I|II|III|IV)/\d{4}"
                    r"|tháng \d{1,2}/\d{4}")
DATE_COLUMNS = {"due", "done_on", "submitted_on", "start", "end", "issued_on", "valid_from", "valid_to",
                "period_start", "period_end", "recorded_at", "replaced_at", "at"}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    """The demo store, built once, in a folder the screens run from (so the path shown is fixed)."""
    from typer.testing import CliRunner

    from kh.cli import app

    folder = tmp_path_factory.mktemp("screens")
    r = CliRunner().invoke(app, ["demo", "--into", str(folder / "demo.sqlite")], env={"KH_LANG": "en"})
    assert r.exit_code == 0, r.output
    return folder


def run_in_terminal(argv: list[str], lang: str, width: int, cwd: Path) -> tuple[list[str], str]:
    """(the screen's lines, the raw text written) of `kh ARGV` in a WIDTH-column terminal."""
    import pexpect
    import pyte

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LC_", "KH_")) and k not in ("LANG", "LANGUAGE", "COLUMNS", "LINES")}
    env.update(PYTHONPATH=str(ROOT), TERM="xterm-256color", TZ="Asia/Ho_Chi_Minh",
               LANG="vi_VN.UTF-8" if lang == "vi" else "C.UTF-8", KH_DB="demo.sqlite")
    rows = 3000
    child = pexpect.spawn(sys.executable, ["-m", "kh", *argv], cwd=str(cwd), env=env, dimensions=(rows, width),
                          timeout=120)
    raw = child.read()
    child.close()
    assert child.exitstatus == 0, raw.decode("utf-8", "replace")
    screen = pyte.Screen(width, rows)
    pyte.ByteStream(screen).feed(raw.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n"))
    lines = [line.rstrip() for line in screen.display]
    while lines and not lines[-1]:
        lines.pop()
    return lines, raw.decode("utf-8")


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def check_rule(lines: list[str], raw: str, width: int, listings: list[str], lang: str) -> None:
    """The rule, read off the screen: lines fit; in each table, a code column (kh/render.py's
    COLUMN_KIND) never continues on a second line of a row, and dates and periods are whole."""
    from rich.cells import cell_len

    from kh.i18n import lookup

    for line in ANSI.sub("", raw).replace("\r", "").split("\n"):
        assert cell_len(line) <= width, f"wider than {width}: {line!r}"
    names: dict[str, set[str]] = {}
    for listing in listings:
        for c in LISTINGS[listing]:
            key = LABELS.get(listing, {}).get(c, f"col.{c}")
            names.setdefault(lookup(key, lang), set()).add(c)
    tables = 0
    i = 0
    while i < len(lines):
        if not lines[i].startswith("┏"):
            i += 1
            continue
        tables += 1
        top = lines[i]
        cuts = [k for k, ch in enumerate(top) if ch in "┏┳┓"]
        cells = lambda line: [line[a + 1:b].strip() for a, b in zip(cuts, cuts[1:])]  # noqa: E731
        i += 1
        head: list[list[str]] = []
        while not lines[i].startswith("┡"):
            head.append(cells(lines[i]))
            i += 1
        headers = [" ".join(h[k] for h in head if h[k]) for k in range(len(cuts) - 1)]
        cols = []
        for h in headers:
            assert h in names, f"header {h!r} is no column of {listings} (a header broken inside a word?)"
            cols.append(names[h])
        code = [all(COLUMN_KIND.get(c, "code") == "code" for c in cs) for cs in cols]
        anchor = code.index(True) if True in code else None
        i += 1
        while not lines[i].startswith("└"):
            row = cells(lines[i])
            if anchor is not None and not row[anchor]:  # a row's second line: codes stay empty
                assert not any(v for v, is_code in zip(row, code) if is_code), f"a code broken: {lines[i]!r}"
            for v, cs in zip(row, cols):
                if v and cs & DATE_COLUMNS and listings != ["rates"]:  # kh rates' "due" is a count
                    assert DATE.fullmatch(v), f"a date broken: {v!r} in {lines[i]!r}"
                if v and "period" in cs:
                    assert PERIOD.fullmatch(v), f"a period broken: {v!r} in {lines[i]!r}"
            i += 1
    assert tables, "no table on the screen"


def compare(name: str, lines: list[str]) -> None:
    path = SCREENS / f"{name}.txt"
    text = "\n".join(lines) + "\n"
    if UPDATE:
        SCREENS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} missing: KH_UPDATE_SCREENS=1 python -m pytest tests/test_screens.py"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs (KH_UPDATE_SCREENS=1 rewrites it)"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_listing_fits_the_terminal(demo_dir, case, lang, width):
    argv, listings = CASES[case]
    lines, raw = run_in_terminal(argv, lang, width, demo_dir)
    check_rule(lines, raw, width, listings, lang)
    compare(f"{case}.{lang}.{width}", lines)


@pytest.mark.parametrize("width", (80, 100, 120))
def test_kh_demo_lists_its_plans_without_a_title_over_many_lines(tmp_path, width):
    lines, raw = run_in_terminal(["--lang", "vi", "demo", "--into", "demo.sqlite"], "vi", width, tmp_path)
    check_rule(lines, raw, width, ["plan.list", "gap", "overdue"], "vi")
    # Each plan's row in the plan list: its title over three lines at most.
    first = lines.index(next(line for line in lines if line.startswith("┡")))
    end = next(k for k in range(first, len(lines)) if lines[k].startswith("└"))
    starts = [k for k in range(first + 1, end) if lines[k][1:].split("│")[0].strip()]
    assert len(starts) == 5
    assert all(b - a <= 3 for a, b in zip(starts, starts[1:] + [end]))
    if width == 80:
        compare("demo.vi.80", lines)
