"""Merge the sentiment corpus labels into labels.csv and measure inter-annotator agreement.

Run: .venv/bin/python scripts/merge_corpus_labels.py [--check]

Reads crypto_assets_tests/fixtures/eval/corpus/: texts.csv and the raw label files in labels/.
Round 1 (the first 2,180 rows of texts.csv): labels_1.csv .. labels_6.csv, session k labelling
rows (k-1)*364 .. k*364-1 (annotator "A<k>"), and labels_second_annotator.csv (annotator "B",
the texts of reliability_ids.txt). Round 2 (the rows after them): labels_7.csv .. labels_12.csv,
the rows dealt to sessions 7..12 by ``round_2_sessions`` (a seeded shuffle, so no session sees
one era or one subreddit only), and labels_second_annotator_round2.csv (annotator "B2", the texts
of reliability_round2_ids.txt). Round 3 (every row after round 2): labels_13.csv ..
labels_19.csv, dealt by ``round_3_sessions`` the same way, and
labels_second_annotator_round3.csv (annotator "B3", reliability_round3_ids.txt). Writes
labels.csv (text_id,label,annotator,note; primary rows by session, then the second
annotators' rows), byte for byte the same on every run; --check only
compares and exits 1 if labels.csv is stale. Then prints the corpus counts and the agreement on
the doubly-labelled texts (Cohen's kappa with a percentile bootstrap interval over texts, raw
agreement, confusion matrix; kappa on the texts both annotators called polar).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "crypto_assets_tests/fixtures/eval/corpus"
CHUNK = 364
SESSIONS = 6
ROUND_1 = 2180
ROUND_2_SESSIONS = range(7, 13)
ROUND_2 = 1311
ROUND_3_SESSIONS = range(13, 20)
SEED = 20261204
# Second annotator -> (raw label file, file of the text ids it labelled).
SECOND = {
    "B": ("labels/labels_second_annotator.csv", "labels/reliability_ids.txt"),
    "B2": ("labels/labels_second_annotator_round2.csv", "labels/reliability_round2_ids.txt"),
    "B3": ("labels/labels_second_annotator_round3.csv", "labels/reliability_round3_ids.txt"),
}
CLASSES = ("positive", "negative", "neutral")
POLAR = ("positive", "negative")
COLUMNS = ["text_id", "label", "annotator", "note"]
BOOTSTRAP_SEED = 20261206
RESAMPLES = 2000
UNCLEAR = r"\bunclear\b"


def read_table(path: Path) -> pd.DataFrame:
    """A CSV file as strings, empty cells kept as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def read_texts(corpus: Path = CORPUS) -> pd.DataFrame:
    """texts.csv in file order."""
    return read_table(corpus / "texts.csv")


def _checked(rows: pd.DataFrame, expected: Sequence[str], name: str) -> pd.DataFrame:
    if list(rows.columns) != ["text_id", "label", "note"]:
        raise ValueError(f"{name}: columns {list(rows.columns)}")
    if sorted(rows["text_id"]) != sorted(expected) or not rows["text_id"].is_unique:
        raise ValueError(f"{name}: ids are not exactly the expected {len(expected)} texts")
    bad = sorted(set(rows["label"]) - set(CLASSES))
    if bad:
        raise ValueError(f"{name}: unknown labels {bad}")
    order = {text_id: i for i, text_id in enumerate(expected)}
    return rows.sort_values("text_id", key=lambda s: s.map(order), kind="stable")


def round_2_sessions(ids: Sequence[str]) -> dict[int, list[str]]:
    """Round 2's text ids (the ROUND_2 rows after ROUND_1) dealt to sessions 7..12."""
    return _deal(ids[ROUND_1 : ROUND_1 + ROUND_2], ROUND_2_SESSIONS, "round2-sessions")


def round_3_sessions(ids: Sequence[str]) -> dict[int, list[str]]:
    """Round 3's text ids (every row after round 2) dealt to sessions 13..19."""
    return _deal(ids[ROUND_1 + ROUND_2 :], ROUND_3_SESSIONS, "round3-sessions")


def _deal(fresh: Sequence[str], sessions: range, salt: str) -> dict[int, list[str]]:
    """A seeded shuffle dealt round-robin, each session's ids kept in texts.csv order."""
    order = list(range(len(fresh)))
    random.Random(f"{SEED}:{salt}").shuffle(order)
    n = len(sessions)
    return {k: [fresh[i] for i in sorted(order[j::n])] for j, k in enumerate(sessions)}


