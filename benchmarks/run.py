"""Measure kh against its speed budgets, on SQLite and PostgreSQL, and print a table.

    python benchmarks/run.py                 # the whole benchmark, both engines, 3 runs per measure
    python benchmarks/run.py --runs 5        # more runs
    python benchmarks/run.py --quick         # a province-sized store, 1 run: checks that it works
    python benchmarks/run.py --pg URL        # use this PostgreSQL server (also: $KH_BENCH_PG)

PostgreSQL: with neither --pg nor $KH_BENCH_PG, the benchmark makes its own throwaway server
with scripts/pg_setup.sh in benchmarks/.cache/pg (port --pg-port, default 54391), runs it with
shared_buffers = 1GB as docs/deploy-postgresql.md advises for a national store, reuses it on
later runs (the national store is built there once) and stops it at the end. URL is a role that
owns kh's tables and may create databases and roles (the guide's kh_admin); the benchmark makes
its databases (kh_bench_*) and two clerks' roles (bench_clerk_*) on that server.

The stores are built once and kept in benchmarks/.cache/ (`kh demo --scale national|province`):
about 1 minute on SQLite and 3 to 5 minutes on PostgreSQL the first time. They are reused
(and upgraded with `kh init`) later.

A warm-up round runs every command once, untimed (a server just started reads from disk; a
province's has been up for weeks). Each run then measures every command once, in the same
order (so that measures and their references alternate: A B A B …), together with the floor
`python -c "import sqlmodel"` (timed at the start and at the end of the run, averaged). A ratio
is computed within its run; the table prints the lowest and highest over the runs, and a budget
counts as met only when every run meets it.

| measure | budget, as a ratio to |
| --- | --- |
| `kh --help` | ≤ 0.4 × the floor |
| national gap report (SQLite) | ≤ 3 × the floor |
| national overdue list | ≤ 1.5 × the floor |
| `kh record import` of 200,000 figures into a fresh store | ≤ 6 × the floor |
| a commune's `kh gap --unit` and `kh figures --unit --period` | ≤ 1.6 × the floor |
| `kh record` of one figure on the national store | ≤ 1.4 × the floor |
| `kh todo` on the national store (when the command exists) | ≤ 1.6 × the floor |
| `kh report` of a province's year (.docx) | ≤ 3 × the same `kh gap` |
| `kh bundle export/import` of a commune's year | ≤ 2 × `kh figures` of it |
| national gap on PostgreSQL, as owner and as a clerk (row-level security) | ≤ 1.2 × SQLite |
| a clerk's province gap on PostgreSQL (row-level security) | ≤ 1.2 × SQLite |
| peak memory of the national gap report | < 300 MB |

The machine may be shared: read the ratios, not the seconds. Timing assertions live here, never
in the test suite. docs/performance.md records the runs.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
AS_OF = "2031-01-15"  # the synthetic stores run to the end of 2030
PLAN = "ls-mtqg-2030"
KH = [sys.executable, "-m", "kh"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "KH_LANG": "en"}  # this checkout's kh, whatever is installed
COMMUNE = "06211"  # Xã Cao Lộc, Lạng Sơn: in both the province and the national store
PROVINCE = "20"  # Lạng Sơn
PASSWORD = "bench-clerk-secret"  # the clerks' roles on a throwaway server


def run(cmd: list[str], *, env: dict | None = None, ok=(0, 3)) -> tuple[float, int]:
    """Wall time of one run of ``cmd``, and the child's own peak resident memory (KB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**ENV, **(env or {})})
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code not in ok:
        sys.exit(f"failed ({code}): {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return took, usage.ru_maxrss


def kh(db, *args: str, check=True, **kw):
    return subprocess.run([*KH, "--db", str(db), *args], env=ENV, check=check, stdout=subprocess.DEVNULL, **kw)


# ---------------------------------------------------------------- the stores


def sqlite_store(scale: str) -> Path:
    path = CACHE / f"{scale}.sqlite"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"building the {scale} store on SQLite (once) …", file=sys.stderr)
        subprocess.run([*KH, "demo", "--scale", scale, "--into", str(path)], env=ENV, check=True,
                       stdout=subprocess.DEVNULL)
    kh(path, "init")  # a store cached by an older kh gets the migrations since
    return path


