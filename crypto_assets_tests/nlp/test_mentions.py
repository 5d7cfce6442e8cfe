"""Mention rules on hand-picked texts, over a listing of real coins (ids from the fixtures)."""

from __future__ import annotations

import pytest

from crypto_assets.nlp.mentions import Mention, MentionMatcher

# Real Coinlore ids/symbols/names: top-100 of 2024-12-07, plus coins of the 2021 csv.
LISTING = [
    {"id": "90", "symbol": "BTC", "name": "Bitcoin", "rank": 1},
    {"id": "80", "symbol": "ETH", "name": "Ethereum", "rank": 2},
    {"id": "48543", "symbol": "SOL", "name": "Solana", "rank": 5},
    {"id": "33285", "symbol": "USDC", "name": "USD Coin", "rank": 10},
    {"id": "45088", "symbol": "SHIB", "name": "Shiba Inu", "rank": 13},
    {"id": "54683", "symbol": "TON", "name": "TON Coin", "rank": 14},
    {"id": "2751", "symbol": "LINK", "name": "ChainLink", "rank": 16},
    {"id": "2321", "symbol": "BCH", "name": "Bitcoin Cash", "rank": 20},
    {"id": "48563", "symbol": "NEAR", "name": "NEAR Protocol", "rank": 26},
    {"id": "33718", "symbol": "FET", "name": "Fetch.ai", "rank": 31},
    {"id": "135601", "symbol": "RENDER", "name": "Render", "rank": 37},
    {"id": "48567", "symbol": "ONE", "name": "Harmony", "rank": 49},
    {"id": "70497", "symbol": "OP", "name": "Optimism", "rank": 53},
    {"id": "48561", "symbol": "GRT", "name": "The Graph", "rank": 54},
    {"id": "12377", "symbol": "MKR", "name": "Maker", "rank": 66},
    {"id": "33819", "symbol": "CRO", "name": "Crypto.com Chain", "rank": 71},
    {"id": "48589", "symbol": "FLOW", "name": "Flow", "rank": 79},
    {"id": "47304", "symbol": "COMP", "name": "Compound", "rank": 80},
    {"id": "2708", "symbol": "GAS", "name": "Gas", "rank": 344},
    {"id": "3834", "symbol": "BIT", "name": "First Bitcoin", "rank": 2601},
    {"id": "33066", "symbol": "KNOW", "name": "KNOW", "rank": 4021},
    {"id": "33680", "symbol": "ONE", "name": "Menlo One", "rank": 5153},
    {"id": "9999", "symbol": "DEX", "name": "DEX", "rank": 6000},
]
BTC, ETH, SOL, USDC, SHIB, TON, LINK, BCH, NEAR, FET = (
    "90", "80", "48543", "33285", "45088", "54683", "2751", "2321", "48563", "33718",
)  # fmt: skip
RENDER, HARMONY, OP, GRT, MKR, CRO, FLOW, COMP, GAS, BIT, KNOW, MENLO, DEX = (
    "135601", "48567", "70497", "48561", "12377", "33819", "48589", "47304", "2708", "3834",
    "33066", "33680", "9999",
)  # fmt: skip


