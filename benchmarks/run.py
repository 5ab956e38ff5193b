"""Measure kh against its speed budgets and print a table.

    python benchmarks/run.py            # builds the stores once (benchmarks/.cache/), then measures
    python benchmarks/run.py --runs 7   # more runs per figure (medians are printed)

Every budget is a ratio to `python -c "import sqlmodel"`, timed in the same run on the same
machine, so that the figures mean the same on a fast laptop and on this 2-core CI box:

    kh --help                                        ≤ 0.4×
    kh gap --plan ls-mtqg-2030 --period 2027 (national)  ≤ 4×
    kh overdue (national)                            ≤ 2×
    kh record import of 200,000 figures (fresh store)    ≤ 8×
    peak memory of the national gap report           < 500 MB

and, as ratios to `kh figures` of the same commune and year (issue 16):

    kh bundle export of one commune's year (signed)  ≤ 2×
    kh bundle import of it (a store without it)      ≤ 2×

The machine may be shared: read the ratios, not the seconds.

Timing assertions live here, never in the test suite. docs/performance.md records the latest run.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
AS_OF = "2031-01-15"  # the synthetic stores run to the end of 2030
KH = [sys.executable, "-m", "kh"]


def run(cmd: list[str], env: dict | None = None, stdout=subprocess.DEVNULL) -> tuple[float, int]:
    """Wall time of one run, and the peak resident memory (KB) of the child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    took = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.decode()}")
    return took, max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)


def median(cmd: list[str], runs: int, setup=None) -> float:
    times = []
    for _ in range(runs):
        if setup:
            setup()
        times.append(run(cmd)[0])
    return statistics.median(times)


def store(scale: str) -> Path:
    path = CACHE / f"{scale}.sqlite"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"building the {scale} store (once) …", file=sys.stderr)
        t = time.perf_counter()
        subprocess.run([*KH, "demo", "--scale", scale, "--into", str(path)], check=True, stdout=subprocess.DEVNULL)
        print(f"  {time.perf_counter() - t:.0f} s", file=sys.stderr)
    upgrade(path)
    return path


def upgrade(target) -> None:
    """A store cached by an older kh gets the migrations since (kh init; nothing if current)."""
    subprocess.run([*KH, "--db", str(target), "init"], check=True, stdout=subprocess.DEVNULL)


