"""All or nothing under kill -9, and several officers importing at once — with real processes
on a real SQLite file."""

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests.conftest import UNITS_CSV

OLD_COMMUNES = [r["code"] for r in csv.DictReader(UNITS_CSV.open(encoding="utf-8"))
                if r["kind"] == "commune" and r["valid_to"] == "2025-06-30"]


def figures_csv(path, communes, ref="III.1-1"):
    with path.open("w", encoding="utf-8") as f:
        f.write("plan,ref,unit,period,value,denominator,note\n")
        for code in communes:
            for m in range(1, 13):
                f.write(f"na-2021,{ref},{code},2021-{m:02d},{m},,\n")
    return path


def kh_process(db, *args):
    return subprocess.Popen([sys.executable, "-m", "kh", "--db", str(db), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def count(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("select count(*) from figure").fetchone()[0]
    finally:
        con.close()


def test_an_import_killed_halfway_leaves_the_store_whole_and_without_it(world, tmp_path):
    big = figures_csv(tmp_path / "big.csv", OLD_COMMUNES)  # 120,000 figures
    wal = world.db.with_name(world.db.name + "-wal")
    proc = kh_process(world.db, "record", "import", big, "--as-of", "2022-01-01")
    killed = False
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        # Kill once the transaction has started spilling its pages into the WAL.
        if wal.exists() and wal.stat().st_size > 2_000_000:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.002)
    proc.wait()
    assert killed, "the import finished before it could be killed; make the file bigger"
    con = sqlite3.connect(world.db)
    try:
        assert con.execute("pragma integrity_check").fetchone() == ("ok",)
        assert con.execute("select count(*) from figure").fetchone() == (0,)
    finally:
        con.close()
    # and the store still works
    world.ok("record", "na-2021", "III.1-1", "5", "--unit", "40", "--period", "2021", "--as-of", "2022-01-01")


def test_two_officers_importing_at_once_both_succeed(world, tmp_path):
    half = len(OLD_COMMUNES) // 4
    a = figures_csv(tmp_path / "a.csv", OLD_COMMUNES[:half])
    b = figures_csv(tmp_path / "b.csv", OLD_COMMUNES[half:2 * half])
    procs = [kh_process(world.db, "record", "import", f, "--as-of", "2022-01-01", "--by", who)
             for f, who in ((a, "xã A"), (b, "xã B"))]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert count(world.db) == 2 * half * 12
    mode = sqlite3.connect(world.db).execute("pragma journal_mode").fetchone()[0]
    assert mode == "wal"
