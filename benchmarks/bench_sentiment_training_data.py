"""Would more, or other, training texts close the light model's held-out gaps?

Run: .venv/bin/python benchmarks/bench_sentiment_training_data.py [--split NAME ...]
     [--share S ...] [--seeds N] [--drop SUBREDDIT ... | --no-drops]
For each held-out split (default: r/Bitcoin and era 2021, the two past the 5-point line) the
shipped light model is refitted with its hyper-parameters on:
- a seeded random share of the split's training texts (default 0.4, 0.6, 0.8; N seeds each,
  default 5, averaged) and on all of them: the learning curve, fitted as accuracy against
  log2(training texts), gives points per doubling and the doublings each gap would need if the
  curve held;
- all training texts but one subreddit's, for every training subreddit (or each --drop),
  beside what the curve expects at that smaller size (a random drop of as many texts).
The gaps are to the in-domain figure (5-fold, every text) and to the same texts' in-domain
reading. Test texts never change. About 4 minutes for the defaults on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics

from crypto_assets.nlp.sentiment import SentimentScorer
from crypto_assets.nlp.sentiment.model import _shipped_text
from crypto_assets_tools.sentiment_corpus import (
    CorpusText,
    Split,
    all_splits,
    in_domain_split,
    load_corpus,
)
from crypto_assets_tools.sentiment_models import (
    VaderCache,
    evaluate,
    evaluate_with_predictions,
    light_fitter,
    same_texts_reading,
)
from crypto_assets_tools.training_subsets import (
    LogFit,
    doublings_to_close,
    log_fit,
    subsampled,
    without_training_subreddit,
)

DEFAULT_SPLITS = ("r/Bitcoin", "era 2021")
DEFAULT_SHARES = (0.4, 0.6, 0.8)
_STATE: dict = {}  # filled once in main, shared with the forked workers


def _fit(job: tuple[str, str, Split]) -> tuple[str, str, int, float, float]:
    """(split, what, training texts, binary, balanced) of the light model on one variation."""
    name, what, split = job
    s = _STATE
    scores = evaluate(s["texts"], split, light_fitter(s["vader"], **s["hyper"]))
    return name, what, len(split.folds[0][0]), scores.binary.value, scores.balanced.value


def _in_domain() -> tuple:
    """The in-domain figures and each text's in-domain (score, label), for the gaps."""
    s = _STATE
    split = in_domain_split(s["texts"])
    return evaluate_with_predictions(s["texts"], split, light_fitter(s["vader"], **s["hyper"]))


def _jobs(
    texts: list[CorpusText], split: Split, shares: list[float], seeds: int, drops: list[str] | None
) -> list[tuple]:
    """Every variation of one split's training texts, as (split name, what, split) jobs."""
    jobs = [(split.name, "all", split)]
    jobs += [
        (split.name, f"share {share}", subsampled(split, share, seed))
        for share in shares
        for seed in range(1, seeds + 1)
    ]
    if drops is not None:
        trained = sorted({texts[i].subreddit for i in split.folds[0][0]}, key=str.lower)
        jobs += [
            (split.name, f"without r/{sub}", without_training_subreddit(texts, split, sub))
            for sub in trained
            if not drops or sub in drops
        ]
    return jobs


def _curve_rows(results: list[tuple], name: str) -> list[tuple]:
    """One split's learning-curve fits: all its training texts and the shares, not the drops."""
    return [r for r in results if r[0] == name and not r[1].startswith("without")]


def _curves(results: list[tuple], name: str) -> tuple[LogFit, LogFit]:
    """The binary and balanced learning curves of one split."""
    rows = _curve_rows(results, name)
    return log_fit([r[2] for r in rows], [r[3] for r in rows]), log_fit(
        [r[2] for r in rows], [r[4] for r in rows]
    )


