.PHONY: dev test test-fast lint format bench

dev:  ## Start the Dagster UI + daemon on the embedded defaults (http://127.0.0.1:3000)
	bash scripts/dev.sh

test:  ## Lint, Terraform checks and the whole test suite (sets itself up; what CI runs)
	bash scripts/test.sh

test-fast:  ## Lint and the fast lane: no browser, no production stack, no slow runs (< 4 min)
	bash scripts/test.sh --fast

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

bench:  ## Rerunnable benchmarks (ratios measured in one run)
	.venv/bin/python benchmarks/bench_mentions.py
	.venv/bin/python benchmarks/bench_backfill.py
	.venv/bin/python benchmarks/bench_warehouse_load.py
	.venv/bin/python benchmarks/bench_mention_quality.py
	.venv/bin/python benchmarks/bench_sentiment_quality.py
	.venv/bin/python benchmarks/bench_report.py --live-day
	.venv/bin/python benchmarks/bench_startup.py
