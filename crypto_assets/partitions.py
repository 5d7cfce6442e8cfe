"""The partitions, built from the settings: 10-minute UTC windows (live), UTC days (history).

Nothing here runs at import: `build_partitions_def` is called when the definitions are built
(that is also when a new home's default start is remembered).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dagster import DailyPartitionsDefinition, TimeWindowPartitionsDefinition

from crypto_assets.environment import ConfigurationError, Settings
from crypto_assets.sources.reddit_window import CAPPED_TAIL_POSTS, LISTING_ORDER_MARGIN
from crypto_assets.sources.replay import recorded_post_times
from crypto_assets.windows import PARTITION_KEY_FORMAT, WINDOW_CRON

# Live default: a week before the first start in this CRYPTO_ASSETS_HOME, remembered there.
START_FILE = "partitions_start"
DEFAULT_HISTORY = timedelta(days=7)


def replay_span(settings: Settings) -> tuple[datetime, datetime]:
    """The windows replay mode can answer for every configured subreddit, on whole hours.

    A recorded listing proves a window complete only once enough older posts exist below it
    (the same rule as a live listing cut off by Reddit's cap), so the span starts at the first
    whole hour where that holds for each subreddit, and ends with the day of the last post.
    """
    starts, ends = [], []
    for subreddit in settings.subreddits:
        times = recorded_post_times(subreddit)
        if len(times) <= CAPPED_TAIL_POSTS:
            continue
        proven = times[CAPPED_TAIL_POSTS - 1] + LISTING_ORDER_MARGIN
        starts.append(proven.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1))
        ends.append(times[-1])
    if not starts:
        raise ValueError(
            f"CRYPTO_SOURCE=replay: the recordings hold too few posts of {settings.subreddits}"
        )
    last = max(ends)
    end = datetime(last.year, last.month, last.day) + timedelta(days=1)
    return max(starts).replace(tzinfo=None), end


def remembered_start(settings: Settings, today: datetime | None = None) -> datetime:
    """The live default start: written once per home, so it stays put across restarts."""
    path = settings.home / START_FILE
    if path.is_file():
        return datetime.fromisoformat(path.read_text().strip())
    now = today or datetime.now(UTC).replace(tzinfo=None)
    start = datetime(now.year, now.month, now.day) - DEFAULT_HISTORY
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{start:%Y-%m-%d}\n")
    return start


def partition_span(settings: Settings) -> tuple[datetime, datetime | None]:
    """First window and (replay only) the end of the partitions."""
    end = replay_span(settings)[1] if settings.source == "replay" else None
    if settings.partitions_start:
        return datetime.fromisoformat(settings.partitions_start), end
    if settings.source == "replay":
        return replay_span(settings)
    return remembered_start(settings), None


def build_partitions_def(settings: Settings) -> TimeWindowPartitionsDefinition:
    """Ten-minute UTC windows over the configured (or default) span."""
    start, end = partition_span(settings)
    return TimeWindowPartitionsDefinition(
        cron_schedule=WINDOW_CRON,
        start=start.strftime(PARTITION_KEY_FORMAT),
        end=end.strftime(PARTITION_KEY_FORMAT) if end else None,
        fmt=PARTITION_KEY_FORMAT,
        timezone="UTC",
        end_offset=0,
    )


def build_history_partitions_def(
    settings: Settings, live: TimeWindowPartitionsDefinition
) -> DailyPartitionsDefinition:
    """UTC days from CRYPTO_HISTORY_START to the day before the live windows' first day.

    The live partitions' first day itself belongs to neither graph (its windows before the
    live start are never written), so no window is owned by both.
    """
    first_live_day = live.start.date()
    if settings.history_start >= first_live_day:
        raise ConfigurationError(
            f"CRYPTO_HISTORY_START: {settings.history_start} is not before the day the live "
            f"10-minute partitions start ({first_live_day}, CRYPTO_PARTITIONS_START)"
        )
    return DailyPartitionsDefinition(
        start_date=settings.history_start.isoformat(),
        end_date=first_live_day.isoformat(),
        timezone="UTC",
        end_offset=0,
    )


def build_report_partitions_def(
    settings: Settings, live: TimeWindowPartitionsDefinition
) -> DailyPartitionsDefinition:
    """UTC days from CRYPTO_HISTORY_START through the live windows' last whole day: every day
    that can have windows, history days and live days alike (replay: up to the recordings' end)."""
    end = live.end
    return DailyPartitionsDefinition(
        start_date=settings.history_start.isoformat(),
        end_date=f"{end:%Y-%m-%d}" if end else None,
        timezone="UTC",
        end_offset=0,
    )
