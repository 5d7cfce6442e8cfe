"""crypto_assets: per-coin Reddit mentions and sentiment, every ten minutes."""
