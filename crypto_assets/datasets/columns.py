"""What each column means, shown in the Dagster UI's column schema of every asset."""

from __future__ import annotations

COLUMN_DESCRIPTIONS: dict[str, str] = {
    "window_start": "Start of the 10-minute UTC window (naive UTC timestamp); the partition key",
    "coin_id": "Coinlore's coin id (e.g. 90 = Bitcoin)",
    "symbol": "Ticker as Coinlore lists it (case-sensitive)",
    "name": "Coin name as Coinlore lists it",
    "nameid": "Coinlore's URL slug of the coin",
    "rank": "Market-cap rank in the listing (1 = largest)",
    "price_usd": "Price in USD at `as_of` (history: in USDT, the close of the last 5-minute "
    "Binance candle opening in the window); null unless `prices_captured`",
    "percent_change_1h": "Price change over the last hour, %",
    "percent_change_24h": "Price change over the last 24 hours, %",
    "percent_change_7d": "Price change over the last 7 days, %",
    "price_btc": "Price in BTC at `as_of`",
    "market_cap_usd": "Market capitalisation in USD",
    "volume24": "Traded volume over 24 hours, USD",
    "volume24a": "Coinlore's alternative 24-hour volume, USD",
    "csupply": "Circulating supply",
    "tsupply": "Total supply",
    "msupply": "Maximum supply (null when uncapped or unknown)",
    "as_of": "When Coinlore took the listing (UTC; Coinlore has no history); for a history "
    "window, the close time of the candle that priced the coin",
    "prices_captured": "True when the listing was taken during or just after the window; "
    "otherwise it is only the coin dictionary and every price, volume and supply is null",
    "price_source": "Where `price_usd` came from: `coinlore` (a live listing), "
    "`binance:<PAIR> 5m close` (history, quoted in USDT) or `fixed: 1 USDT` (USDT itself); "
    "null when the window has no price",
    "source": "`live` (API) or `replay` (recorded real responses)",
    "post_id": "Reddit post id (without the t3_ prefix)",
    "subreddit": "Subreddit the post was made in",
    "title": "Post title",
    "selftext": "Post body (empty for link posts)",
    "author": "Author's username ([deleted] when removed)",
    "score": "Net upvotes at `last_seen_at`",
    "num_comments": "Comments at `last_seen_at`",
    "created_utc": "When the post was created (naive UTC); inside its window",
    "permalink": "Absolute link to the post",
    "flair": "Link flair text, if any",
    "first_seen_at": "When a read of the source first returned the post (UTC)",
    "last_seen_at": "When a read last returned the post (UTC); score and comments are from then. "
    "A post a later re-read no longer returns (removed, or a short reply) is kept with this time",
    "title_compound": "VADER compound of the title, in [-1, 1]",
    "body_compound": "VADER compound of the body, in [-1, 1]; null when the body is empty",
    "combined_compound": "VADER compound of title and body together, in [-1, 1]",
    "label": "positive (compound >= 0.05), negative (<= -0.05) or neutral",
    "model_sentiment": (
        "the shipped classifier's P(positive) - P(negative), in [-1, 1], beside VADER's compound"
    ),
    "title_mentions": "Mentions of the coin in the title",
    "body_mentions": "Mentions of the coin in the body",
    "total_mentions": "Mentions of the coin in title and body",
    "mentions": "Mentions of the coin across the window's posts",
    "posts_mentioning": "Posts in the window that mention the coin",
    "mean_sentiment": "Mean combined compound of the posts mentioning the coin",
    "mean_model_sentiment": "Mean model_sentiment of the posts mentioning the coin",
    "positive_posts": "Posts mentioning the coin labelled positive",
    "negative_posts": "Posts mentioning the coin labelled negative",
    "neutral_posts": "Posts mentioning the coin labelled neutral",
}