def nationwide_plan() -> Path:
    """The plan without its area (Lạng Sơn), which would refuse figures of other provinces."""
    out = CACHE / f"{PLAN}-nationwide.toml"
    text = (ROOT / f"examples/plans/{PLAN}.toml").read_text(encoding="utf-8")
    out.write_text("".join(line for line in text.splitlines(keepends=True) if not line.startswith("area = ")),
                   encoding="utf-8")
    return out


def import_data(n: int) -> Path:
    """A CSV of ``n`` monthly figures for every commune of the country."""
    data = CACHE / f"figures-{n}.csv"
    if not data.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        communes = [r["code"] for r in csv.DictReader((ROOT / "data/units.csv").open(encoding="utf-8"))
                    if r["kind"] == "commune" and r["valid_from"] == "2025-07-01"]
        months = [(2025, m) for m in range(7, 13)] + [(2026, m) for m in range(1, 13)]
        with data.open("w", encoding="utf-8") as f:
            f.write("plan,ref,unit,period,value,denominator,note\n")
            count = 0
            for ref in ("II.3.d-1", "II.3.d-2", "II.3.d-3", "II.3.b-1"):
                for code in communes:
                    for y, m in months:
                        if count == n:
                            break
                        den = ",5" if ref == "II.3.b-1" else ","
                        f.write(f"{PLAN},{ref},{code},{y}-{m:02d},{m % 5}{den},\n")
                        count += 1
    return data


def import_base() -> Path:
    """A fresh SQLite store with the plan and the units, copied before each import."""
    base = CACHE / "import-base.sqlite"
    if not base.exists():
        kh(base, "init")
        kh(base, "plan", "import", str(nationwide_plan()))
        kh(base, "unit", "import", str(ROOT / "data/units.csv"))
    kh(base, "init")
    return base


def fresh_copy(base: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(base, target)


# ---------------------------------------------------------------- PostgreSQL


class Postgres:
    """A PostgreSQL server for the benchmark: the one given, or a throwaway one of our own."""

    def __init__(self, url: str | None, port: int):
        self.started: Path | None = None
        if url is None:
            url = self._start(port)
        from sqlalchemy.engine import make_url

        self.url = make_url(url)

    def _start(self, port: int) -> str:
        """scripts/pg_setup.sh makes the server once; it then runs with the memory the guide
        gives a national store (docs/deploy-postgresql.md: shared_buffers = 1GB)."""
        folder = CACHE / "pg"
        if not (folder / "data").exists():
            print("making a throwaway PostgreSQL server (scripts/pg_setup.sh) …", file=sys.stderr)
            CACHE.mkdir(parents=True, exist_ok=True)
            subprocess.run(["sh", str(ROOT / "scripts/pg_setup.sh"), str(folder), str(port)], env=ENV, check=True,
                           stdout=subprocess.DEVNULL)
            subprocess.run(["sh", str(folder / "stop")], check=True, stdout=subprocess.DEVNULL)
        bin_dir = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
        as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        subprocess.run([*as_pg, str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "server.log"),
                        "-w", "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=200 "
                        "-c shared_buffers=1GB", "start"], check=True, stdout=subprocess.DEVNULL, cwd="/")
        self.started = folder
        return f"postgresql+psycopg2://kh_admin:kh-admin-secret@127.0.0.1:{port}/kh"  # as pg_setup.sh made it

    def stop(self) -> None:
        # pg_ctl on the data folder where it is now (pg_setup.sh's stop script names the folder
        # the cache was made in, which may have moved since).
        if self.started:
            bin_dir = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
            as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
            subprocess.run([*as_pg, str(bin_dir / "pg_ctl"), "-D", str(self.started / "data"), "-m", "fast", "stop"],
                           check=False, stdout=subprocess.DEVNULL, cwd="/")

    def db(self, name: str, user: str | None = None, password: str | None = None) -> str:
        url = self.url.set(database=name)
        if user:
            url = url.set(username=user, password=password)
        return url.render_as_string(hide_password=False)

    def libpq(self, database: str) -> str:
        """The URL as libpq reads it (no SQLAlchemy driver name)."""
        return self.url.set(database=database, drivername="postgresql").render_as_string(hide_password=False)

    def sql(self, database: str, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.libpq(database), autocommit=True) as conn:
            for s in statements:
                conn.execute(s)

    def exists(self, name: str) -> bool:
        import psycopg

        with psycopg.connect(self.libpq(self.url.database)) as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None

    def store(self, scale: str) -> str:
        name = f"kh_bench_{scale}"
        url = self.db(name)
        if not self.exists(name):
            print(f"building the {scale} store on PostgreSQL (once) …", file=sys.stderr)
            self.sql(self.url.database, f'CREATE DATABASE "{name}"')
            subprocess.run([*KH, "demo", "--scale", scale, "--into", url], env=ENV, check=True,
                           stdout=subprocess.DEVNULL)
            # What autovacuum does a minute after a bulk load, done now: statistics for the
            # planner, and the visibility map that lets index-only scans skip the table.
            self.sql(name, "VACUUM (ANALYZE)")
        kh(url, "init")
        return url

    def clerks(self, store_url: str, scale: str) -> tuple[str, str]:
        """Two clerks' roles with row-level security: one for Lạng Sơn (kh admin clerk), and one
        whose grants cover every province (kh admin takes one unit per role: the benchmark adds
        the others to kh_grant itself)."""
        from sqlalchemy.engine import make_url

        name = make_url(store_url).database
        env = {**ENV, "KH_ROLE_PASSWORD": PASSWORD}
        for role, unit in ((f"bench_clerk_{scale}_20", PROVINCE), (f"bench_clerk_{scale}_all", PROVINCE)):
            subprocess.run([*KH, "--db", store_url, "admin", "clerk", role, "--unit", unit], env=env, check=True,
                           stdout=subprocess.DEVNULL)
        self.sql(name, f"INSERT INTO kh_grant (role, unit, can_write) SELECT 'bench_clerk_{scale}_all', code, false "
                       "FROM unit WHERE kind = 'province' AND valid_to IS NULL ON CONFLICT DO NOTHING")
        return (self.db(name, f"bench_clerk_{scale}_20", PASSWORD), self.db(name, f"bench_clerk_{scale}_all", PASSWORD))

    def import_base(self) -> str:
        name = "kh_bench_import_base"
        url = self.db(name)
        if not self.exists(name):
            self.sql(self.url.database, f'CREATE DATABASE "{name}"')
            kh(url, "init")
            kh(url, "plan", "import", str(nationwide_plan()))
            kh(url, "unit", "import", str(ROOT / "data/units.csv"))
        kh(url, "init")
        return url

    def fresh_import(self) -> str:
        self.sql(self.url.database, 'DROP DATABASE IF EXISTS "kh_bench_import_run"',
                 'CREATE DATABASE "kh_bench_import_run" TEMPLATE "kh_bench_import_base"')
        return self.db("kh_bench_import_run")