def merged_labels(corpus: Path = CORPUS) -> pd.DataFrame:
    """All labels, one row per (text_id, annotator), checked against texts.csv."""
    ids = read_texts(corpus)["post_id"].tolist()
    if len(ids) <= ROUND_1:
        raise ValueError(f"texts.csv has {len(ids)} rows: round 2 is missing")
    chunks = {k: ids[(k - 1) * CHUNK : min(k * CHUNK, ROUND_1)] for k in range(1, SESSIONS + 1)}
    parts = []
    for k, expected in {**chunks, **round_2_sessions(ids), **round_3_sessions(ids)}.items():
        name = f"labels/labels_{k}.csv"
        parts.append(_checked(read_table(corpus / name), expected, name).assign(annotator=f"A{k}"))
    for annotator, (name, id_file) in SECOND.items():
        listed = (corpus / id_file).read_text(encoding="utf-8").split()
        in_order = [text_id for text_id in ids if text_id in set(listed)]
        if len(in_order) != len(listed):
            raise ValueError(f"{id_file} names texts that texts.csv lacks or repeats")
        parts.append(
            _checked(read_table(corpus / name), in_order, name).assign(annotator=annotator)
        )
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def render(labels: pd.DataFrame) -> str:
    """labels.csv's text: a header and one line per row, '\\n' line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(labels[COLUMNS].itertuples(index=False, name=None))
    return out.getvalue()


def primary(labels: pd.DataFrame) -> pd.DataFrame:
    """The primary label of every text (annotators A1..A19)."""
    return labels[~labels["annotator"].isin(SECOND)].reset_index(drop=True)


def paired(labels: pd.DataFrame, second: Sequence[str] = tuple(SECOND)) -> pd.DataFrame:
    """text_id, first, second, first_note, second_note for the texts ``second`` labelled."""
    second = labels[labels["annotator"].isin(second)]
    both = second.merge(primary(labels), on="text_id", suffixes=("_b", "_a"), validate="1:1")
    return pd.DataFrame(
        {
            "text_id": both["text_id"],
            "first": both["label_a"],
            "second": both["label_b"],
            "first_note": both["note_a"],
            "second_note": both["note_b"],
        }
    )


def confusion(first: Sequence[str], second: Sequence[str], classes: Sequence[str]) -> np.ndarray:
    """Counts: rows the first annotator's class, columns the second's, in `classes` order."""
    index = {c: i for i, c in enumerate(classes)}
    matrix = np.zeros((len(classes), len(classes)), dtype=np.int64)
    for a, b in zip(first, second, strict=True):
        matrix[index[a], index[b]] += 1
    return matrix


def kappa_of(matrix: np.ndarray) -> np.ndarray:
    """Cohen's kappa of confusion matrices (..., k, k); NaN where chance agreement is 1."""
    matrix = np.asarray(matrix, dtype=float)
    n = matrix.sum(axis=(-2, -1))
    observed = np.trace(matrix, axis1=-2, axis2=-1) / n
    chance = (matrix.sum(axis=-1) * matrix.sum(axis=-2)).sum(axis=-1) / n**2
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(chance < 1, (observed - chance) / (1 - chance), np.nan)


def cohen_kappa(first: Sequence[str], second: Sequence[str], classes: Sequence[str]) -> float:
    """Cohen's kappa of two annotators' labels of the same texts."""
    return float(kappa_of(confusion(first, second, classes)))


def bootstrap_interval(
    first: Sequence[str],
    second: Sequence[str],
    classes: Sequence[str],
    resamples: int = RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float]:
    """95% percentile interval of kappa over texts resampled with replacement."""
    index = {c: i for i, c in enumerate(classes)}
    k = len(classes)
    cells = np.array([index[a] * k + index[b] for a, b in zip(first, second, strict=True)])
    draws = np.random.default_rng(seed).integers(0, len(cells), size=(resamples, len(cells)))
    offset = np.arange(resamples)[:, None] * k * k
    counts = np.bincount((cells[draws] + offset).ravel(), minlength=resamples * k * k)
    kappas = kappa_of(counts.reshape(resamples, k, k))
    low, high = np.nanpercentile(kappas, [2.5, 97.5])
    return float(low), float(high)


@dataclass(frozen=True)
class Agreement:
    """Agreement of two annotators over one set of texts."""

    n: int
    raw: float
    kappa: float
    interval: tuple[float, float]
    matrix: np.ndarray
    classes: tuple[str, ...]


def agreement(first: Sequence[str], second: Sequence[str], classes: Sequence[str]) -> Agreement:
    """Raw agreement, kappa, its bootstrap interval and the confusion matrix."""
    matrix = confusion(first, second, classes)
    return Agreement(
        n=int(matrix.sum()),
        raw=float(np.trace(matrix) / matrix.sum()),
        kappa=float(kappa_of(matrix)),
        interval=bootstrap_interval(first, second, classes),
        matrix=matrix,
        classes=tuple(classes),
    )


def three_class(labels: pd.DataFrame, second: Sequence[str] = tuple(SECOND)) -> Agreement:
    """Agreement over the doubly-labelled texts (of the ``second`` annotators), three classes."""
    pairs = paired(labels, second)
    return agreement(pairs["first"].tolist(), pairs["second"].tolist(), CLASSES)


