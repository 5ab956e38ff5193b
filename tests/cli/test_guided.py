"""Guided entry (kh record --unit U --period P, no PLAN/REF), driven as the officer drives it: the
real kh process in a pseudo-terminal (pexpect), against a real store, in both languages."""

from __future__ import annotations

import os
import sys

import pexpect
import pytest

from kh import i18n, planfile
from tests.cli.test_todo import communes, plan_file
from tests.conftest import ROOT, by, store_fingerprint

DAY = "2026-04-02"


@pytest.fixture
def scene(world, tmp_path):
    units = communes("20")
    path = plan_file(tmp_path, "t-20", "20", units)
    world.ok("plan", "import", path)
    world.plan = planfile.load(path)
    return world, units


def spawn(kh, unit: str, period: str, lang: str = "en") -> pexpect.spawn:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KH_LANG": lang, "COLUMNS": "80", "LANG": "C.UTF-8"}
    env.pop("KH_DB", None)
    return pexpect.spawn(sys.executable, ["-m", "kh", "--db", str(kh.db), "record", "--unit", unit, "--period", period,
                                          "--plan", "t-20", "--as-of", DAY],
                         env=env, encoding="utf-8", timeout=60, dimensions=(50, 80), preexec_fn=_as_a_shell_starts_it)


def _as_a_shell_starts_it() -> None:
    """The child starts with Ctrl-C's signal at its default and unblocked, as an officer's shell
    starts kh: a child inherits an ignored or blocked SIGINT across exec (and Python then installs
    no KeyboardInterrupt), and this test process may have run code that left either behind."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _signals(pid: int) -> str:
    """The child's signal masks, for a failure message (Linux)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return " ".join(line.strip() for line in f if line.startswith(("SigBlk", "SigIgn", "SigCgt", "State")))
    except OSError:
        return "?"


def words(lang: str, key: str, **params) -> str:
    """A line of the catalogue as the officer reads it (the text before its first parameter)."""
    i18n.set_lang(lang)
    try:
        text = i18n.t(key, **params)
    finally:
        i18n.set_lang("en")
    return text


def prompt(lang: str, key: str, **params) -> str:
    return words(lang, key, **params).strip()


def figures(kh, unit: str) -> dict:
    return {f["ref"]: (f["value"], f["denominator"]) for f in kh.ok("figures", "--plan", "t-20", "--unit", unit,
                                                                    "-f", "json").json()}


def test_a_bad_answer_is_asked_again_a_share_takes_both_numbers_and_all_is_written_at_the_end(scene):
    kh, (a, _) = scene
    c = spawn(kh, a["code"], "2026-03", "vi")
    c.expect_exact(prompt("vi", "msg.guided_intro", n=2))
    c.expect_exact("III.1")
    c.expect_exact(prompt("vi", "msg.guided_target", target=kh.plan.indicators[0].target_text))
    c.expect_exact(prompt("vi", "msg.guided_value", counts="vụ"))
    c.sendline("1.234")  # ambiguous in Vietnamese: refused with the reason, asked again
    c.expect_exact("1234")
    c.expect_exact(prompt("vi", "msg.guided_value", counts="vụ"))
    c.sendline("9")
    c.expect_exact("III.2")
    c.expect_exact(prompt("vi", "msg.guided_numerator"))
    c.sendline("5")
    c.expect_exact(prompt("vi", "msg.guided_denominator"))
    c.sendline("3")  # more than the whole: refused, asked again
    c.expect_exact(words("vi", "figure.over_100", value=5, denominator=3))
    c.expect_exact(prompt("vi", "msg.guided_numerator"))
    c.sendline("3")
    c.expect_exact(prompt("vi", "msg.guided_denominator"))
    assert figures(kh, a["code"]) == {}  # nothing is written while he answers
    c.sendline("8")
    c.expect_exact(words("vi", "msg.guided_summary", n=2, unit=a["code"], period="2026-03"))
    c.expect_exact("3/8")
    c.expect_exact(prompt("vi", "msg.guided_confirm", n=2))
    c.sendline("c")
    c.expect_exact(words("vi", "msg.figures_recorded", added=2, replaced=0))
    c.expect(pexpect.EOF)
    c.close()
    assert c.exitstatus == 0
    assert figures(kh, a["code"]) == {"III.1": (9, None), "III.2": (3, 8)}
    # Nothing is missing any more: guided entry says so and asks nothing.
    c = spawn(kh, a["code"], "2026-03")
    c.expect_exact(prompt("en", "msg.guided_nothing"))
    c.expect(pexpect.EOF)
    c.close()
    assert c.exitstatus == 0


