"""Mention rule predicates and the shipped word list they read."""

from __future__ import annotations

import pytest

from crypto_assets.nlp.mentions import rules


@pytest.mark.parametrize(
    ("symbol", "cashtag_only", "ambiguous"),
    [
        ("BTC", False, False),
        ("ONE", False, True),
        ("LINK", False, True),
        ("GAS", False, True),
        ("OP", True, False),
        ("S", True, False),
        ("NFT", True, False),
        ("HODL", True, False),
    ],
)
def test_ticker_rules(symbol: str, cashtag_only: bool, ambiguous: bool) -> None:
    assert rules.is_cashtag_only(symbol) == cashtag_only
    assert rules.is_ambiguous_ticker(symbol) == ambiguous


@pytest.mark.parametrize(
    ("words", "ambiguous"),
    [
        (("bitcoin",), False),
        (("solana",), False),
        (("tether",), False),
        (("maker",), True),
        (("flow",), True),
        (("the", "graph"), True),
        (("ton", "coin"), False),
        (("render", "token"), False),
        (("crypto", "coin"), True),
        (("shiba", "inu"), False),
    ],
)
def test_name_rules(words: tuple[str, ...], ambiguous: bool) -> None:
    assert rules.is_ambiguous_name(words) == ambiguous


def test_shipped_word_list_levels() -> None:
    assert len(rules.common_english_words(rules.TICKER_WORD_MAX_LEVEL)) == 10910
    assert len(rules.common_english_words(rules.NAME_WORD_MAX_LEVEL)) == 66712
    assert {"one", "near", "link"} <= rules.common_english_words(rules.TICKER_WORD_MAX_LEVEL)


def test_rules_text_is_readme_ready() -> None:
    text = rules.MENTION_RULES_MARKDOWN
    assert text.startswith("Coin mention rules")
    for needle in ("**Cashtags**", "**Ambiguous tickers**", "**Ambiguous names**", "best-ranked"):
        assert needle in text
