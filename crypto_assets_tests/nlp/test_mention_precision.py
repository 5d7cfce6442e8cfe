"""Precision rules: obscure tickers need context, names-as-tickers, token standards, all-caps
stretches, identifiers, lower-case names of obscure coins, and mixed-case cashtags."""

from __future__ import annotations

import pytest

from crypto_assets.nlp.mentions import MentionMatcher, case, rules
from crypto_assets.nlp.mentions.text import tokenize

# Invented listing: a top-100 coin and obscure coins (ranks beyond WELL_KNOWN_MAX_RANK).
ROWS = [
    ("btc", "BTC", "Bitcoin", 1),
    ("eth", "ETH", "Ethereum", 2),
    ("top", "QZX", "Quzix", 50),
    ("dtc", "DTC", "Datacoin", 5000),
    ("know", "KNOW", "KNOW", 4000),
    ("ize", "IZE", "IZE", 1500),
    ("erc", "ERC20", "ERC20", 6000),
    ("cp", "XCP", "Counterparty", 400),
    ("node", "NODE", "Whole Network", 2300),
    ("hype", "HYPE", "Hype Token", 4400),
    ("ton", "TONC", "Ton Coin", 60),
    ("zrx", "ZRX", "0x", 108),
    ("moons", "MOONS", "MoonTools", 2600),
    ("mid", "MDQ", "Midquax", 150),
]


@pytest.fixture(scope="module")
def matcher() -> MentionMatcher:
    coins = [{"id": i, "symbol": s, "name": n, "rank": r} for i, s, n, r in ROWS]
    return MentionMatcher.from_coins(coins)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tickers beyond the top 100 need context; beyond the top 200 context is not enough
        ("what role does DTC have in settlement?", {}),
        ("MDQ price pumped today", {"mid": 1}),
        ("DTC price pumped today", {}),
        ("$DTC", {"dtc": 1}),
        ("Datacoin (DTC) is back", {"dtc": 2}),
        ("I like QZX a lot", {"top": 1}),
        # a listed name that is only the ticker is a ticker: no case-free name match
        ("I don't know why", {}),
        ("Web3-ize the business", {}),
        ("KNOW token airdrop", {}),
        ("$KNOW token airdrop", {"know": 1}),
        # token standards count only as cashtags
        ("it supports ERC20 and BEP20 tokens", {}),
        ("$ERC20", {"erc": 1}),
        # an all-caps stretch says nothing, even next to a confirmed coin
        ("huge amounts of BTC. I KNOW ITS A FAUX PAS", {"btc": 1}),
        ("the MDQ token price is up", {"mid": 1}),
        ("I SAW MDQ TOKEN PRICE ITS A FAUX PAS", {}),
        # identifiers joined by "_" (handles, snake_case) are no words
        (r"authored by 0x\_febo and 0x_febo", {}),
        ("the 0x (ZRX) protocol", {"zrx": 2}),  # "0x" is listed lower-case
        ("my_bitcoin_wallet", {}),
        # names of obscure coins need an upper-case letter; top-100 names do not
        ("eliminating counterparty risk", {}),
        ("Counterparty was an early token platform", {"cp": 1}),
        ("the whole network is slow", {}),
        ("Whole Network launched", {}),  # ordinary words of an obscure coin: rule 5
        ("Whole Network token airdrop", {"node": 1}),
        ("bitcoin and ethereum", {"btc": 1, "eth": 1}),
        # ordinary-word names with a coin suffix: distinctive only for top-100 coins
        ("all the hype token talk", {}),
        ("Hype Token ships", {}),
        ("Hype Token airdrop (HYPE) is live", {"hype": 2}),
        ("ton coin is up", {"ton": 1}),
        # cashtags in one case style count; "$MOONs" is a plural, not the MOONS ticker
        ("$MOONs are now live", {}),
        ("$moons and $Moons and $MOONS", {"moons": 3}),
    ],
)
def test_precision_rules(matcher: MentionMatcher, text: str, expected: dict[str, int]) -> None:
    assert matcher.find(text) == expected


@pytest.mark.parametrize(
    ("symbol", "rank", "needs"),
    [
        ("BTC", 1, False),
        ("QZX", 100, False),
        ("QZX", 101, True),
        ("DTC", 5000, True),
        ("LINK", 16, True),  # common English word at any rank
    ],
)
def test_exact_ticker_needs_context(symbol: str, rank: int, needs: bool) -> None:
    assert case.exact_ticker_needs_context(symbol, rank) == needs


@pytest.mark.parametrize(
    ("name", "symbol", "is_ticker"),
    [("KNOW", "KNOW", True), ("ERC20", "ERC20", True), ("Aave", "AAVE", False),
     ("Datacoin", "DTC", False), ("renBTC", "RENBTC", False)],
)  # fmt: skip
def test_name_is_ticker(name: str, symbol: str, is_ticker: bool) -> None:
    assert rules.name_is_ticker(name, symbol) == is_ticker


@pytest.mark.parametrize(
    ("symbol", "cashtag_only"),
    [("ERC20", True), ("BEP20", True), ("BEP2", True), ("TRC20", True), ("BRC20", True),
     ("ERC721", True), ("SPL", True), ("BEP", True), ("ERCX", False)],
)  # fmt: skip
def test_token_standards_are_cashtag_only(symbol: str, cashtag_only: bool) -> None:
    assert rules.is_cashtag_only(symbol) == cashtag_only


@pytest.mark.parametrize(
    ("word", "symbol", "ok"),
    [("BTC", "BTC", True), ("btc", "BTC", True), ("Pepe", "PEPE", True),
     ("sUSDe", "sUSDe", True), ("MOONs", "MOONS", False), ("bTc", "BTC", False)],
)  # fmt: skip
def test_cashtag_case(word: str, symbol: str, ok: bool) -> None:
    assert rules.cashtag_case_ok(word, symbol) == ok


@pytest.mark.parametrize(
    ("words", "rank", "ambiguous"),
    [(("hype", "token"), 4400, True), (("hype", "token"), 60, False),
     (("render", "token"), 50, False), (("solana",), 5000, False)],
)  # fmt: skip
def test_ordinary_word_names_by_rank(words: tuple[str, ...], rank: int, ambiguous: bool) -> None:
    assert rules.is_ambiguous_name(words, rank) == ambiguous


@pytest.mark.parametrize(
    ("text", "words"),
    [(r"by 0x\_febo now", ["by", "now"]), ("PredX_AI rocks", ["rocks"]),
     ("_Bitcoin_ italic", ["Bitcoin", "italic"]), ("a__b c", ["c"])],
)  # fmt: skip
def test_identifiers_are_skipped(text: str, words: list[str]) -> None:
    assert tokenize(text).words == words
