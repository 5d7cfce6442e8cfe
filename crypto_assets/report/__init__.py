"""The daily market report, Dagster-free: figure data, picture, pages, and the lake's report files."""
