"""The one-split tokeniser: skipped spans, identifiers, cashtags, gaps and lower-case forms."""

from __future__ import annotations

import pytest

from crypto_assets.nlp.mentions.text import tokenize


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("posted in r/Bitcoin by u/solana_fan", ["posted", "in", "by"]),
        ("see /r/solana now", ["see", "now"]),
        ("a path x/r/abc stays", ["a", "path", "x", "r", "abc", "stays"]),  # no reference
        ("see www.ethereum.org and https://bitcoin.org/en ok", ["see", "and", "ok"]),
        ("0x_febo and PredX\\_AI", ["and"]),
        ("__init__ method", ["init", "method"]),
        ("$btc and $ETH", ["btc", "and", "ETH"]),
        ("", []),
        ("!!!", []),
    ],
)
def test_words(text: str, words: list[str]) -> None:
    assert tokenize(text).words == words


def test_gaps_lower_forms_and_cashtags() -> None:
    tokens = tokenize("Bitcoin  Cash. $ETH see https://x.org Solana 2 sol")
    assert tokens.words == ["Bitcoin", "Cash", "ETH", "see", "Solana", "2", "sol"]
    assert tokens.lowers == ["bitcoin", "cash", "eth", "see", "solana", "2", "sol"]
    assert tokens.cashtag == [False, False, True, False, False, False, False]
    assert tokens.has_cashtag
    assert tokens.joiner(1) == " "  # whitespace joins a name
    assert tokens.joiner(2) == "."  # "Cash. ETH": punctuation joins only as listed
    assert tokens.joiner(4) is None  # a skipped URL before: no name spans it
    assert [tokens.sentence_start(k) for k in range(7)] == [
        True, False, True, False, True, False, False,
    ]  # fmt: skip
    assert tokens.spaced(6) and not tokens.spaced(4)
    assert tokens.present() == {"Bitcoin", "Cash", "$ETH", "see", "Solana", "2", "sol"}
