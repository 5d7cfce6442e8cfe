"""What docs/sentiment.md publishes, read back so benchmark tests can compare against it."""

from crypto_assets_tests.e2e.support import REPO


def published_light_figures(split: str) -> list[str]:
    """The light model's three figure cells for ``split`` in docs/sentiment.md's table."""
    lines = (REPO / "docs/sentiment.md").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {split} |"))
    row = next(line for line in lines[start : start + 4] if "**light**" in line)
    return [cell.strip() for cell in row.strip("|").split("|")[3:6]]
