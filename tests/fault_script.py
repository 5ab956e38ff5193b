"""Fault script (issue 14): kill imports, --replace imports, submissions, restores and upgrades at
random moments, and race them in pairs, on a real store; after every round check that the store
is whole and that each operation happened all or nothing.

Not part of the suite (it runs for minutes): run it on demand, on SQLite or PostgreSQL.

    python tests/fault_script.py --rounds 40                        # a SQLite file in a temp folder
    python tests/fault_script.py --rounds 40 --db postgresql+psycopg://kh_admin:…@127.0.0.1:54341/kh_fault
    python tests/fault_script.py --seed 7                           # a round sequence again

Exit 0 when every round held; otherwise the first broken round is printed and the exit is 1.
(On PostgreSQL the database named in --db is dropped and re-created; restores are SQLite's.)
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

UNITS = ROOT / "data" / "units.csv"
SEEDS = sorted((ROOT / "examples" / "plans").glob("*.toml"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
AS_OF = ["--as-of", "2022-01-10"]


def kh(db, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kh", "--db", str(db), *map(str, args)], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(db, *args) -> tuple[int, str, str]:
    p = kh(db, *args)
    out, err = p.communicate()
    return p.returncode, out, err


def url(db) -> str:
    return str(db) if "://" in str(db) else f"sqlite:///{db}"


def q(db, sql: str, **params):
    engine = sa.create_engine(url(db), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def communes() -> list[str]:
    import csv

    return [r["code"] for r in csv.DictReader(UNITS.open(encoding="utf-8"))
            if r["kind"] == "commune" and r["valid_to"] == "2025-06-30"]


def figures_csv(path: Path, codes: list[str], value: int, year: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write("plan,ref,unit,period,value,denominator,note\n")
        for c in codes:
            for m in range(1, 13):
                f.write(f"na-2021,III.1-1,{c},{year}-{m:02d},{value},,\n")
    return path


def whole(db) -> str | None:
    """What is wrong with the store, or None."""
    if "://" not in str(db):
        if q(db, "pragma integrity_check") != [("ok",)]:
            return "integrity_check failed"
        if q(db, "pragma foreign_key_check"):
            return "foreign_key_check found orphans"
    current = q(db, "select count(*) from (select plan_id, ref, unit, period from figure where replaced_at is null "
                    "group by plan_id, ref, unit, period having count(*) > 1) d")[0][0]
    return f"{current} figures have two current rows" if current else None


class Round:
    def __init__(self, db, folder: Path, rng: random.Random, codes: list[str], n: int):
        self.db, self.folder, self.rng, self.n = db, folder, rng, n
        # Each round its own units (and, once they run out, its own year): none recorded before.
        blocks = len(codes) // 400
        self.codes = codes[(n % blocks) * 400:(n % blocks + 1) * 400]
        self.year = 2021 - n // blocks

    def op(self, kind: str):
        """(process, check after it ended: exit code → problem or None)."""
        db, n = self.db, self.n
        if kind == "import":
            f = figures_csv(self.folder / f"imp{n}.csv", self.codes, 1, self.year)
            units = tuple(self.codes)

            def check(code, out):
                got = self.count(units, value=1)
                if code == 0 and got != len(units) * 12:
                    return f"import said {out.strip()!r} but {got} of {len(units) * 12} rows are there"
                if code != 0 and got not in (0, len(units) * 12):
                    return f"a killed or refused import left {got} rows"
                return None
            return kh(db, "record", "import", f, *AS_OF, "--by", "fault"), check
        if kind == "replace":
            base = figures_csv(self.folder / f"base{n}.csv", self.codes[:200], 1, self.year)
            assert run(db, "record", "import", base, *AS_OF, "--by", "fault")[0] == 0
            f = figures_csv(self.folder / f"rep{n}.csv", self.codes[:200], 2, self.year)
            units = tuple(self.codes[:200])

            def check(code, out):
                new, old = self.count(units, value=2), self.count(units, value=1)
                if (new, old) not in ((0, 2400), (2400, 0)):
                    return f"a --replace import half happened: {new} new and {old} old current rows"
                if code == 0 and new != 2400:
                    return "a --replace import said it replaced rows that are not there"
                return None
            return kh(db, "record", "import", f, "--replace", *AS_OF, "--by", "fault"), check
        if kind == "submit":
            def check(code, out):
                sent = q(db, "select count(*) from completion where kind = 'obligation' and item = 'bc-6-thang' "
                             "and undone_at is null and period = '2021-H1'")[0][0]
                if code == 0 and sent == 0:
                    return "a submission said done but is not there"
                return None
            return kh(db, "submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--period", "2021-H1",
                      "--on", "2021-06-10", *AS_OF, "--by", "fault"), check
        if kind == "restore":
            def check(code, out):
                return None if code in (0, 1, -9) else f"restore exited {code}"
            return kh(db, "restore", self.folder / "saved.sqlite"), check
        if kind == "upgrade":
            return kh(db, "init"), lambda code, out: None if code in (0, 1, -9) else f"init exited {code}"
        raise ValueError(kind)

    def count(self, units: tuple, value: int) -> int:
        marks = ", ".join(f":u{i}" for i in range(len(units)))
        params = {f"u{i}": u for i, u in enumerate(units)}
        return q(self.db, f"select count(*) from figure where replaced_at is null and value = :v and "
                          f"unit in ({marks})", v=value, **params)[0][0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--db", help="a PostgreSQL URL (its database is dropped and re-made); default a SQLite file")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print(f"seed {args.seed}")
    folder = Path(tempfile.mkdtemp(prefix="kh-fault-"))
    pg = args.db is not None
    if pg:
        from sqlalchemy.engine import make_url

        u = make_url(args.db)
        admin = sa.create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')
            c.exec_driver_sql(f'CREATE DATABASE "{u.database}"')
        admin.dispose()
        db = args.db
    else:
        db = folder / "kh.sqlite"
    for step in (["init"], ["plan", "import", *SEEDS], ["unit", "import", UNITS]):
        code, _, err = run(db, *step)
        assert code == 0, err
    if not pg:
        assert run(db, "backup", folder / "saved.sqlite")[0] == 0
    kinds = ["import", "replace", "submit", "upgrade"] + ([] if pg else ["restore"])
    codes = communes()
    rng.shuffle(codes)
    for n in range(args.rounds):
        r = Round(db, folder, rng, codes, n)
        if not pg and n and rng.random() < 0.3:
            run(db, "restore", folder / "saved.sqlite")  # start some rounds from the backup again
        pair = rng.random() < 0.5
        chosen = [rng.choice(kinds) for _ in range(2 if pair else 1)]
        procs = []
        for k in chosen:
            procs.append((k, *r.op(k)))
            time.sleep(rng.uniform(0, 0.3))
        kill = None if pair and rng.random() < 0.5 else rng.randrange(len(procs))
        if kill is not None:
            time.sleep(rng.uniform(0, 1.5))
            p = procs[kill][1]
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
        problems = []
        for k, p, check in procs:
            out, err = p.communicate(timeout=600)
            if "internal error" in err or "Traceback" in err:
                problems.append(f"{k}: {err.strip()}")
            problem = check(p.returncode, out)
            if problem:
                problems.append(f"{k}: {problem}")
        problem = whole(db)
        if problem:
            problems.append(problem)
        what = " + ".join(chosen) + (f", {chosen[kill]} killed" if kill is not None else "")
        if problems:
            print(f"round {n} ({what}): BROKEN\n  " + "\n  ".join(problems))
            return 1
        print(f"round {n} ({what}): whole")
    print(f"{args.rounds} rounds, every one whole")
    return 0


if __name__ == "__main__":
    sys.exit(main())
