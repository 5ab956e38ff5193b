"""kh init / where and the store gate, through the real CLI."""

import os
import subprocess
import sys

import pytest

from tests.conftest import Kh


def test_where_follows_db_then_env_then_default(tmp_path):
    k = Kh(tmp_path / "x.sqlite")
    assert k.ok("where").out.strip() == str(tmp_path / "x.sqlite")
    assert k.ok("where", db=False, env={"KH_DB": "/srv/kh.sqlite"}).out.strip() == "/srv/kh.sqlite"
    default = k.ok("where", db=False, env={"KH_DB": None, "XDG_DATA_HOME": str(tmp_path / "xdg")}).out.strip()
    assert default == str(tmp_path / "xdg" / "kh" / "kh.sqlite")


def test_where_hides_a_password(tmp_path):
    out = Kh(tmp_path / "x").ok("where", db=False, env={"KH_DB": "postgresql+psycopg://clerk:secret@127.0.0.1/kh"}).out
    assert "secret" not in out and "clerk" in out


def test_init_creates_then_reports_up_to_date(tmp_path):
    k = Kh(tmp_path / "s.sqlite")
    assert "Created" in k.ok("init").out
    assert "up to date" in k.ok("init").out


def test_commands_refuse_a_missing_store_and_create_nothing(tmp_path):
    k = Kh(tmp_path / "typo.sqlite")
    r = k.refused("plan", "list")
    assert "kh --db" in r.err and "init" in r.err
    assert not (tmp_path / "typo.sqlite").exists()


def test_init_refuses_a_missing_or_read_only_folder(tmp_path):
    assert "does not exist" in Kh(tmp_path / "no" / "s.sqlite").refused("init").err
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):  # root ignores permissions
            return
        assert "not writable" in Kh(ro / "s.sqlite").refused("init").err
    finally:
        ro.chmod(0o700)


def test_default_store_is_created_in_the_data_folder(tmp_path):
    env = {"KH_DB": None, "XDG_DATA_HOME": str(tmp_path / "xdg")}
    Kh(tmp_path).ok("init", db=False, env=env)
    assert (tmp_path / "xdg" / "kh" / "kh.sqlite").exists()


def test_empty_listing_is_still_success(kh):
    assert kh.ok("plan", "list", "-f", "json").json() == []
    assert kh.ok("plan", "list", "-f", "csv").out == "id,number,title,issuer,issued_on,start,end\n"
    assert kh.ok("plan", "list", "-f", "csv", "--bom").out.startswith("\ufeffid,")


def test_bad_command_line_is_exit_2(kh):
    assert kh("plan", "list", "--format", "xml").code == 2
    assert kh("nonsense").code == 2


@pytest.mark.parametrize("lang, word", [("en", "Example"), ("vi", "Ví dụ")])
def test_every_command_has_help_with_an_example(lang, word):
    from kh import i18n
    from kh.cli import _translate_help, app
    from typer.main import get_command

    root = get_command(app)
    i18n.set_lang(lang)
    try:
        _translate_help(root, "kh")  # what kh does before it parses (the help texts are keys)
    finally:
        i18n.set_lang("en")
    missing = []

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, path + [name])
        elif word not in (cmd.help or ""):
            missing.append(" ".join(path))

    walk(root, ["kh"])
    assert missing == []


def test_python_m_kh_runs(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kh", "--db", str(tmp_path / "s.sqlite"), "where"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == str(tmp_path / "s.sqlite")
