"""How a re-read combines with what is stored: a window's listing is kept, its posts only add.

Both are `Merge`s (stored rows first, new rows second) that the lakehouse applies under the
warehouse table's lock, so two runs of one window cannot both replace what the other stored.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Fields a later sighting of a post updates; the post's id, window and creation time never change.
POST_KEY = "post_id"
SEEN_FIRST, SEEN_LAST = "first_seen_at", "last_seen_at"


def keep_stored_listings(stored: pa.Table, new: pa.Table) -> pa.Table:
    """Windows that have a stored listing keep it as it is; the others take the new rows."""
    kept = pc.unique(stored["window_start"])
    fresh = new.filter(pc.invert(pc.is_in(new["window_start"], value_set=kept)))
    return pa.concat_tables([stored.select(new.schema.names).cast(new.schema), fresh])


def merge_posts(stored: pa.Table, new: pa.Table) -> pa.Table:
    """Union by post id: the newest sighting's values win, first_seen_at keeps the earliest.

    A post a re-read no longer sees (removed at the source, or a listing that came back
    short or empty) stays, with the `last_seen_at` of its last sighting.
    """
    if stored.num_rows == 0:
        return new
    both = pd.concat(
        [stored.select(new.schema.names).cast(new.schema).to_pandas(), new.to_pandas()],
        ignore_index=True,
    )
    first_seen = both.groupby(POST_KEY)[SEEN_FIRST].min()
    # Rows without a sighting time (written before it was recorded) count as the oldest.
    order = both[SEEN_LAST].fillna(pd.Timestamp.min)
    newest = both.assign(_order=order).sort_values(["_order"], kind="stable")
    newest = newest.drop_duplicates(POST_KEY, keep="last").drop(columns="_order")
    newest[SEEN_FIRST] = newest[POST_KEY].map(first_seen)
    newest = newest.sort_values(["window_start", "created_utc", POST_KEY], kind="stable")
    return pa.Table.from_pandas(newest, schema=new.schema, preserve_index=False)


def unseen_posts(stored: pd.DataFrame, fetched: pd.DataFrame) -> pd.DataFrame:
    """Stored posts of the fetched windows that this read did not return."""
    return stored[~stored[POST_KEY].isin(fetched[POST_KEY])]
