"""Training-side variations of a held-out split: what more, or other, training texts would buy.

The held-out gaps of the light model (docs/sentiment.md) raise two questions that these
answer without new labels:

- **Would more texts of the kinds already labelled close a gap?** ``subsampled`` keeps a
  seeded share of a split's training rows (the test rows never change); accuracy against
  log2(training texts) gives points per doubling (``log_fit``), and so how much
  more labelling the gap would take if the curve held.
- **Does one training group teach the held-out group something wrong?**
  ``without_training_subreddit`` drops one subreddit from the training rows; the control is
  what the learning curve expects at the smaller size (``LogFit.at``), i.e. a random drop.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from crypto_assets_tools.sentiment_corpus import CorpusText, Split


def _single_fold(split: Split) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if len(split.folds) != 1:
        raise ValueError(f"{split.name}: expected one (train, test) fold, got {len(split.folds)}")
    return split.folds[0]


def subsampled(split: Split, fraction: float, seed: int) -> Split:
    """``split`` with a seeded random ``fraction`` of its training rows; test rows unchanged."""
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    train, test = _single_fold(split)
    if fraction == 1:
        return split
    kept = random.Random(f"{split.name}|{seed}").sample(train, round(len(train) * fraction))
    return Split(split.name, split.kind, ((tuple(sorted(kept)), test),))


def without_training_subreddit(texts: Sequence[CorpusText], split: Split, subreddit: str) -> Split:
    """``split`` with every training text of ``subreddit`` removed; test rows unchanged."""
    train, test = _single_fold(split)
    kept = tuple(i for i in train if texts[i].subreddit != subreddit)
    if len(kept) == len(train):
        raise ValueError(f"subreddit {subreddit!r} has no training text in {split.name}")
    return Split(split.name, split.kind, ((kept, test),))


@dataclass(frozen=True)
class LogFit:
    """A least-squares line of accuracy (in points) against log2(training texts)."""

    slope: float  # points per doubling of the training texts
    intercept: float

    def at(self, size: int) -> float:
        """The accuracy (0..1) the line expects at ``size`` training texts."""
        return (self.intercept + self.slope * math.log2(size)) / 100


def log_fit(sizes: Sequence[int], accuracies: Sequence[float]) -> LogFit:
    """Fit accuracy (0..1, fitted in points) against log2 of the training size."""
    if len(sizes) != len(accuracies) or len(set(sizes)) < 2:
        raise ValueError("need accuracies at two or more different training sizes")
    xs = [math.log2(n) for n in sizes]
    ys = [100 * a for a in accuracies]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return LogFit(slope, mean_y - slope * mean_x)


def doublings_to_close(gap_points: float, slope: float) -> float:
    """How many doublings of the training texts a gap of ``gap_points`` needs at ``slope``."""
    if gap_points <= 0:
        return 0.0
    return math.inf if slope <= 0 else gap_points / slope
