"""Pure transformations from API records to each asset's DataFrame (no Dagster here)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import pandas as pd

from crypto_assets.datasets.tables import conform, empty_frame
from crypto_assets.nlp.mentions import MentionMatcher
from crypto_assets.nlp.sentiment import SentimentScorer, combined_text, label
from crypto_assets.nlp.sentiment.selection import LIGHT, model_scores
from crypto_assets.sources.coinlore import COIN_FIELDS, NUMBER_FIELDS
from crypto_assets.windows import WINDOW

# Lone UTF-16 surrogates: JSON can carry them ("\\ud800"), UTF-8 (Parquet, the warehouse) cannot.
_SURROGATES = re.compile("[\ud800-\udfff]")
# The schedule fetches a window's listing a few minutes after it closes (settle delay + paging).
CAPTURE_GRACE = pd.Timedelta(minutes=15)
_LISTING_VALUES = [f for f in COIN_FIELDS if f != "id"]
# Everything in a listing that changes with time, except rank (kept to break ties in matching).
_TIME_DEPENDENT = list(NUMBER_FIELDS)
PRICE_SOURCE_COINLORE = "coinlore"


def listing_frame(
    coins: Sequence[Mapping[str, object]],
    as_of: datetime,
    window_starts: Iterable[datetime],
    source: str,
) -> pd.DataFrame:
    """One row per coin and window; only a window the listing was taken for keeps its prices.

    Coinlore has no history: a listing taken at `as_of` describes the windows it was taken
    during or just after (see `prices_captured`). Every other window gets the listing only
    as its coin dictionary (ids, symbols, names, rank), with prices, volumes and supplies null.
    """
    base = pd.DataFrame(
        [{"coin_id": c["id"], **{k: c.get(k) for k in _LISTING_VALUES}} for c in coins]
    )
    if base.empty:
        return empty_frame("coin_listings")
    frames = []
    for start in window_starts:
        captured = prices_captured(start, as_of)
        frame = base.assign(window_start=start, as_of=as_of, prices_captured=captured)
        if not captured:
            frame[list(_TIME_DEPENDENT)] = float("nan")
        frame["price_source"] = PRICE_SOURCE_COINLORE if captured else None
        frames.append(frame.assign(source=source))
    return conform("coin_listings", pd.concat(frames, ignore_index=True))


def prices_captured(window_start: datetime, as_of: datetime) -> bool:
    """Whether a listing taken at `as_of` may stand for the window's prices."""
    start = pd.Timestamp(window_start).tz_localize(None)
    taken = pd.Timestamp(as_of).tz_convert("UTC").tz_localize(None) if as_of.tzinfo else as_of
    return bool(start <= taken < start + WINDOW + CAPTURE_GRACE)


def posts_frame(posts: Sequence[Mapping[str, object]], seen_at: datetime) -> pd.DataFrame:
    """One row per post, assigned to the 10-minute window its `created_utc` falls in.

    `seen_at` is when the source returned the posts: their first and last sighting so far.
    """
    if not posts:
        return empty_frame("reddit_posts")
    df = pd.DataFrame(list(posts)).rename(columns={"id": "post_id"})
    created = pd.to_datetime(df["created_utc"], utc=True)
    df["window_start"] = created.dt.floor("10min")
    df = df.drop_duplicates(subset=["post_id"]).sort_values(["created_utc", "post_id"])
    df["first_seen_at"] = df["last_seen_at"] = pd.Timestamp(seen_at)
    return conform("reddit_posts", df)


def replace_unencodable(
    records: Sequence[Mapping[str, object]],
) -> tuple[list[dict[str, object]], int]:
    """Records whose text holds lone surrogates (valid JSON escapes, not UTF-8) get U+FFFD
    in their place, and how many were replaced."""
    cleaned, replaced = [], 0
    for record in records:
        row = dict(record)
        for key, value in row.items():
            if isinstance(value, str):
                row[key], count = _SURROGATES.subn("\ufffd", value)
                replaced += count
        cleaned.append(row)
    return cleaned, replaced


