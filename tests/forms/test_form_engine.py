"""The form's rules: order, validation by what was filled, retries, skips, several answers."""

from __future__ import annotations

from bot.forms import engine
from bot.forms.questions import IMPACT, answer_line


def test_questions_come_one_at_a_time_in_order() -> None:
    state = engine.start("SR-1", "telegram:1:1", ["contract_number"])
    missing = ["company_name", "contact_phone", "model"]
    state, prompt = engine.advance(state, filled=set(), missing=missing)
    assert prompt.kind == "ask"
    assert prompt.question is not None
    assert prompt.question.key == "model"  # the product before who to call
    assert state.asking == "model"
    state, prompt = engine.advance(state, filled={"model"}, missing=missing[:2])
    assert state.asking == "company_name"


def test_a_bad_answer_is_asked_again_with_a_hint_then_skip_or_engineer() -> None:
    state = engine.FormState("SR-1", "a", asking="serial_number")
    state, prompt = engine.advance(state, filled=set(), missing=["serial_number"])
    assert prompt.kind == "retry"
    assert prompt.hint is not None
    assert "serial number" in prompt.hint
    assert [b.action for b in prompt.buttons] == ["skip:serial_number"]
    state, prompt = engine.advance(state, filled=set(), missing=["serial_number"])
    assert prompt.kind == "stuck"
    assert [b.action for b in prompt.buttons] == ["skip:serial_number", "engineer:serial_number"]


def test_one_message_answering_several_questions_fills_them_all() -> None:
    state = engine.FormState("SR-1", "a", asking="serial_number")
    missing = ["company_name"]  # serial and version both came in one message
    state, prompt = engine.advance(
        state, filled={"serial_number", "software_version"}, missing=missing
    )
    assert prompt.question is not None
    assert prompt.question.key == "company_name"
    assert state.tries == 0


def test_skip_moves_on_and_never_asks_again() -> None:
    state = engine.FormState("SR-1", "a", asking="serial_number", optional=("contract_number",))
    state, prompt = engine.skip(state, ["serial_number"])
    assert state.asking == "contract_number"
    assert state.skipped == ("serial_number",)
    state, prompt = engine.skip(state, ["serial_number"])
    assert prompt.kind == "done"
    assert state.done
    state, prompt = engine.advance(state, filled=set(), missing=["serial_number"])
    assert prompt.kind == "idle"  # nothing new to say once done


def test_the_impact_question_offers_its_choices() -> None:
    state = engine.start("SR-1", "a")
    state, prompt = engine.advance(state, filled=set(), missing=[])
    assert prompt.question is not None
    assert prompt.question.key == IMPACT
    actions = [b.action for b in prompt.buttons]
    assert actions[:4] == [f"answer:{IMPACT}:P{n}" for n in range(1, 5)]
    assert engine.parse_action(actions[1]) == ("answer", IMPACT, "P2")
    assert engine.is_choice(state, IMPACT, "P2")
    assert not engine.is_choice(state, IMPACT, "P9")
    assert not engine.is_choice(state, "serial_number", "P2")  # a question without choices
    assert answer_line(IMPACT, "P2") == "Stated priority: P2"


def test_an_answer_no_longer_needed_is_not_a_failure() -> None:
    state = engine.FormState("SR-1", "a", asking="serial_number")
    state, prompt = engine.advance(state, filled=set(), missing=[])  # became a software fault
    assert prompt.kind == "done"
