"""The generalisation harness: metrics on hand-computed cases, splits that never leak."""

from __future__ import annotations

import importlib.util
import random
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from crypto_assets.nlp.sentiment.model import CLASSES
from crypto_assets_tools import sentiment_eval, sentiment_training
from crypto_assets_tools.sentiment_corpus import (
    CorpusText,
    Split,
    all_splits,
    crash_split,
    load_corpus,
    period_splits,
    selection_split,
    stratified_folds,
    subreddit_splits,
)
from crypto_assets_tools.sentiment_metrics import score
from crypto_assets_tools.sentiment_models import (
    evaluate_with_predictions,
    predict_split,
    same_texts_reading,
    vader_fitter,
)
from crypto_assets_tools.sentiment_training import DenseRows, SparseRows, fit_softmax


@cache
def corpus() -> list[CorpusText]:
    return load_corpus()


@pytest.mark.parametrize(
    ("gold", "scores", "predicted", "binary", "balanced", "f1"),
    [
        # 3 positive (2 right), 1 negative (right), neutral ignored by the binary figures.
        (["positive"] * 3 + ["negative", "neutral"], [0.5, 0.2, -0.1, -0.3, 0.9],
         ["positive", "positive", "negative", "negative", "positive"], 3 / 4, (2 / 3 + 1) / 2,
         (2 / 3 + 2 / 3 + 0.0) / 3),
        # A score of exactly 0 counts wrong.
        (["positive", "negative"], [0.0, 0.0], ["neutral", "neutral"], 0.0, 0.0, 0.0),
        # All right.
        (["positive", "negative", "neutral"], [1.0, -1.0, 0.0],
         ["positive", "negative", "neutral"], 1.0, 1.0, 1.0),
        # Only one polar class present: balanced is that class's recall.
        (["positive", "positive", "neutral"], [0.3, -0.3, 0.0],
         ["positive", "negative", "neutral"], 0.5, 0.5, (2 / 3 + 0 + 1) / 3),
    ],
)  # fmt: skip
def test_figures_on_hand_computed_cases(
    gold: list[str], scores: list[float], predicted: list[str], binary: float,
    balanced: float, f1: float,
) -> None:  # fmt: skip
    s = score(gold, scores, predicted, resamples=50)
    assert s.binary.value == pytest.approx(binary)
    assert s.balanced.value == pytest.approx(balanced)
    assert s.macro_f1.value == pytest.approx(f1)
    assert s.polar == sum(g != "neutral" for g in gold)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figures_match_the_existing_evaluation(seed: int) -> None:
    rng = random.Random(seed)
    gold = [rng.choice(sentiment_eval.LABELS) for _ in range(300)]
    scores = [rng.choice([0.0, rng.uniform(-1, 1)]) for _ in range(300)]
    predicted = [rng.choice(sentiment_eval.LABELS) for _ in range(300)]
    s = score(gold, scores, predicted)
    assert s.binary.value == pytest.approx(sentiment_eval.binary_accuracy(gold, scores)[0])
    assert s.balanced.value == pytest.approx(sentiment_eval.balanced_binary_accuracy(gold, scores))
    assert s.macro_f1.value == pytest.approx(sentiment_eval.macro_f1(gold, predicted))
    for figure in (s.binary, s.balanced, s.macro_f1):
        assert figure.low <= figure.value <= figure.high
        assert figure.high - figure.low < 0.2
    assert score(gold, scores, predicted) == s  # fixed seed: the same intervals every run


@pytest.mark.parametrize(("n", "k"), [(10, 2), (101, 5), (7, 7)])
def test_stratified_folds_partition_the_rows(n: int, k: int) -> None:
    labels = [("a", "b", "c")[i % 3] for i in range(n)]
    folds = stratified_folds(labels, k, seed=4)
    tested = sorted(i for _, test in folds for i in test)
    assert tested == list(range(n))
    for train, test in folds:
        assert not set(train) & set(test) and len(train) + len(test) == n
        for name in "abc":  # each label spread evenly over the folds
            per_fold = labels.count(name) / k
            assert abs(sum(labels[i] == name for i in test) - per_fold) < 1


def test_the_corpus_loads_with_one_label_per_text() -> None:
    texts = corpus()
    assert len(texts) == 3991 and len({t.text_id for t in texts}) == 3991
    assert {t.label for t in texts} == {"positive", "negative", "neutral"}
    assert sum(t.pool == "2022-05" and t.period == "crash" for t in texts) == 360


