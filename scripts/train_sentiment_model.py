"""Train the shipped sentiment classifier (crypto_assets/nlp/sentiment/model.json).

Run: .venv/bin/python scripts/train_sentiment_model.py [--dry-run]
Data: hand labels only, written for this project by reading the recorded posts —
crypto_assets_tests/fixtures/eval/sentiment_train_labels.csv (the ``train`` split) and the
``dev`` split of sentiment_labels.csv. Hyper-parameters are chosen by binary accuracy on dev
for a model fitted on train alone; the shipped model is then refitted on train + dev. The
``test`` split is never read here (bench_sentiment_quality.py reports it).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
from pathlib import Path

from crypto_assets.nlp.sentiment import SentimentScorer, combined_text
from crypto_assets.nlp.sentiment.model import CLASSES
from crypto_assets_tools.sentiment_eval import balanced_binary_accuracy, binary_accuracy, macro_f1
from crypto_assets_tools.sentiment_training import to_json, train

REPO = Path(__file__).resolve().parents[1]
POSTS = REPO / "crypto_assets/sources/recordings/reddit_crypto_posts_praw_2025-10-30_1533posts.json"
EVAL = REPO / "crypto_assets_tests/fixtures/eval"
OUT = REPO / "crypto_assets/nlp/sentiment/model.json"
GRID = {"l2": (0.0001, 0.0003, 0.001, 0.003, 0.01), "min_df": (2,), "vader_scale": (1.0, 3.0)}


def labelled(split: str) -> list[tuple[str, str, str]]:
    """(post_id, title, combined text) and label of one split, in file order."""
    name = "sentiment_train_labels.csv" if split == "train" else "sentiment_labels.csv"
    with (EVAL / name).open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("split", "train") == split]
    posts = {p["post_id"]: p for p in json.loads(POSTS.read_text(encoding="utf-8"))}
    out = []
    for row in rows:
        post = posts[row["post_id"]]
        out.append(
            (post["title"], combined_text(post["title"], post.get("selftext")), row["label"])
        )
    return out


def main() -> None:
    """Select hyper-parameters on dev, refit on train + dev, write the weights file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the grid, write nothing")
    args = parser.parse_args()
    scorer = SentimentScorer(use_crypto_lexicon=True)

    def prepare(rows: list[tuple[str, str, str]]) -> tuple[list[str], list[list[float]], list[str]]:
        vader = [[scorer.compound(title), scorer.compound(text)] for title, text, _ in rows]
        return [text for _, text, _ in rows], vader, [label for _, _, label in rows]

    train_set, dev_set = prepare(labelled("train")), prepare(labelled("dev"))
    print(f"train {len(train_set[0])} posts, dev {len(dev_set[0])} posts")
    results = []
    for l2, min_df, scale in itertools.product(*GRID.values()):
        hyper = {"l2": l2, "min_df": min_df, "vader_scale": scale}
        model = train(*train_set, l2=l2, min_df=min_df, vader_scale=scale, version="")
        probs = [model.probabilities(t, v) for t, v in zip(dev_set[0], dev_set[1], strict=True)]
        scores = [p["positive"] - p["negative"] for p in probs]
        predicted = [max(CLASSES, key=p.__getitem__) for p in probs]
        balanced = balanced_binary_accuracy(dev_set[2], scores)
        binary, _ = binary_accuracy(dev_set[2], scores)
        f1 = macro_f1(dev_set[2], predicted)
        results.append((balanced, f1, binary, hyper))
        print(f"  {hyper}  dev balanced={balanced:.3f} binary={binary:.3f} macroF1={f1:.3f}")
    # Balanced binary accuracy: plain binary accuracy rewards calling every post positive.
    balanced, f1, binary, best = max(results, key=lambda r: (r[0], r[1]))
    print(f"chosen {best}: dev balanced={balanced:.3f} binary={binary:.3f} macroF1={f1:.3f}")
    if args.dry_run:
        return
    everything = tuple(a + b for a, b in zip(train_set, dev_set, strict=True))
    version = "m1-" + "-".join(f"{k}{v}" for k, v in best.items())
    model = train(*everything, **best, version=version)  # type: ignore[arg-type]
    trained_on = (
        f"{len(everything[0])} hand-labelled Reddit posts (train split: "
        "sentiment_train_labels.csv; dev split: sentiment_labels.csv), labels by this project"
    )
    OUT.write_text(json.dumps(to_json(model, trained_on, best), separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(model.vocabulary):,} terms)")


if __name__ == "__main__":
    main()
