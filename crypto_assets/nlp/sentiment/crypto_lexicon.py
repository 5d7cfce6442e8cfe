"""Crypto slang for VADER: extra lexicon entries and multi-word phrases folded into tokens.

Valences are on VADER's -4..+4 scale and are anchored on stock entries of similar meaning
(quoted in the comments). Stock VADER (vaderSentiment 3.3.2 / nltk) already rates some crypto
words and those are deliberately NOT overridden: ``scam`` -2.7, ``scams`` -2.8, ``dump`` -1.6,
``dumped`` -1.7, ``dumping`` -1.3, ``fraud`` -2.8, ``hacked`` -1.7, ``exploited`` -2.0,
``greed`` -1.7, ``panic`` -2.3, ``gains`` 1.4, ``profit`` 1.9. Two stock entries ARE
overridden, because their crypto sense differs: ``fud`` (stock -1.1) and ``exploit``
(stock -0.4, the verb "make use of").

VADER splits on whitespace, so phrases such as "rug pull" are rewritten to one lexicon token
(``rugpull``) before scoring; see ``crypto_assets.nlp.sentiment.rules``. Nouns get their plural
("shitcoins", "ponzis", "rugpulls") and verbs their -s/-ed/-ing forms by ``inflections``, so
an inflected form always carries its base word's valence; stock entries are never replaced.
"""

from typing import Final

CRYPTO_LEXICON: Final[dict[str, float]] = {
    "bullish": 2.0,  # expects prices to rise; between stock "optimistic" 1.3 and "hopeful" 2.3
    "bearish": -2.0,  # mirror of bullish; stronger than stock "pessimistic" -1.5 (expects losses)
    "bullrun": 2.3,  # from "bull run": a sustained rise, as strong as "hopeful" 2.3
    "bullmarket": 1.8,  # from "bull market": rising market, close to "profit" 1.9
    "bearmarket": -1.8,  # from "bear market": mirror of bullmarket
    "moon": 2.5,  # "going to the moon" = expected huge gains, near stock "rich" 2.6
    "mooning": 2.8,  # rising steeply right now; a notch above moon
    "ath": 2.0,  # from "all time high": good news for holders, near "gain" 2.4 / "profit" 1.9
    "atl": -2.0,  # from "all time low": mirror of ath
    "pump": 1.2,  # price going up, tempered because a pump also hints at manipulation
    "pumping": 1.5,  # price going up now
    "pumped": 1.5,  # went up (or "excited"); both senses positive
    "pumpanddump": -2.8,  # from "pump and dump": a manipulation scheme, like stock "fraud" -2.8
    "dip": -0.8,  # a modest drop, often framed as a buying chance; weaker than "dump" -1.6
    "buythedip": 1.2,  # from "buy the dip": confidence that the drop is temporary, like hodl
    "rekt": -2.4,  # "wrecked": mean of stock "wreck" -1.9 and "ruin" -2.8
    "rugpull": -3.0,  # from "rug pull": developers run off with the funds, worse than "scam" -2.7
    "rugged": -2.7,  # "got rugged" = victim of a rug pull, as bad as "scam" -2.7
    "scammed": -2.7,  # absent from stock VADER although "scam" is -2.7
    "ponzi": -2.8,  # a fraudulent scheme, like stock "fraud" -2.8
    "shitcoin": -2.0,  # a worthless coin; milder than stock "shit" -2.6 as it is a category
    "fud": -1.7,  # override (stock -1.1): fear/uncertainty/doubt = mean of -2.2, -1.4, -1.5
    "exploit": -2.0,  # override (stock -0.4): in crypto a hack draining funds = "exploited" -2.0
    "hodl": 1.2,  # holding through volatility out of conviction; mildly positive
    "diamondhands": 1.5,  # from "diamond hands": steadfast holder, praised
    "paperhands": -1.2,  # from "paper hands": sells at the first drop, mocked
    "bagholder": -1.8,  # stuck with a losing coin, like stock "losses" -1.7
    "bagholders": -1.8,  # plural of bagholder
    "fomo": -0.5,  # fear of missing out: anxious, impulsive buying; mildly negative
    "wagmi": 2.2,  # "we're all gonna make it": communal optimism, like "hopeful" 2.3
    "ngmi": -2.2,  # "not gonna make it": mirror of wagmi
    "lambo": 1.8,  # the proverbial reward of crypto wealth
    "liquidated": -2.0,  # a leveraged position forcibly closed at a loss
    "capitulation": -1.8,  # holders give up and sell at a loss
    "bearmarketover": 1.6,  # from "bear market is over": relief, like stock "relieved" 1.6
    "uptober": 1.8,  # "Up-tober": October's customary rally, like "bullmarket" 1.8
    "soback": 2.2,  # from "we're so back": the market recovering, like wagmi 2.2
    "shutdown": -1.7,  # from "shut down": a service, validator or exchange closing, like "losses"
}


# Multi-word phrase -> lexicon token. Words inside a phrase may be separated by whitespace or
# hyphens ("all-time high"); matching is case-insensitive on word boundaries.
CRYPTO_PHRASES: Final[dict[str, str]] = {
    "rug pull": "rugpull",
    "rug pulls": "rugpull",
    "rug pulled": "rugpull",
    "rugpulled": "rugpull",
    "to the moon": "moon",
    "buy the dip": "buythedip",
    "buying the dip": "buythedip",
    "bought the dip": "buythedip",
    "all time high": "ath",
    "all time highs": "ath",
    "all time low": "atl",
    "all time lows": "atl",
    "pump and dump": "pumpanddump",
    "pump & dump": "pumpanddump",
    "pump n dump": "pumpanddump",
    "diamond hands": "diamondhands",
    "paper hands": "paperhands",
    "bull run": "bullrun",
    "bull market": "bullmarket",
    "bear market": "bearmarket",
    "shit coin": "shitcoin",
    "bag holder": "bagholder",
    "bag holders": "bagholders",
    "so back": "soback",
    "shut down": "shutdown",
    "shuts down": "shutdown",
    "shutting down": "shutdown",
}