def test_out_of_period_training_never_sees_may_2022() -> None:
    texts = corpus()
    ((train, test),) = crash_split(texts).folds
    assert {(texts[i].pool, texts[i].period) for i in test} == {("2022-05", "crash")}
    assert all(texts[i].pool != "2022-05" for i in train)
    for train_rows, test_rows in selection_split(texts).folds:  # where hyper-parameters are chosen
        assert all(texts[i].pool != "2022-05" for i in (*train_rows, *test_rows))
        assert {texts[i].era for i in test_rows}.isdisjoint(texts[i].era for i in train_rows)


@pytest.mark.parametrize("split", all_splits(load_corpus()), ids=lambda s: s.name)
def test_no_split_tests_on_its_training_texts(split: Split) -> None:
    for train, test in split.folds:
        assert train and test and not set(train) & set(test)


def test_held_out_groups_are_whole() -> None:
    texts = corpus()
    for split in period_splits(texts):
        ((train, test),) = split.folds
        held = {texts[i].era for i in test}
        assert len(held) == 1 and held.isdisjoint(texts[i].era for i in train)
    names = []
    for split in subreddit_splits(texts):
        ((train, test),) = split.folds
        (name,) = {texts[i].subreddit for i in test}
        assert all(texts[i].subreddit != name for i in train)
        names.append(name)
    assert len(names) == 10


def test_predictions_come_back_in_test_order() -> None:
    texts = corpus()[:40]
    split = Split("toy", "in-domain", stratified_folds([t.label for t in texts], 4, seed=1))

    class Fake:  # a VaderCache that scores each text by its position
        def __call__(self, text: CorpusText) -> tuple[float, float]:
            return 0.0, texts.index(text) - 19.5

    scores, labels = predict_split(texts, split, vader_fitter(Fake()))  # type: ignore[arg-type]
    assert scores == [i - 19.5 for i in split.test_indices()]
    assert len(labels) == 40


def test_same_texts_reading_scores_the_in_domain_predictions_of_the_held_out_texts() -> None:
    texts = corpus()[:60]
    home_split = Split("toy", "in-domain", stratified_folds([t.label for t in texts], 3, seed=2))
    held = Split("toy held out", "subreddit", ((tuple(range(30, 60)), tuple(range(30))),))

    class Fake:  # a VaderCache that calls the first 20 texts wrong and the rest right
        def __call__(self, text: CorpusText) -> tuple[float, float]:
            sign = {"positive": 1.0, "negative": -1.0, "neutral": 0.5}[text.label]
            return 0.0, -sign if texts.index(text) < 20 else sign

    fit = vader_fitter(Fake())  # type: ignore[arg-type]
    overall, home = evaluate_with_predictions(texts, home_split, fit)
    reading = same_texts_reading(texts, home, held)
    polar = [t for t in texts[:30] if t.label != "neutral"]
    right = sum(1 for i, t in enumerate(texts[:30]) if t.label != "neutral" and i >= 20)
    assert reading.binary.value == pytest.approx(right / len(polar))
    # A model that ignores its training texts loses nothing by holding a group out ...
    assert reading.binary.value == evaluate_with_predictions(texts, held, fit)[0].binary.value
    # ... yet the group (two thirds of its texts called wrong) is below the corpus-wide figure.
    assert reading.binary.value < overall.binary.value


def test_sparse_products_equal_dense_ones() -> None:
    rng = np.random.default_rng(0)
    dense = rng.random((6, 5)) * (rng.random((6, 5)) > 0.5)
    rows, cols = np.nonzero(dense)
    x = SparseRows(rows, cols, dense[rows, cols], dense.shape)
    w, g = rng.random((5, 3)), rng.random((6, 3))
    assert np.allclose(x.dot(w), dense @ w) and np.allclose(x.tdot(g), dense.T @ g)
    assert np.allclose(x.dense(), dense)


def test_softmax_fit_separates_separable_classes() -> None:
    dense = np.array([[1.0, 0, 0], [0.9, 0.1, 0], [0, 1.0, 0], [0, 0.9, 0], [0, 0, 1.0], [0, 0, 1]])
    rows, cols = np.nonzero(dense)
    coef, intercept = fit_softmax(SparseRows(rows, cols, dense[rows, cols], dense.shape),
                                  [0, 0, 1, 1, 2, 2], l2=0.001)  # fmt: skip
    assert list((dense @ coef.T + intercept).argmax(axis=1)) == [0, 0, 1, 1, 2, 2]


