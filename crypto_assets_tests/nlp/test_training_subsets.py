"""Training-side variations of a held-out split: shares, subreddit drops and the learning curve."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from crypto_assets_tests.e2e.support import REPO
from crypto_assets_tests.support.sentiment_docs import published_light_figures
from crypto_assets_tests.support.subprocess_env import clean_env
from crypto_assets_tools.sentiment_corpus import CorpusText, Split
from crypto_assets_tools.training_subsets import (
    LogFit,
    doublings_to_close,
    log_fit,
    subsampled,
    without_training_subreddit,
)


def _texts() -> list[CorpusText]:
    subs = ["a", "b", "c", "held"]
    return [
        CorpusText(f"t{i}", "2024", "other", subs[i % 4], "", "x", "x", "neutral")
        for i in range(40)
    ]


def _split(texts: list[CorpusText]) -> Split:
    test = tuple(i for i, t in enumerate(texts) if t.subreddit == "held")
    train = tuple(i for i in range(len(texts)) if i not in test)
    return Split("r/held", "subreddit", ((train, test),))


@pytest.mark.parametrize("share", [0.25, 0.5, 0.9])
def test_a_share_keeps_that_many_training_rows_and_every_test_row(share: float) -> None:
    split = _split(_texts())
    ((train, test),) = split.folds
    ((kept, kept_test),) = subsampled(split, share, seed=1).folds
    assert kept_test == test
    assert len(kept) == round(len(train) * share)
    assert set(kept) < set(train) and list(kept) == sorted(kept)


def test_a_share_is_seeded() -> None:
    split = _split(_texts())
    assert subsampled(split, 0.5, seed=1) == subsampled(split, 0.5, seed=1)
    assert subsampled(split, 0.5, seed=1) != subsampled(split, 0.5, seed=2)
    assert subsampled(split, 1.0, seed=7) == split


@pytest.mark.parametrize("share", [0.0, -0.1, 1.5])
def test_a_share_outside_0_1_is_refused(share: float) -> None:
    with pytest.raises(ValueError, match="fraction"):
        subsampled(_split(_texts()), share, seed=1)


def test_a_cross_validated_split_is_refused() -> None:
    split = Split("in-domain", "in-domain", (((0,), (1,)), ((1,), (0,))))
    with pytest.raises(ValueError, match=r"one \(train, test\) fold"):
        subsampled(split, 0.5, seed=1)


def test_dropping_a_training_subreddit_removes_exactly_its_rows() -> None:
    texts = _texts()
    split = _split(texts)
    ((train, test),) = split.folds
    ((kept, kept_test),) = without_training_subreddit(texts, split, "b").folds
    assert kept_test == test
    assert {texts[i].subreddit for i in kept} == {"a", "c"}
    assert len(kept) == len(train) - 10


@pytest.mark.parametrize("subreddit", ["held", "nowhere"])
def test_dropping_a_subreddit_with_no_training_row_names_it(subreddit: str) -> None:
    texts = _texts()
    with pytest.raises(ValueError, match=subreddit):
        without_training_subreddit(texts, _split(texts), subreddit)


@pytest.mark.parametrize(
    ("sizes", "accuracies", "slope", "at_next_doubling"),
    [
        ([1000, 2000, 4000], [0.70, 0.72, 0.74], 2.0, 0.76),  # exactly +2 points per doubling
        ([500, 1000], [0.80, 0.79], -1.0, 0.78),
        ([1000, 1000, 4000, 4000], [0.70, 0.72, 0.72, 0.74], 1.0, 0.74),  # repeated draws
    ],
)
def test_the_log_fit_gives_points_per_doubling(
    sizes: list[int], accuracies: list[float], slope: float, at_next_doubling: float
) -> None:
    fit = log_fit(sizes, accuracies)
    assert fit.slope == pytest.approx(slope)
    assert fit.at(sizes[-1] * 2) == pytest.approx(at_next_doubling)


def test_the_log_fit_needs_two_sizes() -> None:
    with pytest.raises(ValueError, match="two or more"):
        log_fit([1000, 1000], [0.7, 0.8])


@pytest.mark.parametrize(
    ("gap", "slope", "doublings"),
    [(3.0, 1.5, 2.0), (-1.0, 1.5, 0.0), (2.0, 0.0, math.inf), (2.0, -0.5, math.inf)],
)
def test_doublings_to_close_a_gap(gap: float, slope: float, doublings: float) -> None:
    assert doublings_to_close(gap, slope) == doublings


def test_the_curve_at_its_own_points_is_the_line() -> None:
    assert LogFit(slope=2.0, intercept=50.0).at(1024) == pytest.approx(0.70)


@pytest.mark.slow
def test_the_benchmark_prints_the_curve_and_the_drops() -> None:
    # The documented command on the smallest held-out split: the `all` row is the published
    # light figure for r/solana, and the subreddit dropped gets its row.
    done = subprocess.run(
        [sys.executable, "benchmarks/bench_sentiment_training_data.py", "--split", "r/solana",
         "--share", "0.5", "--seeds", "1", "--drop", "CoinBase"],
        cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    binary, balanced = (cell.split()[0] for cell in published_light_figures("r/solana")[:2])
    assert f"| r/solana | 3843 (all) | {binary} | {balanced} |" in out
    assert "| r/solana | 1922 (share 0.5) |" in out
    assert "points per doubling" in out
    drops = [line for line in out.splitlines() if "(without r/" in line]
    assert len(drops) == 1 and drops[0].startswith("| r/solana | 3663 (without r/CoinBase) |")
