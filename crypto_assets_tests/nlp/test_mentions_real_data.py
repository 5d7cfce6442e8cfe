"""Mentions over real listings (Coinlore top 100 and 7,000 coins) and 1,533 real Reddit posts."""

from __future__ import annotations

from collections import Counter

import pytest

from crypto_assets.nlp.mentions import MentionMatcher


@pytest.fixture(scope="module")
def posts_per_coin_top100(top100_coins: list[dict], reddit_posts: list[dict]) -> Counter[str]:
    matcher = MentionMatcher.from_coins(top100_coins)
    return Counter(
        m.symbol for p in reddit_posts for m in matcher.find_in_post(p["title"], p["selftext"])
    )


def test_bitcoin_is_mentioned_in_the_most_posts(posts_per_coin_top100: Counter[str]) -> None:
    (first, _), *_ = posts_per_coin_top100.most_common(1)
    assert first == "BTC"
    assert {s for s, _ in posts_per_coin_top100.most_common(3)} == {"BTC", "SOL", "ETH"}


@pytest.mark.parametrize(
    ("subreddit", "symbol"), [("bitcoin", "BTC"), ("ethereum", "ETH"), ("solana", "SOL")]
)
def test_each_coin_subreddit_mentions_its_coin_most(
    top100_coins: list[dict], reddit_posts: list[dict], subreddit: str, symbol: str
) -> None:
    matcher = MentionMatcher.from_coins(top100_coins)
    counts = Counter(
        m.symbol
        for p in reddit_posts
        if p["subreddit"] == subreddit
        for m in matcher.find_in_post(p["title"], p["selftext"])
    )
    assert counts.most_common(1)[0][0] == symbol


def test_post_mentions_are_listed_coins_with_consistent_counts(
    top100_coins: list[dict], reddit_posts: list[dict]
) -> None:
    matcher = MentionMatcher.from_coins(top100_coins)
    listed = {c["id"]: (c["symbol"], c["name"]) for c in top100_coins}
    posts_with_mentions = 0
    for post in reddit_posts:
        mentions = matcher.find_in_post(post["title"], post["selftext"])
        posts_with_mentions += bool(mentions)
        in_title, in_body = matcher.find(post["title"]), matcher.find(post["selftext"])
        for m in mentions:
            assert listed[m.coin_id] == (m.symbol, m.name)
            assert (m.title_mentions, m.body_mentions) == (
                in_title.get(m.coin_id, 0),
                in_body.get(m.coin_id, 0),
            )
            assert m.title_mentions + m.body_mentions >= 1
        assert {m.coin_id for m in mentions} == in_title.keys() | in_body.keys()
    assert 800 < posts_with_mentions < 1533


@pytest.fixture(scope="module")
def matcher_7000(coins_7000: list[dict]) -> MentionMatcher:
    return MentionMatcher.from_coins(coins_7000)


def test_builds_from_the_7000_coin_csv(
    coins_7000: list[dict], matcher_7000: MentionMatcher
) -> None:
    assert len(coins_7000) == 7000
    assert any(value == "0?" for row in coins_7000 for value in row.values())
    assert matcher_7000.find("I hold BTC and ETH, and a bit of Bitcoin Cash") == {
        "80": 1,
        "2321": 1,
    }  # BTC is absent from this listing


def test_every_cashtag_resolves_to_the_best_ranked_coin(
    coins_7000: list[dict], matcher_7000: MentionMatcher
) -> None:
    best: dict[str, tuple[float, str]] = {}
    for row in coins_7000:
        symbol = row["symbol"].removeprefix("$")
        if symbol.isalnum() and not symbol.isdigit():
            best[symbol.upper()] = min(
                best.get(symbol.upper(), (1e9, "")), (float(row["rank"]), row["id"])
            )
    assert len(best) > 6900
    for symbol, (_, coin_id) in best.items():
        assert matcher_7000.find(f"${symbol}") == {coin_id: 1}, symbol


def test_7000_coins_on_real_posts(
    coins_7000: list[dict], matcher_7000: MentionMatcher, reddit_posts: list[dict]
) -> None:
    by_name = {row["name"]: row["id"] for row in coins_7000}
    posts_per_coin: Counter[str] = Counter()
    for post in reddit_posts:
        for m in matcher_7000.find_in_post(post["title"], post["selftext"]):
            posts_per_coin[m.coin_id] += 1
    assert [cid for cid, _ in posts_per_coin.most_common(2)] == [
        by_name["Solana"],
        by_name["Ethereum"],
    ]
    # Coins named after everyday words must not soak up ordinary prose.
    for name in ("REAL", "KNOW", "Money", "DATA", "ANYONE", "Defi", "PHANTOM", "Privacy"):
        assert posts_per_coin[by_name[name]] == 0, name