@pytest.fixture(scope="module")
def matcher() -> MentionMatcher:
    return MentionMatcher.from_coins(LISTING)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # cashtags, in any case
        ("I bought $BTC today", {BTC: 1}),
        ("$btc and $Eth", {BTC: 1, ETH: 1}),
        # tickers as listed; lower case too when it is no word, abbreviation or slang
        ("BTC and ETH", {BTC: 1, ETH: 1}),
        ("btc is up, eth too", {BTC: 1, ETH: 1}),
        # names in any case, on word boundaries
        ("bitcoin", {BTC: 1}),
        ("BITCOIN", {BTC: 1}),
        ("Bitcoin's price", {BTC: 1}),
        ("#Solana summer", {SOL: 1}),
        ("Ethereumish vibes", {}),
        ("SOLution found", {}),
        ("ETH2 staking", {}),
        ("XBTC", {}),
        # multi-word names: the longest wins
        ("Bitcoin Cash is up", {BCH: 1}),
        ("bitcoin\n  cash", {BCH: 1}),
        ("Bitcoin, Cash", {BTC: 1}),
        ("Shiba Inu and USD Coin", {SHIB: 1, USDC: 1}),
        ("TON Coin", {TON: 1}),
        ("Fetch.ai", {FET: 1}),
        ("fetch ai", {}),
        ("Crypto.com Chain", {CRO: 1}),
        # every occurrence counts
        ("Bitcoin (BTC) and more bitcoin", {BTC: 3}),
        ("BTC BTC $BTC", {BTC: 3}),
        # common-word tickers need $ or context
        ("I have ONE question", {}),
        ("$ONE", {HARMONY: 1}),
        ("ONE token price up", {HARMONY: 1}),
        ("one token price up", {}),
        ("I BOUGHT ONE COIN", {}),
        ("BTC, ETH and ONE", {BTC: 1, ETH: 1, HARMONY: 1}),
        ("Harmony (ONE)", {HARMONY: 2}),
        ("LINK price pumping", {LINK: 1}),
        ("click the LINK below", {}),
        ("NEAR price today", {NEAR: 1}),
        ("near the top", {}),
        ("NEAR Protocol", {NEAR: 1}),
        ("GAS token price", {GAS: 1}),
        # shared symbol: best rank wins; the other coin still matches by name
        ("Menlo One", {MENLO: 1}),
        # very short tickers, acronyms and jargon count only as cashtags
        ("OP says hi", {}),
        ("$OP", {OP: 1}),
        ("Optimism token", {OP: 1}),
        ("cautious Optimism", {}),
        ("DEX volume", {}),
        ("$DEX", {DEX: 1}),
        # common-word names need capitals plus a coin word, or their ticker
        ("the graph shows a dip", {}),
        ("The Graph token is up", {GRT: 1}),
        ("The Graph (GRT)", {GRT: 2}),
        ("Maker (MKR)", {MKR: 2}),
        ("maker of the app", {}),
        ("Flow token staking", {FLOW: 1}),
        ("go with the flow", {}),
        ("Gas fees are high", {}),
        ("Compound interest", {}),
        ("Compound token airdrop", {COMP: 1}),
        ("render the page", {}),
        ("know your keys, KNOW", {}),
        # an ordinary word before a better coin's name falls back to that coin
        ("my first Bitcoin purchase", {BTC: 1}),
        ("First Bitcoin (BIT)", {BIT: 2}),
        # URLs and subreddit/user references are skipped
        ("see https://bitcoin.org/en and www.ethereum.org", {}),
        ("posted in r/Bitcoin by u/solana_fan", {}),
        (None, {}),
        ("", {}),
        (float("nan"), {}),
    ],
)
def test_find(matcher: MentionMatcher, text: str | None, expected: dict[str, int]) -> None:
    assert matcher.find(text) == expected


def test_find_in_post_counts_title_and_body_separately(matcher: MentionMatcher) -> None:
    mentions = matcher.find_in_post("ETH or BTC?", "Bitcoin, bitcoin and $BTC. No Solana.")
    assert mentions == [
        Mention(BTC, "BTC", "Bitcoin", title_mentions=1, body_mentions=3),
        Mention(ETH, "ETH", "Ethereum", title_mentions=1, body_mentions=0),
        Mention(SOL, "SOL", "Solana", title_mentions=0, body_mentions=1),
    ]


@pytest.mark.parametrize("body", [None, "", "nothing about coins"])
def test_find_in_post_without_body(matcher: MentionMatcher, body: str | None) -> None:
    assert matcher.find_in_post("Shiba Inu", body) == [Mention(SHIB, "SHIB", "Shiba Inu", 1, 0)]


def test_find_in_post_without_mentions_is_empty(matcher: MentionMatcher) -> None:
    assert matcher.find_in_post("Good morning", "Coffee first") == []


@pytest.mark.parametrize(
    ("rows", "text", "expected"),
    [
        # rank as float string (csv), int, or missing: best (lowest) rank wins
        ([("a", "ABC", "Alpha", "9.0"), ("b", "ABC", "Beta", "2.0")], "ABC", {"b": 1}),
        ([("a", "ABC", "Alpha", 3), ("b", "ABC", "Beta", None)], "ABC", {"a": 1}),
        (
            [("a", "ABC", "Zorblax Chain", 5), ("b", "XYZ", "Zorblax Chain", 4)],
            "zorblax chain",
            {"b": 1},
        ),
        # symbols that are not one alphanumeric token are no tickers; names still match
        ([("a", "ETH2X-FLI", "Index Thing", 1)], "ETH2X-FLI", {}),
        ([("a", "42", "42-coin", 1)], "42", {}),
        ([("a", "$PAC", "PacCoin", 1)], "PAC $PAC", {"a": 2}),
        ([("a", "ICP", "Internet Computer (IOU)", 1)], "Internet Computer (ICP)", {"a": 2}),
    ],
)
def test_listing_edge_cases(rows: list[tuple], text: str, expected: dict[str, int]) -> None:
    coins = [{"id": i, "symbol": s, "name": n, "rank": r} for i, s, n, r in rows]
    assert MentionMatcher.from_coins(coins).find(text) == expected
