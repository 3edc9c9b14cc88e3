"""The bot's exception hierarchy: shallow, so callers can catch at the right depth.

Every error a user can cause carries a message fit to print as the one line the CLI shows.
"""

from __future__ import annotations


class IntakeError(Exception):
    """Base of every error the bot raises on purpose."""


class ConfigError(IntakeError):
    """The configuration file or an environment variable it names is wrong."""


class StorageError(IntakeError):
    """The database cannot be reached or is not in a usable state."""


class SchemaOutdatedError(StorageError):
    """The database schema is older than this code; ``intake-bot db upgrade`` fixes it."""


class ChannelError(IntakeError):
    """A channel (email, Slack, Telegram) failed to deliver or receive."""


class TransientChannelError(ChannelError):
    """Worth retrying later: a timeout, a 4xx SMTP answer, a dropped connection."""


class PermanentChannelError(ChannelError):
    """Retrying will not help: a 5xx SMTP answer, a rejected recipient."""
