"""Sending reminder e-mails over SMTP (settings [smtp]; HRTUI_SMTP_HOST / HRTUI_SMTP_PORT override host and port).

One connection per run, opened at the first message. STARTTLS when `starttls = true`, with the certificate checked
against the system's authorities or those of `ca_file` (a company CA); a login when `user` is set, with the password read from `password_file`, which must be readable
by its owner only (0600), like the database. Two kinds of failure:
- `MailerUnavailable`: the server cannot be reached, refuses the login or drops the connection — nothing more can be
  sent in this run; the message says what happened in one line;
- `MessageRefused`: the server refused this one message (e.g. an unknown recipient); the run goes on.
"""
from __future__ import annotations

import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from hrtui.errors import UserError


class MailerUnavailable(UserError):
    """The SMTP server cannot be used right now."""


class MessageRefused(Exception):
    """The server refused one message."""


def settings():
    from hrtui import config

    try:
        return config.load_smtp_settings()
    except ValueError as exc:
        raise UserError(str(exc)) from None


def read_password(path: Path) -> str:
    from hrtui.store.db import check_private_file

    path = Path(path).expanduser()
    if not path.is_file():
        raise UserError(f"SMTP password file {path} does not exist")
    check_private_file(path, "SMTP password file")
    text = path.read_text(encoding="utf-8").splitlines()
    return text[0].strip() if text else ""


class Mailer:
    """Context manager; `send(to, subject, body, key)` sends one plain-text UTF-8 message."""

    def __init__(self, smtp_settings):
        self.s = smtp_settings
        self._smtp: smtplib.SMTP | None = None
        self.sent = 0

    @property
    def where(self) -> str:
        return f"{self.s.host}:{self.s.port}"

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        password = read_password(self.s.password_file) if self.s.user and self.s.password_file else None
        if self.s.user and password is None:
            raise MailerUnavailable("[smtp] user is set but password_file is not")
        tls = self._tls_context() if self.s.starttls else None
        try:
            smtp = smtplib.SMTP(self.s.host, self.s.port, timeout=self.s.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailerUnavailable(f"cannot reach the SMTP server {self.where} ({_reason(exc)})") from None
        try:
            smtp.ehlo_or_helo_if_needed()
            if tls is not None:
                smtp.starttls(context=tls)
                smtp.ehlo()
            if self.s.user:
                smtp.login(self.s.user, password)
        except smtplib.SMTPAuthenticationError:
            smtp.close()
            raise MailerUnavailable(f"the SMTP server {self.where} refused the login of {self.s.user!r}") from None
        except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
            smtp.close()
            raise MailerUnavailable(f"SMTP server {self.where}: {_reason(exc)}") from None
        return smtp

    def _tls_context(self) -> ssl.SSLContext:
        ca = self.s.ca_file
        if ca is None:
            return ssl.create_default_context()
        if not Path(ca).is_file():
            raise MailerUnavailable(f"[smtp] ca_file {ca} does not exist")
        try:
            return ssl.create_default_context(cafile=str(ca))
        except (ssl.SSLError, ValueError):
            raise MailerUnavailable(f"[smtp] ca_file {ca} holds no PEM certificate") from None

    def from_address(self) -> str:
        return self.s.from_addr or f"hrtui@{socket.gethostname() or 'localhost'}"

    def build(self, to: str, subject: str, body: str, key: str) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.from_address()
        msg["To"] = to
        msg["Subject"] = subject
        msg["Date"] = formatdate(localtime=True)
        domain = self.from_address().rpartition("@")[2] or "localhost"
        msg["Message-ID"] = make_msgid("hrtui", domain=domain)
        msg["X-Hrtui-Reminder"] = key
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(body, charset="utf-8")
        return msg

    def send(self, to: str, subject: str, body: str, key: str) -> None:
        msg = self.build(to, subject, body, key)
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise MessageRefused(f"recipient refused: {_reason(exc)}") from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError, smtplib.SMTPNotSupportedError) as exc:
            raise MessageRefused(_reason(exc)) from None
        except (OSError, smtplib.SMTPException) as exc:
            self._smtp.close()
            self._smtp = None
            raise MailerUnavailable(f"SMTP server {self.where} dropped the connection ({_reason(exc)})") from None
        if refused:
            raise MessageRefused(f"recipient refused: {', '.join(refused)}")
        self.sent += 1


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {' '.join(text.split())}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return ", ".join(f"{who}: {code}" for who, (code, _msg) in exc.recipients.items())
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())
