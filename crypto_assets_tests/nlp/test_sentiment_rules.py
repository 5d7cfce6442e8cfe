"""Lexicon defects fixed by general rules, the calibrated thresholds and the evaluation harness."""

from __future__ import annotations

import json

import pytest

from crypto_assets.nlp.sentiment import (
    CALIBRATED_THRESHOLDS,
    SENTIMENT_RULES_VERSION,
    SentimentScorer,
    label,
)
from crypto_assets.nlp.sentiment.market_lexicon import MOVEMENT_NOUNS, MOVEMENT_VERBS, inflections
from crypto_assets.nlp.sentiment.rules import apply_context_rules, unglue
from crypto_assets_tests.nlp.conftest import FIXTURES, RECORDINGS
from crypto_assets_tools.calibration import fit_thresholds, labels_for
from crypto_assets_tools.sentiment_eval import (
    binary_accuracy,
    load_labelled_posts,
    macro_f1,
    quality,
)

LABELS_CSV = FIXTURES / "eval" / "sentiment_labels.csv"
POSTS = RECORDINGS / "reddit_crypto_posts_praw_2025-10-30_1533posts.json"


@pytest.mark.parametrize("word", ["shitcoins", "ponzis", "rugpulls", "bagholders", "rugged"])
def test_inflections_score_negative(crypto: SentimentScorer, word: str) -> None:
    assert crypto.compound(f"another {word}") < -0.05


WORDS = [(w, v, False) for w, v in MOVEMENT_NOUNS.items()] + [
    (w, v, True) for w, v in MOVEMENT_VERBS.items()
]


@pytest.mark.parametrize(("word", "valence", "verb"), WORDS)
def test_movement_words_move_the_score_their_way(
    crypto: SentimentScorer, word: str, valence: float, verb: bool
) -> None:
    for form in inflections(word, verb):
        score = crypto.compound(f"price {form} today")
        assert score > 0.05 if valence > 0 else score < -0.05, form


@pytest.mark.parametrize("text", ["shit coin=", "(shit coin)", "**shitcoin**", "[scam]"])
def test_glued_punctuation_is_scored(crypto: SentimentScorer, text: str) -> None:
    assert crypto.compound(text) < -0.05


def test_unglue_keeps_emoticons_hashtags_and_bangs() -> None:
    assert unglue("**great**! :) #sad (ok)", keep={":)"}) == "great! :) #sad (ok)"


@pytest.mark.parametrize(
    "text",
    [
        "buy the dip",
        "Buying this dip",
        "accumulate the dip",
        "I DCA the bear market",
        "stacking more during the dip",
        "bought the crash",
    ],
)
def test_buying_into_a_drop_is_not_negative(
    crypto: SentimentScorer, stock: SentimentScorer, text: str
) -> None:
    assert "buythedip" in apply_context_rules(text).lower()
    assert crypto.compound(text) > 0.05 >= stock.compound(text)


@pytest.mark.parametrize(
    "text", ["bear market is over", "The bear market is finally over", "end of the bear market"]
)
def test_bear_market_over_is_relief(crypto: SentimentScorer, text: str) -> None:
    assert crypto.compound(text) > 0.05


@pytest.mark.parametrize(
    "text",
    [
        "Fintrac levies record $126M fine on Cryptomus",
        "Exchange paid a $5 million fine",
        "regulator imposes a fine",
        "SEC fined the exchange",
        "fines keep coming",
        "Validators might shut down",
        "the exchange is shutting down",
        "another outage on the chain",
        "theft of user funds",
    ],
)
def test_penalties_and_failures_read_negative(crypto: SentimentScorer, text: str) -> None:
    assert crypto.compound(text) < -0.05


@pytest.mark.parametrize("text", ["I am fine", "the weather is fine", "fine, I will buy"])
def test_fine_as_okay_stays_positive(crypto: SentimentScorer, text: str) -> None:
    assert "penalty" not in apply_context_rules(text)
    assert crypto.compound(text) > 0.05


@pytest.mark.parametrize("text", ["We're so back", "UPTOBER is here", "supply surpasses $16B"])
def test_crypto_cheer_reads_positive(
    crypto: SentimentScorer, stock: SentimentScorer, text: str
) -> None:
    assert crypto.compound(text) > 0.05 >= stock.compound(text)


def test_bear_market_alone_stays_negative(crypto: SentimentScorer) -> None:
    assert crypto.compound("we are in a bear market") < -0.05


@pytest.mark.parametrize(
    ("compound", "expected"),
    [
        (0.5, "positive"),
        (0.49, "neutral"),
        (-0.39, "neutral"),
        (-0.4, "negative"),
        (0.3, "neutral"),
    ],
)
def test_calibrated_thresholds(compound: float, expected: str) -> None:
    assert CALIBRATED_THRESHOLDS == (-0.4, 0.5)
    assert label(compound, CALIBRATED_THRESHOLDS) == expected


@pytest.fixture(scope="module")
def labelled() -> list:
    with POSTS.open(encoding="utf-8") as f:
        return load_labelled_posts(LABELS_CSV, json.load(f))


def test_labelled_set_shape(labelled: list) -> None:
    assert len(labelled) >= 200
    assert {p.split for p in labelled} == {"dev", "test", "holdout"}
    assert {p.label for p in labelled} == {"positive", "negative", "neutral"}


def test_calibration_refits_to_the_frozen_thresholds(
    crypto: SentimentScorer, labelled: list
) -> None:
    dev = [p for p in labelled if p.split == "dev"]
    fitted = fit_thresholds([p.label for p in dev], crypto.compound_many(p.text for p in dev))
    assert fitted == CALIBRATED_THRESHOLDS


def test_harness_on_a_slice(crypto: SentimentScorer, labelled: list) -> None:
    part = labelled[:40]
    q = quality([p.label for p in part], crypto.compound_many(p.text for p in part), label)
    assert q.posts == 40
    for value in (q.accuracy, q.macro_f1, q.binary_accuracy, q.positive_share):
        assert 0.0 <= value <= 1.0
    assert q.accuracy > 0.2


def test_metrics_on_known_values() -> None:
    gold = ["positive", "negative", "neutral", "positive"]
    assert macro_f1(gold, gold) == 1.0
    assert binary_accuracy(gold, [0.5, -0.5, 0.0, 0.0]) == (2 / 3, 3)
    assert labels_for([0.6, -0.6, 0.0], -0.55, 0.55) == ["positive", "negative", "neutral"]


def test_rules_version_is_a_short_hash() -> None:
    assert len(SENTIMENT_RULES_VERSION) == 16
    int(SENTIMENT_RULES_VERSION, 16)
