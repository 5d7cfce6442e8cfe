"""Directions for the light model's held-out gaps, not the shipped model, on the corpus splits.

Run: .venv/bin/python benchmarks/bench_sentiment_directions.py [--split NAME ...] [--variant V ...]
     [--selection]
Variants (``crypto_assets_tools.sentiment_directions`` describes them), each refitted on every
fold's training texts with the shipped light model's hyper-parameters:
- ``light``: the shipped light model, as benchmarks/bench_sentiment_generalisation.py fits it;
- ``copies-W``: fitted with subreddit copies of its features at weight W, shared weights kept;
- ``no-function-words``: fitted without single function words as terms;
- ``oracle-prior``: ``light`` re-weighted to the test texts' true class shares (reads them).
Prints binary accuracy, balanced accuracy and macro-F1 with 95% intervals, one row per
(split, variant). About 12 minutes for the default splits and variants on 2 cores.
``--selection`` instead scores the variants as scripts/train_sentiment_model.py chooses the
shipped model: mean balanced accuracy and macro-F1 over the selection folds (leave one era out
among the texts outside May 2022), so a direction is judged by the rule the light model was.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os

from crypto_assets.nlp.sentiment import SentimentScorer
from crypto_assets.nlp.sentiment.model import _shipped_text
from crypto_assets_tools.sentiment_corpus import all_splits, load_corpus, selection_split
from crypto_assets_tools.sentiment_directions import (
    oracle_prior_fitter,
    subreddit_copies_fitter,
    without_function_words_fitter,
)
from crypto_assets_tools.sentiment_metrics import selection_score
from crypto_assets_tools.sentiment_models import Fitter, VaderCache, evaluate, light_fitter

DEFAULT_SPLITS = ("in-domain (5-fold)", "crash days 13-20 May 2022", "era 2021", "r/Bitcoin")
DEFAULT_VARIANTS = (
    "light", "copies-0.7", "copies-1.0", "copies-1.4", "no-function-words", "oracle-prior",
)  # fmt: skip
_STATE: dict = {}  # filled once in main, shared with the forked workers


def fitter(variant: str, vader: VaderCache, hyper: dict) -> Fitter:
    """The fitter a variant name stands for."""
    if variant == "light":
        return light_fitter(vader, **hyper)
    if variant == "no-function-words":
        return without_function_words_fitter(vader, **hyper)
    if variant == "oracle-prior":
        return oracle_prior_fitter(vader, **hyper)
    weight = variant.removeprefix("copies-")
    if variant.startswith("copies-") and weight.replace(".", "", 1).isdigit():
        return subreddit_copies_fitter(vader, weight=float(weight), **hyper)
    raise ValueError(
        f"--variant {variant!r}: expected light, no-function-words, oracle-prior or copies-<weight>"
    )


def _run(job: tuple[str, str]) -> str:
    """One table row: a variant's figures on one split."""
    name, variant = job
    s = _STATE
    scores = evaluate(s["texts"], s["splits"][name], fitter(variant, s["vader"], s["hyper"]))
    cells = [
        f"{f.value:.3f} ({f.low:.3f}\N{EN DASH}{f.high:.3f})"
        for f in (scores.binary, scores.balanced, scores.macro_f1)
    ]
    return f"| {name} | {scores.polar} | {variant} | " + " | ".join(cells) + " |"


def _select(variant: str) -> str:
    """One selection-table row: a variant's mean figures over the selection folds."""
    s = _STATE
    fit = fitter(variant, s["vader"], s["hyper"])
    balanced, macro_f1 = selection_score(fit, s["texts"], s["selection"].folds)
    return f"| {variant} | {balanced:.3f} | {macro_f1:.3f} |"


def main() -> None:
    """Fit every variant on every chosen split and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", action="append", help=f"default: {', '.join(DEFAULT_SPLITS)}")
    parser.add_argument("--variant", action="append", help=f"default: {' '.join(DEFAULT_VARIANTS)}")
    parser.add_argument(
        "--selection", action="store_true", help="score on the selection folds instead"
    )
    args = parser.parse_args()
    texts = load_corpus()
    vader = VaderCache(SentimentScorer(use_crypto_lexicon=True))
    for text in texts:
        vader(text)  # warm the cache once, before the workers fork
    shipped = json.loads(_shipped_text())["hyperparameters"]
    hyper = {k: shipped[k] for k in ("l2", "min_df", "vader_scale")}
    splits = {s.name: s for s in all_splits(texts)}
    names = args.split or list(DEFAULT_SPLITS)
    unknown = [n for n in names if n not in splits]
    if unknown:
        parser.error(f"--split {unknown}: expected one of {sorted(splits)}")
    variants = args.variant or list(DEFAULT_VARIANTS)
    for variant in variants:
        try:
            fitter(variant, vader, hyper)  # refuse a bad name before any fit
        except ValueError as exc:
            parser.error(str(exc))
    _STATE.update(
        texts=texts, vader=vader, hyper=hyper, splits=splits, selection=selection_split(texts)
    )
    print(f"hyper-parameters {hyper}")
    if args.selection:
        print("| variant | selection balanced accuracy | selection macro-F1 |")
        print("|---|---|---|")
        with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
            for row in pool.imap(_select, variants):
                print(row, flush=True)
        return
    print("| split | polar texts | variant | binary accuracy | balanced accuracy | macro-F1 |")
    print("|---|---|---|---|---|---|")
    jobs = [(name, variant) for name in names for variant in variants]
    # One worker per core: each job is an independent numpy fit.
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        for row in pool.imap(_run, jobs):
            print(row, flush=True)


if __name__ == "__main__":
    main()
