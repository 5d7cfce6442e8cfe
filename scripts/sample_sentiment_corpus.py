"""Draw the texts of the sentiment corpus (crypto_assets_tests/fixtures/eval/corpus/texts.csv).

Run: .venv/bin/python scripts/sample_sentiment_corpus.py --may-2022 DIR [--other FILE ...]

The procedure, fixed so that anyone can redraw the same sample:
- Pool "2022-05": every post of the six May-2022 subreddit files in DIR (r/Bitcoin, r/CoinBase,
  r/CryptoMarkets, r/binance, r/dogecoin, r/ethereum), in three periods: `before` the Terra
  collapse (05-01..05-08), `crash` (05-13..05-20, the days after it) and `after`
  (05-21..05-31). From each (subreddit, period) cell, 60 posts drawn without replacement.
- Pool "2025-10": the posts of the shipped 2025 recording that no earlier label file holds
  (index i % 6 in (2, 4) when sorted by created_utc, post_id); 300 drawn without replacement.
- Pools of other years (`--other`, NDJSON of post objects with id, subreddit, created_utc,
  title, selftext): up to 100 drawn per (source file, subreddit), from subreddits with at
  least 50 posts in the file.
- Posts whose title and body are both empty are not drawn. Every draw uses
  random.Random(SEED) seeded per pool, over posts sorted by id, so the sample does not depend
  on file order; a post is named by its Reddit id, so adding a pool keeps the others' draws.

Round 2 (`--round-2`, run after round 1 with the same files) appends texts from outside May
2022 — the training side of the out-of-period split — to the rows already in texts.csv:
- "2025-10": every remaining readable post with i % 6 in (2, 4), in (created_utc, post_id) order;
- other years: up to ROUND_2[(file, subreddit)] further posts per stratum, drawn without
  replacement with random.Random(f"{SEED}:round2:<file>|<subreddit>") from the stratum's posts
  not yet in texts.csv, sorted by id.
Round 1 rows are kept byte for byte; round 2 rows follow them.

Round 3 (`--round-3`, after round 2) appends ROUND_3[(file, subreddit)] further posts per
stratum the same way, salted "round3", for the two groups that still measured worst after
round 2 (r/Bitcoin and r/btc held out), from posts that have a Reddit id and were created in
the years the corpus's eras cover (the 2024 listing holds a few older posts; the Nov 2022 - Jan
2023 file one post without an id). Earlier rows are kept byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

SEED = 20261204
REPO = Path(__file__).resolve().parents[1]
RECORDING = (
    REPO / "crypto_assets/sources/recordings/reddit_crypto_posts_praw_2025-10-30_1533posts.json"
)
OUT = REPO / "crypto_assets_tests/fixtures/eval/corpus/texts.csv"
PER_CELL_2022 = 60
FROM_2025 = 300
PER_OTHER = 100
MIN_OTHER = 50
# Round 2 sizes per (source file, subreddit): more 2021 and r/btc, the groups that measured worst.
ROUND_2 = {
    ("tmthchan_cryptocurrency_2021jul.ndjson", "CryptoCurrency"): 200,
    ("samglindy_ethereum_2021jan_apr.ndjson", "ethereum"): 200,
    ("ssaurbier_btc_eth_2022dec_2023jan_raw.ndjson", "Bitcoin"): 100,
    ("ssaurbier_btc_eth_2022dec_2023jan_raw.ndjson", "ethereum"): 100,
    ("charans2702_hot_2024.ndjson", "Bitcoin"): 100,
    ("charans2702_hot_2024.ndjson", "btc"): 200,
    ("charans2702_hot_2024.ndjson", "CryptoCurrency"): 100,
    ("charans2702_hot_2024.ndjson", "CryptoNews"): 100,
}
# Round 3: r/btc teaches the r/Bitcoin split and r/Bitcoin the r/btc split (each is held out whole).
ROUND_3 = {
    ("ssaurbier_btc_eth_2022dec_2023jan_raw.ndjson", "Bitcoin"): 150,
    ("charans2702_hot_2024.ndjson", "Bitcoin"): 150,
    ("charans2702_hot_2024.ndjson", "btc"): 200,
}
ROUND_3_YEARS = frozenset({"2021", "2022", "2023", "2024"})
COLUMNS = ["pool", "post_id", "subreddit", "created_utc", "period", "title", "selftext"]


def _period(created: datetime) -> str:
    if created.day <= 8:
        return "before"
    return "crash" if created.day <= 20 else "after"


def _row(pool: str, post: dict, created: datetime, period: str) -> dict:
    return {
        "pool": pool,
        "post_id": post["id"],
        "subreddit": post["subreddit"],
        "created_utc": created.strftime("%Y-%m-%dT%H:%M:%S"),
        "period": period,
        "title": post.get("title") or "",
        "selftext": post.get("selftext") or "",
    }


def _readable(post: dict) -> bool:
    return bool((post.get("title") or "").strip() or (post.get("selftext") or "").strip())


def _draw(rows: list[dict], n: int, salt: str) -> list[dict]:
    rows = sorted(rows, key=lambda r: r["post_id"])
    return random.Random(f"{SEED}:{salt}").sample(rows, min(n, len(rows)))


def pool_2022(folder: Path) -> list[dict]:
    """60 posts per (subreddit, period) of May 2022."""
    cells: dict[tuple[str, str], list[dict]] = {}
    for path in sorted(folder.glob("*_2022-05.ndjson")):
        for line in path.read_text(encoding="utf-8").splitlines():
            post = json.loads(line)
            if not _readable(post):
                continue
            created = datetime.fromtimestamp(post["created_utc"], UTC)
            row = _row("2022-05", post, created, _period(created))
            cells.setdefault((post["subreddit"], row["period"]), []).append(row)
    return [r for key in sorted(cells) for r in _draw(cells[key], PER_CELL_2022, "|".join(key))]


def _eligible_2025() -> list[dict]:
    """The recording's readable posts that no earlier label file holds, in time order."""
    posts = json.loads(RECORDING.read_text(encoding="utf-8"))
    posts.sort(key=lambda p: (p["created_utc"], p["post_id"]))
    rows = []
    for i, post in enumerate(posts):
        if i % 6 not in (2, 4) or not _readable(post):
            continue
        created = datetime.fromisoformat(post["created_utc"])
        permalink_sub = post["permalink"].split("/")[4] if "/r/" in post["permalink"] else None
        record = {**post, "id": post["post_id"], "subreddit": permalink_sub or post["subreddit"]}
        rows.append(_row("2025-10", record, created, "calm"))
    return rows


