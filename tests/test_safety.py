"""Safety: no SQL is built by pasting strings; a plan file can never execute anything."""

import re

from tests.conftest import ROOT


def test_no_sql_is_built_from_strings():
    pasted = re.compile(r"""(execute|exec_driver_sql|text)\(\s*(f["']|["'][^"']*["']\s*(%|\+|\.format))""")
    offenders = []
    for path in (ROOT / "kh").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pasted.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_the_probe_would_find_pasted_sql():
    pasted = re.compile(r"""(execute|exec_driver_sql|text)\(\s*(f["']|["'][^"']*["']\s*(%|\+|\.format))""")
    assert pasted.search('conn.execute(f"select * from figure where unit = {unit}")')
    assert pasted.search("cur.execute('select %s' % x)")


def test_a_plan_file_is_data_only(kh, tmp_path):
    # TOML has no way to run code; a file that tries anything else is simply not TOML.
    evil = tmp_path / "evil.toml"
    evil.write_text('format = 1\n[plan]\nid = "x"\n__import__("os").system("touch pwned")\n', encoding="utf-8")
    kh.refused("plan", "import", evil)
    assert not (tmp_path / "pwned").exists()
