"""A small supervised sentiment classifier beside VADER: TF-IDF words + VADER scores → 3 classes.

The model is multinomial logistic regression over (a) TF-IDF of word unigrams and bigrams
(and, when the JSON names ``char_ngrams``, each word's character n-grams) and (b) VADER's
compound of the title and of title + body, from ``SentimentScorer`` (crypto rules on). Its
weights ship as plain JSON in ``model.json`` (vocabulary, idf, coefficients): no pickle, no
download, no training at run time. ``model_sentiment`` is P(positive) -
P(negative), in [-1, 1], published next to VADER's compound, never instead of it.

Training data and licence: hand labels written for this project only (see
``model.json``'s ``trained_on``); scripts/train_sentiment_model.py rebuilds the file.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Final

CLASSES: Final = ("negative", "neutral", "positive")
_URL = re.compile(r"https?://\S+|www\.\S+")
# Words (with inner apostrophes), cashtags, numbers, and emoji / pictographs as their own tokens.
_TOKEN = re.compile(
    r"\$?[a-z][a-z0-9']*|\d+(?:[.,]\d+)*[kmb%x]?|[\u2600-\u27bf\U0001f300-\U0001faff]"
)
_NUMBER = re.compile(r"\d")


def tokens(text: str) -> list[str]:
    """Lower-case word, number and emoji tokens; URLs become ``<url>``, numbers ``<num>``."""
    text = _URL.sub(" <url> ", text.lower())
    found = _TOKEN.findall(text.replace("<url>", " zzurl "))
    return ["<num>" if _NUMBER.match(t) else "<url>" if t == "zzurl" else t for t in found]


def terms(text: str, char_ngrams: tuple[int, int] | None = None) -> Counter[str]:
    """Unigram and bigram counts of ``text``, plus each word's character n-grams if asked.

    Character n-grams (``#`` + n letters of ``<word>``, n in the inclusive range) let a word
    never seen in training share weight with its relatives: "dumping" with "dump", "mooning"
    with "moon", a misspelt "bullsih" with "bullish".
    """
    words = tokens(text)
    found = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    if char_ngrams:
        low, high = char_ngrams
        for word in words:
            padded = f"<{word}>"
            found += [
                "#" + padded[i : i + n]
                for n in range(low, high + 1)
                for i in range(len(padded) - n + 1)
            ]
    return Counter(found)


@dataclass(frozen=True)
class SentimentModel:
    """Weights of the classifier: vocabulary, idf, one coefficient row per class."""

    vocabulary: Mapping[str, int]
    idf: Sequence[float]
    coef: Sequence[Sequence[float]]  # [class][feature]; features = terms, then VADER scores
    intercept: Sequence[float]
    vader_scale: float
    version: str
    char_ngrams: tuple[int, int] | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> SentimentModel:
        """Build the model from the shipped JSON document."""
        if tuple(data["classes"]) != CLASSES:  # type: ignore[arg-type]
            raise ValueError(f"sentiment model classes: expected {CLASSES}, got {data['classes']}")
        vocabulary = {term: i for i, term in enumerate(data["vocabulary"])}  # type: ignore[arg-type]
        return cls(
            vocabulary=vocabulary,
            idf=data["idf"],  # type: ignore[arg-type]
            coef=data["coef"],  # type: ignore[arg-type]
            intercept=data["intercept"],  # type: ignore[arg-type]
            vader_scale=float(data["vader_scale"]),  # type: ignore[arg-type]
            version=str(data["version"]),
            char_ngrams=tuple(data["char_ngrams"]) if data.get("char_ngrams") else None,  # type: ignore[arg-type]
        )

    def features(self, text: str, vader: Sequence[float]) -> dict[int, float]:
        """Sparse feature vector: L2-normalised sublinear TF-IDF, then the scaled VADER scores."""
        weights = {
            self.vocabulary[t]: (1.0 + math.log(n)) * self.idf[self.vocabulary[t]]
            for t, n in terms(text, self.char_ngrams).items()
            if t in self.vocabulary
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vector = {i: w / norm for i, w in weights.items()}
        base = len(self.vocabulary)
        vector.update({base + k: v * self.vader_scale for k, v in enumerate(vader)})
        return vector

    def probabilities(self, text: str, vader: Sequence[float]) -> dict[str, float]:
        """Class probabilities of one text, given its VADER scores (title, title + body)."""
        x = self.features(text, vader)
        logits = [
            b + sum(row[i] * v for i, v in x.items())
            for row, b in zip(self.coef, self.intercept, strict=True)
        ]
        top = max(logits)
        exps = [math.exp(z - top) for z in logits]
        total = sum(exps)
        return {name: e / total for name, e in zip(CLASSES, exps, strict=True)}

    def score(self, text: str, vader: Sequence[float]) -> float:
        """``model_sentiment``: P(positive) - P(negative) of one text."""
        p = self.probabilities(text, vader)
        return round(p["positive"] - p["negative"], 6)


@functools.cache
def _shipped_text() -> str:
    return files(__package__).joinpath("model.json").read_text(encoding="utf-8")


@functools.cache
def shipped_model() -> SentimentModel:
    """The classifier shipped in the package (``model.json``)."""
    return SentimentModel.from_json(json.loads(_shipped_text()))


def shipped_model_digest() -> str:
    """A content hash of the shipped weights, part of the sentiment assets' code version."""
    try:
        text = _shipped_text()
    except FileNotFoundError:  # only while scripts/train_sentiment_model.py makes the first one
        return "absent"
    return hashlib.sha256(text.encode()).hexdigest()[:16]