def pool_2025() -> list[dict]:
    """300 of the recording's posts that no earlier label file holds."""
    return _draw(_eligible_2025(), FROM_2025, "2025")


def _read_other(path: Path) -> dict[str, list[dict]]:
    """The readable posts of one NDJSON file of another year, by subreddit."""
    by_sub: dict[str, list[dict]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        post = json.loads(line)
        if not _readable(post):
            continue
        created = datetime.fromtimestamp(float(post["created_utc"]), UTC)
        by_sub.setdefault(post["subreddit"], []).append(
            _row(f"{created:%Y}", post, created, "other")
        )
    return by_sub


def round_2(drawn: set[str], others: list[Path]) -> list[dict]:
    """Texts outside May 2022 that round 1 did not draw (see the docstring)."""
    rows = [r for r in _eligible_2025() if r["post_id"] not in drawn]
    return rows + _more_other(drawn, others, ROUND_2, "round2")


def round_3(drawn: set[str], others: list[Path]) -> list[dict]:
    """More r/Bitcoin and r/btc texts of other years that rounds 1 and 2 did not draw."""
    return _more_other(drawn, others, ROUND_3, "round3", keep=_round_3_eligible)


def _round_3_eligible(row: dict) -> bool:
    """A post round 3 may draw: it has a Reddit id and a year one of the eras covers."""
    return bool(row["post_id"]) and row["pool"] in ROUND_3_YEARS


def _more_other(
    drawn: set[str],
    others: list[Path],
    sizes: dict,
    salt: str,
    keep: Callable[[dict], bool] = lambda row: True,
) -> list[dict]:
    """Per (file, subreddit), sizes[...] posts not yet drawn, sampled with a salted seed."""
    rows: list[dict] = []
    for path in others:
        by_sub = _read_other(path)
        for sub in sorted(by_sub):
            n = sizes.get((path.name, sub), 0)
            fresh = sorted(
                (r for r in by_sub[sub] if r["post_id"] not in drawn and keep(r)),
                key=lambda r: r["post_id"],
            )
            rows += random.Random(f"{SEED}:{salt}:{path.name}|{sub}").sample(
                fresh, min(n, len(fresh))
            )
    return rows


def pool_other(path: Path) -> list[dict]:
    """Up to 100 posts per subreddit of one NDJSON file of another year."""
    by_sub = _read_other(path)
    return [
        r
        for sub in sorted(by_sub)
        if len(by_sub[sub]) >= MIN_OTHER
        for r in _draw(by_sub[sub], PER_OTHER, f"{path.name}|{sub}")
    ]


def main() -> None:
    """Draw the sample and write texts.csv."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--may-2022", type=Path, required=True, help="folder of *_2022-05.ndjson")
    parser.add_argument("--other", type=Path, action="append", default=[])
    parser.add_argument("--round-2", action="store_true", help="append round 2 to texts.csv")
    parser.add_argument("--round-3", action="store_true", help="append round 3 (after round 2)")
    args = parser.parse_args()
    rows = pool_2022(args.may_2022) + pool_2025()
    for path in args.other:
        rows += pool_other(path)
    if args.round_2 or args.round_3:
        with OUT.open(encoding="utf-8", newline="") as f:
            kept = list(csv.DictReader(f))  # earlier rows stay byte for byte
        earlier = rows + (round_2({r["post_id"] for r in rows}, args.other) if args.round_3 else [])
        if [r["post_id"] for r in kept] != [r["post_id"] for r in earlier]:
            raise SystemExit(
                "texts.csv is not the earlier rounds of these files; redraw them first"
            )
        more = round_3 if args.round_3 else round_2
        rows = kept + more({r["post_id"] for r in kept}, args.other)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} texts -> {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
