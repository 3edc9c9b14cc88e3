"""References: format, check character, and reading them back from customers' text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.references import ReferenceFormat, check_character

FMT = ReferenceFormat()


def test_format_shape() -> None:
    ref = FMT.format(2026, 4217)
    assert ref.startswith("SR-2026-004217-")
    assert FMT.is_valid(ref)


def test_reads_references_written_loosely() -> None:
    ref = FMT.format(2026, 42)
    loose = ref.lower().replace("-", " ")
    assert FMT.find_all(f"about {loose}, thanks") == [ref]
    assert FMT.find_all(f"Re: [{ref}] Re: [{ref}]") == [ref]


def test_ignores_wrong_check_and_embedded_text() -> None:
    ref = FMT.format(2026, 42)
    wrong = ref[:-1] + ("B" if ref[-1] != "B" else "C")
    assert FMT.find_all(wrong) == []
    assert FMT.find_all("XSR-2026-000042-" + ref[-1]) == []


@given(st.integers(0, 9999), st.integers(1, 999_999), st.integers(0, 9), st.integers(0, 9))
def test_every_single_digit_typo_is_detected(year: int, number: int, pos: int, digit: int) -> None:
    body = f"{year:04d}{number:06d}"
    position = pos % len(body)
    typo = body[:position] + str(digit) + body[position + 1 :]
    if typo != body:
        assert check_character(typo) != check_character(body)


@given(st.integers(0, 9999), st.integers(1, 999_999), st.integers(0, 8))
def test_every_adjacent_swap_is_detected(year: int, number: int, pos: int) -> None:
    body = f"{year:04d}{number:06d}"
    swapped = body[:pos] + body[pos + 1] + body[pos] + body[pos + 2 :]
    if swapped != body:
        assert check_character(swapped) != check_character(body)


def test_custom_format_without_year() -> None:
    fmt = ReferenceFormat(prefix="HD", digits=5, include_year=False)
    ref = fmt.format(2026, 7)
    assert ref.startswith("HD-00007-")
    assert fmt.find_all(f"see {ref}") == [ref]
    assert fmt.counter_name(2026) == fmt.counter_name(2027)  # one sequence: never reused
