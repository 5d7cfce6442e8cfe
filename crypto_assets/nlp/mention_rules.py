"""Coin mention rules: which words count as a mention of a listed coin.

## How coin mentions are found

Each text is tokenised once: a token is a run of letters/digits, optionally preceded by `$`
(a cashtag). URLs and `r/…` / `u/…` references are skipped. Possessives split off
(`Bitcoin's` → `Bitcoin`), so matches are always on whole words: `Ethereumish`, `SOLution`
and `ETH2` are not mentions.

1. **Cashtags** (`$BTC`, `$btc`, `$Pepe`) always count, case-insensitively: the `$` is an
   explicit signal.
2. **Tickers** count when written exactly as listed (`BTC`, `sUSDe`); `btc` does not.
   Symbols that are not one alphanumeric token (`ETH2X-FLI`, `B@`) or have no letter (`42`)
   are never tickers; such coins are still found by name or cashtag.
3. **Names** count in any case on word boundaries (`bitcoin`, `BITCOIN`). Multi-word names
   ("Bitcoin Cash", "Shiba Inu", "USD Coin") match across whitespace, and the longest name
   wins, so "Bitcoin Cash" is not also Bitcoin. Punctuation inside a name must be written as
   listed ("Fetch.ai", "Crypto.com Chain"); bracketed qualifiers such as "(IOU)" are ignored.
4. **Ambiguous tickers** — of at most 2 characters (`OP`, `AI`, `S`), an ordinary English
   word (`ONE`, `ALL`, `NEAR`, `LINK`, `GAS`), crypto jargon or a common acronym (`NFT`,
   `DEX`, `ETF`, `CEO`, `DCA`, `API`) — count as a cashtag always, otherwise only in crypto
   context: a context word (coin, token, price, buy, sell, crypto, staking, airdrop, …) or a
   confirmed mention of a coin within 3 tokens on either side, and not in an ALL-CAPS stretch
   (at least one word within those 3 tokens has a lower-case letter).
   "I have ONE question" → nothing; "$ONE" → Harmony; "ONE token price up" → Harmony.
5. **Ambiguous names** — one-word names that are ordinary English words or crypto jargon
   ("Maker", "Flow", "Core", "Gas", "Compound", "Phantom"), and multi-word names made only of
   such words ("The Graph") unless they pair a distinctive word with coin/token/protocol
   ("TON Coin", "Render Token") — count when the coin's own ticker appears in the same text
   ("Maker (MKR)"), or when written capitalised (every word starts upper-case) in crypto
   context as in rule 4. "the graph shows" → nothing; "The Graph token is up" → The Graph.
6. **Shared symbols or names**: the best-ranked coin (lowest rank number) wins.
7. Every occurrence counts: "Bitcoin (BTC)" is two mentions of Bitcoin.

English words are the 10,902 most common lower-case words of SCOWL sizes 10 and 20
(`common_english_words.txt`); the curated lists below add crypto jargon, acronyms and
non-coin proper names (exchanges, wallets, people).
"""

import functools
import re
from importlib.resources import files
from typing import Final

MENTION_RULES_MARKDOWN: Final = __doc__

CONTEXT_WINDOW: Final = 3
SHORT_TICKER_MAX_LEN: Final = 2

# Words that put an ambiguous ticker or name into crypto context (compared in lower case).
CRYPTO_CONTEXT_WORDS: Final = frozenset(
    """coin coins token tokens crypto cryptos cryptocurrency cryptocurrencies altcoin altcoins
    alt alts memecoin memecoins stablecoin price prices priced chart charts buy buying bought
    sell selling sold hodl hodling holders bag bags stake staking staked airdrop airdrops
    wallet wallets exchange exchanges dex cex trading traded trade trades market mcap
    marketcap usd usdt usdc pump pumping pumped dump dumping dumped bullish bearish moon ath
    rally ticker tokenomics blockchain mainnet testnet validator validators defi protocol
    ecosystem whitepaper liquidity yield swap swapped bridge portfolio invest invested
    investing etf listing listed""".split()
)

# Generic crypto vocabulary: listed as coin names or tickers somewhere, rarely meaning them.
CRYPTO_JARGON: Final = frozenset(
    """crypto cryptocurrency blockchain coin coins token tokens altcoin memecoin meme memes
    stablecoin defi dex cex nft nfts dao dapp dapps web3 metaverse gamefi airdrop stake staking
    hodl swap vault bridge oracle ledger mainnet testnet validator node layer rollup evm yield
    farm mint whale moon lambo rekt fud fomo ath dyor wagmi ngmi gm sats satoshi gwei tvl apy
    apr kyc etf ico ido p2p pow pos amm mev rwa privacy""".split()
)

# Proper names that are listed as coin names but in posts mean an exchange, wallet, company
# or person.
NON_COIN_NAMES: Final = frozenset(
    """phantom gemini kraken coinbase binance robinhood metamask trezor bybit okx mexc kucoin
    ftx blackrock tesla apple google amazon nvidia microsoft paypal visa reddit elon musk
    trump saylor nakamoto vitalik""".split()
)

# Upper-case acronyms of everyday crypto/finance talk that are also listed tickers.
AMBIGUOUS_ACRONYMS: Final = frozenset(
    """API AMA ATH ATL ATM APR APY BPF CEO CEX CPI CTO DAO DCA DEX DYOR ERC ETF ETP EST EVM
    FED FOMO FTX FUD GDP GMT GPU HODL ICO IDK IMO IPO IRA IRS KYC LOL MEV MEXC NFA NFT OTC
    PNL RPC ROI RWA SEC SMS SPL TLDR TPS TVL USA USD UTC""".split()
)

# Words that make a multi-word name self-evidently a coin ("TON Coin", "NEAR Protocol").
NAME_SUFFIX_WORDS: Final = frozenset("coin token protocol network chain finance dao".split())

_WORDS_FILE: Final = "common_english_words.txt"


@functools.cache
def common_english_words() -> frozenset[str]:
    """Return the shipped list of common lower-case English words."""
    text = files(__package__).joinpath(_WORDS_FILE).read_text(encoding="utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


def _ordinary(word: str) -> bool:
    """True when a lower-case name word is an English word, jargon, a number or very short."""
    return (
        len(word) <= SHORT_TICKER_MAX_LEN
        or word.isdigit()
        or word in CRYPTO_JARGON
        or word in NON_COIN_NAMES
        or word in common_english_words()
    )


def is_ambiguous_ticker(symbol: str) -> bool:
    """True when a ticker also reads as a short token, an English word, jargon or an acronym."""
    return (
        len(symbol) <= SHORT_TICKER_MAX_LEN
        or symbol.upper() in AMBIGUOUS_ACRONYMS
        or _ordinary(symbol.lower())
    )


def is_ambiguous_name(name_words: tuple[str, ...]) -> bool:
    """True when a (lower-case, tokenised) coin name reads as ordinary words."""
    if not all(_ordinary(word) for word in name_words):
        return False
    if len(name_words) == 1:
        return True
    has_suffix = any(word in NAME_SUFFIX_WORDS for word in name_words)
    distinctive = any(
        word not in NAME_SUFFIX_WORDS and word not in CRYPTO_JARGON and word != "the"
        for word in name_words
    )
    return not (has_suffix and distinctive)


_WORD_RE: Final = re.compile(r"[^\W_]+")


def has_letter(text: str) -> bool:
    """True when ``text`` contains at least one letter."""
    return any(ch.isalpha() for ch in text)


def single_token(text: str) -> bool:
    """True when ``text`` is exactly one run of letters/digits."""
    return _WORD_RE.fullmatch(text) is not None
