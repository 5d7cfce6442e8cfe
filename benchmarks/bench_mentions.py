"""Benchmark: one-pass mention matcher vs. one regex per coin, and VADER scoring throughput.

Run: .venv/bin/python benchmarks/bench_mentions.py [--repeat 3] [--naive-posts 50]
Real data: the 7,000-coin Coinlore csv and the 1,533 recorded Reddit posts. Every ratio compares
timings taken in this one process on the same texts, so read the ratios, not the absolute
seconds (the machine is shared and noisy). The naive baseline runs on an even sample of posts
to keep a full run well under a minute; the one-pass matcher is timed on that sample too.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as ReferenceVader

from crypto_assets.nlp.mentions import MentionMatcher
from crypto_assets.nlp.sentiment import SentimentScorer, combined_text

REPO = Path(__file__).resolve().parents[1]
LISTING = REPO / "crypto_assets_tests/fixtures/coinlore_tickers_7000coins_2021-12.csv"
POSTS = REPO / "crypto_assets/sources/recordings/reddit_crypto_posts_praw_2025-10-30_1533posts.json"


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Run ``action`` ``repeat`` times; return median and min seconds, and the last result."""
    seconds, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), min(seconds), result


def per_coin_regexes(coins: Sequence[dict]) -> list[tuple[str, re.Pattern[str]]]:
    """The naive baseline: one compiled regex per coin (exact ticker or $cashtag, or name)."""
    patterns = []
    for coin in coins:
        symbol = re.escape(coin["symbol"].removeprefix("$"))
        name = re.escape(coin["name"])
        pattern = rf"(?<![\w$])\$?{symbol}(?!\w)|(?i:(?<!\w){name}(?!\w))"
        patterns.append((coin["id"], re.compile(pattern)))
    return patterns


def naive_find(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> dict[str, int]:
    """Count mentions by running every coin's regex over the text."""
    found = {}
    for coin_id, pattern in patterns:
        if hits := len(pattern.findall(text)):
            found[coin_id] = hits
    return found


def line(label: str, median: float, best: float, extra: str = "") -> None:
    """Print one timing row."""
    print(f"  {label:<42} {median:9.4f} s (min {best:.4f}){extra}")


def main() -> None:
    """Time mention matching and sentiment scoring on real data and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement")
    parser.add_argument("--naive-posts", type=int, default=50, help="posts for the baseline")
    args = parser.parse_args()

    with LISTING.open(encoding="utf-8") as f:
        coins = list(csv.DictReader(f))
    posts = json.loads(POSTS.read_text(encoding="utf-8"))
    texts = [t for p in posts for t in (p["title"], p["selftext"]) if t]
    step = max(1, len(posts) // args.naive_posts)
    sample = posts[::step][: args.naive_posts]
    sample_texts = [t for p in sample for t in (p["title"], p["selftext"]) if t]
    print("crypto_assets NLP benchmark (all ratios measured in this run)")
    print(f"  listing: {len(coins):,} real coins; posts: {len(posts):,} real posts")
    print(f"  ({len(texts):,} non-empty titles/bodies, {sum(map(len, texts)) / 1e6:.2f} MB)")
    print(f"  repeat: {args.repeat} (median, min in brackets)\n")

    print("mention matching")
    build_s, build_min, matcher = timed(lambda: MentionMatcher.from_coins(coins), args.repeat)
    line("build one-pass matcher", build_s, build_min)
    regex_s, regex_min, patterns = timed(lambda: per_coin_regexes(coins), args.repeat)
    line(f"compile {len(coins):,} per-coin regexes", regex_s, regex_min)
    all_s, all_min, _ = timed(lambda: [matcher.find(t) for t in texts], args.repeat)
    line(
        f"one-pass, all {len(posts):,} posts",
        all_s,
        all_min,
        f"  {len(posts) / all_s:,.0f} posts/s",
    )
    print(f"  sample for the baseline: {len(sample)} posts (every {step}th), same texts for both")
    fast_s, fast_min, fast = timed(lambda: [matcher.find(t) for t in sample_texts], args.repeat)
    line("one-pass, sample", fast_s, fast_min, f"  {len(sample) / fast_s:,.0f} posts/s")
    slow_s, slow_min, slow = timed(
        lambda: [naive_find(patterns, t) for t in sample_texts], args.repeat
    )
    line(
        "per-coin regex (naive), sample", slow_s, slow_min, f"  {len(sample) / slow_s:,.1f} posts/s"
    )
    print(
        f"  mentions found in the sample: one-pass {sum(sum(d.values()) for d in fast)}, "
        f"naive {sum(sum(d.values()) for d in slow)} (naive has no ambiguity rules)"
    )
    print(f"  => one-pass matcher is {slow_s / fast_s:,.0f}x faster than per-coin regex\n")

    print("sentiment (VADER compound of title + body)")
    combined = [combined_text(p["title"], p["selftext"]) for p in posts]
    results = {}
    for label, score in [
        ("nltk scorer, crypto lexicon", SentimentScorer(use_crypto_lexicon=True).compound_many),
        ("nltk scorer, stock lexicon", SentimentScorer(use_crypto_lexicon=False).compound_many),
        ("vaderSentiment 3.3.2 (reference)", _reference_scorer()),
    ]:
        median, best, _ = timed(lambda score=score: score(combined), args.repeat)
        results[label] = len(combined) / median
        line(label, median, best, f"  {results[label]:,.0f} texts/s")
    crypto, reference = (
        results["nltk scorer, crypto lexicon"],
        results["vaderSentiment 3.3.2 (reference)"],
    )
    print(f"  => nltk scorer (crypto lexicon): {crypto / reference:.2f}x vaderSentiment's texts/s")


def _reference_scorer() -> Callable[[list[str]], list[float]]:
    analyzer = ReferenceVader()
    return lambda texts: [analyzer.polarity_scores(t)["compound"] for t in texts]


if __name__ == "__main__":
    main()
