"""Rebuild the four "other years" NDJSON files of the sentiment corpus from public GitHub repos.

Run: python scripts/build_corpus_sources.py --mirror-root /work/.mirror --out DIR

Each file is derived from CSVs at pinned commits of a bare git mirror (<root>/<owner>+<name>/repo
or <root>/<owner>+<name>), exactly as its note in crypto_assets_tests/fixtures/eval/corpus/sources/
<name>.ndjson.source.txt describes. Common rules: strings are HTML-unescaped and stripped;
selftext '[removed]'/'[deleted]' becomes ""; rows with neither title nor selftext are dropped;
the first row per id wins; the file is sorted by (created_utc, id). One JSON object per line,
keys id, subreddit, created_utc, title, selftext, written with json.dumps(ensure_ascii=False)
and a trailing newline. Every output's sha256 is checked against the value in its note.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import html
import io
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

NOTES = Path(__file__).resolve().parents[1] / "crypto_assets_tests/fixtures/eval/corpus/sources"
CAP = 3000
IST_OFFSET = 19800  # charans2702 stores local India time (UTC+05:30)
TMTHCHAN = "tmthchan/Reddit-Posts-Classification"
SAMGLINDY = "SamGLindy/Reddit_NLP"
SSAURBIER = "ssaurbier/subreddit_nlp"
# First occurrence per id wins, in this order (raw text; later commits are normalised).
SSAURBIER_COMMITS = (
    "02b286edccc2d85ab8cb8f94c8d319de8f030d51",
    "13ba97953709000e79c5bd8ced96f22c62fb267b",
    "06ec680ae696230d660ae5d6bc7c8ec3dd039be7",
)
CHARANS = "charans2702/CryptoCurrency-Volatility-Prediction-based-on-social-media-SentimentAnalysis"
# (last row index, subreddit) of the concatenated hot listings; None = r/crypto (excluded).
CHARANS_BLOCKS = (
    (745, "Bitcoin"),
    (1453, "btc"),
    (2449, None),
    (2723, "CryptoCurrency"),
    (3658, "CryptoNews"),
    (3706, "bitcoinprice"),
    (3707, "CryptoAnalysis"),
)

Post = dict[str, object]


def read_csv(root: Path, repo: str, commit: str, path: str) -> list[dict[str, str]]:
    """The rows of one CSV file at one commit of a mirrored repository."""
    base = root / repo.replace("/", "+")
    git_dir = base / "repo" if (base / "repo").is_dir() else base
    out = subprocess.check_output(["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"])
    return list(csv.DictReader(io.StringIO(out.decode("utf-8"), newline="")))


def clean(text: str | None) -> str:
    """HTML-unescape and strip one string (None counts as empty)."""
    return html.unescape(text or "").strip()


def make_post(pid: str, subreddit: str, created_utc: int, title: str, selftext: str) -> Post:
    """One output record, with its strings normalised."""
    body = clean(selftext)
    if body in ("[removed]", "[deleted]"):
        body = ""
    return {
        "id": pid,
        "subreddit": subreddit,
        "created_utc": created_utc,
        "title": clean(title),
        "selftext": body,
    }


def finalise(posts: Iterable[Post]) -> list[Post]:
    """Drop empty posts, keep the first per id and sort by (created_utc, id)."""
    by_id: dict[str, Post] = {}
    for post in posts:
        if (post["title"] or post["selftext"]) and post["id"] not in by_id:
            by_id[str(post["id"])] = post
    return sorted(by_id.values(), key=lambda p: (p["created_utc"], p["id"]))


def synthetic_id(subreddit: str, created_utc: str, raw_title: str) -> str:
    """A stable id for a post without a Reddit id: sha1 of subreddit|created_utc|raw title."""
    digest = hashlib.sha1(f"{subreddit}|{created_utc}|{raw_title}".encode()).hexdigest()
    return f"synthetic:{digest[:16]}"


def cap(posts: list[Post]) -> list[Post]:
    """All posts with selftext, topped up to CAP with title-only posts in sha1(id) order."""
    with_text = [p for p in posts if p["selftext"]]
    title_only = sorted(
        (p for p in posts if not p["selftext"]),
        key=lambda p: hashlib.sha1(str(p["id"]).encode()).hexdigest(),
    )
    kept = with_text + title_only[: max(0, CAP - len(with_text))]
    return sorted(kept, key=lambda p: (p["created_utc"], p["id"]))


def utc_epoch(stamp: str) -> int:
    """Epoch seconds of a 'YYYY-mm-dd HH:MM:SS' string read as UTC, or of an epoch number."""
    try:
        return int(float(stamp))
    except ValueError:
        return calendar.timegm(time.strptime(stamp, "%Y-%m-%d %H:%M:%S"))


def pushshift_synthetic(rows: list[dict[str, str]], subreddit: str) -> list[Post]:
    """Posts of an id-less Pushshift CSV, with synthetic ids, before capping."""
    posts = []
    for r in rows:
        pid = synthetic_id(subreddit, r["created_utc"], r["title"])
        created = int(r["created_utc"])
        posts.append(make_post(pid, subreddit, created, r["title"], r["selftext"]))
    return finalise(posts)


def build_tmthchan(root: Path) -> list[Post]:
    """r/CryptoCurrency, 17-21 Jul 2021 (tmthchan data/crypto.csv)."""
    commit = "aeeaea65710dfa8d55032817b8f854e81cf7b397"
    rows = read_csv(root, TMTHCHAN, commit, "data/crypto.csv")
    return cap(pushshift_synthetic(rows, "CryptoCurrency"))


def build_samglindy(root: Path) -> list[Post]:
    """r/ethereum, Jan-Apr 2021 (SamGLindy data/ethereum.csv, calendar 2021 only)."""
    commit = "6e9238c94ec0b02531511abe1cb477976ec918cb"
    rows = read_csv(root, SAMGLINDY, commit, "data/ethereum.csv")
    start, end = calendar.timegm((2021, 1, 1, 0, 0, 0)), calendar.timegm((2022, 1, 1, 0, 0, 0))
    rows = [r for r in rows if start <= int(r["created_utc"]) < end]
    return cap(pushshift_synthetic(rows, "ethereum"))


def build_ssaurbier(root: Path) -> list[Post]:
    """r/Bitcoin and r/ethereum, Nov 2022 - Jan 2023, raw text (three ssaurbier commits)."""
    posts = []
    for commit in SSAURBIER_COMMITS:
        for r in read_csv(root, SSAURBIER, commit, "data/source.csv"):
            sub = "Bitcoin" if r["subreddit"].lower() == "bitcoin" else r["subreddit"]
            created = utc_epoch(r["created_utc"])
            posts.append(make_post(r["id"], sub, created, r["title"], r["selftext"]))
    return finalise(posts)


def charans_subreddit(index: int) -> str | None:
    """The subreddit of one row of charans2702's concatenated hot listings (None: excluded)."""
    for last, sub in CHARANS_BLOCKS:
        if index <= last:
            return sub
    raise ValueError(f"row {index} is past the last known block")


