"""Suite-wide isolation: local state in a temp folder, recorded API responses, no stray config."""

from __future__ import annotations

import os
import tempfile

# Set before any crypto_assets import: partitions and kinds are read from the environment at import.
for _name in list(os.environ):
    if _name.startswith(("CRYPTO_", "REDDIT_", "SNOWFLAKE_")) or _name == "DAGSTER_HOME":
        del os.environ[_name]
os.environ["CRYPTO_ASSETS_HOME"] = tempfile.mkdtemp(prefix="crypto_assets_tests_")
os.environ["CRYPTO_SOURCE"] = "replay"
