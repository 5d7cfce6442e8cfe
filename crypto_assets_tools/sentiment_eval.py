"""Evaluation of post sentiment against hand labels: accuracy, macro-F1, binary accuracy.

The labelled set is ``crypto_assets_tests/fixtures/eval/sentiment_labels.csv`` (post_id, split,
label, note); its labelling rules are in ``SENTIMENT_LABELLING.md`` beside it. Texts are scored
as the assets score them: title and body joined by ``combined_text``.
"""

import csv
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from crypto_assets.nlp.sentiment import combined_text

LABELS: Final = ("positive", "negative", "neutral")


@dataclass(frozen=True)
class LabelledPost:
    """One hand-labelled post: its id, split ("dev" or "test"), label and the text scored."""

    post_id: str
    split: str
    label: str
    text: str


@dataclass(frozen=True)
class Quality:
    """Agreement of predicted labels with hand labels on one set of posts."""

    posts: int
    accuracy: float
    macro_f1: float
    binary_accuracy: float  # sign of compound vs label, on posts labelled non-neutral
    binary_posts: int
    balanced_binary: float  # mean of the two classes' binary accuracy
    positive_share: float  # share of posts called positive
    labelled_positive_share: float  # share of posts labelled positive


def load_labelled_posts(
    labels_csv: Path, posts: Iterable[Mapping[str, object]]
) -> list[LabelledPost]:
    """Join the label csv with the recorded posts (by post_id), keeping the csv's order."""
    by_id = {str(post["post_id"]): post for post in posts}
    with labels_csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    labelled = []
    for row in rows:
        post = by_id[row["post_id"]]
        text = combined_text(str(post["title"]), post.get("selftext"))  # type: ignore[arg-type]
        labelled.append(LabelledPost(row["post_id"], row["split"], row["label"], text))
    return labelled


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean over the three labels of F1 (a label never predicted nor labelled scores 0)."""
    scores = []
    for name in LABELS:
        tp = sum(g == p == name for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == name != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == name != p for g, p in zip(gold, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return statistics.fmean(scores)


def binary_accuracy(gold: Sequence[str], compounds: Sequence[float]) -> tuple[float, int]:
    """Share of non-neutral-labelled posts whose compound has the label's sign (0 counts wrong)."""
    pairs = [(g, c) for g, c in zip(gold, compounds, strict=True) if g != "neutral"]
    right = sum((c > 0) if g == "positive" else (c < 0) for g, c in pairs)
    return (right / len(pairs) if pairs else 0.0), len(pairs)


def balanced_binary_accuracy(gold: Sequence[str], compounds: Sequence[float]) -> float:
    """Mean of the positive and the negative posts' binary accuracy (blind to class sizes)."""
    recalls = []
    for name, right in (("positive", lambda c: c > 0), ("negative", lambda c: c < 0)):
        chosen = [c for g, c in zip(gold, compounds, strict=True) if g == name]
        if chosen:
            recalls.append(sum(map(right, chosen)) / len(chosen))
    return statistics.fmean(recalls) if recalls else 0.0


def quality(
    gold: Sequence[str],
    compounds: Sequence[float],
    to_label: Callable[[float], str],
    predicted: Sequence[str] | None = None,
) -> Quality:
    """Compare labels (``predicted``, else ``to_label(compound)``) with the hand labels ``gold``."""
    predicted = list(predicted) if predicted is not None else [to_label(c) for c in compounds]
    n = len(gold)
    binary, binary_n = binary_accuracy(gold, compounds)
    return Quality(
        posts=n,
        accuracy=sum(g == p for g, p in zip(gold, predicted, strict=True)) / n,
        macro_f1=macro_f1(gold, predicted),
        binary_accuracy=binary,
        binary_posts=binary_n,
        balanced_binary=balanced_binary_accuracy(gold, compounds),
        positive_share=predicted.count("positive") / n,
        labelled_positive_share=list(gold).count("positive") / n,
    )


def pearson_r(scores: Sequence[float], ratings: Sequence[float]) -> float:
    """Pearson correlation of compound scores with human ratings."""
    return statistics.correlation(scores, ratings)
