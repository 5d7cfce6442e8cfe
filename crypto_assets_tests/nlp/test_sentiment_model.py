"""The supervised classifier beside VADER: tokens, fitting, the shipped weights, its quality."""

from __future__ import annotations

import json
import math

import pytest

from crypto_assets.nlp.sentiment import model as sentiment_model
from crypto_assets.nlp.sentiment.model import (
    CLASSES,
    SentimentModel,
    shipped_model,
    shipped_model_digest,
    terms,
    tokens,
)
from crypto_assets.nlp.sentiment.scorer import (
    SENTIMENT_RULES_VERSION,
    SentimentScorer,
    _rules_version,
)
from crypto_assets_tests.nlp.conftest import FIXTURES, RECORDINGS
from crypto_assets_tools.sentiment_eval import balanced_binary_accuracy, load_labelled_posts
from crypto_assets_tools.sentiment_training import to_json, train

LABELS = FIXTURES / "eval"
POSTS = RECORDINGS / "reddit_crypto_posts_praw_2025-10-30_1533posts.json"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BTC to the MOON", ["btc", "to", "the", "moon"]),
        ("up 12.5% since $ETH hit 4,000", ["up", "<num>", "since", "$eth", "hit", "<num>"]),
        ("see https://x.com/a?b=1 now", ["see", "<url>", "now"]),
        ("we're so back 🚀", ["we're", "so", "back", "🚀"]),
        ("", []),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_terms_are_unigrams_and_bigrams() -> None:
    assert terms("rug pull rug") == {"rug": 2, "pull": 1, "rug pull": 1, "pull rug": 1}


def test_character_ngrams_pad_each_word() -> None:
    found = terms("dump", char_ngrams=(3, 4))
    grams = {t for t in found if t.startswith("#")}
    assert grams == {"#<du", "#dum", "#ump", "#mp>", "#<dum", "#dump", "#ump>"}
    assert found["dump"] == 1
    # an unseen inflection shares n-grams with the word it comes from
    assert {"#dum", "#ump"} <= set(terms("dumping", char_ngrams=(3, 5)))


TOY = [
    ("this coin will moon, great project", "positive"),
    ("moon soon, love it", "positive"),
    ("great gains, moon", "positive"),
    ("total scam, lost everything", "negative"),
    ("scam project, rug pull", "negative"),
    ("lost it all to a scam", "negative"),
    ("how do I bridge to solana", "neutral"),
    ("which wallet should I use to bridge", "neutral"),
    ("question about a wallet", "neutral"),
]


@pytest.fixture(scope="module")
def toy_model() -> SentimentModel:
    texts = [t for t, _ in TOY]
    return train(texts, [[0.0, 0.0]] * len(TOY), [lab for _, lab in TOY], l2=0.001,
                 min_df=1, vader_scale=1.0, version="toy")  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [("moon great", "positive"), ("a scam, lost", "negative"), ("bridge wallet", "neutral")],
)
def test_fitted_model_learns_the_words(toy_model: SentimentModel, text: str, expected: str) -> None:
    probs = toy_model.probabilities(text, (0.0, 0.0))
    assert max(CLASSES, key=probs.__getitem__) == expected
    assert math.isclose(sum(probs.values()), 1.0)


def test_json_round_trip_keeps_predictions(toy_model: SentimentModel) -> None:
    document = json.loads(json.dumps(to_json(toy_model, "toy set", {"l2": 0.001})))
    again = SentimentModel.from_json(document)
    for text, _ in TOY:
        assert again.score(text, (0.1, 0.2)) == toy_model.score(text, (0.1, 0.2))


def test_character_ngram_model_round_trips_through_json() -> None:
    texts = [t for t, _ in TOY]
    model = train(texts, [[0.0, 0.0]] * len(TOY), [lab for _, lab in TOY], l2=0.001,
                  min_df=1, vader_scale=1.0, version="toy", char_ngrams=(3, 5))  # fmt: skip
    assert any(t.startswith("#") for t in model.vocabulary)
    again = SentimentModel.from_json(json.loads(json.dumps(to_json(model, "toy set", {}))))
    assert again.char_ngrams == (3, 5)
    # "mooning" and "scammers" were never seen whole: their n-grams carry the stance
    assert max(CLASSES, key=again.probabilities("mooning", (0.0, 0.0)).__getitem__) == "positive"
    assert again.score("scammers", (0.0, 0.0)) == model.score("scammers", (0.0, 0.0)) < 0


def test_from_json_rejects_other_classes(toy_model: SentimentModel) -> None:
    document = to_json(toy_model, "toy set", {}) | {"classes": ["neg", "pos"]}
    with pytest.raises(ValueError, match="sentiment model classes"):
        SentimentModel.from_json(document)


def test_shipped_weights_are_plain_json_and_versioned(monkeypatch: pytest.MonkeyPatch) -> None:
    model = shipped_model()
    assert len(model.vocabulary) > 1000 and len(model.coef) == 3
    assert all(len(row) == len(model.vocabulary) + 2 for row in model.coef)
    assert _rules_version() == SENTIMENT_RULES_VERSION
    # Other weights, another code version: the UI marks stored windows stale.
    monkeypatch.setattr(sentiment_model, "_shipped_text", lambda: '{"coef": []}')
    assert shipped_model_digest() != "absent"
    assert _rules_version() != SENTIMENT_RULES_VERSION


def test_vader_scores_move_the_model() -> None:
    model = shipped_model()
    text = "what do you think about this"
    assert model.score(text, (0.9, 0.9)) > model.score(text, (-0.9, -0.9))


@pytest.mark.parametrize("text", ["", "🚀🚀🚀", "a" * 5000, "0.5 ETH " * 300])
def test_score_is_bounded(text: str) -> None:
    assert -1.0 <= shipped_model().score(text, (0.0, 0.0)) <= 1.0


def test_model_beats_the_lexicon_on_the_held_out_split(crypto: SentimentScorer) -> None:
    """The evaluation harness on the test and holdout splits, never seen in training."""
    with POSTS.open(encoding="utf-8") as f:
        posts = load_labelled_posts(LABELS / "sentiment_labels.csv", json.load(f))
    test = [p for p in posts if p.split in ("test", "holdout")]
    gold = [p.label for p in test]
    vader = [(crypto.compound(p.text.split("\n\n", 1)[0]), crypto.compound(p.text)) for p in test]
    model = [shipped_model().score(p.text, v) for p, v in zip(test, vader, strict=True)]
    lexicon = [combined for _, combined in vader]
    assert balanced_binary_accuracy(gold, model) > balanced_binary_accuracy(gold, lexicon)


def test_training_labels_are_disjoint_from_the_evaluation_set() -> None:
    train_ids = {
        line.split(",", 1)[0]
        for line in (LABELS / "sentiment_train_labels.csv").read_text().splitlines()[1:]
    }
    eval_ids = {
        line.split(",", 1)[0]
        for line in (LABELS / "sentiment_labels.csv").read_text().splitlines()[1:]
    }
    assert len(train_ids) == 511 and not train_ids & eval_ids