def test_enter_skips_a_figure_and_only_the_answers_are_recorded(scene):
    kh, (_, b) = scene
    c = spawn(kh, b["code"], "2026-02")
    c.expect_exact(prompt("en", "msg.guided_value", counts="vụ"))
    c.sendline("")  # skipped
    c.expect_exact(prompt("en", "msg.guided_numerator"))
    c.sendline("2")
    c.expect_exact(prompt("en", "msg.guided_denominator"))
    c.sendline("4")
    c.expect_exact(prompt("en", "msg.guided_confirm", n=1))
    c.sendline("")  # Enter: yes
    c.expect(pexpect.EOF)
    c.close()
    assert c.exitstatus == 0
    assert figures(kh, b["code"]) == {"III.2": (2, 4)}
    todo = kh.ok("todo", "-u", b["code"], "--period", "2026-02", "--plan", "t-20", "--as-of", DAY, "-f", "json").json()
    assert {r["item"]: r["status"] for r in todo if r["section"] == "figure"} == {"III.1": "missing",
                                                                                  "III.2": "recorded"}


@pytest.mark.parametrize("how", ["ctrl-c", "ctrl-d", "no"])
def test_stopping_writes_nothing_and_says_so(scene, how):
    kh, (a, _) = scene
    before = store_fingerprint(kh.db)
    c = spawn(kh, a["code"], "2026-01")
    c.expect_exact(prompt("en", "msg.guided_value", counts="vụ"))
    c.sendline("4")
    c.expect_exact(prompt("en", "msg.guided_numerator"))
    if how == "no":  # answered everything, then declined the summary
        c.sendline("1")
        c.expect_exact(prompt("en", "msg.guided_denominator"))
        c.sendline("2")
        c.expect_exact(prompt("en", "msg.guided_confirm", n=2))
        c.sendline("n")
    elif how == "ctrl-c":
        # A SIGINT that lands between the prompt's write and the read that follows is acted on
        # only when the read returns (CPython's input()): an officer presses Ctrl-C again, and so
        # does the test, if the first one went into that gap on a loaded machine.
        c.sendintr()
        if c.expect_exact([words("en", "msg.guided_stopped"), pexpect.TIMEOUT], timeout=10) == 1:
            c.sendintr()
    else:
        c.sendeof()
    if how != "ctrl-c" or c.match is pexpect.TIMEOUT:
        if c.expect_exact([words("en", "msg.guided_stopped"), pexpect.TIMEOUT]) == 1:
            pytest.fail(f"kh did not stop: {_signals(c.pid)}; it printed {c.before[-200:]!r}")
    c.expect(pexpect.EOF)
    c.close()
    assert c.exitstatus == (130 if how == "ctrl-c" else 1)
    assert store_fingerprint(kh.db) == before


def test_without_a_terminal_it_refuses_in_one_line(scene):
    kh, (a, _) = scene
    before = store_fingerprint(kh.db)
    err = kh.refused("record", "--unit", a["code"], "--period", "2026-01", "--as-of", DAY).err
    assert "kh record import" in err
    assert "kh record import" in kh.refused("--lang", "vi", "record", "--period", "2026-01", "--unit", a["code"]).err
    assert store_fingerprint(kh.db) == before
    # The other forms still route as before: one figure (a negative VALUE is still a VALUE) …
    assert "negative" in kh.refused("record", "t-20", "III.1", "-5", "--unit", a["code"], "--period", "2026-01",
                                    "--as-of", DAY).err
    kh.ok("record", "--unit", a["code"], "--period", "2026-01", "t-20", "III.1", "5", "--as-of", DAY, *by("x"))
