"""Dagster definitions by domain, loaded by `dg.load_from_defs_folder`.

Each domain module has one `@dg.definitions` function that builds its part from the settings of
the build in progress (`crypto_assets.defs.scope`), so importing any module here reads nothing.
"""
