"""Curated word lists of the coin mention rules (``mention_rules`` says how each is used).

English words come from SCOWL (``common_english_words.txt``); these lists add crypto jargon,
acronyms, non-coin proper names, the words that make a name or ticker a coin in context, and the
words that make a coin's name a company.
"""

from typing import Final


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


CRYPTO_CONTEXT_WORDS: Final = words(
    """coin coins token tokens crypto cryptos cryptocurrency cryptocurrencies altcoin altcoins
    alts memecoin memecoins stablecoin price prices priced chart charts buy buying bought sell
    selling sold hodl hodling holders bag bags stake staking staked airdrop airdrops wallet
    wallets exchange exchanges dex cex trading traded market mcap marketcap usd usdt usdc
    pump pumping pumped dump dumping dumped bullish bearish moon ath rally ticker tokenomics
    blockchain mainnet testnet validator validators defi protocol ecosystem whitepaper
    liquidity yield swap swapped portfolio etf listing listed"""
)
# Head nouns that, written after a capitalised ordinary-word name, make it a coin or its
# protocol ("Flow token", "Compound protocol", "Curve-like protocols"; labelling rule 1 counts a
# protocol whose token has the same name).
NAME_CONTEXT_WORDS: Final = words(
    """coin coins token tokens altcoin altcoins memecoin airdrop staking tokenomics ticker
    mainnet whitepaper protocol protocols"""
)
# Token standards (Ethereum ERCs: eips.ethereum.org/erc; BNB Chain BEPs: github.com/bnb-chain/BEPs;
# TRON TRCs: github.com/tronprotocol/tips; BRC-20; Solana's SPL), written with or without "-".
TOKEN_STANDARDS: Final = words(
    "erc bep trc brc erc20 erc721 erc1155 erc4626 bep2 bep20 trc10 trc20 brc20 spl"
)
CRYPTO_JARGON: Final = (
    words(
        """crypto cryptocurrency blockchain coin coins token tokens altcoin memecoin meme memes
    stablecoin defi dex cex nft nfts dao dapp dapps web3 metaverse gamefi airdrop stake staking
    hodl swap vault bridge oracle ledger mainnet testnet validator node layer rollup evm yield
    farm mint whale moon lambo rekt fud fomo ath dyor wagmi ngmi gm sats satoshi gwei tvl apy
    apr kyc etf ico ido p2p pow pos amm mev rwa privacy stable"""
    )
    | TOKEN_STANDARDS
)
NON_COIN_NAMES: Final = words(
    """phantom gemini kraken coinbase binance robinhood metamask trezor bybit okx mexc kucoin
    ftx blackrock tesla apple google amazon nvidia microsoft paypal visa reddit elon musk
    trump saylor nakamoto vitalik crypto.com"""
)
AMBIGUOUS_ACRONYMS: Final = words(
    """API AMA ATH ATL ATM APR APY BPF CEO CEX CPI CTO DAO DCA DEX DYOR ERC ETF ETP EST EVM
    FED FOMO FTX FUD GDP GMT GPU HODL ICO IDK IMO IPO IRA IRS KYC LOL MEV MEXC NFA NFT OTC
    PNL RPC ROI RWA SEC SMS SPL TLDR TPS TVL USA USD UTC W3C"""
)
# Ordinary words SCOWL's small levels miss.
EXTRA_ORDINARY_WORDS: Final = words("online breakout quant arbitrage repo")
# Dictionary words that in crypto posts all but always mean the coin.
DISTINCT_COIN_WORDS: Final = words("bitcoin tether avalanche cosmos")
# Last words of coin and protocol names ("TON Coin", "NEAR Protocol", "Pancake Swap").
NAME_SUFFIX_WORDS: Final = words("coin token protocol network chain finance dao swap")
# Coins named after the company that issues them (Tether Ltd. issues USDT, Ripple Labs holds
# XRP, Nexo the lender issues NEXO): followed by a CORPORATE_WORDS word the name is the company
# (labelling rule 3: "Tether launches USAT" is no USDT mention).
ISSUER_NAMES: Final = words("tether ripple nexo")
# Nouns of a firm's legal form or trade: after the name of a coin beyond the top 100 they make it
# a firm ("Multicoin Capital" is the fund, not the Multicoin coin).
FIRM_WORDS: Final = words("capital ventures inc ltd llc limited holdings group partners fund bank")
# Headline verbs of firms and the nouns of a company's legal form, staff and finances.
CORPORATE_WORDS: Final = FIRM_WORDS | words(
    """announces announced launches launched launching unveils unveiled eyes eyeing plans
    planned invests invested investing investment investments acquires acquired partnered
    partnership raises raised hires hired sues sued files filed reports reported says said
    releases released mints minted projects profit profits revenue ceo cto cfo founder
    cofounder executive executives spokesperson labs operations company firm"""
)
# Brands of exchanges, wallets and firms: a coin name beyond the top 100 right after one is that
# brand's product ("Ledger Nano" is the hardware wallet, "Phantom Cash" Phantom's stablecoin).
BRAND_WORDS: Final = NON_COIN_NAMES | words("ledger")
# Network qualifiers written before a coin's ticker like an amount ("devnet SOL", "testnet eth").
NETWORK_WORDS: Final = words("devnet testnet mainnet")
