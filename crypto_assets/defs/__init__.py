"""Dagster definitions by domain, read as `dg.load_from_defs_folder` reads a defs folder.

Each domain module has one `@dg.definitions` function that builds its part from the settings of
the build in progress (`crypto_assets.defs.scope`), so importing any module here reads nothing.
"""
