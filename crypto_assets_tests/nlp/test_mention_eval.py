"""The evaluation harness on a slice of the hand-labelled posts (not a quality gate)."""

from __future__ import annotations

import csv

from crypto_assets.nlp.mentions import MentionMatcher
from crypto_assets_tools.mention_eval import BITCOIN_ROW, evaluate, read_labels

from .conftest import FIXTURES


def test_harness_scores_twenty_dev_posts(coins_7000: list[dict], reddit_posts: list[dict]) -> None:
    labels = [
        r for r in read_labels(FIXTURES / "eval" / "mention_labels.csv") if r["split"] == "dev"
    ]
    posts = {p["post_id"]: p for p in reddit_posts}
    matcher = MentionMatcher.from_coins([BITCOIN_ROW, *coins_7000])
    score, errors = evaluate(matcher, labels[:20], posts)
    assert score.posts == 20
    assert 0.0 <= score.precision <= 1.0 and 0.0 <= score.recall <= 1.0
    assert score.true_pos > 0 and 0.0 < score.f1 <= 1.0
    assert len(errors) <= 20


def test_labels_file_follows_its_selection_rule(reddit_posts: list[dict]) -> None:
    with (FIXTURES / "eval" / "mention_labels.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ordered = sorted(reddit_posts, key=lambda p: (p["created_utc"], p["post_id"]))
    first = [r["post_id"] for r in rows if r["split"] in ("dev", "test")]
    holdout = [r["post_id"] for r in rows if r["split"] == "holdout"]
    assert first == [p["post_id"] for p in ordered[::6]]
    assert holdout == [p["post_id"] for p in ordered[5::6]]
    assert {r["split"] for r in rows} == {"dev", "test", "holdout"}
