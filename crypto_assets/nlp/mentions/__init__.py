"""Which coins a post mentions: tickers, names and aliases, with the case and context rules
that keep English words ("ONE", "near") from counting. `MentionMatcher` is the entry point."""

from crypto_assets.nlp.mentions.matcher import MENTION_RULES_VERSION, Mention, MentionMatcher

__all__ = ["MENTION_RULES_VERSION", "Mention", "MentionMatcher"]
