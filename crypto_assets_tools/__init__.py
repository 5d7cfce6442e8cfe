"""Tooling beside the platform: sentiment training and evaluation, mention evaluation and label
calibration. Used by scripts/, benchmarks/ and the tests; the code location never imports it."""