def binary(labels: pd.DataFrame, second: Sequence[str] = tuple(SECOND)) -> Agreement:
    """Agreement over the doubly-labelled texts both annotators called positive or negative."""
    pairs = paired(labels, second)
    polar = pairs[pairs["first"].isin(POLAR) & pairs["second"].isin(POLAR)]
    return agreement(polar["first"].tolist(), polar["second"].tolist(), POLAR)


def _table(frame: pd.DataFrame) -> str:
    head = "| " + " | ".join(str(c) for c in [frame.index.name or "", *frame.columns]) + " |"
    rule = "|" + "---|" * (len(frame.columns) + 1)
    body = ["| " + " | ".join(str(v) for v in [i, *row]) + " |" for i, row in frame.iterrows()]
    return "\n".join([head, rule, *body])


def _describe(name: str, result: Agreement) -> str:
    matrix = pd.DataFrame(result.matrix, index=result.classes, columns=result.classes)
    matrix.index.name = "primary \\ second"
    low, high = result.interval
    return (
        f"{name}: n={result.n}, raw agreement {result.raw:.3f}, Cohen's kappa {result.kappa:.3f} "
        f"(95% bootstrap {low:.3f} .. {high:.3f})\n{_table(matrix)}"
    )


def report(labels: pd.DataFrame, texts: pd.DataFrame) -> str:
    """Corpus counts and agreement figures, as Markdown, for the README."""
    first = primary(labels).merge(texts, left_on="text_id", right_on="post_id", validate="1:1")
    words = (first["title"] + " " + first["selftext"]).str.split().str.len()
    first["body"] = np.where(first["selftext"].str.strip() != "", "with body", "title only")
    first["length"] = pd.cut(words, [0, 19, 99, np.inf], labels=["<20", "20-99", ">=100"])
    first["unclear"] = first["note"].str.contains(UNCLEAR, case=False)
    pairs = paired(labels)
    sure = pairs[
        ~pairs["first_note"].str.contains(UNCLEAR, case=False)
        & ~pairs["second_note"].str.contains(UNCLEAR, case=False)
    ]
    sure_kappa = cohen_kappa(sure["first"].tolist(), sure["second"].tolist(), CLASSES)
    sure_raw = float((sure["first"] == sure["second"]).mean())
    may = first[first["pool"] == "2022-05"]
    repeated = first[first.duplicated(["title", "selftext"], keep=False)]
    same = repeated.groupby(["title", "selftext"])["label"].nunique().eq(1)
    by_pool = pd.crosstab(first["pool"], first["label"], margins=True)[[*CLASSES, "All"]]
    by_pool["unclear"] = first.groupby("pool")["unclear"].sum()
    by_pool.loc["All", "unclear"] = first["unclear"].sum()
    sections = [
        "texts per pool and period\n" + _table(pd.crosstab(first["pool"], first["period"])),
        "texts per pool and subreddit\n"
        + _table(pd.crosstab(first["subreddit"], first["pool"], margins=True)),
        "body and length (words of title + body)\n"
        + _table(
            pd.concat(
                [
                    pd.crosstab(first["pool"], first["body"], margins=True),
                    pd.crosstab(first["pool"], first["length"], margins=True),
                ],
                axis=1,
            )
        ),
        "primary labels per pool\n" + _table(by_pool.astype(int)),
        "primary labels per period of 2022-05\n"
        + _table(pd.crosstab(may["period"], may["label"])[list(CLASSES)]),
        "primary labels per session\n"
        + _table(pd.crosstab(first["annotator"], first["label"])[list(CLASSES)]),
        _describe("three classes, all second annotators", three_class(labels)),
        _describe("positive vs negative (both polar), all second annotators", binary(labels)),
        *(
            _describe(f"{name} only, three classes / polar", three_class(labels, [name]))
            + f"\npolar kappa {binary(labels, [name]).kappa:.3f}"
            for name in SECOND
        ),
        f"neither note 'unclear': n={len(sure)}, raw {sure_raw:.3f}, kappa {sure_kappa:.3f}",
        f"texts repeated verbatim (title + body): {len(same)} groups, {int(same.sum())} "
        "with one label",
    ]
    return "\n\n".join(sections)


def main() -> None:
    """Write (or --check) labels.csv, then print the counts and agreement figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only, exit 1 if stale")
    args = parser.parse_args()
    labels = merged_labels()
    text = render(labels)
    out = CORPUS / "labels.csv"
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            sys.exit(f"{out.relative_to(REPO)} is stale: run {Path(__file__).name}")
    else:
        out.write_text(text, encoding="utf-8", newline="")
        print(f"{len(labels)} labels -> {out.relative_to(REPO)}\n")
    print(report(labels, read_texts()))


if __name__ == "__main__":
    main()
