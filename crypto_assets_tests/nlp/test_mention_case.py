"""Case-free tickers, amounts, aliases and the rules version, on the real Coinlore top 100."""

from __future__ import annotations

import pytest

from crypto_assets.nlp.mentions import MENTION_RULES_VERSION, MentionMatcher, case
from crypto_assets.nlp.mentions.aliases import ALIASES

BTC, ETH, USDT, USDC, SOL, XRP, AVAX, UNI = (
    "90",
    "80",
    "518",
    "33285",
    "48543",
    "58",
    "44883",
    "47305",
)
WBETH, MATIC, TRX, HBAR, TON, BSV, AAVE = (
    "96901",
    "33536",
    "2713",
    "48555",
    "54683",
    "33234",
    "46018",
)


@pytest.fixture(scope="module")
def matcher(top100_coins: list[dict]) -> MentionMatcher:
    return MentionMatcher.from_coins(top100_coins)


@pytest.fixture(scope="module")
def old(top100_coins: list[dict]) -> MentionMatcher:
    return MentionMatcher.from_coins(top100_coins, extended=False)


# Every text here is a miss of the old rules that the new rules find.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eth is up today", {ETH: 1}),
        ("Eth staking yields", {ETH: 1}),
        ("sold my btc", {BTC: 1}),
        ("moved usdc and usdt", {USDC: 1, USDT: 1}),
        ("I hold some wBETH", {WBETH: 1}),
        ("I like Uni and Aave", {UNI: 1, AAVE: 1}),
        ("bought 2 sol", {SOL: 1}),
        ("0.5 Eth left", {ETH: 1}),
        ("put $5k of avax in", {AVAX: 1}),
        ("stacking sats", {BTC: 1}),
        ("fee of 3000 satoshis", {BTC: 1}),
        ("Polygon fees", {MATIC: 1}),
        ("paid in Ether", {ETH: 1}),
        ("Tron and Hedera", {TRX: 1, HBAR: 1}),
        ("Toncoin rallies", {TON: 1}),
        ("BSV is a fork", {BSV: 1}),
        ("Ripple token XRP", {XRP: 2}),
    ],
)
def test_new_rules_find_old_misses(
    matcher: MentionMatcher, old: MentionMatcher, text: str, expected: dict[str, int]
) -> None:
    assert matcher.find(text) == expected
    assert old.find(text) != expected


@pytest.mark.parametrize(
    "text",
    [
        "Apples, pears etc. and more",
        "Etc. Nothing else.",
        "my uni exams start Monday",
        "Uni starts tomorrow",  # a sentence start says nothing about the case
        "toxic traders like arb bots",
        "he will mog you",
        "Satoshi Nakamoto wrote the paper",
        "Ripple Labs was sued",
        "algo trading is hard",
        "wait 2 min and 5 hrs",
        "positive cash flow",
        "near the peak",
        "on a curve",
        "click the link",
        "virtual coins in a game",
        "a mantra I repeat",
        "all the hype",
        "2 link or 10 near",  # common-word tickers get no help from amounts
    ],
)
def test_traps_do_not_match(matcher: MentionMatcher, text: str) -> None:
    assert matcher.find(text) == {}


def test_bitcoin_core_is_bitcoin_only(matcher: MentionMatcher) -> None:
    assert matcher.find("Bitcoin Core devs") == {BTC: 1}


@pytest.mark.parametrize(
    ("symbol", "rank", "tier"),
    [
        ("ETH", 2, case.CaseTier.ANY),
        ("USDC", 10, case.CaseTier.ANY),
        ("WBETH", 43, case.CaseTier.ANY),
        ("UNI", 22, case.CaseTier.TITLE),
        ("ARB", 41, case.CaseTier.EXACT),  # clipping of arbitrage
        ("ETC", 20, case.CaseTier.EXACT),  # SCOWL abbreviation
        ("ALGO", 40, case.CaseTier.EXACT),  # clipping
        ("LINK", 16, case.CaseTier.EXACT),  # English word
        ("SOL", 5, case.CaseTier.EXACT),  # English word (level 50)
        ("NGL", 30, case.CaseTier.EXACT),  # chat slang
        ("XYZQ", 3000, case.CaseTier.EXACT),  # too badly ranked
        ("OP", 30, case.CaseTier.EXACT),  # cashtag-only
    ],
)
def test_case_tiers(symbol: str, rank: int, tier: case.CaseTier) -> None:
    assert case.case_tier(symbol, rank) == tier


@pytest.mark.parametrize(
    ("symbol", "counts"), [("SOL", True), ("AVAX", True), ("LINK", False), ("NEAR", False)]
)
def test_amount_rule(symbol: str, counts: bool) -> None:
    assert case.counts_after_amount(symbol, 10) == counts


def test_alias_table_and_version() -> None:
    assert {"90", "80", "33536", "2713", "48555", "54683", "33234", "58", "48581"} == set(ALIASES)
    assert len(MENTION_RULES_VERSION) == 12
    assert int(MENTION_RULES_VERSION, 16) >= 0
