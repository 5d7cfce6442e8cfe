"""Fitting the sentiment classifier: vocabulary, idf and L2-regularised softmax regression.

Plain numpy (scikit-learn and scipy are not in the lock file) so that training needs nothing
beyond what the package already installs, and the result is the JSON that
``crypto_assets.nlp.sentiment.model`` reads. Feature rows are kept sparse (row, column, value
triples; products through ``np.bincount``), so a fit on a few thousand texts with tens of
thousands of terms takes seconds. Deterministic: no random initialisation, full-batch
accelerated gradient descent on a convex loss.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crypto_assets.nlp.sentiment.model import CLASSES, SentimentModel, terms


def vocabulary_and_idf(
    texts: Sequence[str], min_df: int, char_ngrams: tuple[int, int] | None = None
) -> tuple[list[str], list[float]]:
    """Terms in at least ``min_df`` texts, sorted, with smoothed idf ln((1+n)/(1+df)) + 1."""
    df: Counter[str] = Counter()
    for text in texts:
        df.update(terms(text, char_ngrams).keys())
    vocabulary = sorted(t for t, n in df.items() if n >= min_df)
    n = len(texts)
    return vocabulary, [math.log((1 + n) / (1 + df[t])) + 1.0 for t in vocabulary]


@dataclass(frozen=True)
class SparseRows:
    """A sparse matrix as (row, column, value) triples, with the two products a fit needs."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    shape: tuple[int, int]

    def dot(self, w: np.ndarray) -> np.ndarray:
        """``X @ w`` for a dense (columns by k) ``w``."""
        n = self.shape[0]
        products = self.values[:, None] * w[self.cols]
        return np.stack(
            [np.bincount(self.rows, products[:, c], minlength=n) for c in range(w.shape[1])], 1
        )

    def tdot(self, g: np.ndarray) -> np.ndarray:
        """``X.T @ g`` for a dense (rows by k) ``g``."""
        d = self.shape[1]
        products = self.values[:, None] * g[self.rows]
        return np.stack(
            [np.bincount(self.cols, products[:, c], minlength=d) for c in range(g.shape[1])], 1
        )

    def dense(self) -> np.ndarray:
        """The matrix as a dense array (small matrices and tests only)."""
        out = np.zeros(self.shape)
        np.add.at(out, (self.rows, self.cols), self.values)
        return out


class DenseRows:
    """A dense matrix with the products ``fit_softmax`` uses (``SparseRows``' interface)."""

    def __init__(self, x: np.ndarray) -> None:
        self.x = np.asarray(x, dtype=float)
        self.shape: tuple[int, int] = self.x.shape  # type: ignore[assignment]

    def dot(self, w: np.ndarray) -> np.ndarray:
        """``X @ w``."""
        return self.x @ w

    def tdot(self, g: np.ndarray) -> np.ndarray:
        """``X.T @ g``."""
        return self.x.T @ g


def design_matrix(
    model: SentimentModel, texts: Sequence[str], vader: Sequence[Sequence[float]]
) -> SparseRows:
    """Sparse feature rows of ``texts`` as the model computes them."""
    width = len(model.vocabulary) + len(vader[0])
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for row, (text, scores) in enumerate(zip(texts, vader, strict=True)):
        for i, v in model.features(text, scores).items():
            rows.append(row)
            cols.append(i)
            values.append(v)
    return SparseRows(
        np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64),
        np.array(values, dtype=float), (len(texts), width),
    )  # fmt: skip


def _squared_norm(x: SparseRows | DenseRows, iterations: int = 50) -> float:
    """Largest eigenvalue of XᵀX (with an intercept column of ones), by power iteration."""
    v = np.ones((x.shape[1] + 1, 1)) / math.sqrt(x.shape[1] + 1)
    value = 1.0
    for _ in range(iterations):
        xv = x.dot(v[:-1]) + v[-1]
        u = np.vstack([x.tdot(xv), xv.sum(keepdims=True)])
        value = float(np.linalg.norm(u))
        v = u / value
    return value * 1.01