def import_fixture() -> tuple[Path, Path]:
    """A fresh store (plan and units loaded) and a CSV of 200,000 figures for it."""
    base = CACHE / "import-base.sqlite"
    data = CACHE / "figures-200k.csv"
    if not base.exists():
        subprocess.run([*KH, "--db", str(base), "init"], check=True, stdout=subprocess.DEVNULL)
        # The figures are for every commune of the country: the plan without its area (Lạng Sơn),
        # which would refuse them (issue 12), as in the synthetic national store.
        nationwide = CACHE / "ls-mtqg-2030-nationwide.toml"
        text = (ROOT / "examples/plans/ls-mtqg-2030.toml").read_text(encoding="utf-8")
        nationwide.write_text("".join(line for line in text.splitlines(keepends=True)
                                      if not line.startswith("area = ")), encoding="utf-8")
        subprocess.run([*KH, "--db", str(base), "plan", "import", str(nationwide)],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*KH, "--db", str(base), "unit", "import", str(ROOT / "data/units.csv")],
                       check=True, stdout=subprocess.DEVNULL)
    if not data.exists():
        communes = [r["code"] for r in csv.DictReader((ROOT / "data/units.csv").open(encoding="utf-8"))
                    if r["kind"] == "commune" and r["valid_from"] == "2025-07-01"]
        months = [(2025, m) for m in range(7, 13)] + [(2026, m) for m in range(1, 13)]
        with data.open("w", encoding="utf-8") as f:
            f.write("plan,ref,unit,period,value,denominator,note\n")
            n = 0
            for ref in ("II.3.d-1", "II.3.d-2", "II.3.d-3", "II.3.b-1"):
                for code in communes:
                    for y, m in months:
                        if n == 200_000:
                            break
                        den = ",5" if ref == "II.3.b-1" else ","
                        f.write(f"ls-mtqg-2030,{ref},{code},{y}-{m:02d},{m % 5}{den},\n")
                        n += 1
    upgrade(base)
    return base, data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", choices=["bundle"], help="only the bundle export/import ratios")
    ap.add_argument("--postgresql", metavar="URL", help="also time gap and overdue on the national store in this "
                    "PostgreSQL database (built there once if it is empty; no budget)")
    args = ap.parse_args()
    runs = args.runs
    if args.only == "bundle":
        bundle(runs)
        return
    national, province = store("national"), store("province")
    base, data = import_fixture()
    fresh = CACHE / "import-run.sqlite"

    def fresh_store():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)
        shutil.copy(base, fresh)

    floor = median([sys.executable, "-c", "import sqlmodel"], runs)
    gap = ["gap", "--plan", "ls-mtqg-2030", "--period", "2027", "--as-of", AS_OF, "-f", "csv"]
    overdue = ["overdue", "--as-of", AS_OF, "-f", "csv"]
    rows = [
        ("kh --help", median([*KH, "--help"], runs), 0.4),
        ("kh gap … --period 2027 (national)", median([*KH, "--db", str(national), *gap], runs), 4),
        ("kh overdue (national)", median([*KH, "--db", str(national), *overdue], runs), 2),
        ("kh record import, 200,000 figures", median([*KH, "--db", str(fresh), "record", "import", str(data),
                                                      "--as-of", AS_OF], runs, fresh_store), 8),
    ]
    _, peak_kb = run([*KH, "--db", str(national), *gap])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"floor: python -c 'import sqlmodel' = {floor:.3f} s (median of {runs})\n")
    print(f"{'measure':42} {'seconds':>8} {'ratio':>7} {'budget':>7}  ok")
    for name, took, budget in rows:
        ratio = took / floor
        print(f"{name:42} {took:8.3f} {ratio:6.2f}× {budget:6.1f}×  {'yes' if ratio <= budget else 'NO'}")
    print(f"{'peak memory, national gap report':42} {peak_kb / 1024:7.0f} MB {'':7} {'500 MB':>7}  "
          f"{'yes' if peak_kb < 500 * 1024 else 'NO'}")
    bundle(runs)
    if args.postgresql:
        postgresql(args.postgresql, runs, floor, gap, overdue)
    print("\ngrowth, seed → province → national (median seconds):")
    seed = CACHE / "seed.sqlite"
    if not seed.exists():
        subprocess.run([*KH, "demo", "--into", str(seed)], check=True, stdout=subprocess.DEVNULL)
    for label, args in (("gap", ["gap", "--plan", "ls-mtqg-2030", "--period", "2027", "--as-of", AS_OF, "-f", "csv"]),
                        ("overdue", ["overdue", "--as-of", AS_OF, "-f", "csv"])):
        times = [median([*KH, "--db", str(db), *args], max(3, runs // 2)) for db in (seed, province, national)]
        print(f"  {label:8} " + "  ".join(f"{t:6.3f}" for t in times))


COMMUNE = "06211"  # Xã Cao Lộc, one of Lạng Sơn's communes in the province store


def bundle(runs: int) -> None:
    """One commune's year, exported from the province store (signed) and imported into a store
    with the same plan and units but none of its figures: each against `kh figures` of the same
    commune and year, timed in the same run."""
    province = store("province")
    keys = CACHE / "keys"
    if not (keys / f"{COMMUNE}.key").exists():
        subprocess.run([*KH, "--db", str(province), "admin", "keys", "--unit", COMMUNE, "--out", str(keys)],
                       check=True, stdout=subprocess.DEVNULL)
    base = CACHE / "bundle-base.sqlite"
    if not base.exists():
        plan = CACHE / "ls-mtqg-2030-province.toml"
        with plan.open("w", encoding="utf-8") as f:
            subprocess.run([*KH, "--db", str(province), "plan", "export", "ls-mtqg-2030"], check=True, stdout=f)
        for cmd in (["init"], ["plan", "import", str(plan)], ["unit", "import", str(ROOT / "data/units.csv")],
                    ["admin", "trust", COMMUNE, str(keys / f"{COMMUNE}.pub")]):
            subprocess.run([*KH, "--db", str(base), *cmd], check=True, stdout=subprocess.DEVNULL)
    upgrade(base)
    out, target = CACHE / f"{COMMUNE}-2026.khb", CACHE / "bundle-run.sqlite"

    def fresh():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copy(base, target)

    figures = median([*KH, "--db", str(province), "figures", "--unit", COMMUNE, "--period", "2026", "-f", "csv"], runs)
    export = median([*KH, "--db", str(province), "bundle", "export", "--unit", COMMUNE, "--period", "2026",
                     "--plan", "ls-mtqg-2030", "--key", str(keys / f"{COMMUNE}.key"), "-o", str(out)], runs)
    imported = median([*KH, "--db", str(target), "bundle", "import", str(out)], runs, fresh)
    print(f"\nbundles: one commune's year ({COMMUNE}, 2026) against kh figures of it "
          f"(a shared machine: the ratios are what to read)")
    print(f"  {'kh figures --unit --period':40} {figures:8.3f}")
    for name, took in (("kh bundle export (signed)", export), ("kh bundle import (fresh store)", imported)):
        print(f"  {name:40} {took:8.3f} {took / figures:6.2f}×  budget 2.0×  {'yes' if took <= 2 * figures else 'NO'}")


def postgresql(url: str, runs: int, floor: float, gap: list[str], overdue: list[str]) -> None:
    built = subprocess.run([*KH, "demo", "--scale", "national", "--into", url], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    if built.returncode != 0 and "not empty" not in built.stderr:
        sys.exit(f"cannot build the national store in PostgreSQL: {built.stderr}")
    upgrade(url)
    print("\nthe national store in PostgreSQL (same queries, no budget):")
    for name, cmd in (("kh gap … --period 2027", gap), ("kh overdue", overdue)):
        took = median([*KH, "--db", url, *cmd], runs)
        print(f"  {name:40} {took:8.3f} {took / floor:6.2f}×")


if __name__ == "__main__":
    main()
