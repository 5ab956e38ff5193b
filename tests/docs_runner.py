"""Executable docs: the fenced ``sh`` blocks of README.md, docs/ and docs/vi/, run as a reader would.

The convention (docs/architecture.md, "Executable docs"):

- ```` ```sh ```` — every command line runs. A block whose lines start with ``$ `` is a
  transcript: each ``$ `` line is a command and the lines under it, up to the next ``$ ``, are
  what it prints (stdout, then stderr). A line that is only ``…`` stands for any number of lines;
  ``…`` inside a line stands for any text there. A block with
  no ``$ `` line is a list of commands whose output is not shown.
- A command must exit 0, or 1 when its shown output has a ``kh: `` line (a refusal), or N when
  its line carries the comment ``# exit N``.
- ```` ```sh no-run REASON ```` — not run; the reason is required (installation, a PostgreSQL
  server, a Windows machine…). Other shell info strings (bash, console, shell…) are refused, so a
  block cannot slip past the check by its name, and so is a bare ```` ``` ```` block holding
  ``$ `` command lines (a transcript must say whether it runs).

Commands run in a small interpreter, not a shell, so that ``kh`` runs in-process (a subprocess per
line would take most of a second each): words and quotes as sh reads them, ``~``, ``$VAR``, ``$?``, globs,
``;``, ``&&``, ``||``, ``|``, ``>``, ``>>``, ``<``, ``2>&1``, ``export``, ``cd``, ``echo``. ``kh``
and ``python -m kh`` run in-process; a few programs that only read files (``PROGRAMS``: cat, cp, head,
pdftotext…) run as subprocesses; anything else must be in a ``no-run`` block.
"""

from __future__ import annotations

import glob
import io
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

SHELL_NAMES = {"bash", "shell", "console", "zsh", "shell-session", "sh-session", "terminal"}
_FENCE = re.compile(r"^( *)(```+|~~~+)\s*(.*)$")
# Programs a page may run besides kh: ones that only read or convert files in the page's folder.
# Anything else (pip, sudo, psql, a server) belongs in a ```sh no-run block.
PROGRAMS = {"cat", "cp", "head", "tail", "ls", "wc", "grep", "cut", "sort", "diff", "file", "printf", "true",
            "false", "test", "pdftotext", "pdftoppm", "pdfinfo", "iconv", "sha256sum"}
_EXIT = re.compile(r"#.*?\bexit (\d+)\b")


@dataclass
class Command:
    line: int          # 1-based line of the command in its file
    text: str          # the command as written (continuations joined)
    expected: list[str] | None   # shown output (transcripts), None when not shown
    expected_lines: tuple[int, int] | None = None   # [first, last) file lines of the shown output
    exit: int = 0
    indent: int = 0    # the fence's indentation, for rewriting the shown output


@dataclass
class Block:
    path: Path
    line: int            # line of the opening fence
    info: str
    commands: list[Command] = field(default_factory=list)
    run: bool = True
    problem: str | None = None   # why the block breaks the convention


