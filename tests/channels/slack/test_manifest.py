"""``deploy/slack-manifest.yml`` is valid YAML and asks Slack for exactly what the code handles:
the ``/ticket`` command, the message events, interactivity, all at ``/slack/events``, and the
scopes the Web API calls need."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import yaml

from bot.channels.slack.service import PATH

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = ROOT / "deploy" / "slack-manifest.yml"
CODE = ROOT / "bot" / "channels" / "slack"

# Web API method → the bot scope Slack requires for it (https://api.slack.com/methods).
SCOPE_OF = {
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "users_info": {"users:read"},
    "conversations_members": {"channels:read", "groups:read"},
    "views_open": set(),
}


def _manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _client_methods() -> set[str]:
    """Every ``client.<method>(…)`` / ``self.client.<method>(…)`` the Slack code calls."""
    found = set()
    for path in CODE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name | ast.Attribute)
            ):
                owner = node.func.value
                name = owner.id if isinstance(owner, ast.Name) else owner.attr
                if name == "client":
                    found.add(node.func.attr)
    return found


def test_the_manifest_declares_what_the_code_handles() -> None:
    manifest = _manifest()
    settings, features = manifest["settings"], manifest["features"]

    (command,) = features["slash_commands"]
    assert command["command"] == "/ticket"
    assert command["url"].endswith(PATH)
    assert command["should_escape"] is True  # `assign @user` arrives as <@U123|name>

    events = settings["event_subscriptions"]
    assert events["request_url"].endswith(PATH)
    assert set(events["bot_events"]) == {"message.channels", "message.groups"}
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith(PATH)
    assert "bot_user" in features
    code = (CODE / "bolt_app.py").read_text(encoding="utf-8")
    assert 'bolt.command("/ticket")' in code  # what the manifest declares is what is handled
    assert 'bolt.event("message")' in code

    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "channels:history", "groups:history"} <= scopes  # /ticket, the events
    called = _client_methods()
    assert {"chat_postMessage", "chat_update", "users_info", "views_open"} <= called
    unknown = called - SCOPE_OF.keys()
    assert not unknown, f"add the scope of {unknown} to SCOPE_OF and the manifest"
    for method in called:
        assert SCOPE_OF[method] <= scopes, method
