"""Precision, recall and F1 of a mention matcher against hand-labelled posts."""

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from crypto_assets.nlp.mentions import MentionMatcher

# The 2021-12 listing has no Bitcoin row; the evaluation listing adds Coinlore's.
BITCOIN_ROW: dict[str, object] = {"id": "90", "symbol": "BTC", "name": "Bitcoin", "rank": 1}


@dataclass(frozen=True, slots=True)
class Score:
    """Micro-averaged scores over (post, coin) pairs."""

    posts: int
    true_pos: int
    false_pos: int
    false_neg: int

    @property
    def precision(self) -> float:
        """Share of found mentions that are labelled."""
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        """Share of labelled mentions that are found."""
        labelled = self.true_pos + self.false_neg
        return self.true_pos / labelled if labelled else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_labels(path: Path) -> list[dict[str, str]]:
    """Read ``mention_labels.csv`` rows (post_id, split, coins, note)."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def predicted_symbols(matcher: MentionMatcher, post: Mapping[str, str | None]) -> set[str]:
    """Symbols of the coins a post mentions in its title or body."""
    return {m.symbol for m in matcher.find_in_post(post["title"] or "", post.get("selftext"))}


def evaluate(
    matcher: MentionMatcher,
    labels: Iterable[Mapping[str, str]],
    posts_by_id: Mapping[str, Mapping[str, str | None]],
) -> tuple[Score, list[tuple[str, set[str], set[str]]]]:
    """Score ``matcher`` on labelled posts; also return (post id, missed, extra) per error."""
    tp = fp = fn = n = 0
    errors = []
    for row in labels:
        expected = set(row["coins"].split())
        found = predicted_symbols(matcher, posts_by_id[row["post_id"]])
        n += 1
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        if found != expected:
            errors.append((row["post_id"], expected - found, found - expected))
    return Score(n, tp, fp, fn), errors
