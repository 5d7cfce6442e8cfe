"""`python -m crypto_assets.report [--open]`: the index of the reported days, as a static page.

It lists the days `market_report` has written to the lake (`reports/day=YYYY-MM-DD/`) and
writes `reports/index.html` beside them. On an S3 lake the pages are copied into
`$CRYPTO_ASSETS_HOME/reports/` so that a browser can open them. `--open` opens the index in
the desktop's browser when there is a display; without one it only prints the path.
"""

from __future__ import annotations

import argparse
import os
import sys
import webbrowser
from pathlib import Path

from crypto_assets.deployment import build_lake
from crypto_assets.environment import Settings
from crypto_assets.report.day import DAY_PREFIX, HTML, INDEX, REPORTS, write_index
from crypto_assets.storage.lake import ParquetLake


def parser() -> argparse.ArgumentParser:
    """The command line."""
    cli = argparse.ArgumentParser(
        prog="python -m crypto_assets.report",
        description="Write the index page of the daily market reports in the lake and print "
        "its path. Materialize market_report for a day first (UI or dagster CLI).",
    )
    cli.add_argument(
        "--open", action="store_true", help="open the index in a browser (needs a display)"
    )
    return cli


def local_copy(lake: ParquetLake, days: list[str], folder: Path) -> Path:
    """Copy the index and each day's self-contained page from an S3 lake into `folder`."""
    for day in days:
        key = f"{REPORTS}/{DAY_PREFIX}{day}/{HTML}"
        target = folder / key.removeprefix(f"{REPORTS}/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(lake.store.get(key))
    index = folder / "index.html"
    index.write_bytes(lake.store.get(INDEX))
    return index


def has_display() -> bool:
    """Whether a graphical browser can be opened (never a terminal browser in a headless shell)."""
    return sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def main(argv: list[str]) -> int:
    """Write the index, print where it is, and open it if asked and possible."""
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    lake = build_lake(settings).lake()
    _, days = write_index(lake)
    if lake.store.scheme:
        index = local_copy(lake, days, settings.home / REPORTS)
    else:
        index = Path(lake.store_path(INDEX))
    print(f"{len(days)} reported days; index: {index}")
    if args.open:
        if has_display():
            webbrowser.open(index.resolve().as_uri())
        else:
            print(f"no display to open a browser on: open {index} in one")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
