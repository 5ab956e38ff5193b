"""kh restore racing kh record import, many times, with real processes on a real SQLite file:
an import that says "N added" has its N rows either in the restored store (it waited and wrote
there) or in the copy restore kept of the store it replaced (it finished first). Never in
neither. KH_RACE_ROUNDS=200 runs more rounds than the suite's default."""

import os
import random
import re
import time

from tests.conftest import query, sqlite_only
from tests.store.test_crash_and_concurrency import OLD_COMMUNES, count, figures_csv, kh_process, nationwide

ROUNDS = int(os.environ.get("KH_RACE_ROUNDS", "6"))


def _kept(out: str):
    from pathlib import Path

    m = re.search(r"kept as (.+)$", out, re.M)
    return Path(m.group(1).strip()) if m else None


@sqlite_only
def test_restore_and_imports_racing_never_lose_a_reported_row(world, tmp_path):
    nationwide(world, tmp_path)
    world.ok("record", "na-2021", "III.1-1", "7", "--unit", "40", "--period", "2020")
    saved = tmp_path / "saved.sqlite"
    world.ok("backup", saved)
    big = figures_csv(tmp_path / "big.csv", OLD_COMMUNES[:1500])  # 18,000 figures
    rng = random.Random(int(os.environ.get("KH_RACE_SEED", "14")))
    # How long an import takes here, so that restores land before, during and after it.
    t0 = time.monotonic()
    first = kh_process(world.db, "record", "import", big, "--as-of", "2022-01-01")
    assert first.wait() == 0, first.stderr.read()
    span = time.monotonic() - t0
    seen = {"import first": 0, "restore first": 0}
    for n in range(ROUNDS):
        world.ok("restore", saved)  # back to the saved store: no imported rows
        assert count(world.db, "period like '2021-%'") == 0
        imp = kh_process(world.db, "record", "import", big, "--as-of", "2022-01-01")
        time.sleep(rng.uniform(0, span * 1.2))
        res = kh_process(world.db, "restore", saved)
        imp_out, imp_err = imp.communicate(timeout=300)
        res_out, res_err = res.communicate(timeout=300)
        assert res.returncode == 0, res_err
        assert "internal error" not in imp_err and "Traceback" not in imp_err, imp_err
        kept = _kept(res_out)
        assert kept is not None and kept.exists()
        in_store = count(world.db, "period like '2021-%'")
        in_kept = count(kept, "period like '2021-%'")
        assert query(world.db, "pragma integrity_check") == [("ok",)]
        assert count(world.db, "period = '2020'") == 1  # the restored store is the backup
        if imp.returncode == 0:
            added = int(re.search(r"(\d+) added", imp_out).group(1))
            assert added == 18000
            # Exactly one of the two holds the import, whole.
            assert sorted((in_store, in_kept)) == [0, added], (n, in_store, in_kept, imp_out)
            seen["import first" if in_kept else "restore first"] += 1
        else:
            assert imp.returncode == 1, imp_err
            assert in_store == 0 and in_kept == 0
        kept.unlink()
    assert sum(seen.values()) > 0
