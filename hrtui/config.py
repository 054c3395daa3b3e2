"""Paths, settings and the clock.

Paths follow XDG: the database lives in the data dir, settings and keys in the config dir.
`HRTUI_TODAY` pins the calendar date (tests, demos recorded for docs); nothing else in hrtui reads the clock for dates.
"""
from __future__ import annotations

import datetime as _dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from hrtui.errors import UserError

APP = "hrtui"


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / APP


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / APP


def default_db_path() -> Path:
    env = os.environ.get("HRTUI_DB")
    return Path(env) if env else data_dir() / "hrtui.db"


class SettingsError(UserError, ValueError):
    """A settings file or variable that cannot be used; its message names it (a ValueError for the callers that
    fall back to defaults, a UserError for one clear line where nobody does)."""


def today() -> _dt.date:
    pinned = os.environ.get("HRTUI_TODAY")
    if pinned:
        try:
            return _dt.date.fromisoformat(pinned)
        except ValueError:
            raise SettingsError(f"HRTUI_TODAY must be a date like 2026-12-01, got {pinned!r}") from None
    return _dt.date.today()


def ensure_private_dir(path: Path) -> None:
    """Create a directory for HR data readable by its owner only (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


@dataclass
class Thresholds:
    """Domain thresholds of DESIGN §4; every one can be changed in settings.toml [thresholds]."""

    window_months: int = 3
    team_gap_pct: float = 15.0          # worse than the team mean by >= 15 % of it
    lower_ratio: float = 1.5            # lower-is-better: >= 1.5x the team
    requirement_gap_pct: float = 10.0   # below the position's requirement by >= 10 %
    leave_ratio: float = 2.0            # leave in the last 2 months vs 6-month baseline
    leave_min_days: float = 3.0
    project_drop_pct: float = 40.0


@dataclass
class Settings:
    """settings.toml: [ui] lang and theme, [thresholds], and the raw tables the other sections are read from."""

    lang: str | None = None
    theme: str | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    raw: dict = field(default_factory=dict)


def settings_path() -> Path:
    return config_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> Settings:
    """Read settings.toml; a missing file gives defaults, a broken one raises ValueError naming the file."""
    path = path or settings_path()
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from None
    th = Thresholds()
    for key, value in (raw.get("thresholds") or {}).items():
        if hasattr(th, key):
            setattr(th, key, type(getattr(th, key))(value))
    ui = raw.get("ui") or {}
    return Settings(lang=ui.get("lang"), theme=ui.get("theme"), thresholds=th, raw=raw)


@dataclass
class BackupSettings:
    """settings.toml [backup]: where weekly backups go, whom they are encrypted to, how many to keep.

    dir        folder for backups (default: `backups` beside the database); `~` is expanded
    recipients age recipients (`age1…`) the backup is encrypted to; cron needs no passphrase
    keep       how many backups of a database to keep (0 = all)
    identity   identity file (`AGE-SECRET-KEY-1…`) that verify/restore use by default
               (default: the file `hrtui keygen` writes, config_dir()/identity.txt)
    """

    dir: Path | None = None
    recipients: list[str] = field(default_factory=list)
    keep: int = 0
    identity: Path | None = None


def load_backup_settings(settings: Settings | None = None) -> BackupSettings:
    """The [backup] section of settings.toml; a wrong type raises ValueError naming the key."""
    raw = (settings or load_settings()).raw.get("backup") or {}
    if not isinstance(raw, dict):
        raise SettingsError(f"settings file {settings_path()}: [backup] must be a table")
    out = BackupSettings()
    if raw.get("dir"):
        out.dir = Path(str(raw["dir"])).expanduser()
    recipients = raw.get("recipients", [])
    if isinstance(recipients, str):
        recipients = [recipients]
    if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
        raise SettingsError(f"settings file {settings_path()}: [backup] recipients must be a list of age1… strings")
    out.recipients = [r.strip() for r in recipients if r.strip()]
    try:
        out.keep = int(raw.get("keep", 0))
    except (TypeError, ValueError):
        raise SettingsError(f"settings file {settings_path()}: [backup] keep must be a whole number") from None
    if out.keep < 0:
        raise SettingsError(f"settings file {settings_path()}: [backup] keep must be 0 (keep all) or more")
    if raw.get("identity"):
        out.identity = Path(str(raw["identity"])).expanduser()
    return out


@dataclass
class SmtpSettings:
    """settings.toml [smtp]: how reminders are e-mailed (`hrtui remind --send`). No host means no e-mail.

    host           SMTP server; HRTUI_SMTP_HOST overrides it
    port           default 25, or 587 with starttls; HRTUI_SMTP_PORT overrides it
    starttls       upgrade the connection with STARTTLS before logging in (certificate checked)
    ca_file        PEM file of the certificate authorities to trust for STARTTLS (e.g. the company's own CA);
                   default: the system's; `~` is expanded
    user           login name; the password is read from `password_file`, which must be 0600
    password_file  file holding the password (first line); `~` is expanded
    from           the From: address (default hrtui@<host name>)
    timeout        seconds to wait for the server (default 10)
    """

    host: str | None = None
    port: int = 25
    starttls: bool = False
    ca_file: Path | None = None
    user: str | None = None
    password_file: Path | None = None
    from_addr: str | None = None
    timeout: float = 10.0

    @property
    def enabled(self) -> bool:
        return bool(self.host)


def load_smtp_settings(settings: Settings | None = None) -> SmtpSettings:
    """The [smtp] section with the environment's overrides; a wrong type raises ValueError naming the key."""
    raw = (settings or load_settings()).raw.get("smtp") or {}
    if not isinstance(raw, dict):
        raise SettingsError(f"settings file {settings_path()}: [smtp] must be a table")
    out = SmtpSettings()
    out.host = (str(raw.get("host") or "").strip()) or None
    out.starttls = bool(raw.get("starttls", False))
    port = raw.get("port", 587 if out.starttls else 25)
    out.user = str(raw["user"]) if raw.get("user") else None
    if raw.get("password_file"):
        out.password_file = Path(str(raw["password_file"])).expanduser()
    if raw.get("ca_file"):
        out.ca_file = Path(str(raw["ca_file"])).expanduser()
    out.from_addr = str(raw["from"]).strip() if raw.get("from") else None
    try:
        out.timeout = float(raw.get("timeout", 10.0))
    except (TypeError, ValueError):
        raise SettingsError(f"settings file {settings_path()}: [smtp] timeout must be a number of seconds") from None
    if os.environ.get("HRTUI_SMTP_HOST"):
        out.host = os.environ["HRTUI_SMTP_HOST"].strip()
    if os.environ.get("HRTUI_SMTP_PORT"):
        port = os.environ["HRTUI_SMTP_PORT"].strip()
    try:
        out.port = int(port)
    except (TypeError, ValueError):
        raise SettingsError(f"SMTP port must be a whole number, got {port!r}") from None
    if not 0 < out.port < 65536:
        raise SettingsError(f"SMTP port must be between 1 and 65535, got {out.port}")
    return out


@dataclass
class PlanSettings:
    """settings.toml [plans]: defaults of improvement plans, their reminders and the effect report.

    deadline_days   a new goal's deadline, days after drafting (90)
    midterm_days    its mid-term check (45)
    extend_days     how far "extend" moves the dates unless told (30)
    lead_days       reminders go this many days before each due date (3)
    catch_up_days   a run after a gap still delivers a reminder this many days old (3); older ones are dropped
    timezone        the organisation's time zone (IANA name, e.g. "Asia/Shanghai"); default: the system's
    improve_pct     the effect report calls a change "improved"/"worse" from this % of the baseline on (5)
    """

    deadline_days: int = 90
    midterm_days: int = 45
    extend_days: int = 30
    lead_days: int = 3
    catch_up_days: int = 3
    timezone: str | None = None
    improve_pct: float = 5.0


def load_plan_settings(settings: Settings | None = None) -> PlanSettings:
    raw = (settings or load_settings()).raw.get("plans") or {}
    if not isinstance(raw, dict):
        raise SettingsError(f"settings file {settings_path()}: [plans] must be a table")
    out = PlanSettings()
    for key, value in raw.items():
        if not hasattr(out, key):
            raise SettingsError(f"settings file {settings_path()}: [plans] has no setting {key!r}")
        if key == "timezone":
            out.timezone = str(value).strip() or None
            continue
        try:
            setattr(out, key, type(getattr(out, key))(value))
        except (TypeError, ValueError):
            raise SettingsError(f"settings file {settings_path()}: [plans] {key} must be a number") from None
    for key in ("deadline_days", "midterm_days", "extend_days"):
        if getattr(out, key) < 1:
            raise SettingsError(f"settings file {settings_path()}: [plans] {key} must be at least 1")
    if out.midterm_days > out.deadline_days:
        raise SettingsError(f"settings file {settings_path()}: [plans] midterm_days must not exceed deadline_days")
    if out.lead_days < 0 or out.catch_up_days < 0:
        raise SettingsError(f"settings file {settings_path()}: [plans] lead_days and catch_up_days must be 0 or more")
    return out