def fit_softmax(
    x: SparseRows | DenseRows,
    y: Sequence[int],
    l2: float,
    iterations: int = 600,
    soft: np.ndarray | None = None,
    soft_weight: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimise class-balanced cross-entropy + l2/2·‖W‖² (intercept free); (coef, intercept).

    Each class weighs the same in the loss whatever its count: negative posts are few, and an
    unweighted fit learns to call almost everything positive or neutral. ``soft`` (optional)
    gives class probabilities for rows of ``x`` after the ``len(y)`` labelled ones (a teacher's,
    for distillation); each such row weighs ``soft_weight`` times its expected class weight,
    and the loss stays normalised by the labelled rows, so they weigh as they would alone.
    """
    labels = np.asarray(y)
    n, k = len(labels), len(CLASSES)
    counts = np.bincount(labels, minlength=k).astype(float)
    class_weight = n / (k * np.maximum(counts, 1.0))
    target = np.zeros((n, k))
    target[np.arange(n), labels] = 1.0
    weight = class_weight[labels]
    if soft is not None:
        target = np.vstack([target, soft])
        weight = np.concatenate([weight, soft_weight * soft @ class_weight])
    weight = weight[:, None]
    # Step 1/L, L bounding the gradient's Lipschitz constant (softmax curvature <= 1/2).
    step = 1.0 / (0.5 * weight.max() * _squared_norm(x) / n + l2)
    coef, intercept = np.zeros((x.shape[1], k)), np.zeros(k)
    previous = (coef, intercept)
    for t in range(1, iterations + 1):
        momentum = (t - 2) / (t + 1) if t > 1 else 0.0
        look_w = coef + momentum * (coef - previous[0])
        look_b = intercept + momentum * (intercept - previous[1])
        logits = x.dot(look_w) + look_b
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(axis=1, keepdims=True)
        residual = weight * (prob - target) / n
        previous = (coef, intercept)
        coef = look_w - step * (x.tdot(residual) + l2 * look_w)
        intercept = look_b - step * residual.sum(axis=0)
    return coef.T, intercept


def train(
    texts: Sequence[str],
    vader: Sequence[Sequence[float]],
    labels: Sequence[str],
    *,
    l2: float,
    min_df: int,
    vader_scale: float,
    version: str,
    char_ngrams: tuple[int, int] | None = None,
    iterations: int = 600,
    unlabelled: Sequence[tuple[str, Sequence[float]]] = (),
    soft: np.ndarray | None = None,
    soft_weight: float = 1.0,
) -> SentimentModel:
    """Fit a model on labelled texts with their VADER scores.

    ``unlabelled`` (text, VADER scores) rows with ``soft`` class probabilities (a teacher's)
    join the fit as ``fit_softmax`` describes, and their terms join the vocabulary.
    """
    everything = [*texts, *(text for text, _ in unlabelled)]
    vocabulary, idf = vocabulary_and_idf(everything, min_df, char_ngrams)
    index = {t: i for i, t in enumerate(vocabulary)}
    width = len(vocabulary) + len(vader[0])
    blank = SentimentModel(
        index, idf, [[0.0] * width] * len(CLASSES), [0.0] * 3, vader_scale, "", char_ngrams
    )
    x = design_matrix(blank, everything, [*vader, *(scores for _, scores in unlabelled)])
    y = [CLASSES.index(label) for label in labels]
    coef, intercept = fit_softmax(x, y, l2, iterations, soft if unlabelled else None, soft_weight)
    return SentimentModel(
        index, idf, coef.round(6).tolist(), intercept.round(6).tolist(), vader_scale, version,
        char_ngrams,
    )  # fmt: skip


def to_json(model: SentimentModel, trained_on: str, hyper: dict[str, float]) -> dict[str, object]:
    """The JSON document ``SentimentModel.from_json`` reads."""
    return {
        "version": model.version,
        "classes": list(CLASSES),
        "trained_on": trained_on,
        "hyperparameters": hyper,
        "vader_scale": model.vader_scale,
        **({"char_ngrams": list(model.char_ngrams)} if model.char_ngrams else {}),
        "vocabulary": sorted(model.vocabulary, key=model.vocabulary.__getitem__),
        "idf": [round(v, 6) for v in model.idf],
        "intercept": list(model.intercept),
        "coef": [list(row) for row in model.coef],
    }
