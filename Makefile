# The two commands a new user runs: `make demo` and `make test`.
# Both create the virtual environment in .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.dlgrade-installed

.PHONY: demo test lint clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo class is due 2026-03-01 23:59 (course.toml): two students are late, one has an extension, and one
# misnamed file is graded by hand (an override). Running it again regrades nothing and changes nothing.
demo: $(STAMP)
	$(BIN)/dlgrade grade-all examples/demo --out build/demo \
		--times examples/demo-times.csv --extensions examples/demo-extensions.csv
	$(BIN)/dlgrade override build/demo sofia pad_collate 9 \
		--reason "submitted as padcollate.py: the renamed file passes every check; 1 point off for the name"
	@echo "open build/demo/report.html (class report) and build/demo/feedback/ (one page per student)"

test: $(STAMP)
	$(BIN)/python -m pytest

# Benchmarks (see README, "Performance"): BENCH_ARGS="--quick" for a smoke run, "--n 25,50,100,200" for more.
bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check grader tests
	$(BIN)/mypy grader

clean:
	rm -rf $(VENV) build .pytest_cache