# ---------------------------------------------------------------- the measures


def has_command(name: str) -> bool:
    return subprocess.run([*KH, name, "--help"], env=ENV, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=None, help="runs per measure (default 3; 1 with --quick)")
    ap.add_argument("--quick", action="store_true", help="province-sized stores, 20,000 figures, one run")
    ap.add_argument("--pg", metavar="URL", default=os.environ.get("KH_BENCH_PG"),
                    help="a PostgreSQL server (a role owning kh's tables, allowed to create databases and roles)")
    ap.add_argument("--pg-port", type=int, default=54391, help="port of the throwaway server (default 54391)")
    ap.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = ap.parse_args()
    runs = args.runs or (1 if args.quick else 3)
    scale = "province" if args.quick else "national"
    n_import = 20_000 if args.quick else 200_000

    started = time.perf_counter()
    # kh from this checkout runs from bytecode, as an installed kh does (pip compiles what it
    # installs, as it did the floor's sqlmodel). With PYTHONDONTWRITEBYTECODE set nothing else
    # writes it, and every measured command compiled kh's modules from source: about 30 ms of
    # kh --help and 80 ms of a store command, which no installed kh pays.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kh")], check=True)
    national, province = sqlite_store(scale), sqlite_store("province")
    base, data = import_base(), import_data(n_import)
    fresh = CACHE / "import-run.sqlite"
    pg = None if args.no_pg else Postgres(args.pg, args.pg_port)
    try:
        if pg:
            pg_national = pg.store(scale)
            clerk_20, clerk_all = pg.clerks(pg_national, scale)
            pg.import_base()
        keys = bundle_keys(province)
        bundled = bundle_base(province, keys)
        todo = has_command("todo")

        gap = ["gap", "--plan", PLAN, "--period", "2027", "--as-of", AS_OF, "-f", "csv"]
        gap_20 = [*gap, "--unit", PROVINCE]
        gap_commune = [*gap, "--unit", COMMUNE]
        figures = ["figures", "--unit", COMMUNE, "--period", "2027", "-f", "csv"]
        overdue = ["overdue", "--as-of", AS_OF, "-f", "csv"]
        record = ["record", PLAN, "X.1", "3", "--unit", COMMUNE, "--period", "2030-12", "--replace",
                  "--as-of", AS_OF, "--reason", "benchmark"]
        report_doc = CACHE / "report.docx"
        report = ["report", PLAN, "--period", "2027", "--on", AS_OF, "-o", str(report_doc)]
        gap_province = ["gap", "--plan", PLAN, "--period", "2027", "--as-of", AS_OF, "-f", "csv"]
        bundle_file = CACHE / f"{COMMUNE}-2026.khb"
        bundle_target = CACHE / "bundle-run.sqlite"

        times: dict[str, list[float]] = {}
        peaks: list[int] = []

        warm = [True]  # the round under way is the warm-up

        def t(name, cmd, setup=None, **kw):
            if setup:
                setup()
            took, peak = run(cmd, **kw)
            if not warm[0]:
                times.setdefault(name, []).append(took)
            return peak

        # Round 0 is a warm-up, not timed: a server the benchmark has just started reads its first
        # statements from disk, and a province's server has been running for weeks. Every
        # command, on both engines, runs once before the timed rounds.
        for i in range(-1, runs):
            if i < 0:
                print("warm-up round (not timed) …", file=sys.stderr)
            else:
                print(f"run {i + 1} of {runs} …", file=sys.stderr)
            warm[0] = i < 0
            floor_a = run([sys.executable, "-c", "import sqlmodel"])[0]
            t("help", [*KH, "--help"])
            peak = t("gap", [*KH, "--db", str(national), *gap])
            if not warm[0]:
                peaks.append(peak)
            if pg:
                t("pg gap owner", [*KH, "--db", pg_national, *gap])
                t("pg gap clerk", [*KH, "--db", clerk_all, *gap])
            t("gap 20", [*KH, "--db", str(national), *gap_20])
            if pg:
                t("pg gap 20 clerk", [*KH, "--db", clerk_20, *gap_20])
            t("overdue", [*KH, "--db", str(national), *overdue])
            if pg:
                t("pg overdue", [*KH, "--db", pg_national, *overdue])
            t("gap commune", [*KH, "--db", str(national), *gap_commune])
            if pg:
                t("pg gap commune", [*KH, "--db", pg_national, *gap_commune])
            t("figures commune", [*KH, "--db", str(national), *figures])
            if pg:
                t("pg figures commune", [*KH, "--db", pg_national, *figures])
            t("record", [*KH, "--db", str(national), *record, "--by", "benchmark"])
            if pg:
                t("pg record", [*KH, "--db", pg_national, *record])
            if todo:  # the officer's screen (issue 15), once it is on main
                t("todo", [*KH, "--db", str(national), "todo", "--unit", COMMUNE, "--as-of", AS_OF, "-f", "csv"])
                if pg:
                    t("pg todo", [*KH, "--db", pg_national, "todo", "--unit", COMMUNE, "--as-of", AS_OF, "-f", "csv"])
            t("import", [*KH, "--db", str(fresh), "record", "import", str(data), "--as-of", AS_OF],
              setup=lambda: fresh_copy(base, fresh))
            if pg:
                t("pg import", [*KH, "--db", pg.fresh_import(), "record", "import", str(data), "--as-of", AS_OF])
            t("gap province", [*KH, "--db", str(province), *gap_province])
            t("report", [*KH, "--db", str(province), *report])
            t("figures province", [*KH, "--db", str(province), "figures", "--unit", COMMUNE, "--period", "2026",
                                   "-f", "csv"])
            t("bundle export", [*KH, "--db", str(province), "bundle", "export", "--unit", COMMUNE, "--period", "2026",
                                "--plan", PLAN, "--key", str(keys / f"{COMMUNE}.key"), "-o", str(bundle_file)])
            t("bundle import", [*KH, "--db", str(bundle_target), "bundle", "import", str(bundle_file)],
              setup=lambda: fresh_copy(bundled, bundle_target))
            floor_b = run([sys.executable, "-c", "import sqlmodel"])[0]
            if not warm[0]:
                times.setdefault("floor", []).append((floor_a + floor_b) / 2)
    finally:
        if pg:
            pg.stop()
    report_table(times, peaks, runs, scale, time.perf_counter() - started)


