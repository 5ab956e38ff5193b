"""Shared fixtures: a real store in a temporary folder, and the real CLI driven in-process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kh.cli import app

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "examples" / "plans"
SEEDS = sorted(PLANS.glob("*.toml"))
UNITS_CSV = ROOT / "data" / "units.csv"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


class Kh:
    """Runs `kh --db STORE …` through the real command tree."""

    def __init__(self, db: Path):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, db: bool = True, env: dict | None = None) -> Result:
        argv = (["--db", str(self.db)] if db else []) + [str(a) for a in args]
        # A wide terminal, so that tables do not wrap the words the tests look for.
        r = self.runner.invoke(app, argv, env={"COLUMNS": "200", **(env or {})})
        if r.exception and not isinstance(r.exception, SystemExit):
            raise r.exception
        return Result(r.exit_code, r.stdout, r.stderr)

    def ok(self, *args: str, **kw) -> Result:
        r = self(*args, **kw)
        assert r.code == 0, f"kh {' '.join(args)} failed ({r.code}): {r.err}"
        return r

    def refused(self, *args: str, **kw) -> Result:
        """Exit 1 with exactly one line on stderr and no traceback."""
        r = self(*args, **kw)
        assert r.code == 1, f"expected exit 1, got {r.code}: {r.out} {r.err}"
        lines = r.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kh: "), r.err
        assert "Traceback" not in r.err
        return r


@pytest.fixture
def kh(tmp_path: Path) -> Kh:
    k = Kh(tmp_path / "store.sqlite")
    k.ok("init")
    return k


@pytest.fixture
def kh_seeded(kh: Kh) -> Kh:
    kh.ok("plan", "import", *SEEDS)
    return kh


def store_fingerprint(db: Path) -> list:
    """Every row of every table: to prove a refused command wrote nothing."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table' order by name")]
        return [(t, sorted(map(repr, con.execute(f'select * from "{t}"')))) for t in tables]
    finally:
        con.close()


@pytest.fixture(scope="session")
def _world_template(tmp_path_factory) -> Path:
    """One store with the five seed plans and the country's units, built once per run."""
    k = Kh(tmp_path_factory.mktemp("world") / "world.sqlite")
    k.ok("init")
    k.ok("plan", "import", *SEEDS)
    k.ok("unit", "import", UNITS_CSV)
    return k.db


@pytest.fixture
def world(_world_template: Path, tmp_path: Path) -> Kh:
    """A private copy of the seeded store with units, for tests that record figures."""
    import shutil

    db = tmp_path / "world.sqlite"
    shutil.copy(_world_template, db)
    return Kh(db)