def _curve_tables(
    results: list[tuple],
    gaps: dict[str, tuple[float, float]],
    curves: dict[str, tuple[LogFit, LogFit]],
) -> None:
    """Print the learning curves and what each gap would need."""
    print("\n| split | training texts | binary accuracy | balanced accuracy |")
    print("|---|---|---|---|")
    for name, (strict, same) in gaps.items():
        rows = _curve_rows(results, name)
        for what in dict.fromkeys(r[1] for r in rows):
            mine = [r for r in rows if r[1] == what]
            binary = statistics.fmean(r[3] for r in mine)
            balanced = statistics.fmean(r[4] for r in mine)
            print(f"| {name} | {mine[0][2]} ({what}) | {binary:.3f} | {balanced:.3f} |")
        curve, balanced_curve = curves[name]
        print(
            f"| {name} | points per doubling | {curve.slope:+.2f} | {balanced_curve.slope:+.2f} |"
        )
        print(
            f"| {name} | binary gap to in-domain | {strict:+.1f} (doublings to -5: "
            f"{doublings_to_close(-strict - 5, curve.slope):.1f}) | to the same texts {same:+.1f} "
            f"(doublings to -5: {doublings_to_close(-same - 5, curve.slope):.1f}) |"
        )


def _drop_table(results: list[tuple], curves: dict[str, tuple[LogFit, LogFit]]) -> None:
    """Print each leave-one-training-subreddit-out fit beside the curve's expectation."""
    print("\n| split | training texts | binary (curve expects) | balanced (curve expects) |")
    print("|---|---|---|---|")
    for name, what, size, binary, balanced in results:
        if what.startswith("without"):
            by_binary, by_balanced = curves[name]
            print(
                f"| {name} | {size} ({what}) | {binary:.3f} ({by_binary.at(size):.3f}) | "
                f"{balanced:.3f} ({by_balanced.at(size):.3f}) |"
            )


def main() -> None:
    """Fit every variation of every chosen split and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", action="append", help=f"default: {', '.join(DEFAULT_SPLITS)}")
    parser.add_argument("--share", action="append", type=float, help="default: 0.4 0.6 0.8")
    parser.add_argument("--seeds", type=int, default=5, help="random draws per share")
    parser.add_argument("--drop", action="append", help="drop only these subreddits (no r/)")
    parser.add_argument("--no-drops", action="store_true", help="skip the subreddit drops")
    args = parser.parse_args()
    texts = load_corpus()
    splits = {s.name: s for s in all_splits(texts)}
    names = args.split or list(DEFAULT_SPLITS)
    unknown = [n for n in names if n not in splits or len(splits[n].folds) != 1]
    if unknown:
        held_out = sorted(n for n, s in splits.items() if len(s.folds) == 1)
        parser.error(f"--split {unknown}: expected one of {held_out}")
    unknown_drops = sorted(set(args.drop or ()) - {t.subreddit for t in texts})
    if unknown_drops:
        parser.error(f"--drop {unknown_drops}: no such subreddit in the corpus")
    shares = args.share or list(DEFAULT_SHARES)
    if any(not 0 < s < 1 for s in shares) or args.seeds < 1:
        parser.error("--share must be in (0, 1) and --seeds at least 1")
    vader = VaderCache(SentimentScorer(use_crypto_lexicon=True))
    for text in texts:
        vader(text)  # warm the cache once, before the workers fork
    shipped = json.loads(_shipped_text())["hyperparameters"]
    hyper = {k: shipped[k] for k in ("l2", "min_df", "vader_scale")}
    _STATE.update(texts=texts, vader=vader, hyper=hyper)
    print(f"hyper-parameters {hyper}")
    drops = None if args.no_drops else (args.drop or [])
    jobs = [job for n in names for job in _jobs(texts, splits[n], shares, args.seeds, drops)]
    # One worker per core: each job is an independent numpy fit; the in-domain folds run
    # beside them rather than before them.
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        in_domain = pool.apply_async(_in_domain)
        results = pool.map(_fit, jobs)
        home_scores, home = in_domain.get()
    print(f"in-domain binary accuracy {home_scores.binary.value:.3f}")
    gaps = {}
    for name in names:
        held_out = next(r[3] for r in results if r[0] == name and r[1] == "all")
        same = same_texts_reading(texts, home, splits[name]).binary.value
        gaps[name] = (100 * (held_out - home_scores.binary.value), 100 * (held_out - same))
    curves = {name: _curves(results, name) for name in names}
    _curve_tables(results, gaps, curves)
    if not args.no_drops:
        _drop_table(results, curves)


if __name__ == "__main__":
    main()