def bundle_keys(province: Path) -> Path:
    keys = CACHE / "keys"
    if not (keys / f"{COMMUNE}.key").exists():
        kh(province, "admin", "keys", "--unit", COMMUNE, "--out", str(keys))
    return keys


def bundle_base(province: Path, keys: Path) -> Path:
    """A store with the province's plan and the units, trusting the commune's key, but none of
    its figures: where a bundle is imported."""
    base = CACHE / "bundle-base.sqlite"
    if not base.exists():
        plan = CACHE / f"{PLAN}-province.toml"
        with plan.open("w", encoding="utf-8") as f:
            subprocess.run([*KH, "--db", str(province), "plan", "export", PLAN], env=ENV, check=True, stdout=f)
        for cmd in (["init"], ["plan", "import", str(plan)], ["unit", "import", str(ROOT / "data/units.csv")],
                    ["admin", "trust", COMMUNE, str(keys / f"{COMMUNE}.pub")]):
            kh(base, *cmd)
    kh(base, "init")
    return base


# (name, what it is, numerator, denominator, budget): a ratio numerator / denominator per run.
MEASURES = [
    ("kh --help", "help", "floor", 0.4),
    ("national gap report (SQLite)", "gap", "floor", 3.0),
    ("national overdue list", "overdue", "floor", 1.5),
    ("kh record import, {n} figures, fresh store", "import", "floor", 6.0),
    ("kh gap --unit <commune> (national store)", "gap commune", "floor", 1.6),
    ("kh figures --unit <commune> --period (national)", "figures commune", "floor", 1.6),
    ("kh record of one figure (national store)", "record", "floor", 1.4),
    ("kh todo (national store)", "todo", "floor", 1.6),
    ("kh report, a province's year (.docx) / kh gap", "report", "gap province", 3.0),
    ("kh bundle export of a commune's year / kh figures", "bundle export", "figures province", 2.0),
    ("kh bundle import of it / kh figures", "bundle import", "figures province", 2.0),
    ("PostgreSQL national gap, owner / SQLite", "pg gap owner", "gap", 1.2),
    ("PostgreSQL national gap, clerk (RLS) / SQLite", "pg gap clerk", "gap", 1.2),
    ("PostgreSQL province gap, its clerk (RLS) / SQLite", "pg gap 20 clerk", "gap 20", 1.2),
    ("PostgreSQL overdue / SQLite", "pg overdue", "overdue", None),
    ("PostgreSQL commune gap / SQLite", "pg gap commune", "gap commune", None),
    ("PostgreSQL commune figures / SQLite", "pg figures commune", "figures commune", None),
    ("PostgreSQL record of one figure / SQLite", "pg record", "record", None),
    ("PostgreSQL kh todo / SQLite", "pg todo", "todo", None),
    ("PostgreSQL import / SQLite", "pg import", "import", None),
]


