"""Binary accuracy, balanced accuracy and macro-F1 with 95% bootstrap intervals.

The definitions are those of ``sentiment_eval`` (and the figures quoted so far):

- binary accuracy: on texts labelled positive or negative, the share whose score has the
  label's sign (a score of 0 counts wrong); neutral texts are left out;
- balanced accuracy: the mean of that share over the positive and the negative texts;
- macro-F1: the mean F1 of the three labels, from the predicted labels.

Intervals: percentile bootstrap over the test texts (resampled with replacement, all three
figures from the same resamples), ``numpy.random.default_rng(seed)``, so reruns agree.
"""

import statistics
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

LABELS: Final = ("negative", "neutral", "positive")
RESAMPLES: Final = 1000
SEED: Final = 20261207


@dataclass(frozen=True)
class Figure:
    """A point estimate and its 95% interval."""

    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


@dataclass(frozen=True)
class Scores:
    """The three figures of one model on one test set."""

    texts: int
    polar: int  # texts labelled positive or negative
    binary: Figure
    balanced: Figure
    macro_f1: Figure


def _figures(gold: np.ndarray, predicted: np.ndarray, right_sign: np.ndarray) -> np.ndarray:
    """Rows of (binary, balanced, macro-F1), one per row of the (resamples, texts) arrays."""
    polar = gold != 1
    binary = (right_sign & polar).sum(1) / np.maximum(polar.sum(1), 1)
    recalls = []
    for name in (0, 2):
        chosen = gold == name
        recalls.append(np.where(chosen.any(1), (right_sign & chosen).sum(1), np.nan))
        recalls[-1] = recalls[-1] / np.maximum(chosen.sum(1), 1)
    with warnings.catch_warnings():  # a resample without polar texts has no balanced figure
        warnings.simplefilter("ignore", RuntimeWarning)
        balanced = np.nanmean(np.stack(recalls), axis=0)
    f1 = []
    for name in range(3):
        tp = ((gold == name) & (predicted == name)).sum(1)
        fp = ((gold != name) & (predicted == name)).sum(1)
        fn = ((gold == name) & (predicted != name)).sum(1)
        f1.append(np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0))
    return np.stack([binary, balanced, np.mean(f1, axis=0)], axis=1)


def score(
    gold: Sequence[str],
    scores: Sequence[float],
    predicted: Sequence[str],
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Scores:
    """The three figures of continuous ``scores`` and labels ``predicted`` against ``gold``."""
    g = np.array([LABELS.index(x) for x in gold])
    p = np.array([LABELS.index(x) for x in predicted])
    s = np.asarray(scores, dtype=float)
    right = np.where(g == 2, s > 0, np.where(g == 0, s < 0, False))
    point = _figures(g[None], p[None], right[None])[0]
    idx = np.random.default_rng(seed).integers(0, len(g), size=(resamples, len(g)))
    boot = _figures(g[idx], p[idx], right[idx])
    low, high = np.nanpercentile(boot, [2.5, 97.5], axis=0)
    figures = [
        Figure(float(v), float(lo), float(hi)) for v, lo, hi in zip(point, low, high, strict=True)
    ]
    return Scores(len(g), int((g != 1).sum()), *figures)


def selection_score(fit: Callable, texts: Sequence, folds: Sequence) -> tuple[float, float]:
    """Mean balanced accuracy and macro-F1 of `fit` over selection folds (no intervals)."""
    balanced, f1 = [], []
    for train_rows, test_rows in folds:
        predicted = fit([texts[i] for i in train_rows])([texts[i] for i in test_rows])
        s = score([texts[i].label for i in test_rows], *predicted, resamples=1)
        balanced.append(s.balanced.value)
        f1.append(s.macro_f1.value)
    return statistics.fmean(balanced), statistics.fmean(f1)