def sentiment_frame(
    posts: pd.DataFrame, scorer: SentimentScorer, model: str = LIGHT
) -> pd.DataFrame:
    """VADER compound scores for each post's title, body (null when empty) and both together,
    and ``model_sentiment`` from the chosen model (``CRYPTO_SENTIMENT_MODEL``)."""
    if posts.empty:
        return empty_frame("sentiment_scores")
    bodies = posts["selftext"].fillna("")
    texts = [combined_text(t, b) for t, b in zip(posts["title"], bodies, strict=True)]
    titles = scorer.compound_many(posts["title"])
    combined = scorer.compound_many(texts)
    df = posts[["window_start", "post_id", "subreddit", "created_utc", "title", "selftext"]].assign(
        title_compound=titles,
        body_compound=[scorer.compound(b) if b.strip() else None for b in bodies],
        combined_compound=combined,
        label=[label(c) for c in combined],
        model_sentiment=model_scores(model, texts, list(zip(titles, combined, strict=True))),
    )
    return conform("sentiment_scores", df)


def mentions_frame(scored_posts: pd.DataFrame, listings: pd.DataFrame) -> pd.DataFrame:
    """Which listed coins each scored post mentions, matched against its own window's listing."""
    rows: list[dict] = []
    matchers: dict[tuple, MentionMatcher] = {}
    for window_start, window_posts in scored_posts.groupby("window_start", sort=True):
        listing = listings[listings["window_start"] == window_start]
        # A matcher is built from these four columns only, and the windows of a run (a history
        # day's 144 snapshots) usually list the same coins: build each distinct one once.
        coins = listing[["coin_id", "symbol", "name", "rank"]].rename(columns={"coin_id": "id"})
        key = tuple(coins.itertuples(index=False, name=None))
        if key not in matchers:
            matchers[key] = MentionMatcher.from_coins(coins.to_dict("records"))
        matcher = matchers[key]
        for post in window_posts.itertuples(index=False):
            for m in matcher.find_in_post(post.title, post.selftext):
                rows.append(
                    {
                        "window_start": window_start,
                        "post_id": post.post_id,
                        "coin_id": m.coin_id,
                        "symbol": m.symbol,
                        "name": m.name,
                        "title_mentions": m.title_mentions,
                        "body_mentions": m.body_mentions,
                        "total_mentions": m.title_mentions + m.body_mentions,
                        "combined_compound": post.combined_compound,
                        "label": post.label,
                        "model_sentiment": post.model_sentiment,
                    }
                )
    if not rows:
        return empty_frame("coin_mentions")
    return conform("coin_mentions", pd.DataFrame(rows))


def counts_frame(mentions: pd.DataFrame, listings: pd.DataFrame) -> pd.DataFrame:
    """Per coin and window: mentions, posts mentioning, their sentiment, and the coin's price."""
    if mentions.empty:
        return empty_frame("mention_counts")
    grouped = mentions.groupby(["window_start", "coin_id"], as_index=False).agg(
        mentions=("total_mentions", "sum"),
        posts_mentioning=("post_id", "nunique"),
        mean_sentiment=("combined_compound", "mean"),
        mean_model_sentiment=("model_sentiment", "mean"),
        positive_posts=("label", lambda s: int((s == "positive").sum())),
        negative_posts=("label", lambda s: int((s == "negative").sum())),
        neutral_posts=("label", lambda s: int((s == "neutral").sum())),
    )
    price_cols = ["window_start", "coin_id", "symbol", "name", "rank", "price_usd"]
    price_cols += ["percent_change_1h", "percent_change_24h", "percent_change_7d"]
    price_cols += ["market_cap_usd", "as_of", "prices_captured", "price_source"]
    df = grouped.merge(listings[price_cols], on=["window_start", "coin_id"], how="left")
    df = df.sort_values(["window_start", "mentions", "rank"], ascending=[True, False, True])
    return conform("mention_counts", df)
