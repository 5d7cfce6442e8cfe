"""The report domain: `market_report`, a picture of each UTC day's top coins."""
