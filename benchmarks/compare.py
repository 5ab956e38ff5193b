"""Compare kh at two or more commits on the same data: did a change make kh slower?

    python benchmarks/compare.py d8207c1..f1760a4 f1760a4..9209342   # each pair: before..after
    python benchmarks/compare.py --runs 9 HEAD~1..HEAD

For a refactor that must not change speed (issue 18's house slices): each pair's two commits run
the same commands on copies of one national store, alternately (A B A B …), and the table gives
each command's median processor time (user + sys of the child, which load on a shared machine
moves far less than wall time) and the median of the per-run ratios after/before.

The commits are checked out as detached worktrees in benchmarks/.cache/compare/<commit>. The
national store is built once by the oldest commit named (`kh demo --scale national`); each
commit's copy is upgraded by its own `kh init`, so every pair reads the same figures. Building it
takes a few minutes; each commit's copy is 900 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache" / "compare"
AS_OF = "2031-01-15"


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout.strip()


def checkout(commit: str) -> dict:
    """The commit's worktree and the environment that runs its kh (its seeds and units too)."""
    tree = CACHE / commit
    if not tree.exists():
        git("worktree", "add", "-q", "--detach", str(tree), commit)
        # kh._seeds and kh._units are mapped by the installed package; the checkout's own win.
        (tree / "kh" / "_seeds").symlink_to("../examples/plans")
        (tree / "kh" / "_units").symlink_to("../data")
    return {**os.environ, "PYTHONPATH": str(tree), "KH_LANG": "en"}


def kh(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "kh", *args], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def stores(commit: str, base: Path) -> tuple[dict, Path, Path]:
    env = checkout(commit)
    national, seed = CACHE / f"national-{commit}.sqlite", CACHE / f"seed-{commit}.sqlite"
    if not national.exists():
        shutil.copy(base, national)
        kh(env, "--db", str(national), "init")
    if not seed.exists():
        kh(env, "demo", "--into", str(seed))
    return env, national, seed


def cpu(cmd: list[str], env: dict) -> float:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 3):  # 3: the gap report found a target missed
        sys.exit(f"failed: {' '.join(cmd)}")
    return usage.ru_utime + usage.ru_stime


def commands(national: Path, seed: Path) -> dict[str, list[str]]:
    k = [sys.executable, "-m", "kh"]
    return {
        "kh --help": k + ["--help"],
        "kh plan list (seed store)": k + ["--db", str(seed), "plan", "list"],
        "national gap": k + ["--db", str(national), "gap", "--plan", "ls-mtqg-2030", "--period", "2027",
                             "--as-of", AS_OF, "-f", "csv"],
        "national overdue": k + ["--db", str(national), "overdue", "--as-of", AS_OF, "-f", "csv"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="+", metavar="BEFORE..AFTER")
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    pairs = [tuple(git("rev-parse", "--short", c) for c in p.split("..")) for p in a.pairs]
    CACHE.mkdir(parents=True, exist_ok=True)
    oldest = min({c for p in pairs for c in p}, key=lambda c: int(git("log", "-1", "--format=%ct", c)))
    base = CACHE / "national-base.sqlite"
    if not base.exists():
        print(f"building the national store with {oldest} (once) …", file=sys.stderr)
        kh(checkout(oldest), "demo", "--scale", "national", "--into", str(base))
    for before, after in pairs:
        (eb, nb, sb), (ea, na, sa) = stores(before, base), stores(after, base)
        cb, ca = commands(nb, sb), commands(na, sa)
        for name in cb:  # warm the file cache for both
            cpu(cb[name], eb), cpu(ca[name], ea)
        took = {name: ([], []) for name in cb}
        for _ in range(a.runs):
            for name in cb:
                took[name][0].append(cpu(cb[name], eb))
                took[name][1].append(cpu(ca[name], ea))
        print(f"\n{before} → {after}: median processor seconds [min–max] over {a.runs} alternating runs")
        print(f"  {'command':27} {'before':>18} {'after':>18}   after/before")
        for name, (x, y) in took.items():
            r = [j / i for i, j in zip(x, y)]
            print(f"  {name:27} {statistics.median(x):6.3f} [{min(x):.2f}–{max(x):.2f}] "
                  f"{statistics.median(y):6.3f} [{min(y):.2f}–{max(y):.2f}]   "
                  f"{statistics.median(r):.2f} [{min(r):.2f}–{max(r):.2f}]", flush=True)


if __name__ == "__main__":
    main()
