"""Sentiment of a post: VADER with the crypto rules (`scorer`) and the learned model (`model`)."""

from crypto_assets.nlp.sentiment.scorer import (
    CALIBRATED_THRESHOLDS,
    SENTIMENT_RULES_VERSION,
    VADER_THRESHOLDS,
    SentimentScorer,
    combined_text,
    label,
    load_analyzer,
)

__all__ = [
    "CALIBRATED_THRESHOLDS",
    "SENTIMENT_RULES_VERSION",
    "VADER_THRESHOLDS",
    "SentimentScorer",
    "combined_text",
    "label",
    "load_analyzer",
]
