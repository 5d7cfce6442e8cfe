"""The hand-labelled sentiment corpus: complete, well-formed, regenerable, and its README in step."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "crypto_assets_tests/fixtures/eval/corpus"
POOLS = ("2021", "2022", "2022-05", "2023", "2024", "2025-10")
ROUND_1 = 2180
ROUND_2 = 1311
SECOND = ("B", "B2", "B3")
ROUND_2_SESSIONS = [f"A{k}" for k in range(7, 13)]
ROUND_3_SESSIONS = [f"A{k}" for k in range(13, 20)]


@cache
def merge_script() -> ModuleType:
    """scripts/merge_corpus_labels.py as a module (scripts/ is not a package)."""
    path = REPO / "scripts" / "merge_corpus_labels.py"
    spec = importlib.util.spec_from_file_location("merge_corpus_labels", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@cache
def texts() -> pd.DataFrame:
    return pd.read_csv(CORPUS / "texts.csv", dtype=str, keep_default_na=False)


@cache
def labels() -> pd.DataFrame:
    return pd.read_csv(CORPUS / "labels.csv", dtype=str, keep_default_na=False)


def primary() -> pd.DataFrame:
    return labels()[~labels()["annotator"].isin(SECOND)]


def reliability_ids(name: str = "reliability_ids.txt") -> list[str]:
    return (CORPUS / "labels" / name).read_text(encoding="utf-8").split()


def test_labels_csv_is_what_the_merge_script_writes() -> None:
    script = merge_script()
    expected = script.render(script.merged_labels(CORPUS))
    assert (CORPUS / "labels.csv").read_text(encoding="utf-8") == expected


def test_one_row_per_text_and_annotator() -> None:
    assert list(labels().columns) == ["text_id", "label", "annotator", "note"]
    assert not labels().duplicated(["text_id", "annotator"]).any()
    assert set(labels()["annotator"]) == {f"A{k}" for k in range(1, 20)} | set(SECOND)


def test_every_text_has_exactly_one_primary_label() -> None:
    counts = primary()["text_id"].value_counts()
    assert texts()["post_id"].is_unique
    assert set(counts.index) == set(texts()["post_id"])
    assert (counts == 1).all()


@pytest.mark.parametrize("annotator", ["A1", "A2", "A3", "A4", "A5", "A6"])
def test_each_session_labelled_its_chunk(annotator: str) -> None:
    k = int(annotator[1:])
    chunk = texts()["post_id"].iloc[(k - 1) * 364 : min(k * 364, ROUND_1)]
    rows = labels()[labels()["annotator"] == annotator]
    assert rows["text_id"].tolist() == chunk.tolist()


def test_rounds_only_append_outside_may_2022() -> None:
    """Rounds 2 and 3 only append: the first 2,180 rows are round 1's, in its order."""
    round_1 = set(labels()[labels()["annotator"].isin([f"A{k}" for k in range(1, 7)])]["text_id"])
    assert set(texts()["post_id"].iloc[:ROUND_1]) == round_1
    assert set(texts()["pool"].iloc[ROUND_1:]) == {"2021", "2022", "2023", "2024", "2025-10"}
    round_3 = texts().iloc[ROUND_1 + ROUND_2 :]
    assert len(round_3) == 500 and set(round_3["subreddit"]) == {"Bitcoin", "btc"}


def _dealt(annotator: str, sessions: list[str], rows: pd.DataFrame, salt: str) -> list[str]:
    """The text ids a seeded shuffle deals to ``annotator``, in texts.csv order."""
    order = list(range(len(rows)))
    random.Random(f"20261204:{salt}").shuffle(order)
    j = sessions.index(annotator)
    fresh = rows["post_id"].tolist()
    return [fresh[i] for i in sorted(order[j :: len(sessions)])]