def blocks(path: Path) -> list[Block]:
    """Every fenced block of a shell language in a Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = len(m.group(1)), m.group(2), m.group(3).strip()
        j = i + 1
        while j < len(lines) and not (lines[j].strip().startswith(fence[:3]) and lines[j].strip().strip("`~") == ""):
            j += 1
        body = [ln[indent:] if ln[:indent].strip() == "" else ln for ln in lines[i + 1:j]]
        lang = info.split()[0].lower() if info else ""
        if lang == "sh" or lang in SHELL_NAMES:
            out.append(_block(path, i + 1, info, body, indent))
        elif not lang and any(ln.startswith("$ ") for ln in body):
            # A bare ``` block holding "$ " command lines is a transcript nothing checks: it must
            # say which it is, ```sh (it runs) or ```sh no-run REASON.
            out.append(Block(path, i + 1, info, run=False,
                             problem="a transcript in a bare ``` block: write ```sh (it runs) or ```sh no-run REASON"))
        i = j + 1
    return out


def _block(path: Path, line: int, info: str, body: list[str], indent: int = 0) -> Block:
    words = info.split()
    b = Block(path, line, info)
    if words[0].lower() in SHELL_NAMES:
        b.problem = f"```{words[0]}: write ```sh (it runs) or ```sh no-run REASON (it does not)"
        b.run = False
        return b
    if len(words) > 1 and words[1] == "no-run":
        b.run = False
        if len(words) < 3:
            b.problem = "```sh no-run needs a reason after it (```sh no-run needs a PostgreSQL server)"
        return b
    if len(words) > 1:
        b.problem = f"unknown words after ```sh: {' '.join(words[1:])!r} (only 'no-run REASON' is understood)"
        b.run = False
        return b
    transcript = any(ln.startswith("$ ") for ln in body)
    k = 0
    while k < len(body):
        ln = body[k]
        no = line + 1 + k
        if transcript and not ln.startswith("$ "):
            if ln.strip() and not b.commands:
                b.problem = f"line {no}: output before the first '$ ' command"
            k += 1
            continue
        text = ln[2:] if transcript else ln
        while text.endswith("\\") and k + 1 < len(body):
            k += 1
            text = text[:-1] + " " + body[k].strip()
        k += 1
        if not transcript and (not text.strip() or text.lstrip().startswith("#")):
            continue
        expected = None
        span = None
        if transcript:
            start = k
            while k < len(body) and not body[k].startswith("$ "):
                k += 1
            expected = body[start:k]
            span = (line + 1 + start, line + 1 + k)
        m = _EXIT.search(text)
        code = int(m.group(1)) if m else (1 if expected and any(e.startswith("kh: ") for e in expected) else 0)
        b.commands.append(Command(no, text, expected, span, code, indent))
    return b


# ---------------------------------------------------------------------------------------- running


@dataclass
class Outcome:
    status: int
    output: str   # what reached the terminal: stdout, then stderr, of every command not redirected


class Shell:
    """Runs command lines in ``cwd`` with ``env``; ``kh`` in-process through ``invoke``.

    ``invoke(argv, env, stdin) -> (status, stdout, stderr)`` runs the real command tree."""

    def __init__(self, cwd: Path, env: dict[str, str], invoke):
        self.cwd = cwd
        self.env = dict(env)
        self.invoke = invoke
        self.status = 0

    def run(self, text: str) -> Outcome:
        lex = shlex.shlex(text, posix=True, punctuation_chars=True)
        lex.whitespace_split = True
        tokens = list(lex)
        out: list[str] = []
        op = ";"
        i = 0
        while i < len(tokens):
            j = i
            while j < len(tokens) and tokens[j] not in (";", "&&", "||"):
                j += 1
            if op == ";" or (op == "&&" and self.status == 0) or (op == "||" and self.status != 0):
                out.append(self._pipeline(tokens[i:j]))
            op = tokens[j] if j < len(tokens) else ";"
            i = j + 1
        return Outcome(self.status, "".join(out))

    def _pipeline(self, tokens: list[str]) -> str:
        stages, cur = [], []
        for tok in tokens:
            if tok == "|":
                stages.append(cur)
                cur = []
            else:
                cur.append(tok)
        stages.append(cur)
        data = b""
        shown = []
        for n, stage in enumerate(stages):
            last = n == len(stages) - 1
            stdout, stderr = self._simple(stage, data)
            shown.append(stderr)
            if last:
                shown.insert(0, stdout)
            data = stdout.encode("utf-8")
        return "".join(shown)

    def _expand(self, word: str) -> list[str]:
        if word == "~" or word.startswith("~/"):
            word = self.env.get("HOME", "~") + word[1:]
        word = word.replace("$?", str(self.status))
        word = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: self.env.get(m.group(1) or m.group(2), ""), word)
        if any(c in word for c in "*?[") and not word.startswith("-"):
            found = sorted(glob.glob(word, root_dir=self.cwd))
            if found:
                return found
        return [word]

    def _simple(self, tokens: list[str], stdin: bytes) -> tuple[str, str]:
        words: list[str] = []
        assign: dict[str, str] = {}
        out_file = err_file = None
        append = False
        err_to_out = False
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok == "2" and i + 1 < len(tokens) and tokens[i + 1] in (">", ">&", ">>"):
                if tokens[i + 1] == ">&" and tokens[i + 2] == "1":
                    err_to_out = True
                else:
                    err_file = self._expand(tokens[i + 2])[0]
                i += 3
                continue
            if tok in (">", ">>"):
                out_file, append = self._expand(tokens[i + 1])[0], tok == ">>"
                i += 2
                continue
            if tok == "<":
                stdin = (self.cwd / self._expand(tokens[i + 1])[0]).read_bytes()
                i += 2
                continue
            if not words and re.match(r"^[A-Za-z_]\w*=", tok):
                k, v = tok.split("=", 1)
                assign[k] = self._expand(v)[0]
                i += 1
                continue
            words.extend(self._expand(tok))
            i += 1
        if not words:
            self.env.update(assign)
            self.status = 0
            return "", ""
        stdout, stderr = self._program(words, {**self.env, **assign}, stdin)
        if err_to_out:
            stdout, stderr = stdout + stderr, ""
        if err_file:
            if err_file != "/dev/null":
                (self.cwd / err_file).write_text(stderr, encoding="utf-8")
            stderr = ""
        if out_file:
            if out_file != "/dev/null":
                with open(self.cwd / out_file, "a" if append else "w", encoding="utf-8", newline="") as f:
                    f.write(stdout)
            stdout = ""
        return stdout, stderr

    def _program(self, words: list[str], env: dict[str, str], stdin: bytes) -> tuple[str, str]:
        name, args = words[0], words[1:]
        if name == "export":
            for a in args:
                if "=" in a:
                    k, v = a.split("=", 1)
                    self.env[k] = v
            self.status = 0
            return "", ""
        if name == "cd":
            self.cwd = (self.cwd / args[0]).resolve() if args else self.cwd
            self.status = 0
            return "", ""
        if name == "echo":
            self.status = 0
            return " ".join(args) + "\n", ""
        if name == "python" and args[:2] == ["-m", "kh"]:
            name, args = "kh", args[2:]
        if name == "kh":
            before = os.getcwd()
            os.chdir(self.cwd)
            try:
                self.status, out, err = self.invoke(args, env, stdin)
            finally:
                os.chdir(before)
            return out, err
        exe = shutil.which(name, path=env.get("PATH")) if name in PROGRAMS else None
        if exe is None:
            self.status = 127
            return "", f"docs test: {name}: not run by the docs test; mark the block ```sh no-run REASON\n"
        r = subprocess.run([exe, *args], cwd=self.cwd, env=env, input=stdin, capture_output=True, timeout=120)
        self.status = r.returncode
        return r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


# ------------------------------------------------------------------------------------ comparing


def _pattern(line: str) -> re.Pattern:
    # "…" inside a line stands for any text; the spaces around it may shrink ("key … of" ~ "key ab of").
    parts = [re.escape(p) for p in line.split("…")]
    return re.compile(".*".join(parts))


def matches(expected: list[str], actual: list[str]) -> bool:
    """``…`` alone: any number of lines; ``…`` in a line: any text there (``text…``: a line
    starting with ``text``)."""
    exp = [e.rstrip() for e in expected]
    act = [a.rstrip() for a in actual]
    while exp and not exp[-1]:
        exp.pop()
    while act and not act[-1]:
        act.pop()
    # ok[i][j]: exp[i:] matches act[j:]; filled from the end, so a long output cannot exhaust
    # the interpreter's recursion limit.
    n, k = len(exp), len(act)
    ok = [[False] * (k + 1) for _ in range(n + 1)]
    ok[n][k] = True
    for i in range(n - 1, -1, -1):
        line = exp[i]
        pat = _pattern(line) if "…" in line and line.strip() != "…" else None
        for j in range(k, -1, -1):
            if line.strip() == "…":
                ok[i][j] = ok[i + 1][j] or (j < k and ok[i][j + 1])
            elif j == k:
                ok[i][j] = False
            elif pat is not None:
                ok[i][j] = ok[i + 1][j + 1] and pat.fullmatch(act[j]) is not None
            else:
                ok[i][j] = ok[i + 1][j + 1] and line == act[j]
    return ok[0][0]
