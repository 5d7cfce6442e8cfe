"""Benchmark: sentiment quality of stock VADER, the previous crypto rules and the current ones.

Run: .venv/bin/python benchmarks/bench_sentiment_quality.py
The shipped classifier (``model_sentiment``) is trained on the labelled corpus
(crypto_assets_tests/fixtures/eval/corpus), which holds none of these posts, so every split here
is held out for it. Prints, per scorer and split of the hand-labelled posts (crypto_assets_tests/fixtures/eval/
sentiment_labels.csv): 3-class accuracy and macro-F1 (VADER's +-0.05 cut-offs, and for the
current rules also the calibrated cut-offs), binary accuracy (sign of compound on posts
labelled positive or negative; 0 counts as wrong) and its class-balanced mean, the share of posts called positive vs the
labelled share, and Pearson r on VADER's 4,200 rated tweets.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from pathlib import Path

from crypto_assets.nlp.sentiment import (
    CALIBRATED_THRESHOLDS,
    SENTIMENT_RULES_VERSION,
    SentimentScorer,
    label,
    load_analyzer,
)
from crypto_assets.nlp.sentiment.crypto_lexicon import CRYPTO_LEXICON
from crypto_assets.nlp.sentiment.model import CLASSES, shipped_model
from crypto_assets.nlp.sentiment.rules import apply_crypto_phrases
from crypto_assets_tools.sentiment_eval import load_labelled_posts, quality

REPO = Path(__file__).resolve().parents[1]
POSTS = REPO / "crypto_assets/sources/recordings/reddit_crypto_posts_praw_2025-10-30_1533posts.json"
LABELS = REPO / "crypto_assets_tests/fixtures/eval/sentiment_labels.csv"
TWEETS = REPO / "crypto_assets_tests/fixtures/vader_icwsm2014_tweets_GroundTruth.txt"
# The rules before the review: the crypto lexicon without later entries, no inflections, no
# movement words, no ungluing or context rules; phrases folded as before.
ADDED_SINCE = frozenset({"bearmarketover", "uptober", "soback", "shutdown"})


class PreviousRules(SentimentScorer):
    """The crypto scorer as it was: lexicon overlay and phrase table only."""

    def __init__(self) -> None:
        super().__init__(use_crypto_lexicon=False)
        old = {word: v for word, v in CRYPTO_LEXICON.items() if word not in ADDED_SINCE}
        self._analyzer = load_analyzer(old)

    def compound(self, text: str | None) -> float:
        """Score ``text`` with the previous lexicon and phrases."""
        if not isinstance(text, str) or not text.strip():
            return 0.0
        scores = self._analyzer.polarity_scores(apply_crypto_phrases(text).translate(self._emoji))
        return float(scores["compound"])


def tweets() -> list[tuple[float, str]]:
    """VADER's rated tweets as (mean rating, text)."""
    rows = [line.split("\t", 2) for line in TWEETS.read_text(encoding="utf-8").splitlines()]
    return [(float(rating), text) for _, rating, text in (r for r in rows if len(r) == 3)]


def report(name: str, scorer: SentimentScorer, to_label: Callable[[float], str]) -> None:
    """Print one scorer's quality on both splits and its Pearson r on the tweets."""
    posts = load_labelled_posts(LABELS, json.loads(POSTS.read_text(encoding="utf-8")))
    for split in ("holdout", "test", "dev"):
        chosen = [p for p in posts if p.split == split]
        texts = [p.text for p in chosen]
        predicted = scorer.labels(texts) if isinstance(scorer, ModelScores) else None
        q = quality([p.label for p in chosen], scorer.compound_many(texts), to_label, predicted)
        print(
            f"{name:<22} {split:<4} n={q.posts:<3} acc={q.accuracy:.3f} macroF1={q.macro_f1:.3f} "
            f"binary={q.binary_accuracy:.3f} (n={q.binary_posts}) "
            f"balanced={q.balanced_binary:.3f} "
            f"positive={q.positive_share:.2f} vs labelled {q.labelled_positive_share:.2f}"
        )
    rated = tweets()
    r = statistics.correlation(scorer.compound_many(t for _, t in rated), [g for g, _ in rated])
    print(f"{name:<22} Pearson r on {len(rated)} tweets = {r:.4f}")


class ModelScores(SentimentScorer):
    """``model_sentiment`` (P(positive) - P(negative)) of the shipped classifier."""

    def _vader(self, text: str) -> tuple[float, float]:
        # combined_text joins title and body with a blank line; the title is the first part.
        return super().compound(text.split("\n\n", 1)[0]), super().compound(text)

    def compound(self, text: str | None) -> float:
        """Score ``text`` with the classifier."""
        return shipped_model().score(text or "", self._vader(text or ""))

    def labels(self, texts: list[str]) -> list[str]:
        """The classifier's most probable class of each text."""
        probs = [shipped_model().probabilities(t, self._vader(t)) for t in texts]
        return [max(CLASSES, key=p.__getitem__) for p in probs]


def main() -> None:
    """Run every scorer once."""
    print(f"SENTIMENT_RULES_VERSION {SENTIMENT_RULES_VERSION}")
    current = SentimentScorer(use_crypto_lexicon=True)
    report("stock VADER", SentimentScorer(use_crypto_lexicon=False), label)
    report("previous rules", PreviousRules(), label)
    report("new rules", current, label)
    report("new rules+calibrated", current, lambda c: label(c, CALIBRATED_THRESHOLDS))
    print(f"model {shipped_model().version}: label = most probable class")
    report("model_sentiment", ModelScores(use_crypto_lexicon=True), label)


if __name__ == "__main__":
    main()
