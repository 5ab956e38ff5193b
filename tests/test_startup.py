"""kh --help and shell completion must not pay for the store layer (SQLAlchemy), nor for the
libraries of the papers (openpyxl, python-docx, matplotlib), nor for pypdf (kh extract of a PDF); a
command that opens the store pays for SQLAlchemy Core only: no ORM, no sqlmodel, no alembic."""

import os
import subprocess
import sys

PROBE = """
import sys
from kh.cli import main
sys.argv = {argv!r}
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic', 'openpyxl', 'docx',
                                                         'matplotlib', 'cryptography', 'pypdf',
                                                         'icu', 'pyte', 'pexpect'))
print('HEAVY:' + ','.join(heavy), file=sys.stderr)
"""


def heavy_modules(*argv: str, env: dict | None = None) -> str:
    r = subprocess.run([sys.executable, "-c", PROBE.format(argv=["kh", *argv])],
                       capture_output=True, text=True, env={**os.environ, **(env or {})})
    line = [x for x in r.stderr.splitlines() if x.startswith("HEAVY:")][-1]
    return line[len("HEAVY:"):]


def test_help_does_not_import_the_store_layer():
    assert heavy_modules("--help") == ""
    assert heavy_modules("plan", "--help") == ""
    assert heavy_modules("deadlines", "--help") == ""
    assert heavy_modules("gap", "--help") == ""
    assert heavy_modules("overdue", "--help") == ""


def test_where_does_not_import_the_store_layer():
    assert heavy_modules("where") == ""


def test_completion_does_not_import_the_store_layer():
    env = {"_KH_COMPLETE": "complete_bash", "COMP_WORDS": "kh pl", "COMP_CWORD": "1"}
    assert heavy_modules(env=env) == ""


def test_the_probe_would_see_the_store_layer(tmp_path):
    # Guard against a probe that cannot fail: a command that opens the store does import it.
    assert "sqlalchemy" in heavy_modules("--db", str(tmp_path / "x.sqlite"), "plan", "list")


def test_a_store_command_imports_sqlalchemy_core_only(tmp_path):
    """The tables are SQLAlchemy Core (kh/store/schema.py): importing sqlmodel, and with it
    SQLAlchemy's ORM and pydantic's models, cost every store command about 0.2 s. alembic is for
    kh init."""
    db = str(tmp_path / "x.sqlite")
    subprocess.run([sys.executable, "-m", "kh", "--db", db, "init"], check=True, capture_output=True)
    for argv in (["plan", "list"], ["figures", "--unit", "06211"], ["overdue"], ["gap"]):
        heavy = heavy_modules("--db", db, *argv).split(",")
        assert "sqlalchemy" in heavy, argv
        assert not [m for m in heavy if m.split(".")[0] in ("sqlmodel", "alembic") or m.startswith("sqlalchemy.orm")], \
            (argv, heavy)


def test_bundle_and_admin_help_do_not_import_cryptography():
    assert heavy_modules("bundle", "--help") == ""
    assert heavy_modules("bundle", "export", "--help") == ""
    assert heavy_modules("admin", "keys", "--help") == ""


def test_extract_help_and_a_text_document_do_not_import_pypdf(tmp_path):
    assert heavy_modules("extract", "--help") == ""
    doc = os.path.join(os.path.dirname(__file__), "fixtures", "extract", "hg-2023.txt")
    assert "pypdf" not in heavy_modules("extract", doc, "--id", "hg")
    # and the probe sees it when a PDF is read
    pdf = os.path.join(os.path.dirname(__file__), "fixtures", "extract", "xa-minh-luong-2026.pdf")
    assert "pypdf" in heavy_modules("extract", pdf, "--id", "ml")


def test_cli_modules_keep_their_annotations_evaluated():
    """typer reads every command's signature at each start (kh --help included). With `from
    __future__ import annotations` each parameter's Annotated[…] is a string that typer compiles and
    evaluates twice per command: about 20 ms of every start, measured."""
    from pathlib import Path

    import kh.cli

    folder = Path(kh.cli.__file__).parent
    lazy = [p.name for p in sorted(folder.glob("*.py")) if "from __future__ import annotations" in p.read_text()]
    assert lazy == []
    assert len(list(folder.glob("*.py"))) > 10  # the probe looks where the commands are
