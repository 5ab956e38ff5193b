"""All or nothing under kill -9, and several officers importing at once — with real processes
on a real store: a SQLite file, or a PostgreSQL database with KH_TEST_DB."""

import csv
import re
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ENGINE, UNITS_CSV, query

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


def count(db, where: str = "true"):
    return query(db, f"select count(*) from figure where {where}")[0][0]


def _inserting(db) -> bool:
    """Whether the import has started writing its figures (and not yet committed)."""
    if ENGINE == "sqlite":  # the transaction is spilling its pages into the WAL
        wal = db.with_name(db.name + "-wal")
        return wal.exists() and wal.stat().st_size > 2_000_000
    return query(db, "select count(*) from pg_stat_activity where datname = current_database() "
                     "and state = 'active' and query like 'INSERT INTO figure%'")[0][0] > 0


def nationwide(world, tmp_path) -> None:
    """na-2021 without its area: these tests load communes of the whole country into one plan,
    which a plan with an area refuses (issue 12), to have enough rows to race on."""
    text = world.ok("plan", "export", "na-2021").out
    (tmp_path / "na-nationwide.toml").write_text(re.sub(r'(?m)^area = .*\n', "", text), encoding="utf-8")
    world.ok("plan", "import", tmp_path / "na-nationwide.toml")


def test_an_import_killed_halfway_leaves_the_store_whole_and_without_it(world, tmp_path):
    nationwide(world, tmp_path)
    big = figures_csv(tmp_path / "big.csv", OLD_COMMUNES)  # 120,000 figures
    proc = kh_process(world.db, "record", "import", big, "--as-of", "2022-01-01")
    killed = False
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if _inserting(world.db):
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.002)
    proc.wait()
    assert killed, "the import finished before it could be killed; make the file bigger"
    if ENGINE == "sqlite":
        assert query(world.db, "pragma integrity_check") == [("ok",)]
    assert count(world.db) == 0
    # and the store still works
    world.ok("record", "na-2021", "III.1-1", "5", "--unit", "40", "--period", "2021", "--as-of", "2022-01-01")


def _province_of() -> dict[str, str]:
    rows = {r["code"]: r for r in csv.DictReader(UNITS_CSV.open(encoding="utf-8")) if r["valid_to"] == "2025-06-30"}

    def top(code):
        while rows.get(code, {}).get("parent"):
            code = rows[code]["parent"]
        return code

    return {c: top(c) for c in OLD_COMMUNES}


def _officers(world, tmp_path, provinces: list[str]) -> list[tuple[str, list[str]]]:
    """One officer per province: (store target, extra arguments). On PostgreSQL each is their
    own role, granted that province by kh admin; on SQLite they are told apart by --by."""
    if ENGINE == "sqlite":
        return [(world.db, ["--by", f"officer {p}"]) for p in provinces]
    import uuid

    from sqlalchemy.engine import make_url

    out = []
    for p in provinces:
        role = f"kh_t_conc_{p}_{uuid.uuid4().hex[:6]}"
        world.ok("admin", "officer", role, "--unit", p, "--password", "pw")
        out.append((make_url(world.db).set(username=role, password="pw").render_as_string(hide_password=False), []))
    return out


def _all_at_once(jobs: list[tuple]) -> list[tuple[int, str]]:
    procs = [kh_process(target, "record", "import", path, "--as-of", "2022-01-01", *extra) for target, path, extra in jobs]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    return [(p.returncode, err) for p, err in zip(procs, errs)]


@pytest.mark.slow
def test_eight_officers_importing_at_once_keep_every_figure_under_the_same_replace_rules(world, tmp_path):
    nationwide(world, tmp_path)
    by_province: dict[str, list[str]] = {}
    for commune, province in _province_of().items():
        by_province.setdefault(province, []).append(commune)
    provinces = sorted(by_province, key=lambda p: -len(by_province[p]))[:8]
    files = [figures_csv(tmp_path / f"{p}.csv", by_province[p][:150]) for p in provinces]
    officers = _officers(world, tmp_path, provinces)
    total = sum(min(150, len(by_province[p])) * 12 for p in provinces)

    results = _all_at_once([(t, f, extra) for (t, extra), f in zip(officers, files)])
    assert [code for code, _ in results] == [0] * 8, results
    assert count(world.db) == total
    per_officer = query(world.db, "select count(distinct recorded_by) from figure")[0][0]
    assert per_officer == 8
    if ENGINE == "sqlite":
        assert query(world.db, "pragma journal_mode") == [("wal",)]  # readers never wait for them

    # The same imports again: already recorded, so each is refused whole, as on one laptop.
    results = _all_at_once([(t, f, extra) for (t, extra), f in zip(officers, files)])
    assert all(code == 1 and "use --replace" in err for code, err in results), results
    assert count(world.db) == total

    # With --replace, all at once: each correction is kept, the old values stay in the history.
    results = _all_at_once([(t, f, [*extra, "--replace"]) for (t, extra), f in zip(officers, files)])
    assert [code for code, _ in results] == [0] * 8, results
    assert count(world.db, "replaced_at is null") == total
    assert count(world.db, "replaced_at is not null") == total


def test_two_officers_racing_on_the_same_figures_one_wins_the_other_is_told(world, tmp_path):
    nationwide(world, tmp_path)
    communes = sorted(_province_of().items())
    province = communes[0][1]
    mine = [c for c, p in communes if p == province][:100]
    same = figures_csv(tmp_path / "same.csv", mine)
    a, b = _officers(world, tmp_path, [province, province])
    results = _all_at_once([(a[0], same, a[1]), (b[0], same, b[1])])
    assert sorted(code for code, _ in results) == [0, 1], results
    assert "already recorded" in next(err for code, err in results if code == 1)
    assert count(world.db) == len(mine) * 12
