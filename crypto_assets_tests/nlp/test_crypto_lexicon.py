"""The crypto lexicon and phrases: valid entries, phrase folding, and their effect on scores."""

from __future__ import annotations

import pytest

from crypto_assets.nlp.sentiment import SentimentScorer, label, load_analyzer
from crypto_assets.nlp.sentiment.crypto_lexicon import CRYPTO_LEXICON, CRYPTO_PHRASES
from crypto_assets.nlp.sentiment.rules import apply_crypto_phrases


@pytest.mark.parametrize(("word", "valence"), sorted(CRYPTO_LEXICON.items()))
def test_entries_are_single_lowercase_tokens_on_vader_scale(word: str, valence: float) -> None:
    assert word == word.lower()
    assert word.isalpha()
    assert -4.0 <= valence <= 4.0
    assert valence != 0.0


@pytest.mark.parametrize(("phrase", "token"), sorted(CRYPTO_PHRASES.items()))
def test_every_phrase_folds_to_a_lexicon_token(phrase: str, token: str) -> None:
    assert token in CRYPTO_LEXICON
    assert apply_crypto_phrases(f"so {phrase} now") == f"so {token} now"


def test_only_documented_stock_entries_are_overridden() -> None:
    stock = load_analyzer().lexicon
    assert {w for w in CRYPTO_LEXICON if w in stock} == {"fud", "exploit"}
    for kept, valence in {"scam": -2.7, "dump": -1.6, "fraud": -2.8}.items():
        assert kept not in CRYPTO_LEXICON and stock[kept] == valence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Another Rug Pull today", "Another rugpull today"),
        ("rug-pulled again", "rugpull again"),
        ("SOL TO THE MOON", "SOL MOON"),
        ("new all-time high", "new ath"),
        ("new All Time Highs", "new ath"),
        ("classic pump & dump", "classic pumpanddump"),
        ("paper   hands sold", "paperhands sold"),
        ("drug pull", "drug pull"),  # word boundary: not "rug pull"
        ("bull runner", "bull runner"),  # word boundary: not "bull run"
        ("to the moonwalk", "to the moonwalk"),
    ],
)
def test_apply_crypto_phrases(text: str, expected: str) -> None:
    assert apply_crypto_phrases(text) == expected


@pytest.mark.parametrize(
    ("text", "stock_label", "crypto_label"),
    [
        ("ETH looks bullish", "neutral", "positive"),
        ("ETH looks bearish", "neutral", "negative"),
        ("Got rekt on that trade", "neutral", "negative"),
        ("Another rug pull, devs vanished", "neutral", "negative"),
        ("SOL to the moon", "neutral", "positive"),
        ("BTC hit a new all time high", "neutral", "positive"),
        ("This is a shitcoin", "neutral", "negative"),
        ("wagmi", "neutral", "positive"),
        ("ngmi", "neutral", "negative"),
        ("Time to buy the dip", "neutral", "positive"),
        ("Not bullish at all", "neutral", "negative"),  # VADER's negation still applies
        ("I got scammed", "neutral", "negative"),
    ],
)
def test_crypto_lexicon_effect(
    stock: SentimentScorer, crypto: SentimentScorer, text: str, stock_label: str, crypto_label: str
) -> None:
    assert label(stock.compound(text)) == stock_label
    assert label(crypto.compound(text)) == crypto_label


def test_overridden_fud_is_more_negative(stock: SentimentScorer, crypto: SentimentScorer) -> None:
    assert crypto.compound("FUD everywhere") < stock.compound("FUD everywhere") < 0
