"""Coin mention rules: which words count as a mention of a listed coin.

## How coin mentions are found

Each text is tokenised once: a token is a run of letters/digits, optionally preceded by `$`
(a cashtag). URLs, `r/…` / `u/…` references and identifiers joined by `_` (handles such as
`0x_febo`, `PredX_AI`; snake_case) are skipped. Possessives split off
(`Bitcoin's` → `Bitcoin`), so matches are always whole words: `Ethereumish`, `SOLution` and
`ETH2` are not mentions. Every occurrence counts: "Bitcoin (BTC)" is two mentions.

1. **Cashtags** (`$BTC`, `$btc`, `$Pepe`) always count, case-insensitively: the `$` is an
   explicit signal, when written in one case style or as listed (`$MOONs` is a plural, not
   MOONS). Tickers of 1-2 characters, crypto jargon, token standards (`ERC20`, `BEP-20`,
   `TRC20`, `SPL`) and everyday acronyms (`OP`, `S`, `NFT`, `DEX`, `DCA`, `API`, `ETF`) count
   ONLY as cashtags (`$OP`).
2. **Tickers** count when written exactly as listed (`BTC`, `sUSDe`). For coins ranked in the
   top 100 (`mention_case`), a 3-6 letter ticker also counts in any case when its lower-case form
   is no English word, abbreviation, chat slang, clipping or unit (`eth`, `Eth`, `usdt`,
   `wBETH`); when it is only a rare word (SCOWL sizes 55-70) it counts capitalised, not at a
   sentence start ("I like Uni", not "my uni"); and after an amount or a network (devnet,
   testnet, mainnet) it counts in any case unless it is a common word ("2 sol", "0.5 Eth",
   "$5k of avax", "devnet sol"; not "2 min", "10 link", "mainnet link"), also glued to the
   amount ("1btc", "32ETH"; not "10link", "24hrs").
   Symbols that are not one alphanumeric token (`ETH2X-FLI`, `B@`) or have no letter (`42`)
   are never tickers; such coins are still found by name or cashtag. A listed name that is
   just the upper-case ticker again (`KNOW`, `IZE`, `ERC20`) is a ticker, not a name.
3. **Names** count in any case on word boundaries (`bitcoin`, `BITCOIN`). Multi-word names
   ("Bitcoin Cash", "Shiba Inu", "USD Coin") match across whitespace, and the longest name
   that counts wins, so "Bitcoin Cash" is not also Bitcoin. Punctuation inside a name must be
   written as listed ("Fetch.ai"); bracketed qualifiers such as "(IOU)" are ignored. A top-100
   coin's one-word name ending in "coin" also counts in the plural ("bitcoins", "litecoins";
   not "bitcoiners"), and a CamelCase one also split into its words with the listed capitals
   ("Pancake Swap", "Terra USD"; not "pancake swap"; parts of 3+ characters), with rule 5.
4. **Ambiguous tickers** — tickers that are among the 10,910 commonest English words (`ONE`,
   `ALL`, `NEAR`, `LINK`, `GAS`, `DOT`), and every ticker of a coin outside the top 100 (a
   bare upper-case string such as `DTC`, `BCG`, `LST` is more often some other acronym) — count
   when the coin's name also counts in the text ("Harmony (ONE)"), or in *crypto context*:
   within 3 tokens on either side there is a context word (coin, token, price, buy, sell, crypto, staking, airdrop, … —
   `CRYPTO_CONTEXT_WORDS`) or another confirmed coin mention, and those neighbours are not an
   ALL-CAPS stretch (most neighbours of 2+ characters that are not themselves mentions are
   upper-case: "of BTC. I KNOW ITS A FAUX PAS").
   "I have ONE question" → nothing; "$ONE" → Harmony; "ONE token price up" → Harmony;
   "I BOUGHT ONE COIN" → nothing. Context helps only coins in the top 200
   (`CONTEXT_TICKER_MAX_RANK`): four years after the 2021 listing, the bare tickers of smaller
   coins mostly name newer projects or firms ("HYPE Token" is Hyperliquid's, "ORE", "ARK
   Invest", "USAT Stablecoin"), so they need their cashtag or the coin's name.
5. **Ambiguous names** — one-word names that are English words (SCOWL levels ≤ 50: "Maker",
   "Flow", "Core", "Gold", "Compound", "Math"); multi-word names made only of such words
   ("The Graph") unless they pair a distinctive word with coin/token/protocol/network/chain
   and the coin is in the top 100 ("TON Coin", "Render Token"; not #4,466 "Hype Token"); an
   ordinary word before a better-ranked coin's name ("First Bitcoin"); and one-word names that
   are abbreviations ("an IOU for you"). Names with punctuation inside ("Fetch.ai") never are.
   Ambiguous names count when the coin's ticker or cashtag, being a different word, is also
   in the text ("Maker (MKR)"; but "know ... KNOW" proves nothing, nor does a cashtag-only
   ticker written bare: "LN" is no "Link"), or when written capitalised (every word starts
   upper-case) and followed within 3 tokens by a coin or protocol word (coin, token, airdrop,
   staking, ticker, protocol, … — `NAME_CONTEXT_WORDS`; "Flow token", "Curve-like protocols";
   not "volatile tokens in particular Ultra"), outside a stretch of capitalised words (Title
   Case headlines, ALL CAPS: "A Faster Zero Knowledge Protocol"). Price and trading words are
   not enough for names ("Gold price" is about the metal).
   "the graph shows" → nothing; "The Graph token is up" → The Graph; a name that does not
   count leaves its words to shorter names ("my first Bitcoin" → Bitcoin). Names of coins
   outside the top 100 that are listed with capitals must not be written all lower-case
   ("counterparty risk", "the whole network", "battle-royale" are words; "Counterparty" counts).
6. **Never names**: crypto jargon ("DeFi", "DEX", "Vault") and names of exchanges, wallets,
   companies and people ("Phantom", "Gemini", "Crypto.com", "Musk") listed as coins count
   only by ticker or cashtag. The name of a coin beyond the top 100 is a brand's product right
   after a brand (`BRAND_WORDS`: "Ledger Nano", "Phantom Cash") and a firm before a firm noun
   (`FIRM_WORDS`: "Multicoin Capital", "… Ventures", "… Inc").
7. **Aliases** (`mention_aliases`, keyed by coin id) count like names: Polygon, Ether, Tron,
   Hedera, Toncoin, BSV, and the units `sats`/`satoshis` (BTC; "Satoshi" is the person);
   "Ripple" and "Curve" (Curve DAO Token) count only by the ambiguous-name rule 5, so "Ripple
   Labs" is not XRP and "on a curve" is no CRV.
8. **Shared symbols or names**: the best-ranked coin (lowest rank number) wins; on one token
   a counted name beats a ticker unless that ticker is unambiguous and better-ranked.
9. **Companies**: coins named after their issuer (Tether, Ripple, Nexo — `ISSUER_NAMES`) are
   the company when a corporate word follows (launches, announces, eyes, CEO, Inc, Labs, … —
   `CORPORATE_WORDS`; a possessive between is skipped): "Tether launches USAT", "Tether's CEO"
   count neither as name nor as ticker; "Tether hits 500M users" is USDT.

English words come from SCOWL (`common_english_words.txt`); the curated lists of
`mention_words` add crypto jargon, acronyms and non-coin proper names, context and corporate
words, plus a few coin names kept distinctive.
"""

