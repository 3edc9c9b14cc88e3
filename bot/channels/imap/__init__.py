"""IMAP channel: polls the support mailbox and hands each message to intake exactly once.

``poller`` runs one worker thread per folder (connect, IDLE or poll, reconnect with back-off);
``folder`` decides what to take (catch-up from the checkpoint, rescans, sweeps); ``take`` takes
it (size check, fetch, store, then acknowledge, then process); ``checkpoints`` keeps per-folder
checkpoints, health and set-aside messages in the database; ``connection`` opens the session
(SSL, STARTTLS or, on loopback only, plain) with a timeout on every operation.
"""

from bot.channels.imap.checkpoints import imap_health
from bot.channels.imap.poller import ImapPoller

__all__ = ["ImapPoller", "imap_health"]
