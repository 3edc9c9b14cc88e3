"""Configuration: TOML file → typed, validated sections with built-in defaults.

The built-in defaults run on one machine with no setup (SQLite, SMTP on 127.0.0.1:2525, replies as
files in a maildir). Unknown keys are an error naming the key, so a typo never silently falls back
to a default. Secrets are never inline: the config names the environment variable that holds them.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bot.errors import ConfigError

_T = typing.TypeVar("_T")


@dataclass(frozen=True, slots=True)
class StorageConfig:
    url: str = "sqlite:///intake.db"
    attachments_dir: str = "attachments"


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 2525
    accept: tuple[str, ...] = ("support@example.com",)
    max_message_bytes: int = 26_214_400
    hostname: str = "localhost"  # the name we greet with (EHLO banner)
    tls_cert_file: str = ""  # PEM certificate: STARTTLS is offered when set
    tls_key_file: str = ""
    session_timeout_seconds: float = 300.0


@dataclass(frozen=True, slots=True)
class ImapConfig:
    """The support mailbox the IMAP poller reads (``bot/channels/imap``)."""

    enabled: bool = False
    host: str = "imap.example.com"
    port: int = 993
    security: Literal["ssl", "starttls", "none"] = "ssl"
    username: str = "support@example.com"
    password_env: str = "IMAP_PASSWORD"
    folder: str = "INBOX"
    folders: tuple[str, ...] = ()  # further folders read as well as `folder`, one connection each
    # Where an acknowledged message goes; empty: it is marked \Seen and stays where it is.
    processed_folder: str = ""
    # Where a message we cannot take (too big, unreadable) goes; empty: it stays, unread.
    failed_folder: str = ""
    ca_file: str = ""  # PEM bundle to trust instead of the system's (a private CA)
    timeout_seconds: float = 30.0  # every network operation, connect included
    idle: bool = True  # use IDLE when the server offers it; false: always poll
    poll_interval_seconds: float = 30.0  # longest wait between checks (IDLE is re-issued too)
    reconcile_interval_seconds: float = 300.0  # full sweep for anything not yet acknowledged
    reconnect_base_seconds: float = 1.0  # first wait after a failure, doubling (jittered)...
    reconnect_max_seconds: float = 300.0  # ...up to this
    max_message_bytes: int = 26_214_400  # larger messages are not fetched (RFC822.SIZE)
    # Several instances: one reads each folder at a time, holding a lease renewed every third
    # of this; another instance takes the folder over this long after its reader died.
    lease_seconds: float = 15.0


@dataclass(frozen=True, slots=True)
class OutboundConfig:
    transport: Literal["maildir", "smtp"] = "maildir"
    maildir: str = "outbox"
    from_address: str = "support@example.com"
    from_name: str = "Support Desk"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_security: Literal["starttls", "ssl", "none"] = "none"
    smtp_username: str = ""
    smtp_password_env: str = ""
    smtp_ca_file: str = ""  # PEM bundle to trust instead of the system's (a private CA)
    smtp_timeout_seconds: float = 30.0
    max_attempts: int = 8
    retry_base_seconds: float = 30.0


@dataclass(frozen=True, slots=True)
class EmailConfig:
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    imap: ImapConfig = field(default_factory=ImapConfig)
    outbound: OutboundConfig = field(default_factory=OutboundConfig)


@dataclass(frozen=True, slots=True)
class SlackConfig:
    enabled: bool = False
    mode: Literal["http", "socket"] = "http"
    host: str = "127.0.0.1"
    port: int = 3000
    bot_token_env: str = "SLACK_BOT_TOKEN"
    signing_secret_env: str = "SLACK_SIGNING_SECRET"
    app_token_env: str = "SLACK_APP_TOKEN"
    api_url: str = "https://slack.com/api/"
    triage_channel: str = "C0TRIAGE"
    engineers: tuple[str, ...] = ()
    # Also let every member of the triage channel act (asked of Slack on each action).
    triage_members_may_act: bool = False
    # Text in a ticket's thread that starts with this goes to the customer; the rest is a note.
    reply_prefix: str = "reply:"


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    enabled: bool = False
    mode: Literal["polling", "webhook"] = "polling"
    token_env: str = "TELEGRAM_BOT_TOKEN"
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    # Files above this are not fetched (Telegram's getFile stops at 20 MB); the customer is told.
    max_file_bytes: int = 20_000_000
    poll_timeout_seconds: int = 25  # getUpdates long-poll
    lease_seconds: int = 90  # one poller per token: the lease, renewed while polling
    webhook_host: str = "127.0.0.1"  # webhook mode: where Telegram's (or a proxy's) POSTs arrive
    webhook_port: int = 8443
    webhook_path: str = "/telegram/webhook"
    webhook_url: str = ""  # public https URL given to setWebhook at start; empty: set it yourself
    webhook_secret_env: str = "TELEGRAM_WEBHOOK_SECRET"


@dataclass(frozen=True, slots=True)
class ReferenceConfig:
    """Shape of ticket references, e.g. ``SR-2026-004217-K`` (prefix, year, number, check)."""

    prefix: str = "SR"
    digits: int = 6
    include_year: bool = True


@dataclass(frozen=True, slots=True)
class IntakeConfig:
    # Loop guard: automatic replies to one sender within the window. Generous on purpose, so a
    # normal conversation (several follow-ups on a ticket) is never silenced.
    auto_reply_limit: int = 10
    auto_reply_window_minutes: int = 60
    # Our own addresses besides the outbound From: mail from them is never answered (loops).
    own_addresses: tuple[str, ...] = ()
    # Environment variable with the key that signs our Message-IDs. Empty: a random key is made
    # once and kept in the database, which is right for a single installation.
    signing_key_env: str = ""
    # Mailbox name used to scope Message-ID deduplication for files given to `ingest`.
    ingest_mailbox: str = "ingest"
    # After our mail to an address bounces (or is refused for good), no automatic mail goes to
    # it for this long; engineers see the failure on the ticket.
    bounce_suppress_hours: float = 24.0
    # A ticket waiting for the customer's details gets a reminder after this much business
    # time without an answer, at most max_reminders times, and is then closed.
    reminder_after_business_days: float = 2.0
    max_reminders: int = 2
    desk_name: str = "the Support Desk"
    desk_phone: str = ""  # told to customers with a P1 fault, who should also phone
    # A stored message still unprocessed this long after it arrived (its instance died first)
    # is processed by whichever instance sweeps next.
    pending_sweep_seconds: float = 30.0


@dataclass(frozen=True, slots=True)
class SlaConfig:
    """The desk's calendar and its targets per priority, counted in business time."""

    timezone: str = "Europe/London"
    opens: str = "08:00"
    closes: str = "17:00"
    workdays: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    holidays_country: str = "GB"  # public holidays (the `holidays` package); "" for none
    holidays_subdivision: str = "ENG"
    around_the_clock: bool = False  # 24x7 cover: every hour counts
    warn_at: float = 0.75  # engineers are warned when this fraction of a target is used
    response_hours_p1: float = 2
    response_hours_p2: float = 4
    response_business_days_p3: float = 1
    response_business_days_p4: float = 1
    resolution_business_days_p1: float = 5
    resolution_business_days_p2: float = 10
    resolution_business_days_p3: float = 15
    resolution_business_days_p4: float = 20


