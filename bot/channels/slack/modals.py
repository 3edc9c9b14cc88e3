"""The modals behind *Ask customer…*, *Reply to customer…* and *Resolve…*.

Each holds one text input; the ticket reference travels in ``private_metadata`` and comes back
with the submission.
"""

from __future__ import annotations

from typing import Any, Final

from bot.channels.slack.text import Block

INPUT_BLOCK: Final = "text"
INPUT_ACTION: Final = "text"

# callback_id → (title, label, submit, hint)
MODALS: Final = {
    "ticket_ask_modal": (
        "Ask the customer",
        "Your question",
        "Send question",
        "Sent to the customer on their own channel; the ticket then waits for their answer.",
    ),
    "ticket_reply_modal": (
        "Reply to the customer",
        "Your reply",
        "Send reply",
        "Sent to the customer on their own channel (email or Telegram), in their thread.",
    ),
    "ticket_resolve_modal": (
        "Resolve the ticket",
        "Synopsis: the issue, steps taken, resolution",
        "Resolve",
        "The synopsis is sent to the customer, and the ticket is marked resolved.",
    ),
}


def modal(callback_id: str, reference: str) -> Block:
    title, label, submit, hint = MODALS[callback_id]
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": reference,
        "title": {"type": "plain_text", "text": title[:24]},
        "submit": {"type": "plain_text", "text": submit[:24]},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"*{reference}* · {hint}"}],
            },
            {
                "type": "input",
                "block_id": INPUT_BLOCK,
                "label": {"type": "plain_text", "text": label},
                "element": {
                    "type": "plain_text_input",
                    "action_id": INPUT_ACTION,
                    "multiline": True,
                    "max_length": 3000,
                },
            },
        ],
    }


def submitted_text(view: dict[str, Any]) -> str:
    """The text typed into a submitted modal (plain text input: no mrkdwn escapes)."""
    values = view.get("state", {}).get("values", {})
    return str(values.get(INPUT_BLOCK, {}).get(INPUT_ACTION, {}).get("value") or "")
