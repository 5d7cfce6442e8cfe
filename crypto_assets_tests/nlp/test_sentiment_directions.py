"""The directions benchmarked against the held-out gaps: subreddit copies and the oracle prior."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from crypto_assets.nlp.sentiment import SentimentScorer
from crypto_assets_tests.e2e.support import REPO
from crypto_assets_tests.support.sentiment_docs import published_light_figures
from crypto_assets_tests.support.subprocess_env import clean_env
from crypto_assets_tools.sentiment_corpus import CorpusText
from crypto_assets_tools.sentiment_directions import (
    oracle_prior_fitter,
    prior_corrected,
    subreddit_copies_fitter,
    with_domain_copies,
    without_function_words_fitter,
)
from crypto_assets_tools.sentiment_models import VaderCache, light_fitter
from crypto_assets_tools.sentiment_training import SparseRows

HYPER = {"l2": 0.001, "min_df": 1, "vader_scale": 1.0}


def _text(i: int, subreddit: str, text: str, label: str) -> CorpusText:
    return CorpusText(f"t{i}", "2024", "other", subreddit, "", text, text, label)


def test_domain_copies_fill_only_their_domains_rows() -> None:
    x = SparseRows(
        np.array([0, 0, 1, 2]), np.array([0, 1, 1, 0]), np.array([1.0, 2.0, 3.0, 4.0]), (3, 2)
    )
    dense = with_domain_copies(x, ["b", "a", "b"], weight=0.5).dense()
    # Columns: shared (2) | domain a (2) | domain b (2).
    assert dense.tolist() == [
        [1.0, 2.0, 0.0, 0.0, 0.5, 1.0],
        [0.0, 3.0, 0.0, 1.5, 0.0, 0.0],
        [4.0, 0.0, 0.0, 0.0, 2.0, 0.0],
    ]


def _corpus() -> list[CorpusText]:
    """'zork' is positive only where r/a uses it; 'good'/'bad' mean the same everywhere."""
    texts = []
    for i in range(12):
        texts.append(_text(len(texts), "a", f"zork item {i}", "positive"))
        texts.append(_text(len(texts), "a", f"bad item {i}", "negative"))
        texts.append(_text(len(texts), "b", f"good thing {i}", "positive"))
        texts.append(_text(len(texts), "b", f"bad thing {i}", "negative"))
        texts.append(_text(len(texts), "b", f"plain thing {i}", "neutral"))
    return texts


@pytest.mark.parametrize("probe", ["zork", "good", "bad"])
def test_subreddit_copies_keep_only_what_subreddits_share(probe: str) -> None:
    vader = VaderCache(SentimentScorer(use_crypto_lexicon=True))
    train = _corpus()
    plain = light_fitter(vader, **HYPER)(train)
    copies = subreddit_copies_fitter(vader, weight=2.0, **HYPER)(train)
    text = [_text(999, "c", probe, "neutral")]
    (plain_score,), _ = plain(text)
    (copies_score,), _ = copies(text)
    if probe == "zork":
        # One subreddit's habit moves into that subreddit's copy, out of the shared weights.
        assert 0 < copies_score < plain_score
    else:
        # A word both subreddits use the same way keeps its sign.
        assert np.sign(copies_score) == np.sign(plain_score) != 0


def test_function_words_are_no_terms() -> None:
    vader = VaderCache(SentimentScorer(use_crypto_lexicon=True))
    train = _corpus() + [_text(100 + i, "a", f"i my item {i}", "negative") for i in range(6)]
    plain = light_fitter(vader, **HYPER)(train)
    without = without_function_words_fitter(vader, **HYPER)(train)
    probes = [_text(999, "c", text, "neutral") for text in ("i", "", "my item")]
    plain_scores, _ = plain(probes)
    scores, _ = without(probes)
    assert plain_scores[0] < plain_scores[1]  # "i" is a negative word to the plain model
    assert scores[0] == scores[1]  # ... and no terms at all without function words
    assert scores[2] != scores[1]  # a content word still counts


def test_prior_correction_follows_the_new_shares() -> None:
    probs = np.array([[0.4, 0.2, 0.4], [0.1, 0.8, 0.1]])
    corrected = prior_corrected(probs, np.array([0.1, 0.5, 0.4]))
    assert np.allclose(corrected.sum(axis=1), 1.0)
    assert corrected[0, 2] > corrected[0, 0]  # a tie leans to the commoner class
    assert corrected[1].argmax() == 1


def test_oracle_prior_reads_the_test_labels() -> None:
    vader = VaderCache(SentimentScorer(use_crypto_lexicon=True))
    fit = oracle_prior_fitter(vader, **HYPER)(_corpus())
    probe = "zork bad"
    mostly_negative = [_text(900 + i, "c", probe, "negative") for i in range(9)]
    mostly_positive = [_text(910 + i, "c", probe, "positive") for i in range(9)]
    low, _ = fit(mostly_negative)
    high, _ = fit(mostly_positive)
    assert low[0] < high[0]


@pytest.mark.slow
def test_the_benchmark_reproduces_the_published_light_row() -> None:
    # The documented command, narrowed to the smallest split: its `light` row must equal the
    # published table's, and a direction gets its own row.
    done = subprocess.run(
        [sys.executable, "benchmarks/bench_sentiment_directions.py", "--split", "r/solana",
         "--variant", "light", "--variant", "copies-1.0"],
        cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {
        cells[2]: cells[3:6]
        for line in done.stdout.splitlines()
        if line.startswith("| r/solana |")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert rows["light"] == published_light_figures("r/solana")
    assert set(rows) == {"light", "copies-1.0"}


@pytest.mark.slow
def test_the_selection_reading_scores_light_as_the_training_script_chose_it() -> None:
    # `--selection` judges a direction by the rule that chose the shipped model; the light
    # model's own selection score must be the one docs/sentiment.md quotes for the words-only
    # model (0.773 balanced accuracy on the selection folds).
    done = subprocess.run(
        [sys.executable, "benchmarks/bench_sentiment_directions.py", "--selection",
         "--variant", "light"],
        cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    row = next(line for line in done.stdout.splitlines() if line.startswith("| light |"))
    assert row.split("|")[2].strip() == "0.773"
    assert "against 0.773 balanced accuracy on the selection folds" in (
        " ".join((REPO / "docs/sentiment.md").read_text().split())
    )
