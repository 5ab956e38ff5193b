"""kh bundle export | import, kh admin keys | trust: a unit's report travels as one signed file
from the commune's store to the province's (docs/exchange.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from kh import i18n
from kh.cli import state
from kh.cli.options import ByOpt, ReasonOpt, now, parse_day, today, who
from kh.i18n import t

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True,
                  help="Send a unit's figures and reports as one signed file, and receive it (docs/exchange.md).\n\n"
                       "Example: kh bundle export --unit 06211 --period 2026 --key 06211.key -o 06211-2026.khb")

UnitOpt = Annotated[str, typer.Option("--unit", "-u", metavar="CODE", help="The unit: its figures and those of every unit in it.")]
PeriodOpt = Annotated[str, typer.Option("--period", metavar="PERIOD", help="2026, 2026-H1, 2026-Q2 or 2026-06.")]


def _read(file: Path) -> bytes:
    from kh.errors import KhError

    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise KhError("no such file", where=str(file)) from None
    except IsADirectoryError:
        raise KhError("is a folder, not a file", where=str(file)) from None
    except OSError as e:
        raise KhError(f"cannot read: {e.strerror}", where=str(file)) from None


def _write_new(path: Path, data: bytes, mode: int, where: str) -> None:
    """Write a new file, readable by its owner only (figures about people, private keys)."""
    from kh.errors import KhError

    try:
        fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, mode)
    except OSError as e:
        raise KhError(f"cannot write: {e.strerror}", where=where) from None
    with os.fdopen(fd, "wb") as out:
        out.write(data)


@app.command("export")
def export(
    unit: UnitOpt, period: PeriodOpt,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="The bundle file to write.")],
    plan: Annotated[Optional[str], typer.Option("--plan", "-p", metavar="PLAN", help="Only this plan.")] = None,
    key: Annotated[Optional[Path], typer.Option("--key", metavar="FILE.key", help="Sign with the unit's private key (kh admin keys).")] = None,
    assignee: Annotated[Optional[list[str]], typer.Option(
        "--assignee", "-a", metavar="NAME",
        help="Whose reports and tasks travel (repeat; default: the plans' assignees named for the unit).")] = None,
) -> None:
    """Write one file with the unit's figures (with their history), reports sent and tasks done
    for the period, who recorded each and when, the plans' hashes and a SHA-256 manifest.

    Exporting again with nothing changed gives the same bytes.
    Example: kh bundle export --unit 06211 --period 2026 --key ~/khoa/06211.key -o 06211-2026.khb
    """
    from kh import bundle as fmt
    from kh.errors import KhError
    from kh.figures import month_index
    from kh.periods import parse_period
    from kh.store import bundle_rows as bundles

    try:
        lo, hi = month_index(parse_period(period))
    except KhError as e:
        raise KhError(e.message, where="--period") from None
    signer = None
    if key is not None:
        signer = fmt.read_key(_read(key), "private", str(key))
    with state.store().read() as conn:
        b = bundles.collect(conn, unit=unit, period=period, plan=plan,
                            assignees=[a.strip() for a in assignee] if assignee else None)
        if signer is not None and not bundles.covers(conn, signer[0], unit, lo, hi):
            raise KhError(f"the key is unit {signer[0]}'s: it cannot sign unit {unit}'s bundle", where="--key")
    if signer is not None:
        b = fmt.sign(b, signer[0], signer[1])
    _write_new(out, fmt.file_bytes(b), 0o600, str(out))
    n = len(b["parts"]["figures"])
    typer.echo(t("bundle_written", file=out, figures=n, reports=len(b["parts"]["reports"]),
                 tasks=len(b["parts"]["tasks"]),
                 signed=t("bundle_signed", unit=signer[0]) if signer else t("bundle_unsigned")))


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A bundle written by kh bundle export.")],
    unsigned: Annotated[bool, typer.Option("--unsigned", help="Accept a bundle without a signature.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Take the bundle's figures over ones changed here (needs --reason).")] = False,
    reason: ReasonOpt = None,
    on: Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="The day the bundle arrived (default: today).")] = None,
    by: ByOpt = None,
) -> None:
    """Receive a unit's bundle, all or nothing: check its sums and signature, add its figures,
    mark the report it answers as sent on the day it arrived.

    The same bundle twice changes nothing; a newer one replaces what an older one brought.
    Example: kh bundle import 06211-2026.khb --on 16/12/2026
    """
    from kh import bundle as fmt
    from kh.errors import KhError
    from kh.store import bundle_rows as bundles

    day = parse_day(on, "--on") or today(None)
    if day > today(None):
        raise KhError(f"{day} is after {today(None)}: a bundle cannot arrive in the future", where="--on")
    if replace and not (reason and reason.strip()):
        raise KhError("--replace needs --reason: say why the bundle's figures replace this store's", where="--replace")
    data = _read(file)
    b = fmt.read(data, str(file))
    from kh.text import nfc

    with state.store().begin() as conn:
        r = bundles.apply(conn, b, content=data, unsigned=unsigned, replace=replace,
                          reason=nfc(reason.strip()) if reason else None, arrived_on=day,
                          by=who(by, conn), now=now(), where=str(file))
    if r["same"]:
        typer.echo(t("bundle_same", file=file.name, on=r["arrived_on"]))
        return
    typer.echo(t("bundle_imported", file=file.name, added=r["added"], replaced=r["replaced"], marked=r["marked"],
                 signed=t("bundle_signed", unit=r["signer_unit"]) if r["signer"] else t("bundle_unsigned")))


def keys(
    unit: Annotated[str, typer.Option("--unit", "-u", metavar="CODE", help="The unit the key signs for.")],
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Where to write CODE.key and CODE.pub.")],
) -> None:
    """Create a unit's signing key pair: DIR/CODE.key (private, only you may read it) and
    DIR/CODE.pub (give it to the province: kh admin trust).

    Example: kh admin keys --unit 06211 --out ~/khoa
    """
    from kh import bundle as fmt
    from kh.errors import KhError
    from kh.store import bundle_rows as bundles

    with state.store().read() as conn:
        bundles.require_unit(conn, unit)
    if out.exists() and not out.is_dir():
        raise KhError("is a file, not a folder", where="--out")
    private, public = out / f"{unit}.key", out / f"{unit}.pub"
    if private.exists():
        raise KhError(f"{private} exists already; a key is never overwritten (move it away first)", where="--out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise KhError(f"cannot create the folder: {e.strerror}", where="--out") from None
    key_bytes, pub_bytes = fmt.new_key_pair(unit)
    _write_new(private, key_bytes, 0o600, "--out")
    os.chmod(private, 0o600)
    _write_new(public, pub_bytes, 0o644, "--out")
    typer.echo(t("keys_written", private=private, pub=public))


def trust(
    unit: Annotated[str, typer.Argument(metavar="UNIT", help="The unit whose key it is.")],
    file: Annotated[Path, typer.Argument(metavar="FILE.pub", help="The unit's public key (kh admin keys).")],
    revoke: Annotated[bool, typer.Option("--revoke", help="Stop trusting the key (a lost laptop); needs --reason.")] = False,
    reason: ReasonOpt = None, by: ByOpt = None,
) -> None:
    """Trust a unit's public key for its bundles (or revoke it: bundles it signed are refused).

    Example: kh admin trust 06211 06211.pub · kh admin trust 06211 06211.pub --revoke --reason "máy mất"
    """
    from kh import bundle as fmt
    from kh.errors import KhError
    from kh.store import bundle_rows as bundles
    from kh.text import nfc

    key_unit, raw = fmt.read_key(_read(file), "public", str(file))
    if key_unit != unit:
        raise KhError(f"the key is unit {key_unit}'s, not unit {unit}'s", where=str(file))
    if revoke and not (reason and reason.strip()):
        raise KhError("--revoke needs --reason: say why the key is no longer trusted", where="--revoke")
    with state.store().begin() as conn:
        if revoke:
            bundles.revoke(conn, unit, raw, by=who(by, conn), now=now(), reason=nfc(reason.strip()))
            typer.echo(t("key_revoked", unit=unit, fp=fmt.fingerprint(raw)))
            return
        new = bundles.trust(conn, unit, raw, by=who(by, conn), now=now())
    typer.echo(t("key_trusted" if new else "key_trusted_already", unit=unit, fp=fmt.fingerprint(raw)))


def register(root: typer.Typer) -> None:
    from kh.cli import admin

    root.add_typer(app, name="bundle")
    admin.app.command("keys")(keys)
    admin.app.command("trust")(trust)


# Messages and refusals in both languages (kh.i18n's tables).
i18n.WORDS.update({
    "bundle_written": ("Wrote {file}: {figures} figures, {reports} reports, {tasks} tasks; {signed}",
                       "Đã ghi {file}: {figures} số liệu, {reports} báo cáo, {tasks} nhiệm vụ; {signed}"),
    "bundle_signed": ("signed by unit {unit}", "có chữ ký của đơn vị {unit}"),
    "bundle_unsigned": ("not signed", "không có chữ ký"),
    "bundle_same": ("{file} was imported already (arrived {on}); nothing changed",
                    "{file} đã được nhập trước đó (đến ngày {on}); không thay đổi"),
    "bundle_imported": ("Imported {file} ({signed}): figures: {added} added, {replaced} replaced; {marked} reports and tasks marked",
                        "Đã nhập {file} ({signed}): số liệu: thêm {added}, thay thế {replaced}; ghi nhận {marked} báo cáo, nhiệm vụ"),
    "keys_written": ("Wrote {private} (private: keep it, never send it) and {pub} (send it to the province)",
                     "Đã ghi {private} (khóa bí mật: giữ lại, không gửi đi) và {pub} (gửi cho tỉnh)"),
    "key_trusted": ("Trusted key {fp} of unit {unit}", "Đã tin cậy khóa {fp} của đơn vị {unit}"),
    "key_trusted_already": ("Key {fp} of unit {unit} was trusted already; nothing changed",
                            "Khóa {fp} của đơn vị {unit} đã được tin cậy trước đó; không thay đổi"),
    "key_revoked": ("Revoked key {fp} of unit {unit}: bundles it signed are refused from now on",
                    "Đã thu hồi khóa {fp} của đơn vị {unit}: từ nay các gói ký bằng khóa này bị từ chối"),
})
i18n.add_errors([
    (r"not a kh (private|public) key \(\.(key|pub)\) file \(kh admin keys writes them\)",
     lambda m: f"không phải tệp khóa {'bí mật (.key)' if m.group(1) == 'private' else 'công khai (.pub)'} "
               "của kh (lệnh kh admin keys tạo các tệp này)"),
    (r"not a kh bundle: the file is not JSON \(damaged, or another kind of file\)",
     "không phải gói dữ liệu kh: tệp không phải JSON (bị hỏng, hoặc là loại tệp khác)"),
    (r"not a kh bundle \(kh bundle export writes them\)", "không phải gói dữ liệu kh (lệnh kh bundle export tạo các gói này)"),
    (r"bundle format version (.+): this kh reads version (\d+); upgrade kh",
     r"gói dữ liệu định dạng phiên bản \1: kh này đọc phiên bản \2; hãy nâng cấp kh"),
    (r"the bundle is damaged: its parts do not match its manifest",
     "gói dữ liệu bị hỏng: các phần không khớp với bản kê"),
    (r"the bundle is damaged or altered: the SHA-256 of its (\S+) does not match its manifest; nothing was imported",
     r"gói dữ liệu bị hỏng hoặc bị sửa: mã SHA-256 của phần \1 không khớp với bản kê; chưa nhập gì"),
    (r"the bundle is damaged or altered: it is not byte for byte as kh wrote it; nothing was imported",
     "gói dữ liệu bị hỏng hoặc bị sửa: tệp không còn nguyên như kh đã ghi; chưa nhập gì"),
    (r"the bundle is damaged: (.+)", r"gói dữ liệu bị hỏng: \1"),
    (r"the bundle is not signed; import it only if you know where it came from, with --unsigned",
     "gói dữ liệu không có chữ ký; chỉ nhập khi biết rõ nguồn gốc, với --unsigned"),
    (r"the bundle's signature is damaged; nothing was imported", "chữ ký của gói dữ liệu bị hỏng; chưa nhập gì"),
    (r"the bundle is signed with key (\S+) of unit (\S+), which this store does not trust \(kh admin trust (\S+) FILE\.pub\)",
     r"gói dữ liệu ký bằng khóa \1 của đơn vị \2, khóa này chưa được kho dữ liệu tin cậy (kh admin trust \3 FILE.pub)"),
    (r"the bundle is signed with key (\S+) of unit (\S+), revoked on (\S+); ask the unit to export again with its new key",
     r"gói dữ liệu ký bằng khóa \1 của đơn vị \2, đã bị thu hồi ngày \3; đề nghị đơn vị xuất lại bằng khóa mới"),
    (r"the signature does not verify: the bundle was altered, or not signed with key (\S+) of unit (\S+); nothing was imported",
     r"chữ ký không hợp lệ: gói dữ liệu đã bị sửa, hoặc không ký bằng khóa \1 của đơn vị \2; chưa nhập gì"),
    (r"the bundle is for unit (\S+), outside unit (\S+) whose key signed it; nothing was imported",
     r"gói dữ liệu của đơn vị \1, nằm ngoài đơn vị \2 là chủ khóa đã ký; chưa nhập gì"),
    (r"the bundle holds a figure for unit (\S+) in (\S+), outside unit (\S+) and period (\S+); nothing was imported",
     r"gói dữ liệu có số liệu của đơn vị \1 kỳ \2, nằm ngoài đơn vị \3 và kỳ \4; chưa nhập gì"),
    (r"the bundle refers to plan (\S+), which this store does not have \(kh plan import\)",
     r"gói dữ liệu dùng kế hoạch \1, kho dữ liệu này chưa có (kh plan import)"),
    (r"plan (\S+) here differs from the one the bundle was recorded against; import the same plan file on both stores first",
     r"kế hoạch \1 ở đây khác với kế hoạch mà gói dữ liệu đã dùng; hãy nhập cùng một tệp kế hoạch ở cả hai kho trước"),
    (r"a newer bundle of unit (\S+) for (\S+) was imported already \(made (.+), this one (.+)\); nothing was imported",
     r"đã nhập một gói mới hơn của đơn vị \1 kỳ \2 (lập lúc \3, gói này \4); chưa nhập gì"),
    (r"(\d+) figures? changed here since: (.+); to take the bundle's, use --replace --reason TEXT",
     r"\1 số liệu đã được sửa tại đây: \2; muốn lấy số liệu của gói, dùng --replace --reason LÝ_DO"),
    (r"--replace needs --reason: .*", "--replace cần --reason: hãy nói vì sao số liệu của gói thay số liệu ở đây"),
    (r"--revoke needs --reason: .*", "--revoke cần --reason: hãy nói vì sao không còn tin cậy khóa này"),
    (r"(\S+) is after (\S+): a bundle cannot arrive in the future", r"ngày \1 sau ngày \2: gói dữ liệu không thể đến trong tương lai"),
    (r"the key is unit (\S+)'s: it cannot sign unit (\S+)'s bundle", r"khóa của đơn vị \1: không ký được gói của đơn vị \2"),
    (r"the key is unit (\S+)'s, not unit (\S+)'s", r"khóa của đơn vị \1, không phải của đơn vị \2"),
    (r"(.+) exists already; a key is never overwritten \(move it away first\)",
     r"\1 đã có; kh không bao giờ ghi đè khóa (hãy chuyển tệp cũ đi trước)"),
    (r"is a file, not a folder", "đây là tệp, không phải thư mục"),
    (r"is a folder, not a file", "đây là thư mục, không phải tệp"),
    (r"cannot write: (.+)", r"không ghi được: \1"),
    (r"cannot create the folder: (.+)", r"không tạo được thư mục: \1"),
    (r"key (\S+) of unit (\S+) was revoked on (\S+); it cannot be trusted again: issue a new key \(kh admin keys\)",
     r"khóa \1 của đơn vị \2 đã bị thu hồi ngày \3; không thể tin cậy lại: hãy tạo khóa mới (kh admin keys)"),
    (r"key (\S+) is not trusted for unit (\S+) here \(kh admin trust\)",
     r"khóa \1 chưa được tin cậy cho đơn vị \2 tại đây (kh admin trust)"),
    (r"key (\S+) of unit (\S+) was revoked already, on (\S+)", r"khóa \1 của đơn vị \2 đã bị thu hồi từ ngày \3"),
])
