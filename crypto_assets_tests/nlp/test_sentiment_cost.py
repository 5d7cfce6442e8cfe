"""The cost figures of the sentiment benchmark: scoring as the asset does, sizes, projection."""

from __future__ import annotations

import pytest

from crypto_assets.nlp.sentiment import SentimentScorer, combined_text
from crypto_assets.nlp.sentiment.model import shipped_model
from crypto_assets_tools import sentiment_cost
from crypto_assets_tools.sentiment_cost import install_size_mb, million_posts_hours, score_posts


def test_light_scoring_is_the_assets_model_sentiment() -> None:
    posts = [("BTC to the moon", "so bullish"), ("Exchange collapsed", ""), ("", "")]
    scorer = SentimentScorer(use_crypto_lexicon=True)
    expected = []
    for title, body in posts:
        text = combined_text(title, body)
        expected.append(
            shipped_model().score(text, (scorer.compound(title), scorer.compound(text)))
        )
    assert score_posts(posts, "light") == expected
    assert expected[0] > 0 > expected[1]


@pytest.mark.parametrize(
    ("rate", "processes", "hours"), [(1000 / 3.6, 1, 1.0), (1000 / 3.6, 2, 0.5), (100.0, 2, 1.3889)]
)
def test_million_posts_projection(rate: float, processes: int, hours: float) -> None:
    assert million_posts_hours(rate, processes) == pytest.approx(hours, abs=1e-4)


@pytest.mark.parametrize(
    ("requirement", "name"),
    [("numpy>=1.26", "numpy"), ("tzdata; sys_platform == 'win32'", "tzdata"),
     ("pytest; extra == 'test'", None), ("sentence-transformers (>=2.2.0)", "sentence-transformers")],
)  # fmt: skip
def test_requirement_names(requirement: str, name: str | None) -> None:
    assert sentiment_cost._name(requirement) == name


def test_install_size_counts_a_package_and_its_requirements() -> None:
    alone, parts = install_size_mb("vadersentiment")
    assert {"vadersentiment", "requests"} <= set(parts)  # vaderSentiment requires requests
    assert alone == pytest.approx(sum(parts.values())) and parts["vadersentiment"] > 0.1
    assert install_size_mb("no-such-package-here") == (0, {})
    assert sentiment_cost.peak_rss_mb() > 10
