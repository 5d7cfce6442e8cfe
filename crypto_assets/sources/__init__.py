"""Plain-Python API clients (Coinlore tickers, Reddit /new listings) and their replay transport."""
