"""Which model writes ``model_sentiment``: the light one (default) or the embeddings one.

``CRYPTO_SENTIMENT_MODEL`` chooses (validated in ``crypto_assets.config.sentiment_fields``).
Both publish P(positive) - P(negative) from the post's text and its two VADER compounds. The
code version of the sentiment assets is ``SENTIMENT_RULES_VERSION`` (lexicon, rules,
thresholds and the light model's weights) for the light model, and a hash of that with the
embedding head's weights for the embeddings model, so switching marks stored windows stale.
"""

import hashlib
from collections.abc import Sequence
from typing import Final

from crypto_assets.nlp.sentiment.model import shipped_model
from crypto_assets.nlp.sentiment.scorer import SENTIMENT_RULES_VERSION

LIGHT: Final = "light"
EMBEDDINGS: Final = "embeddings"


def model_scores(model: str, texts: Sequence[str], vader: Sequence[Sequence[float]]) -> list[float]:
    """``model_sentiment`` of each text, given its (title, combined) VADER compounds."""
    if model == EMBEDDINGS:
        from crypto_assets.nlp.sentiment.embedding import score_texts

        return score_texts(texts, vader)
    light = shipped_model()
    return [light.score(text, pair) for text, pair in zip(texts, vader, strict=True)]


def sentiment_code_version(model: str) -> str:
    """The sentiment assets' code version with ``model`` writing ``model_sentiment``."""
    if model == LIGHT:
        return SENTIMENT_RULES_VERSION
    from crypto_assets.nlp.sentiment.embedding import head_digest

    content = f"{SENTIMENT_RULES_VERSION}:{model}:{head_digest()}"
    return hashlib.sha256(content.encode()).hexdigest()[:16]
