"""VADER via NLTK, loaded offline: README reference scores, thresholds, real posts and tweets."""

from __future__ import annotations

import csv
import math
import socket
import statistics
import subprocess
import sys

import nltk.data
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as ReferenceVader

from crypto_assets.nlp.sentiment import scorer as sentiment
from crypto_assets.nlp.sentiment.scorer import (
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    SentimentScorer,
    combined_text,
    label,
    load_analyzer,
)
from crypto_assets_tests.nlp.conftest import FIXTURES, REPO

with (FIXTURES / "vader_readme_examples_expected_scores.csv").open(encoding="utf-8") as _f:
    README_ROWS = [(row["text"], float(row["compound"])) for row in csv.DictReader(_f)]
EMOJI_SENTENCE = "Catch utf-8 emoji such as 💘 and 💋 and 😁"


def test_readme_fixture_has_the_16_sentences() -> None:
    assert len(README_ROWS) == 16
    assert EMOJI_SENTENCE in {text for text, _ in README_ROWS}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            text,
            expected,
            marks=pytest.mark.xfail(
                strict=True,
                reason="README output predates vaderSentiment 3.3.2's emoji lexicon; "
                "3.3.2 itself scores 0.875 (see test_matches_vadersentiment_3_3_2)",
            ),
        )
        if text == EMOJI_SENTENCE
        else (text, expected)
        for text, expected in README_ROWS
    ],
)
def test_readme_sentences_with_stock_lexicon(
    stock: SentimentScorer, text: str, expected: float
) -> None:
    assert stock.compound(text) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("text", [text for text, _ in README_ROWS])
def test_matches_vadersentiment_3_3_2(stock: SentimentScorer, text: str) -> None:
    # Same lexicon, same rules, and emoji translated as vaderSentiment does.
    reference = ReferenceVader().polarity_scores(text)["compound"]
    assert stock.compound(text) == pytest.approx(reference, abs=1e-4)


@pytest.mark.parametrize(
    ("compound", "expected"),
    [
        (POSITIVE_THRESHOLD, "positive"),
        (math.nextafter(POSITIVE_THRESHOLD, 0.0), "neutral"),
        (NEGATIVE_THRESHOLD, "negative"),
        (math.nextafter(NEGATIVE_THRESHOLD, 0.0), "neutral"),
        (0.0, "neutral"),
        (1.0, "positive"),
        (-1.0, "negative"),
    ],
)
def test_label_thresholds(compound: float, expected: str) -> None:
    assert label(compound) == expected


def test_thresholds_are_vaders() -> None:
    assert (POSITIVE_THRESHOLD, NEGATIVE_THRESHOLD) == (0.05, -0.05)


@pytest.mark.parametrize("text", [None, "", "   \n\t", float("nan")])
def test_empty_text_scores_zero(crypto: SentimentScorer, text: str | None) -> None:
    assert crypto.compound(text) == 0.0


def test_compound_many_scores_each_text_in_order(crypto: SentimentScorer) -> None:
    texts = ["The book was good.", None, "Today SUX!", ""]
    assert crypto.compound_many(texts) == [crypto.compound(t) for t in texts]
    assert crypto.compound_many(texts)[0] > 0 > crypto.compound_many(texts)[2]


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("Title", None, "Title"),
        ("Title", "", "Title"),
        ("Title", "Body text", "Title\n\nBody text"),
        ("", "Body text", "Body text"),
        ("  Title  ", "  Body  ", "Title\n\nBody"),
    ],
)
def test_combined_text(title: str, body: str | None, expected: str) -> None:
    assert combined_text(title, body) == expected


def test_combined_text_scores_title_and_body_together(crypto: SentimentScorer) -> None:
    title, body = "Great news today", "but I lost everything, terrible"
    both = crypto.compound(combined_text(title, body))
    assert crypto.compound(title) > 0 > crypto.compound(body)
    assert crypto.compound(title) > both > crypto.compound(body)


@pytest.mark.parametrize("use_crypto_lexicon", [False, True])
def test_compound_bounds_on_real_posts(reddit_posts: list[dict], use_crypto_lexicon: bool) -> None:
    scorer = SentimentScorer(use_crypto_lexicon=use_crypto_lexicon)
    titles = scorer.compound_many(p["title"] for p in reddit_posts)
    bodies = scorer.compound_many(p["selftext"] for p in reddit_posts)
    combined = scorer.compound_many(combined_text(p["title"], p["selftext"]) for p in reddit_posts)
    scores = titles + bodies + combined
    assert len(scores) == 3 * 1533
    assert all(-1.0 <= s <= 1.0 for s in scores)
    labels = {label(s) for s in combined}
    assert labels == {"positive", "negative", "neutral"}


def test_icwsm_tweets_pearson_r_with_stock_vader(
    stock: SentimentScorer, icwsm_tweets: list[tuple[float, str]]
) -> None:
    assert len(icwsm_tweets) == 4200
    scores = stock.compound_many(text for _, text in icwsm_tweets)
    r = statistics.correlation(scores, [rating for rating, _ in icwsm_tweets])
    assert r >= 0.85


def test_loads_without_nltk_data_or_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network or nltk.data used")

    monkeypatch.delenv("NLTK_DATA", raising=False)
    monkeypatch.setattr(nltk.data, "path", [])
    monkeypatch.setattr(nltk.data, "load", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    sentiment._packaged_text.cache_clear()
    sentiment._emoji_descriptions.cache_clear()

    analyzer = load_analyzer()
    assert len(analyzer.lexicon) == 7506
    assert analyzer.lexicon["good"] == 1.9
    assert SentimentScorer().compound("ETH looks bullish") > POSITIVE_THRESHOLD


def test_load_analyzer_overlays_extra_lexicon() -> None:
    analyzer = load_analyzer({"Bullish": 2.0, "scam": -1.0})
    assert analyzer.lexicon["bullish"] == 2.0
    assert analyzer.lexicon["scam"] == -1.0
    assert "bullish" not in load_analyzer().lexicon  # each analyzer has its own lexicon


def test_import_does_no_work_and_no_dagster() -> None:
    code = (
        "import sys\n"
        "import crypto_assets.nlp.sentiment.scorer as s, crypto_assets.nlp.mentions\n"
        "assert s._packaged_text.cache_info().currsize == 0, 'lexicon read at import'\n"
        "assert 'dagster' not in sys.modules, 'dagster imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
