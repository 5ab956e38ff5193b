"""Sending reminders by e-mail (kh remind --send): the SMTP server from a config file or the
environment — never from the command line, where a password would stay in the shell history and
the process list.

Settings, each from the environment first, else from the file ``KH_SMTP_CONFIG`` (default
``<user config dir>/kh/smtp.toml``, section ``[smtp]``): ``KH_SMTP_HOST`` / ``host``,
``KH_SMTP_PORT`` / ``port`` (default 587), ``KH_SMTP_USER`` / ``user``, ``KH_SMTP_PASSWORD`` /
``password``, ``KH_SMTP_FROM`` / ``from``, ``KH_SMTP_TLS`` / ``tls`` (``starttls``, ``ssl`` or
``none``; default ``ssl`` on port 465, ``starttls`` on 587, else ``none``). A file holding a
password must be readable by its owner only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from kh.errors import KhError

EMAIL = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+")


def check_email(text: str, where: str) -> str:
    text = text.strip()
    if not EMAIL.fullmatch(text):
        raise KhError("mail.bad_address", where=where, text=text)
    return text


@dataclass
class Smtp:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str
    tls: str


def config_path() -> Path:
    if os.environ.get("KH_SMTP_CONFIG"):
        return Path(os.environ["KH_SMTP_CONFIG"])
    import platformdirs

    return Path(platformdirs.user_config_dir("kh")) / "smtp.toml"


def settings() -> Smtp:
    path = config_path()
    file: dict = {}
    if path.is_file():
        import tomllib

        try:
            file = tomllib.loads(path.read_text(encoding="utf-8")).get("smtp", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise KhError("mail.unreadable_settings", where=str(path), error=e) from None
        if file.get("password") and os.name == "posix" and path.stat().st_mode & 0o077:
            raise KhError("mail.password_readable", path=path,
                          where=str(path))

    def get(key: str, env: str):
        v = os.environ.get(env)
        return v if v not in (None, "") else file.get(key)

    host, sender = get("host", "KH_SMTP_HOST"), get("from", "KH_SMTP_FROM")
    if not host or not sender:
        raise KhError("mail.no_server", where="--send", path=path)
    try:
        port = int(get("port", "KH_SMTP_PORT") or 587)
    except ValueError:
        raise KhError("mail.bad_port", where="KH_SMTP_PORT") from None
    tls = (get("tls", "KH_SMTP_TLS") or {465: "ssl", 587: "starttls"}.get(port, "none")).lower()
    if tls not in ("ssl", "starttls", "none"):
        raise KhError("mail.bad_tls", where="KH_SMTP_TLS", tls=tls)
    return Smtp(host=str(host), port=port, user=get("user", "KH_SMTP_USER"),
                password=get("password", "KH_SMTP_PASSWORD"), sender=check_email(str(sender), "KH_SMTP_FROM"),
                tls=tls)


def send(smtp: Smtp, messages: list[tuple[str, str, str]]) -> int:
    """Send (to, subject, text) messages over one connection; a failure names the recipient and
    says how many went before it."""
    import smtplib
    import ssl
    from email.message import EmailMessage

    sent = 0
    try:
        if smtp.tls == "ssl":
            server = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=60, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(smtp.host, smtp.port, timeout=60)
        with server:
            if smtp.tls == "starttls":
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, smtp.password or "")
            for to, subject, text in messages:
                msg = EmailMessage()
                msg["From"], msg["To"], msg["Subject"] = smtp.sender, to, subject
                msg.set_content(text, charset="utf-8")
                try:
                    server.send_message(msg)
                except smtplib.SMTPException as e:
                    raise KhError("mail.refused", sent=sent, total=len(messages), to=to, error=e,
                                  where="--send") from None
                sent += 1
    except (OSError, smtplib.SMTPException) as e:
        raise KhError("mail.failed", where="--send", sent=sent, total=len(messages), host=smtp.host, port=smtp.port, error=e) from None
    return sent