@pytest.mark.parametrize(
    ("annotator", "sessions", "start", "stop", "salt"),
    [(a, ROUND_2_SESSIONS, ROUND_1, ROUND_1 + ROUND_2, "round2-sessions") for a in ROUND_2_SESSIONS]
    + [(a, ROUND_3_SESSIONS, ROUND_1 + ROUND_2, None, "round3-sessions") for a in ROUND_3_SESSIONS],
)
def test_each_later_session_labelled_its_seeded_share(
    annotator: str, sessions: list[str], start: int, stop: int | None, salt: str
) -> None:
    """Rounds 2 and 3 dealt their rows to sessions by a seeded shuffle, not by pool."""
    expected = _dealt(annotator, sessions, texts().iloc[start:stop], salt)
    rows = labels()[labels()["annotator"] == annotator]
    assert rows["text_id"].tolist() == expected
    assert rows.merge(texts(), left_on="text_id", right_on="post_id")["pool"].nunique() >= 3


@pytest.mark.parametrize("annotator", ["primary", *SECOND])
def test_labels_are_the_three_classes(annotator: str) -> None:
    rows = primary() if annotator == "primary" else labels()[labels()["annotator"] == annotator]
    assert set(rows["label"]) <= {"positive", "negative", "neutral"}
    assert (rows["note"].str.strip() != "").all()


def test_the_250_reliability_texts_all_have_a_second_label() -> None:
    ids = reliability_ids()
    assert len(ids) == len(set(ids)) == 250
    second = labels()[labels()["annotator"] == "B"]["text_id"]
    assert sorted(second) == sorted(ids)
    assert set(ids) <= set(primary()["text_id"])


def test_reliability_texts_are_the_stated_random_draw() -> None:
    rows = sorted(random.Random(20261205).sample(range(ROUND_1), 250))
    assert texts()["post_id"].iloc[rows].tolist() == reliability_ids()


def test_round_2_reliability_texts_are_the_stated_random_draw() -> None:
    rows = sorted(random.Random("20261204:round2-reliability").sample(range(ROUND_2), 120))
    assert texts()["post_id"].iloc[ROUND_1:].iloc[rows].tolist() == reliability_ids(
        "reliability_round2_ids.txt"
    )
    second = labels()[labels()["annotator"] == "B2"]["text_id"]
    assert sorted(second) == sorted(reliability_ids("reliability_round2_ids.txt"))


def test_round_3_reliability_texts_are_the_stated_random_draw() -> None:
    rows = sorted(random.Random("20261204:round3-reliability").sample(range(500), 60))
    round_3 = texts()["post_id"].iloc[ROUND_1 + ROUND_2 :]
    assert round_3.iloc[rows].tolist() == reliability_ids("reliability_round3_ids.txt")
    second = labels()[labels()["annotator"] == "B3"]["text_id"]
    assert second.tolist() == reliability_ids("reliability_round3_ids.txt")


@pytest.mark.parametrize("pool", POOLS)
def test_each_pool_has_at_least_40_labelled_texts(pool: str) -> None:
    pool_ids = set(texts().loc[texts()["pool"] == pool, "post_id"])
    assert len(pool_ids & set(primary()["text_id"])) >= 40


def test_at_least_1500_labelled_texts() -> None:
    assert set(texts()["pool"]) == set(POOLS)
    assert primary()["text_id"].nunique() >= 1500
    assert len(labels()[labels()["annotator"].isin(SECOND)]) >= 200  # labelled twice


def _readme_figure(name: str) -> float:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"Cohen's kappa \({re.escape(name)}\)[^*\n]*\*\*(\d\.\d{{3}})\*\*", readme)
    assert match, f"README.md states no Cohen's kappa ({name})"
    return float(match.group(1))


@pytest.mark.parametrize(
    ("name", "compute"),
    [("3 classes", "three_class"), ("positive vs negative", "binary")],
)
def test_readme_states_the_computed_kappa(name: str, compute: str) -> None:
    script = merge_script()
    result = getattr(script, compute)(script.merged_labels(CORPUS))
    if compute == "three_class":
        assert result.n == 250 + 120 + 60
    assert round(result.kappa, 3) == _readme_figure(name)


def test_kappa_function_on_known_cases() -> None:
    kappa = merge_script().cohen_kappa
    classes = ("positive", "negative", "neutral")
    same = ["positive", "negative", "neutral", "neutral"]
    assert kappa(same, same, classes) == pytest.approx(1.0)
    # observed 0.5, chance 0.5: no agreement beyond chance
    first = ["positive", "positive", "negative", "negative"]
    second = ["positive", "negative", "positive", "negative"]
    assert kappa(first, second, classes) == pytest.approx(0.0)
