"""Fitting the sentiment classifier: vocabulary, idf and L2-regularised softmax regression.

Plain numpy so that training needs nothing beyond what the package already installs, and the
result is the JSON that ``crypto_assets.nlp.sentiment.model`` reads. Deterministic: no random
initialisation, full-batch accelerated gradient descent on a convex loss.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from crypto_assets.nlp.sentiment.model import CLASSES, SentimentModel, terms


def vocabulary_and_idf(texts: Sequence[str], min_df: int) -> tuple[list[str], list[float]]:
    """Terms in at least ``min_df`` texts, sorted, with smoothed idf ln((1+n)/(1+df)) + 1."""
    df: Counter[str] = Counter()
    for text in texts:
        df.update(terms(text).keys())
    vocabulary = sorted(t for t, n in df.items() if n >= min_df)
    n = len(texts)
    return vocabulary, [math.log((1 + n) / (1 + df[t])) + 1.0 for t in vocabulary]


def design_matrix(
    model: SentimentModel, texts: Sequence[str], vader: Sequence[Sequence[float]]
) -> np.ndarray:
    """Dense feature rows of ``texts`` as the model computes them."""
    width = len(model.vocabulary) + len(vader[0])
    x = np.zeros((len(texts), width))
    for row, (text, scores) in enumerate(zip(texts, vader, strict=True)):
        for i, v in model.features(text, scores).items():
            x[row, i] = v
    return x


def fit_softmax(
    x: np.ndarray, y: Sequence[int], l2: float, iterations: int = 2000
) -> tuple[np.ndarray, np.ndarray]:
    """Minimise class-balanced cross-entropy + l2/2·‖W‖² (intercept free); (coef, intercept).

    Each class weighs the same in the loss whatever its count: negative posts are few, and an
    unweighted fit learns to call almost everything positive or neutral.
    """
    n, d = x.shape
    k = len(CLASSES)
    labels = np.asarray(y)
    counts = np.bincount(labels, minlength=k).astype(float)
    weight = (n / (k * np.maximum(counts, 1.0)))[labels][:, None]
    target = np.zeros((n, k))
    target[np.arange(n), labels] = 1.0
    # Step 1/L, L bounding the gradient's Lipschitz constant (softmax curvature <= 1/2).
    lipschitz = 0.5 * weight.max() * (np.linalg.norm(x, 2) ** 2 + n) / n + l2
    step = 1.0 / lipschitz
    params = np.zeros((d + 1, k))
    previous = params.copy()
    xb = np.hstack([x, np.ones((n, 1))])
    for t in range(1, iterations + 1):
        look = params + (t - 2) / (t + 1) * (params - previous) if t > 1 else params
        logits = xb @ look
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(axis=1, keepdims=True)
        grad = xb.T @ (weight * (prob - target)) / n
        grad[:-1] += l2 * look[:-1]
        previous, params = params, look - step * grad
    return params[:-1].T, params[-1]


def train(
    texts: Sequence[str],
    vader: Sequence[Sequence[float]],
    labels: Sequence[str],
    *,
    l2: float,
    min_df: int,
    vader_scale: float,
    version: str,
) -> SentimentModel:
    """Fit a model on labelled texts with their VADER scores."""
    vocabulary, idf = vocabulary_and_idf(texts, min_df)
    index = {t: i for i, t in enumerate(vocabulary)}
    width = len(vocabulary) + len(vader[0])
    blank = SentimentModel(index, idf, [[0.0] * width] * len(CLASSES), [0.0] * 3, vader_scale, "")
    x = design_matrix(blank, texts, vader)
    coef, intercept = fit_softmax(x, [CLASSES.index(label) for label in labels], l2)
    return SentimentModel(
        index, idf, coef.round(6).tolist(), intercept.round(6).tolist(), vader_scale, version
    )


def to_json(model: SentimentModel, trained_on: str, hyper: dict[str, float]) -> dict[str, object]:
    """The JSON document ``SentimentModel.from_json`` reads."""
    return {
        "version": model.version,
        "classes": list(CLASSES),
        "trained_on": trained_on,
        "hyperparameters": hyper,
        "vader_scale": model.vader_scale,
        "vocabulary": sorted(model.vocabulary, key=model.vocabulary.__getitem__),
        "idf": [round(v, 6) for v in model.idf],
        "intercept": list(model.intercept),
        "coef": [list(row) for row in model.coef],
    }