def build_charans(root: Path) -> list[Post]:
    """Hot listings of six crypto subreddits, Oct 2024 (charans2702 reddit_data.csv)."""
    commit = "40aa4e6ca15d25e8ab588c60acfa082bc5fde394"
    posts = []
    for i, r in enumerate(read_csv(root, CHARANS, commit, "reddit_data.csv")):
        sub = charans_subreddit(i)
        if sub is not None:
            created = utc_epoch(r["created"]) - IST_OFFSET
            posts.append(make_post(r["id"], sub, created, r["title"], r["Description"]))
    return finalise(posts)


BUILDERS: dict[str, Callable[[Path], list[Post]]] = {
    "tmthchan_cryptocurrency_2021jul": build_tmthchan,
    "samglindy_ethereum_2021jan_apr": build_samglindy,
    "ssaurbier_btc_eth_2022dec_2023jan_raw": build_ssaurbier,
    "charans2702_hot_2024": build_charans,
}


def expected_sha256(name: str) -> str:
    """The sha256 that the source note of <name>.ndjson records."""
    note = (NOTES / f"{name}.ndjson.source.txt").read_text(encoding="utf-8")
    found = re.search(rf"sha256 of {re.escape(name)}\.ndjson: ([0-9a-f]{{64}})", note)
    if not found:
        raise SystemExit(f"no sha256 in the source note of {name}")
    return found.group(1)


def serialise(posts: list[Post]) -> bytes:
    """NDJSON bytes: one json.dumps(ensure_ascii=False) object per line, newline-terminated."""
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in posts).encode("utf-8")


def main() -> None:
    """Build every file into --out and fail if any sha256 differs from its note."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror-root", type=Path, required=True, help="root of the git mirrors")
    parser.add_argument("--out", type=Path, required=True, help="folder for the .ndjson files")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    failed = []
    for name, build in BUILDERS.items():
        data = serialise(build(args.mirror_root))
        (args.out / f"{name}.ndjson").write_bytes(data)
        got, want = hashlib.sha256(data).hexdigest(), expected_sha256(name)
        print(f"{'ok' if got == want else 'MISMATCH'} {name}.ndjson sha256={got}")
        if got != want:
            failed.append(f"{name}: got {got}, note says {want}")
    if failed:
        sys.exit("sha256 mismatch:\n" + "\n".join(failed))


if __name__ == "__main__":
    main()