def test_dense_and_sparse_fits_agree() -> None:
    dense = np.random.default_rng(2).random((12, 4))
    rows, cols = np.nonzero(dense)
    y = [i % 3 for i in range(12)]
    sparse_fit = fit_softmax(SparseRows(rows, cols, dense[rows, cols], dense.shape), y, l2=0.01)
    dense_fit = fit_softmax(DenseRows(dense), y, l2=0.01)
    assert all(np.allclose(a, b) for a, b in zip(sparse_fit, dense_fit, strict=True))


def test_soft_rows_weigh_as_labelled_copies_and_nothing_at_weight_zero() -> None:
    rng = np.random.default_rng(3)
    dense = rng.random((15, 4))
    y = [i % 3 for i in range(15)]
    twice = DenseRows(np.vstack([dense, dense]))
    one_hot = np.eye(3)[y]

    def close(a: tuple, b: tuple) -> bool:
        return all(np.allclose(u, v, atol=1e-4) for u, v in zip(a, b, strict=True))

    # Soft rows that are one-hot copies: the duplicated fit, the loss counting the labelled
    # rows once more (so twice the l2 for the same minimiser).
    copies = fit_softmax(twice, y, l2=0.02, iterations=4000, soft=one_hot)
    assert close(copies, fit_softmax(twice, y + y, l2=0.01, iterations=4000))
    # Weight 0: the teacher's rows change nothing; weight 1 with other targets does.
    alone = fit_softmax(DenseRows(dense), y, l2=0.01, iterations=4000)
    other = np.full((15, 3), 1 / 3)
    assert close(fit_softmax(twice, y, l2=0.01, iterations=4000, soft=other, soft_weight=0), alone)
    assert not close(fit_softmax(twice, y, l2=0.01, iterations=4000, soft=other), alone)


@pytest.mark.parametrize(("teacher", "sign"), [("positive", 1), ("negative", -1)])
def test_unlabelled_texts_teach_their_terms_the_teachers_side(teacher: str, sign: int) -> None:
    labelled = ["good coin", "great pump", "bad dump", "awful rug", "the chart", "a chart"] * 2
    labels = ["positive", "positive", "negative", "negative", "neutral", "neutral"] * 2
    unlabelled = [("moonshot today", (0.0, 0.0)), ("moonshot again", (0.0, 0.0))]
    soft = np.tile(np.eye(3)[CLASSES.index(teacher)], (2, 1))
    hyper = {"l2": 0.01, "min_df": 2, "vader_scale": 1.0, "version": ""}
    model = sentiment_training.train(
        labelled, [(0.0, 0.0)] * 12, labels, unlabelled=unlabelled, soft=soft, **hyper
    )
    assert "moonshot" in model.vocabulary  # a term only the unlabelled texts hold
    assert sign * model.score("moonshot", (0.0, 0.0)) > 0.2
    alone = sentiment_training.train(labelled, [(0.0, 0.0)] * 12, labels, **hyper)
    assert "moonshot" not in alone.vocabulary


def _training_script() -> ModuleType:
    """scripts/train_sentiment_model.py as a module (scripts/ is not a package)."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "train_sentiment_model.py"
    spec = importlib.util.spec_from_file_location("train_sentiment_model", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WORDS = {"l2": 0.0003, "char_ngrams": None}
CHARS = {"l2": 0.001, "char_ngrams": (3, 5)}


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([(0.776, 0.60, CHARS), (0.773, 0.61, WORDS)], WORDS),  # within the tolerance: words
        ([(0.790, 0.60, CHARS), (0.773, 0.61, WORDS)], CHARS),  # clearly better: characters
        ([(0.770, 0.60, CHARS), (0.773, 0.61, WORDS)], WORDS),
        ([(0.776, 0.60, CHARS), (0.776, 0.62, CHARS | {"l2": 0.1})], CHARS | {"l2": 0.1}),
    ],
)
def test_selection_prefers_words_only_within_the_tolerance(
    results: list[tuple[float, float, dict]], expected: dict
) -> None:
    assert _training_script().choose(results)[2] == expected
