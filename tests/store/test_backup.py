"""kh backup / kh restore on real files, with a writer running."""

import os
import shutil
import sqlite3
import stat
import time

from tests.conftest import ROOT, Kh, postgres_only, sqlite_only, store_fingerprint
from tests.store.test_crash_and_concurrency import OLD_COMMUNES, count, figures_csv, kh_process, nationwide


@sqlite_only
def test_backup_while_an_officer_imports_is_consistent(world, tmp_path):
    nationwide(world, tmp_path)
    big = figures_csv(tmp_path / "big.csv", OLD_COMMUNES[:4000])
    proc = kh_process(world.db, "record", "import", big, "--as-of", "2022-01-01")
    copies = []
    while proc.poll() is None and len(copies) < 6:
        dest = tmp_path / f"copy{len(copies)}.sqlite"
        world.ok("backup", dest)
        copies.append(dest)
        time.sleep(0.05)
    assert proc.wait() == 0
    copies.append(tmp_path / "after.sqlite")
    world.ok("backup", copies[-1])
    for c in copies:
        assert sqlite3.connect(c).execute("pragma integrity_check").fetchone() == ("ok",)
        assert count(c) in (0, 4000 * 12)  # the import whole, or not at all
        assert stat.S_IMODE(os.stat(c).st_mode) == 0o600
    assert count(copies[-1]) == 4000 * 12


@sqlite_only
def test_restore_brings_the_backup_back_and_keeps_the_replaced_store(world, tmp_path):
    world.ok("record", "na-2021", "III.1-1", "7", "--unit", "40", "--period", "2020")
    saved = tmp_path / "saved.sqlite"
    world.ok("backup", saved)
    world.ok("record", "na-2021", "III.1-1", "9", "--unit", "40", "--period", "2019")
    out = world.ok("restore", saved).out
    assert [f["value"] for f in world.ok("figures", "-f", "json").json()] == [7]
    kept = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and str(kept[0]) in out and count(kept[0]) == 2


@sqlite_only
def test_restore_refuses_what_is_not_a_good_backup_and_changes_nothing(world, tmp_path):
    before = store_fingerprint(world.db)
    text = tmp_path / "notes.txt"
    text.write_text("không phải sao lưu", encoding="utf-8")
    assert "not a SQLite file" in world.refused("restore", text).err
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("create table t (x)").connection.commit()
    assert "not a kh store" in world.refused("restore", other).err
    newer = tmp_path / "newer.sqlite"
    world.ok("backup", newer)
    con = sqlite3.connect(newer)
    con.execute("insert into kh_schema values (99, '2030-01-01')")
    con.commit()
    con.close()
    assert "cannot read" in world.refused("restore", newer).err
    broken = tmp_path / "broken.sqlite"
    world.ok("backup", broken)
    data = bytearray(broken.read_bytes())
    for page in range(1, 6):  # scribble over the headers of pages 2 to 6
        data[page * 4096: page * 4096 + 12] = b"\xff" * 12
    broken.write_bytes(bytes(data))
    assert "damaged" in world.refused("restore", broken).err
    assert "exists" in world.refused("backup", newer).err
    assert "SQLite store" in Kh(tmp_path).refused("backup", tmp_path / "x.sqlite", db=False,
                                                  env={"KH_DB": "postgresql+psycopg://u@127.0.0.1/kh"}).err
    assert store_fingerprint(world.db) == before


def test_an_old_backup_is_upgraded_when_restored(tmp_path):
    k = Kh(tmp_path / "s.sqlite")
    k.ok("init")
    old = tmp_path / "v1.sqlite"
    shutil.copy(ROOT / "tests" / "fixtures" / "store-v1.sqlite", old)
    k.ok("restore", old)
    assert [p["id"] for p in k.ok("plan", "list", "-f", "json").json()] == ["na-2021", "qt-2024-xkmt"]


@postgres_only
def test_on_postgresql_backup_and_restore_point_to_pg_dump(world, tmp_path):
    before = store_fingerprint(world.db)
    assert "pg_dump" in world.refused("backup", tmp_path / "copy.sqlite").err
    assert "pg_restore" in world.refused("restore", tmp_path / "copy.sqlite").err
    assert not (tmp_path / "copy.sqlite").exists()
    assert store_fingerprint(world.db) == before
