"""Rendering the bot's plain-text messages from ``bot/intake/templates`` (one environment)."""

from __future__ import annotations

from functools import lru_cache

import jinja2


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("bot.intake", "templates"),
        autoescape=False,  # plain-text email: nothing here is interpreted as markup  # noqa: S701
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render(template: str, **values: object) -> str:
    return _environment().get_template(template).render(**values)
