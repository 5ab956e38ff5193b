"""kh bundle export | import, kh admin keys | trust: a unit's report travels as one signed file
from the commune's store to the province's (docs/exchange.md)."""

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from kh.cli import state
from kh.cli.options import ByOpt, ReasonOpt, now, parse_day, parse_period, today, unit_code, who
from kh.i18n import t

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True)

UnitOpt = Annotated[str, typer.Option("--unit", "-u", metavar="UNIT", help="help.bundle.unit")]
PeriodOpt = Annotated[str, typer.Option("--period", metavar="PERIOD", help="help.bundle.period")]


def _read(file: Path) -> bytes:
    from kh.errors import KhError

    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise KhError("file.missing", where=str(file)) from None
    except IsADirectoryError:
        raise KhError("file.not_a_file", where=str(file)) from None
    except OSError as e:
        raise KhError("file.cannot_read", where=str(file), reason=e.strerror) from None


def _write_new(path: Path, data: bytes, mode: int, where: str) -> None:
    """Write a new file, readable by its owner only (figures about people, private keys)."""
    from kh.errors import KhError

    try:
        fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, mode)
    except OSError as e:
        raise KhError("file.cannot_write", where=where, reason=e.strerror) from None
    with os.fdopen(fd, "wb") as out:
        out.write(data)


@app.command("export")
def export(
    unit: UnitOpt, period: PeriodOpt,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="help.bundle.export.out")],
    plan: Annotated[Optional[str], typer.Option("--plan", "-p", metavar="PLAN", help="help.bundle.export.plan")] = None,
    key: Annotated[Optional[Path], typer.Option("--key", metavar="FILE.key", help="help.bundle.export.key")] = None,
    assignee: Annotated[Optional[list[str]], typer.Option(
        "--assignee", "-a", metavar="NAME",
        help="help.bundle.export.assignee")] = None,
) -> None:
    """Its help text is "help.cmd.bundle.export" in kh/catalogue.py."""
    from kh import bundle as fmt
    from kh.errors import KhError
    from kh.figures import month_index
    from kh.store import bundle_rows as bundles

    parsed = parse_period(period, required=True)
    period = str(parsed)  # "3/2025" is 2025-03
    lo, hi = month_index(parsed)
    signer = None
    if key is not None:
        signer = fmt.read_key(_read(key), "private", str(key))
    with state.store().read() as conn:
        unit = unit_code(conn, unit, plan=plan, period=period)
        b = bundles.collect(conn, unit=unit, period=period, plan=plan,
                            assignees=[a.strip() for a in assignee] if assignee else None)
        if signer is not None and not bundles.covers(conn, signer[0], unit, lo, hi):
            raise KhError("bundle.key_elsewhere", where="--key", signer=signer[0], unit=unit)
    if signer is not None:
        b = fmt.sign(b, signer[0], signer[1])
    _write_new(out, fmt.file_bytes(b), 0o600, str(out))
    n = len(b["parts"]["figures"])
    typer.echo(t("msg.bundle_written", file=out, figures=n, reports=len(b["parts"]["reports"]),
                 tasks=len(b["parts"]["tasks"]),
                 signed=t("msg.bundle_signed", unit=signer[0]) if signer else t("msg.bundle_unsigned")))


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="help.bundle.import.file")],
    unsigned: Annotated[bool, typer.Option("--unsigned", help="help.bundle.import.unsigned")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="help.bundle.import.replace")] = False,
    reason: ReasonOpt = None,
    on: Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="help.bundle.import.on")] = None,
    by: ByOpt = None,
) -> None:
    """Its help text is "help.cmd.bundle.import" in kh/catalogue.py."""
    from kh import bundle as fmt
    from kh.errors import KhError
    from kh.store import bundle_rows as bundles

    day = parse_day(on, "--on") or today(None)
    if day > today(None):
        raise KhError("bundle.future", where="--on", day=day, today=today(None))
    if replace and not (reason and reason.strip()):
        raise KhError("bundle.replace_needs_reason", where="--replace")
    data = _read(file)
    b = fmt.read(data, str(file))
    from kh.text import nfc

    with state.store().begin() as conn:
        r = bundles.apply(conn, b, content=data, unsigned=unsigned, replace=replace,
                          reason=nfc(reason.strip()) if reason else None, arrived_on=day,
                          by=who(by, conn), now=now(), where=str(file))
    if r["same"]:
        typer.echo(t("msg.bundle_same", file=file.name, on=r["arrived_on"]))
        return
    typer.echo(t("msg.bundle_imported", file=file.name, added=r["added"], replaced=r["replaced"], marked=r["marked"],
                 signed=t("msg.bundle_signed", unit=r["signer_unit"]) if r["signer"] else t("msg.bundle_unsigned")))


def keys(
    unit: Annotated[str, typer.Option("--unit", "-u", metavar="UNIT", help="help.admin.keys.unit")],
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="help.admin.keys.out")],
) -> None:
    """Its help text is "help.cmd.admin.keys" in kh/catalogue.py."""
    from kh import bundle as fmt
    from kh.errors import KhError
    from kh.store import bundle_rows as bundles

    with state.store().read() as conn:
        unit = unit_code(conn, unit, day=today(None))  # a name → its code: the key files bear the code
    if out.exists() and not out.is_dir():
        raise KhError("file.not_a_folder", where="--out")
    private, public = out / f"{unit}.key", out / f"{unit}.pub"
    if private.exists():
        raise KhError("bundle.key_exists", where="--out", path=private)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise KhError("file.cannot_create_folder", where="--out", reason=e.strerror) from None
    key_bytes, pub_bytes = fmt.new_key_pair(unit)
    _write_new(private, key_bytes, 0o600, "--out")
    os.chmod(private, 0o600)
    _write_new(public, pub_bytes, 0o644, "--out")
    typer.echo(t("msg.keys_written", private=private, pub=public))


def trust(
    unit: Annotated[str, typer.Argument(metavar="UNIT", help="help.admin.trust.unit")],
    file: Annotated[Path, typer.Argument(metavar="FILE.pub", help="help.admin.trust.file")],
    revoke: Annotated[bool, typer.Option("--revoke", help="help.admin.trust.revoke")] = False,
    reason: ReasonOpt = None, by: ByOpt = None,
) -> None:
    """Its help text is "help.cmd.admin.trust" in kh/catalogue.py."""
    from kh import bundle as fmt
    from kh.errors import KhError
    from kh.store import bundle_rows as bundles
    from kh.text import nfc

    key_unit, raw = fmt.read_key(_read(file), "public", str(file))
    if key_unit != unit:
        raise KhError("bundle.key_of_other_unit", where=str(file), key_unit=key_unit, unit=unit)
    if revoke and not (reason and reason.strip()):
        raise KhError("bundle.revoke_needs_reason", where="--revoke")
    with state.store().begin() as conn:
        if revoke:
            bundles.revoke(conn, unit, raw, by=who(by, conn), now=now(), reason=nfc(reason.strip()))
            typer.echo(t("msg.key_revoked", unit=unit, fp=fmt.fingerprint(raw)))
            return
        new = bundles.trust(conn, unit, raw, by=who(by, conn), now=now())
    typer.echo(t("msg.key_trusted" if new else "msg.key_trusted_already", unit=unit, fp=fmt.fingerprint(raw)))


def register(root: typer.Typer) -> None:
    from kh.cli import admin

    root.add_typer(app, name="bundle")
    admin.app.command("keys")(keys)
    admin.app.command("trust")(trust)
