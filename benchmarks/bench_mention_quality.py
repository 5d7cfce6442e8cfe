"""Benchmark: mention precision / recall / F1 on the hand-labelled posts, new rules vs old.

Run: .venv/bin/python benchmarks/bench_mention_quality.py [--errors] [--split dev]
Labels: crypto_assets_tests/fixtures/eval/mention_labels.csv (see the README there). Listing: the
7,000-coin Coinlore csv of 2021-12 plus Coinlore's Bitcoin row. "old" is the same matcher with
the case-free tickers, amounts (also glued or after a network word), aliases, plural and split
names turned off (``extended=False``); the precision rules (context, companies) apply to both. Goals: precision >= 0.97 and recall >= 0.95 on the test split. Rules are tuned on dev only.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from crypto_assets.nlp.mentions import MENTION_RULES_VERSION, MentionMatcher
from crypto_assets_tools.mention_eval import BITCOIN_ROW, evaluate, read_labels

REPO = Path(__file__).resolve().parents[1]
LISTING = REPO / "crypto_assets_tests/fixtures/coinlore_tickers_7000coins_2021-12.csv"
POSTS = REPO / "crypto_assets/sources/recordings/reddit_crypto_posts_praw_2025-10-30_1533posts.json"
LABELS = REPO / "crypto_assets_tests/fixtures/eval/mention_labels.csv"


def main() -> None:
    """Print P/R/F1 per split for the old and the new rules."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list dev errors of the new rules")
    parser.add_argument(
        "--split", choices=("dev", "test", "holdout", "all"), default="all", help="splits to score"
    )
    args = parser.parse_args()
    with LISTING.open(encoding="utf-8") as f:
        coins = [BITCOIN_ROW, *csv.DictReader(f)]
    posts = {p["post_id"]: p for p in json.loads(POSTS.read_text(encoding="utf-8"))}
    labels = read_labels(LABELS)
    print(f"mention quality, rules version {MENTION_RULES_VERSION}, {len(labels)} labelled posts")
    print(f"  {'rules':<5} {'split':<5} {'posts':>5} {'P':>6} {'R':>6} {'F1':>6}  tp/fp/fn")
    for name, extended in (("old", False), ("new", True)):
        matcher = MentionMatcher.from_coins(coins, extended=extended)
        for split in ("holdout", "test", "dev") if args.split == "all" else (args.split,):
            rows = [r for r in labels if r["split"] == split]
            score, errors = evaluate(matcher, rows, posts)
            print(
                f"  {name:<5} {split:<5} {score.posts:>5} {score.precision:6.3f} "
                f"{score.recall:6.3f} {score.f1:6.3f}  "
                f"{score.true_pos}/{score.false_pos}/{score.false_neg}"
            )
            if args.errors and extended and split == "dev":
                for post_id, missed, extra in errors:
                    print(f"    {post_id}: missed {sorted(missed)} extra {sorted(extra)}")


if __name__ == "__main__":
    main()
