"""Mention rules by word sense, on the 7,000-coin 2021 listing plus Bitcoin (the eval listing).

Each rule has cases it must find and cases it must leave alone: obscure tickers reused by newer
projects, coin words before a name, Title Case headlines, issuers as companies, brands' products
and firms, abbreviations, plurals, split names, network qualifiers, glued amounts, and the
everyday-word traps.
"""

from __future__ import annotations

import pytest

from crypto_assets.nlp.mentions import MentionMatcher
from crypto_assets_tools.mention_eval import BITCOIN_ROW

BTC, ETH, SOL, USDT, LTC, DOGE, XRP = "90", "80", "48543", "518", "1", "2", "58"
CRV, CAKE, UST, BTT, NEXO, XAUT, UOS = "48581", "45985", "48571", "33391", "32604", "42855", "36440"
HYPE, COTI, FLOW, LN, ONE_INCH = "36446", "33874", "48589", "42204", "46966"
NANO, MTCN, IOUX, COMP = "2835", "42041", "33850", "47304"


@pytest.fixture(scope="module")
def matcher(coins_7000: list[dict]) -> MentionMatcher:
    return MentionMatcher.from_coins([BITCOIN_ROW, *coins_7000])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # rule 4: beyond the top 200 a bare ticker needs its cashtag or the coin's name
        ("'Runaway Bot' Sends HYPE Token to $98 in One Minute", {}),
        ("Tether Eyes Fresh Investments to Push USAT Stablecoin", {}),
        ("buy back ORE from the open market", {}),
        ("$HYPE is up", {HYPE: 1}),
        ("Hype Token airdrop (HYPE) is live", {HYPE: 2}),
        ("COTI Brings Private Tokens to Cardano", {COTI: 1, "257": 1}),  # rank 165: context
        # rule 5: the coin word must follow a capitalised ordinary-word name ...
        ("For volatile tokens in particular, Ultra's RTSE tightens", {}),
        ("Ultra token staking is live", {UOS: 1}),
        ("Flow token staking", {FLOW: 1}),
        ("and Curve-like protocols.", {CRV: 1}),
        ("I use the Curve protocol", {CRV: 1}),
        # ... outside a Title Case or ALL-CAPS stretch
        ("GKR: A Faster More Scalable Zero Knowledge Protocol", {}),
        ("Built To Catch Meme Coin Waves", {}),
        # ... and a cashtag-only ticker confirms a name only as a cashtag
        ("LN features and apps. Link to good resources", {}),
        ("$LN and Link", {LN: 2}),
        # rule 9: an issuer's name followed by a corporate word is the company
        ("Tether Eyes Fresh Investments", {}),
        ("Tether's CEO Paolo Ardoino said", {}),
        ("Tether launches a wallet kit", {}),
        ("Nexo Inc. settles", {}),
        ("NEXO CEO speaks", {}),
        ("Ripple Labs was sued", {}),
        ("Tether hits 500 million users", {USDT: 1}),
        ("I hold Tether and Nexo", {USDT: 1, NEXO: 1}),
        ("Tether Gold launches", {XAUT: 1}),  # not the issuer's name alone
        # rule 6: a brand's product, or a firm, named like a coin beyond the top 100
        ("my Ledger Nano X arrived", {}),
        ("I send Nano to friends", {NANO: 1}),
        ("exchanges like Kraken, Nano is listed", {NANO: 1}),
        ("backed by Multicoin Capital", {}),
        ("Multicoin is up", {MTCN: 1}),
        # rule 5: a one-word name that is an abbreviation needs context
        ("holding an IOU for you", {}),
        ("IOU token airdrop", {IOUX: 1}),
        # rule 2: clippings are no case-free tickers
        ("a 120K base comp", {}),
        ("COMP governance vote", {COMP: 1}),
        # rule 3: plurals of top-100 "-coin" names
        ("holding their bitcoins since 2013", {BTC: 1}),
        ("two Litecoins and some dogecoins", {LTC: 1, DOGE: 1}),
        ("bitcoiners unite", {}),
        ("stablecoins and altcoins", {}),
        # rule 3: CamelCase names split into their words, with the listed capitals
        ("partners with Pancake Swap to promote USD1", {CAKE: 1}),
        ("Terra USD depegged", {UST: 1}),
        ("Bit Torrent token airdrop", {BTT: 1}),
        ("pancake swap recipes", {}),
        ("PANCAKE SWAP", {}),
        ("Bit Torrent", {}),  # ordinary words: rule 5 wants context
        # rule 2: a network qualifier before a ticker counts like an amount
        ("I need Devnet sol", {SOL: 1}),
        ("some testnet sol please", {SOL: 1}),
        ("mainnet link", {}),
        ("testnet near", {}),
        ("devnet flow", {}),
        ("testnet phase", {}),
        # rule 2: an amount glued to the ticker
        ("until 1btc=1btc", {BTC: 2}),
        ("staked 32ETH and 0.5eth", {ETH: 2}),
        ("sold 100sol", {SOL: 1}),
        ("wait 2min or 24hrs", {}),
        ("10link and 5near", {}),
        ("the 3rd time with 2fa", {}),
        ("1inch swap", {ONE_INCH: 1}),
    ],
)
def test_sense_rules(matcher: MentionMatcher, text: str, expected: dict[str, int]) -> None:
    assert matcher.find(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Apples, pears etc. and more",
        "click the link below",
        "the core team",
        "near the peak",
        "go with the flow",
        "on a curve",
        "the curve rises and falls",
        "elliptic-curve cryptography",
        "a dynamic bonding curve",
        "toxic traders like arb bots",
        "virtual coins in a game",
        "algo trading is hard",
        "a mantra I repeat",
        "all the hype",
        "positive cash flow",
        "Satoshi Nakamoto wrote the paper",
        "Satoshi said so",
    ],
)
def test_traps_stay_non_matches(matcher: MentionMatcher, text: str) -> None:
    assert matcher.find(text) == {}


@pytest.mark.parametrize("text", ["Bitcoin Core devs", "the Bitcoin Core protocol"])
def test_bitcoin_core_is_bitcoin(matcher: MentionMatcher, text: str) -> None:
    assert matcher.find(text) == {BTC: 1}
