"""A full disk, a read-only store and a full output device (issue 14, point 5): one clear line,
exit 1, nothing written, never "internal error". The disk is a small tmpfs (mounted when the
tests run as root, as in CI's container; skipped otherwise)."""

import os
import shutil
import subprocess
import sys
import uuid

import pytest

from tests.conftest import query, sqlite_only, store_fingerprint
from tests.store.test_crash_and_concurrency import OLD_COMMUNES, figures_csv, nationwide


def _mount(folder, size: int):
    folder.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {r.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI's container)")
    folder = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mounted = []

    def make(size):
        _mount(folder, size)
        mounted.append(folder)
        return folder

    yield make
    for f in mounted:
        subprocess.run(["umount", "-l", str(f)], capture_output=True)


def _kh(db, *args):
    return subprocess.run([sys.executable, "-m", "kh", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True)


def _one_line(r, *words):
    assert r.returncode == 1, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kh: "), r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    for w in words:
        assert w in r.stderr, r.stderr


@sqlite_only
def test_an_import_onto_a_full_disk_is_refused_whole(world, small_disk, tmp_path):
    nationwide(world, tmp_path)  # communes of the whole country: na-2021 without its area
    size = os.path.getsize(world.db)
    disk = small_disk(size + 3_000_000)
    db = disk / "kh.sqlite"
    shutil.copy(world.db, db)
    big = figures_csv(tmp_path / "big.csv", OLD_COMMUNES[:3000])  # 36,000 figures
    before = store_fingerprint(db)
    free = shutil.disk_usage(disk).free
    (disk / "filler").write_bytes(b"\0" * max(0, free - 200_000))
    r = _kh(db, "record", "import", big, "--as-of", "2022-01-01")
    _one_line(r, "is full", "nothing was written")
    (disk / "filler").unlink()
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert store_fingerprint(db) == before


@sqlite_only
def test_a_read_only_store_is_read_and_refuses_writes(world, small_disk):
    disk = small_disk(os.path.getsize(world.db) + 2_000_000)
    db = disk / "kh.sqlite"
    shutil.copy(world.db, db)
    assert _kh(db, "record", "na-2021", "III.1-1", "7", "--unit", "40", "--period", "2020",
               "--by", "x").returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    assert "na-2021" in _kh(db, "plan", "list", "-f", "csv").stdout
    assert "7" in _kh(db, "figures", "-f", "csv").stdout
    r = _kh(db, "record", "na-2021", "III.1-1", "9", "--unit", "40", "--period", "2019", "--by", "x")
    _one_line(r, "read-only", "nothing was written")
    r = _kh(db, "--lang", "vi", "record", "na-2021", "III.1-1", "9", "--unit", "40", "--period", "2019", "--by", "x")
    _one_line(r, "chỉ đọc")


def test_output_to_a_full_device_says_so_in_one_line(world):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "kh", "--db", str(world.db), "plan", "list", "-f", "csv"],
                           stdout=full, stderr=subprocess.PIPE, text=True)
    _one_line(r, "cannot write the output", "No space left")
    r = _kh(world.db, "plan", "list", "-f", "csv", "-o", "/dev/full")
    _one_line(r, "/dev/full", "No space left")
    assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full")  # the device is still one
