"""Regression floors: the shipped light model generalises, and VADER stays what it promises."""

from __future__ import annotations

import json
import statistics

import pytest

from crypto_assets.nlp.sentiment import SentimentScorer
from crypto_assets.nlp.sentiment.model import _shipped_text, shipped_model
from crypto_assets_tools.sentiment_corpus import Split, crash_split, load_corpus
from crypto_assets_tools.sentiment_metrics import score
from crypto_assets_tools.sentiment_models import VaderCache, evaluate, light_fitter, vader_fitter

# benchmarks/bench_sentiment_generalisation.py measures 0.780 binary / 0.770 balanced on the
# crash days (docs/sentiment.md), the target of 0.78; the floor sits a little below, so
# a regression fails here while a change of one or two of the 223 polar texts does not.
OUT_OF_PERIOD_FLOOR = 0.77


@pytest.fixture(scope="module")
def rules() -> VaderCache:
    return VaderCache(SentimentScorer(use_crypto_lexicon=True))


def test_shipped_hyper_parameters_reach_the_out_of_period_floor(rules: VaderCache) -> None:
    """Refit with the shipped hyper-parameters without May 2022; score the crash days."""
    texts = load_corpus()
    hyper = json.loads(_shipped_text())["hyperparameters"]
    s = evaluate(texts, crash_split(texts), light_fitter(rules, **hyper))
    assert s.polar > 200
    assert s.binary.value >= OUT_OF_PERIOD_FLOOR
    assert s.balanced.value >= OUT_OF_PERIOD_FLOOR - 0.02


def test_the_shipped_model_is_the_one_trained_on_the_corpus(rules: VaderCache) -> None:
    texts = load_corpus()
    document = json.loads(_shipped_text())
    assert "crypto_assets_tests/fixtures/eval/corpus" in document["trained_on"]
    model = shipped_model()
    scores = [model.score(t.text, rules(t)) for t in texts]
    fitted = score([t.label for t in texts], scores, ["neutral"] * len(texts), resamples=1)
    assert fitted.binary.value > 0.9  # its own training texts


def test_crypto_rules_beat_stock_vader_on_the_corpus(rules: VaderCache) -> None:
    texts = load_corpus()
    everything = Split("every text", "all", (((), tuple(range(len(texts)))),))
    stock = evaluate(texts, everything, vader_fitter(VaderCache(SentimentScorer(False))))
    crypto = evaluate(texts, everything, vader_fitter(rules))
    assert crypto.binary.value > stock.binary.value
    assert crypto.balanced.value > stock.balanced.value
    assert crypto.macro_f1.value > stock.macro_f1.value


def test_published_compound_keeps_its_correlation_with_the_tweet_ratings(
    crypto: SentimentScorer, icwsm_tweets: list[tuple[float, str]]
) -> None:
    """The crypto rules must not bend VADER away from its authors' 4,200 rated tweets."""
    scores = crypto.compound_many(text for _, text in icwsm_tweets)
    assert statistics.correlation(scores, [rating for rating, _ in icwsm_tweets]) >= 0.87
