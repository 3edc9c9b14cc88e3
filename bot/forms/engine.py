"""The form's rules: which question comes next, and what an answer (or its absence) leads to.

Pure functions over :class:`FormState`: no channel, no storage. The caller runs the customer's
answer through the intake (extraction, merge, provenance, events) and tells :func:`advance`
which fields gained a value and which are still missing, so validation is the extractor's own
(a serial that does not look like one is simply not extracted) and one message that answers
several questions fills them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from bot.forms.questions import IMPACT, Question, hint_for, question_for

# The order a good first-line engineer asks in: what is broken, then who to call, then where
# (the address matters only if a part must be shipped), then the "if known" extras.
ORDER: tuple[str, ...] = (
    "fault_summary",
    "manufacturer",
    "model",
    "serial_number",
    "software_version",
    "company_name",
    "contact_name",
    "contact_phone",
    "contact_email",
    "location",
    IMPACT,
    "contract_number",
    "diagnosis_summary",
)
MAX_TRIES = 2  # failed answers to one question before skipping or an engineer is offered

PromptKind = Literal["ask", "retry", "stuck", "done", "idle"]
# What a button does, naming the question it was shown with, so a press on an older question's
# button is recognised as stale: "skip:<key>" | "engineer:<key>" | "answer:<key>:<value>".
Action = str


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action: Action


@dataclass(frozen=True, slots=True)
class FormState:
    """One conversation's form: the ticket it fills, and where the questions have got to."""

    ticket: str  # the ticket's reference
    anchor: str  # external id of the message the ticket's conversation hangs on
    asking: str | None = None  # the field the last question asked for
    tries: int = 0  # failed answers to that question so far
    skipped: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()  # "if known" fields still to be asked once
    done: bool = False


@dataclass(frozen=True, slots=True)
class Prompt:
    kind: PromptKind
    question: Question | None = None
    hint: str | None = None
    buttons: tuple[Button, ...] = field(default=())


def start(ticket: str, anchor: str, optional: list[str] | tuple[str, ...] = ()) -> FormState:
    """A new form for a new ticket; the impact question is asked once, like the optional ones."""
    wanted = tuple(dict.fromkeys((*optional, IMPACT)))
    return FormState(ticket=ticket, anchor=anchor, optional=wanted)


def advance(state: FormState, *, filled: set[str], missing: list[str]) -> tuple[FormState, Prompt]:
    """What to say after the customer wrote: ``filled`` gained a value, ``missing`` still lack one.

    The question just asked counts as answered when its field was filled, or is no longer
    wanted (filled earlier, or made unnecessary, e.g. a query needs no serial number).
    """
    asking = state.asking
    if asking is not None and asking not in filled and _wanted(state, asking, missing):
        tries = state.tries + 1
        state = replace(state, tries=tries)
        question = _question(state, asking)
        if tries >= MAX_TRIES:
            return state, Prompt("stuck", question, hint_for(asking), _stuck_buttons(asking))
        return state, Prompt("retry", question, hint_for(asking), _buttons(question))
    if asking is not None:
        state = replace(state, optional=_without(state.optional, asking), asking=None, tries=0)
    return _next(replace(state, optional=_without_all(state.optional, filled)), missing)


def skip(state: FormState, missing: list[str]) -> tuple[FormState, Prompt]:
    """The customer does not know (or will not say): move on, and never ask it again."""
    if state.asking is None:
        return _next(state, missing)
    skipped = (*state.skipped, state.asking)
    optional = _without(state.optional, state.asking)
    return _next(replace(state, skipped=skipped, optional=optional, asking=None, tries=0), missing)


def next_key(state: FormState, missing: list[str]) -> str | None:
    """The next field to ask for, in :data:`ORDER`; fields not in the order come last."""
    wanted = [k for k in missing if k not in state.skipped]
    wanted += [k for k in state.optional if k not in state.skipped and k not in wanted]
    ranked = sorted(wanted, key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER))
    return ranked[0] if ranked else None


def _next(state: FormState, missing: list[str]) -> tuple[FormState, Prompt]:
    key = next_key(state, missing)
    if key is None:
        finished = replace(state, asking=None, tries=0, done=True)
        return finished, Prompt("idle" if state.done else "done")
    state = replace(state, asking=key, tries=0, done=False)
    question = _question(state, key)
    return state, Prompt("ask", question, None, _buttons(question))


def _question(state: FormState, key: str) -> Question:
    return question_for(key, optional=key in state.optional)


def _buttons(question: Question) -> tuple[Button, ...]:
    key = question.key
    choices = tuple(Button(c.label, f"answer:{key}:{c.value}") for c in question.choices)
    return (*choices, Button("I don't know / skip", f"skip:{key}"))


def _stuck_buttons(key: str) -> tuple[Button, ...]:
    return (
        Button("Skip this question", f"skip:{key}"),
        Button("Talk to an engineer", f"engineer:{key}"),
    )


def parse_action(action: Action) -> tuple[str, str, str]:
    """``(verb, key, value)`` of a button's action; ``key`` is empty for a malformed one."""
    verb, _, rest = action.partition(":")
    if verb == "answer":
        key, _, value = rest.partition(":")
        return verb, key, value
    return verb, rest, ""


def is_choice(state: FormState, key: str, value: str) -> bool:
    """Whether ``value`` is one of the choices the question for ``key`` offers."""
    return any(c.value == value for c in _question(state, key).choices)


def _wanted(state: FormState, key: str, missing: list[str]) -> bool:
    return key in missing or key in state.optional


def _without(keys: tuple[str, ...], key: str) -> tuple[str, ...]:
    return tuple(k for k in keys if k != key)


def _without_all(keys: tuple[str, ...], gone: set[str]) -> tuple[str, ...]:
    return tuple(k for k in keys if k not in gone)