@dataclass(frozen=True, slots=True)
class OpsConfig:
    """Health and metrics over HTTP for monitoring (``/healthz``, ``/metrics``)."""

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 9310


@dataclass(frozen=True, slots=True)
class ClassifierConfig:
    model: str = ""  # an installed spaCy pipeline to load; empty = the built-in rules


@dataclass(frozen=True, slots=True)
class Config:
    storage: StorageConfig = field(default_factory=StorageConfig)
    email: EmailConfig = field(default_factory=EmailConfig)
    slack: SlackConfig = field(default_factory=SlackConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    reference: ReferenceConfig = field(default_factory=ReferenceConfig)
    intake: IntakeConfig = field(default_factory=IntakeConfig)
    sla: SlaConfig = field(default_factory=SlaConfig)
    classifier: ClassifierConfig = field(default_factory=ClassifierConfig)
    ops: OpsConfig = field(default_factory=OpsConfig)

    def attachments_path(self) -> Path:
        return Path(self.storage.attachments_dir)


def load_config(path: Path | None) -> Config:
    """Load ``path``, or ``./config.toml`` if present, else the built-in defaults."""
    if path is None:
        default = Path("config.toml")
        if not default.exists():
            return Config()
        path = default
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    config = _build(Config, data, "")
    _check_ranges(config)
    return config


def _check_ranges(config: Config) -> None:
    """Values of the right type that would still break the bot quietly."""
    checks = [
        (4 <= config.reference.digits <= 12, "reference.digits must be 4 to 12"),
        (bool(config.reference.prefix.strip()), "reference.prefix must not be empty"),
        (config.email.smtp.max_message_bytes > 0, "email.smtp.max_message_bytes must be > 0"),
        (0 < config.email.smtp.port < 65536, "email.smtp.port must be 1 to 65535"),
        (
            0 < config.email.outbound.smtp_port < 65536,
            "email.outbound.smtp_port must be 1 to 65535",
        ),
        (config.email.outbound.max_attempts > 0, "email.outbound.max_attempts must be > 0"),
        (config.intake.auto_reply_limit >= 0, "intake.auto_reply_limit must be >= 0"),
        (0 < config.sla.warn_at <= 1, "sla.warn_at must be a fraction above 0, at most 1"),
        (config.intake.pending_sweep_seconds > 0, "intake.pending_sweep_seconds must be > 0"),
        (config.email.imap.lease_seconds > 0, "email.imap.lease_seconds must be > 0"),
        (config.telegram.lease_seconds > 0, "telegram.lease_seconds must be > 0"),
    ]
    for ok, message in checks:
        if not ok:
            raise ConfigError(f"config: {message}")


def secret_from_env(variable: str, what: str) -> str:
    """Read a secret from the environment variable the config names, or fail clearly."""
    value = os.environ.get(variable, "") if variable else ""
    if not value:
        raise ConfigError(f"{what}: set the environment variable {variable or '(none named)'}")
    return value


def _build(cls: type[_T], data: object, where: str) -> _T:
    if not isinstance(data, dict):
        raise ConfigError(f"config: [{where}] must be a table")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in data:
        if key not in names:
            raise ConfigError(f"config: unknown key '{_join(where, key)}'")
    values: dict[str, Any] = {}
    for name in names:
        if name in data:
            values[name] = _coerce(hints[name], data[name], _join(where, name))
    return cls(**values)


def _coerce(hint: Any, value: object, where: str) -> object:
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, where)  # type: ignore[arg-type]
    if origin is Literal:
        allowed = typing.get_args(hint)
        if value not in allowed:
            choices = " | ".join(repr(a) for a in allowed)
            raise ConfigError(f"config: {where} must be one of {choices}, not {value!r}")
        return value
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"config: {where} must be a list of strings")
        return tuple(value)
    if origin in (types.UnionType, typing.Union):
        raise ConfigError(f"config: {where}: unsupported type")  # pragma: no cover - none yet
    expected: type = hint
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(f"config: {where} must be {expected.__name__}, not {value!r}")
    return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
