"""The sentiment models compared on the corpus splits, each as "fit on rows, then predict".

A model here is a ``Fitter``: given training texts it returns a ``Predictor``, which gives a
score in [-1, 1] (its sign is the binary call) and a 3-class label per text. VADER (stock or
with the crypto rules) ignores its training texts; the TF-IDF + VADER logistic model and the
sentence-embedding head are refitted on each fold's training texts only.
"""

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from crypto_assets.nlp.sentiment import SentimentScorer, label
from crypto_assets.nlp.sentiment.model import CLASSES
from crypto_assets_tools.sentiment_corpus import CorpusText, Split
from crypto_assets_tools.sentiment_metrics import Scores, score
from crypto_assets_tools.sentiment_training import DenseRows, fit_softmax, train

Prediction = tuple[list[float], list[str]]
Predictor = Callable[[Sequence[CorpusText]], Prediction]
Fitter = Callable[[Sequence[CorpusText]], Predictor]


class VaderCache:
    """VADER compounds (title, title + body) of each text, computed once per text id."""

    def __init__(self, scorer: SentimentScorer) -> None:
        self.scorer = scorer
        self._cache: dict[str, tuple[float, float]] = {}

    def __call__(self, text: CorpusText) -> tuple[float, float]:
        """The (title, combined) compounds of ``text``."""
        if text.text_id not in self._cache:
            pair = (self.scorer.compound(text.title), self.scorer.compound(text.text))
            self._cache[text.text_id] = pair
        return self._cache[text.text_id]


def vader_fitter(vader: VaderCache) -> Fitter:
    """VADER's combined compound, labelled at its ±0.05 cut-offs; no training."""

    def predict(texts: Sequence[CorpusText]) -> Prediction:
        compounds = [vader(t)[1] for t in texts]
        return compounds, [label(c) for c in compounds]

    return lambda _train: predict


def _from_probabilities(probs: np.ndarray) -> Prediction:
    """Score P(positive) - P(negative) and the most probable class of each row."""
    scores = probs[:, CLASSES.index("positive")] - probs[:, CLASSES.index("negative")]
    return scores.tolist(), [CLASSES[i] for i in probs.argmax(axis=1)]


def light_fitter(
    vader: VaderCache,
    *,
    l2: float,
    min_df: int,
    vader_scale: float,
    char_ngrams: tuple[int, int] | None = None,
) -> Fitter:
    """The TF-IDF + VADER logistic model (``model_sentiment``) with these hyper-parameters."""

    def fit(train_texts: Sequence[CorpusText]) -> Predictor:
        model = train(
            [t.text for t in train_texts], [vader(t) for t in train_texts],
            [t.label for t in train_texts], l2=l2, min_df=min_df, vader_scale=vader_scale,
            version="", char_ngrams=char_ngrams,
        )  # fmt: skip

        def predict(texts: Sequence[CorpusText]) -> Prediction:
            probs = [model.probabilities(t.text, vader(t)) for t in texts]
            return _from_probabilities(np.array([[p[c] for c in CLASSES] for p in probs]))

        return predict

    return fit


def dense_rows(x: np.ndarray) -> DenseRows:
    """A dense matrix (embeddings) ready for ``fit_softmax``."""
    return DenseRows(x)


def _rows_of(embeddings: Mapping[str, np.ndarray], texts: Sequence[CorpusText]) -> np.ndarray:
    """The feature rows of ``texts``, in order."""
    return np.stack([embeddings[t.text_id] for t in texts])


def embedding_fitter(embeddings: Mapping[str, np.ndarray], *, l2: float) -> Fitter:
    """A softmax head on precomputed sentence embeddings (plus VADER, if they carry it)."""

    def fit(train_texts: Sequence[CorpusText]) -> Predictor:
        x = _rows_of(embeddings, train_texts)
        y = [CLASSES.index(t.label) for t in train_texts]
        coef, intercept = fit_softmax(dense_rows(x), y, l2)

        def predict(texts: Sequence[CorpusText]) -> Prediction:
            logits = _rows_of(embeddings, texts) @ coef.T + intercept
            probs = np.exp(logits - logits.max(axis=1, keepdims=True))
            return _from_probabilities(probs / probs.sum(axis=1, keepdims=True))

        return predict

    return fit


def predict_split(texts: Sequence[CorpusText], split: Split, fit: Fitter) -> Prediction:
    """Fit on each fold's training rows and predict its test rows, pooled in fold order."""
    scores: list[float] = []
    labels: list[str] = []
    for train_rows, test_rows in split.folds:
        predictor = fit([texts[i] for i in train_rows])
        s, lab = predictor([texts[i] for i in test_rows])
        scores += s
        labels += lab
    return scores, labels


def evaluate(texts: Sequence[CorpusText], split: Split, fit: Fitter) -> Scores:
    """The three figures with intervals of a model on one split."""
    return evaluate_with_predictions(texts, split, fit)[0]


def evaluate_with_predictions(
    texts: Sequence[CorpusText], split: Split, fit: Fitter
) -> tuple[Scores, dict[int, tuple[float, str]]]:
    """``evaluate``'s figures and each test row's (score, label), by row index."""
    scores, labels = predict_split(texts, split, fit)
    rows = split.test_indices()
    figures = score([texts[i].label for i in rows], scores, labels)
    return figures, dict(zip(rows, zip(scores, labels, strict=True), strict=True))


def same_texts_reading(
    texts: Sequence[CorpusText], home: Mapping[int, tuple[float, str]], split: Split
) -> Scores:
    """The in-domain predictions of exactly ``split``'s test texts, scored.

    A held-out group can be harder than the corpus on average even when it is also trained
    on; this reading (the group's texts, predicted by the in-domain folds, where the group is
    in training) separates that from what holding the group out costs.
    """
    rows = split.test_indices()
    return score(
        [texts[i].label for i in rows], [home[i][0] for i in rows], [home[i][1] for i in rows]
    )
