"""Real data for the NLP tests: VADER reference sets, Coinlore listings and Reddit posts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from crypto_assets.nlp.sentiment import SentimentScorer

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "crypto_assets_tests" / "fixtures"
RECORDINGS = REPO / "crypto_assets" / "sources" / "recordings"


@pytest.fixture(scope="session")
def top100_coins() -> list[dict]:
    """The real Coinlore top-100 listing of 2024-12-07."""
    with (RECORDINGS / "coinlore_tickers_top100_2024-12-07.json").open(encoding="utf-8") as f:
        return json.load(f)["data"]


@pytest.fixture(scope="session")
def coins_7000() -> list[dict]:
    """7,000 real Coinlore coins of 2021-12 as csv rows (strings; rank like "2.0"; no BTC)."""
    with (FIXTURES / "coinlore_tickers_7000coins_2021-12.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def reddit_posts() -> list[dict]:
    """1,533 real crypto posts (title, selftext, subreddit, ...)."""
    name = "reddit_crypto_posts_praw_2025-10-30_1533posts.json"
    with (RECORDINGS / name).open(encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def icwsm_tweets() -> list[tuple[float, str]]:
    """The VADER paper's 4,200 tweets as (mean human rating -4..+4, text)."""
    path = FIXTURES / "vader_icwsm2014_tweets_GroundTruth.txt"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            _, rating, text = line.split("\t", 2)
            rows.append((float(rating), text))
    return rows


@pytest.fixture(scope="session")
def stock() -> SentimentScorer:
    """VADER with the stock lexicon only."""
    return SentimentScorer(use_crypto_lexicon=False)


@pytest.fixture(scope="session")
def crypto() -> SentimentScorer:
    """VADER with the crypto lexicon and phrases."""
    return SentimentScorer(use_crypto_lexicon=True)