import functools
import re
from importlib.resources import files
from typing import Final

from crypto_assets.nlp.mentions.words import (
    AMBIGUOUS_ACRONYMS,
    CRYPTO_JARGON,
    DISTINCT_COIN_WORDS,
    EXTRA_ORDINARY_WORDS,
    NAME_SUFFIX_WORDS,
    NON_COIN_NAMES,
)

MENTION_RULES_MARKDOWN: Final = __doc__


CONTEXT_WINDOW: Final = 3
WELL_KNOWN_MAX_RANK: Final = 100  # coins whose tickers and names are known beyond their words
# Coins whose bare tickers context words can confirm: the top 200 of the 2021-12 listing (market
# cap above ~$200M). Beyond, a ticker needs its cashtag or the coin's name (rule 4).
CONTEXT_TICKER_MAX_RANK: Final = 200
CASHTAG_ONLY_MAX_LEN: Final = 2
TICKER_WORD_MAX_LEVEL: Final = 20  # upper-case tokens are rarely words: only the commonest
NAME_WORD_MAX_LEVEL: Final = 50

_WORDS_FILE: Final = "common_english_words.txt"
_WORD_RE: Final = re.compile(r"[^\W_]+")


@functools.cache
def _word_levels() -> dict[str, int]:
    levels: dict[str, int] = {}
    level = 0
    for line in files(__package__).joinpath(_WORDS_FILE).read_text(encoding="utf-8").splitlines():
        if line.startswith("level "):
            level = int(line.removeprefix("level "))
        elif line and not line.startswith("#"):
            levels[line] = level
    return levels


