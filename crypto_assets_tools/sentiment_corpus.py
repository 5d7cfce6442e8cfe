"""The labelled sentiment corpus as rows, and the splits that measure generalisation.

The corpus is ``crypto_assets_tests/fixtures/eval/corpus`` (texts.csv + labels.csv; its README
states how it was drawn and labelled). One label per text: the primary annotator's (rows whose
annotator starts with ``B`` are second opinions used for agreement only). Texts are scored as the
assets score them: title and body joined by ``combined_text``.

A split is a list of (train, test) folds of row indices. The kinds:

- ``in-domain``: stratified random k-fold over the whole corpus (every text tested once);
- ``out-of-period``: test on the 2022 crash days (13-20 May 2022), train on the texts outside
  May 2022 — not even the week before or after the crash is seen in training;
- ``period``: leave one era out (2021, May 2022, Nov 2022-Jan 2023, 2024, Oct 2025);
- ``subreddit``: leave one subreddit out.
"""

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from crypto_assets.nlp.sentiment import combined_text

CORPUS: Final = Path(__file__).resolve().parents[1] / "crypto_assets_tests/fixtures/eval/corpus"
# Eras of the corpus: pools 2022 and 2023 are one pull (Nov 2022 - Jan 2023, the FTX collapse).
ERAS: Final = {
    "2021": "2021",
    "2022-05": "2022-05",
    "2022": "2022-11..2023-01",
    "2023": "2022-11..2023-01",
    "2024": "2024",
    "2025-10": "2025-10",
}
CRASH_POOL: Final = "2022-05"
CRASH_PERIOD: Final = "crash"

Fold = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class CorpusText:
    """One labelled text of the corpus with where and when it comes from."""

    text_id: str
    pool: str
    period: str
    subreddit: str
    created_utc: str
    title: str
    text: str
    label: str

    @property
    def era(self) -> str:
        """The era (group of pools) the text belongs to."""
        return ERAS[self.pool]


@dataclass(frozen=True)
class Split:
    """A named evaluation split: its kind and its (train, test) folds."""

    name: str
    kind: str
    folds: tuple[Fold, ...]

    def test_indices(self) -> list[int]:
        """Every test row of the split, fold after fold."""
        return [i for _, test in self.folds for i in test]


def load_corpus(folder: Path = CORPUS) -> list[CorpusText]:
    """The corpus texts in ``texts.csv`` order, each with its primary label."""
    with (folder / "labels.csv").open(encoding="utf-8", newline="") as f:
        # Annotators B, B2, ... are second labels of the reliability texts, not primary ones.
        rows = csv.DictReader(f)
        labels = {r["text_id"]: r["label"] for r in rows if not r["annotator"].startswith("B")}
    with (folder / "texts.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        CorpusText(
            r["post_id"],
            r["pool"],
            r["period"],
            r["subreddit"],
            r["created_utc"],
            r["title"],
            combined_text(r["title"], r["selftext"]),
            labels[r["post_id"]],
        )
        for r in rows
    ]


def stratified_folds(labels: Sequence[str], k: int, seed: int) -> tuple[Fold, ...]:
    """k folds whose test parts partition the rows, each label spread evenly, seeded shuffle."""
    rng = random.Random(seed)
    assignment = [0] * len(labels)
    for name in sorted(set(labels)):
        rows = [i for i, label in enumerate(labels) if label == name]
        rng.shuffle(rows)
        for position, i in enumerate(rows):
            assignment[i] = position % k
    everything = range(len(labels))
    return tuple(
        (
            tuple(i for i in everything if assignment[i] != fold),
            tuple(i for i in everything if assignment[i] == fold),
        )
        for fold in range(k)
    )


def _hold_out(texts: Sequence[CorpusText], test: set[int], excluded: set[int]) -> Fold:
    train = tuple(i for i in range(len(texts)) if i not in test and i not in excluded)
    return train, tuple(sorted(test))


def in_domain_split(texts: Sequence[CorpusText], k: int = 5, seed: int = 20261207) -> Split:
    """Stratified random k-fold cross-validation over the whole corpus."""
    return Split(
        "in-domain (5-fold)", "in-domain", stratified_folds([t.label for t in texts], k, seed)
    )


def crash_split(texts: Sequence[CorpusText]) -> Split:
    """Test on the crash days of May 2022; train on the texts outside May 2022."""
    test = {i for i, t in enumerate(texts) if t.pool == CRASH_POOL and t.period == CRASH_PERIOD}
    may = {i for i, t in enumerate(texts) if t.pool == CRASH_POOL}
    return Split("crash days 13-20 May 2022", "out-of-period", (_hold_out(texts, test, may),))


def period_splits(texts: Sequence[CorpusText]) -> list[Split]:
    """Leave one era out: train on every other era, test on it."""
    splits = []
    for era in sorted({t.era for t in texts}):
        test = {i for i, t in enumerate(texts) if t.era == era}
        splits.append(Split(f"era {era}", "period", (_hold_out(texts, test, set()),)))
    return splits


def subreddit_splits(texts: Sequence[CorpusText], min_texts: int = 50) -> list[Split]:
    """Leave one subreddit out (subreddits with at least ``min_texts`` texts)."""
    splits = []
    names = sorted({t.subreddit for t in texts}, key=str.lower)
    for name in names:
        test = {i for i, t in enumerate(texts) if t.subreddit == name}
        if len(test) >= min_texts:
            splits.append(Split(f"r/{name}", "subreddit", (_hold_out(texts, test, set()),)))
    return splits


def selection_split(texts: Sequence[CorpusText]) -> Split:
    """Hyper-parameter selection folds: leave one era out among the texts outside May 2022.

    They are the training side of the out-of-period split, so choosing on them never sees the
    crash days (nor the rest of May 2022).
    """
    outside = [i for i, t in enumerate(texts) if t.pool != CRASH_POOL]
    folds = []
    for era in sorted({texts[i].era for i in outside}):
        test = tuple(i for i in outside if texts[i].era == era)
        folds.append((tuple(i for i in outside if texts[i].era != era), test))
    return Split("selection: leave one era out, May 2022 excluded", "selection", tuple(folds))


def all_splits(texts: Sequence[CorpusText]) -> list[Split]:
    """In-domain first, then out-of-period, eras and subreddits."""
    return [
        in_domain_split(texts),
        crash_split(texts),
        *period_splits(texts),
        *subreddit_splits(texts),
    ]