def report_table(times: dict[str, list[float]], peaks: list[int], runs: int, scale: str, took: float) -> None:
    floor = times["floor"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; {scale} store, {runs} run(s), {took / 60:.1f} min in all")
    print(f"floor: python -c 'import sqlmodel' = {min(floor):.3f}–{max(floor):.3f} s\n")
    n = "20,000" if scale == "province" else "200,000"
    print(f"{'measure':52} {'seconds':>13} {'ratio':>13} {'budget':>7}  met")
    for label, name, ref, budget in MEASURES:
        if name not in times:
            continue
        ratios = [a / b for a, b in zip(times[name], times[ref])]
        secs = f"{min(times[name]):.2f}–{max(times[name]):.2f}"
        rng = f"{min(ratios):.2f}–{max(ratios):.2f}×"
        met = "" if budget is None else ("yes" if all(r <= budget for r in ratios) else "NO")
        print(f"{label.format(n=n):52} {secs:>13} {rng:>13} {('≤ %.1f×' % budget) if budget else '—':>7}  {met}")
    mb = [p / 1024 for p in peaks]
    print(f"{'peak memory, national gap report':52} {f'{min(mb):.0f}–{max(mb):.0f} MB':>13} {'':>13} "
          f"{'< 300 MB':>7}  {'yes' if all(m < 300 for m in mb) else 'NO'}")


if __name__ == "__main__":
    main()
