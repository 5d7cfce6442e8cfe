"""A window outside the partitions, asked for on the command line, is explained with the span.

`dagster asset materialize --partition-range` reports a key outside the partitions as a bare
`DagsterInvalidSubsetError` naming only the first key. The code location cannot catch it (the
CLI raises it before any op runs), so when the definitions are built for a process, an
exception hook adds what the user needs: the first and last window that exist, and why.
"""

from __future__ import annotations

import sys
from types import TracebackType

from dagster import (
    DagsterInvalidSubsetError,
    DagsterUnknownPartitionError,
    TimeWindowPartitionsDefinition,
)

_INSTALLED: dict[str, str] = {}


def span_message(partitions: TimeWindowPartitionsDefinition, source: str) -> str:
    """Which windows exist, in the words of the configuration that decides it."""
    first = partitions.get_first_partition_key()
    last = partitions.get_last_partition_key()
    where = (
        "the recordings' span (replay mode)"
        if source == "replay"
        else "CRYPTO_PARTITIONS_START up to the last closed window"
    )
    return (
        f"crypto_assets: the 10-minute windows run from {first} to {last} (UTC keys, "
        f"YYYY-MM-DD-HH:MM), {where}. Choose partitions in that span; days before it are not "
        "partitions of the live graph."
    )


def explain_out_of_range_partitions(
    partitions: TimeWindowPartitionsDefinition, source: str
) -> None:
    """Install (once per process) the hook that follows such an error with the span."""
    _INSTALLED["message"] = span_message(partitions, source)
    if _INSTALLED.get("hooked"):
        return
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        previous(kind, error, trace)
        if isinstance(error, DagsterInvalidSubsetError | DagsterUnknownPartitionError) and (
            "partition" in str(error)
        ):
            print(_INSTALLED["message"], file=sys.stderr)

    sys.excepthook = hook
    _INSTALLED["hooked"] = "yes"