@functools.cache
def common_english_words(max_level: int = NAME_WORD_MAX_LEVEL) -> frozenset[str]:
    """Return the shipped lower-case English words of SCOWL size levels up to ``max_level``."""
    return frozenset(w for w, level in _word_levels().items() if level <= max_level)


def is_cashtag_only(symbol: str) -> bool:
    """Rule 1: tickers so short or so generic that only ``$SYMBOL`` counts."""
    return (
        len(symbol) <= CASHTAG_ONLY_MAX_LEN
        or symbol.upper() in AMBIGUOUS_ACRONYMS
        or symbol.lower() in CRYPTO_JARGON
    )


def is_ambiguous_ticker(symbol: str) -> bool:
    """Rule 4: the ticker is also one of the commonest English words."""
    return symbol.lower() in common_english_words(TICKER_WORD_MAX_LEVEL)


def is_never_a_name(name_key: str, name_words: tuple[str, ...]) -> bool:
    """True for listed names that in posts mean jargon, an exchange, a wallet or a person."""
    return name_key in NON_COIN_NAMES or (len(name_words) == 1 and name_key in CRYPTO_JARGON)


def name_is_ticker(name: str, symbol: str) -> bool:
    """True when the listed name is only the upper-case ticker again ("KNOW", "ERC20", "IZE")."""
    name = name.strip()
    return name == symbol and not any(ch.islower() for ch in name)


def is_ordinary_word(word: str) -> bool:
    """True when a lower-case name word is an English word, jargon, a number or very short."""
    if word in DISTINCT_COIN_WORDS:
        return False
    return (
        len(word) <= 2
        or word.isdigit()
        or word in CRYPTO_JARGON
        or word in NON_COIN_NAMES
        or word in EXTRA_ORDINARY_WORDS
        or word in common_english_words(NAME_WORD_MAX_LEVEL)
    )


def is_ambiguous_name(name_words: tuple[str, ...], rank: int = 1) -> bool:
    """True when a (lower-case, tokenised) coin name reads as ordinary words."""
    if not all(is_ordinary_word(word) for word in name_words):
        return False
    if len(name_words) == 1 or rank > WELL_KNOWN_MAX_RANK:
        return True
    has_suffix = any(word in NAME_SUFFIX_WORDS for word in name_words)
    distinctive = any(
        word not in NAME_SUFFIX_WORDS and word not in CRYPTO_JARGON and word != "the"
        for word in name_words
    )
    return not (has_suffix and distinctive)


def cashtag_case_ok(word: str, symbol: str) -> bool:
    """Rule 1: a cashtag is written as listed or in one case style ("$btc", "$Pepe", not "$MOONs")."""
    return word == symbol or word.isupper() or word.islower() or word.istitle()


def has_letter(text: str) -> bool:
    """True when ``text`` contains at least one letter."""
    return any(ch.isalpha() for ch in text)


def single_token(text: str) -> bool:
    """True when ``text`` is exactly one run of letters/digits."""
    return _WORD_RE.fullmatch(text) is not None
