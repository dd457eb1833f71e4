# Two commands to remember: `make build` and `make test` (which runs `make lint` first).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test lint browser bench bench-quick clean golden constraints soak

build: $(STAMP)
	$(BIN)/publisher build
	@echo "Built the sample hub into output/ (open output/index.html). Live preview: $(BIN)/publisher serve"

# With Python's bytecode caches written even where the environment turns them off (PYTHONDONTWRITEBYTECODE=1, as
# the machines `make test` is timed on have it): else each pytest worker rewrote and compiled every test module
# anew, and each Python process the tests start compiled publisher's modules anew. The caches go to __pycache__/
# folders, which git ignores.
test: $(STAMP) lint browser
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -q -n auto --dist worksteal --durations=15

# Static checks: ruff (style and likely bugs), mypy (strict types), import-linter (the layers
# in pyproject.toml). Settings for all three live in pyproject.toml. All three run, so one pass
# shows every finding; the target fails if any of them does.
lint: $(STAMP)
	@status=0; \
	echo "$(BIN)/ruff check publisher tests bench"; $(BIN)/ruff check publisher tests bench || status=1; \
	echo "$(BIN)/mypy"; $(BIN)/mypy || status=1; \
	echo "$(BIN)/lint-imports"; $(BIN)/lint-imports || status=1; \
	exit $$status

# Regenerate tests/golden/ from the sample hub after an intended change to the output.
golden: $(STAMP)
	$(BIN)/python -m pytest -q tests/test_golden.py --update-golden; git status --short tests/golden | head

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# Pin anew: the newest releases pyproject.toml allows, installed into a venv of their own, written to
# constraints.txt (its comment kept; setuptools too, which textstat needs at run time; pip not, upgraded
# above). Commit the result on its own, once `make test` passes with it.
constraints:
	rm -rf .constraints-venv
	$(PYTHON) -m venv .constraints-venv
	.constraints-venv/bin/python -m pip install --quiet --upgrade pip
	.constraints-venv/bin/python -m pip install --quiet -e '.[test]'
	{ grep '^#' constraints.txt; .constraints-venv/bin/python -m pip freeze --all --exclude-editable | grep -v -e '^#' -e '^pip=='; } > constraints.new
	mv constraints.new constraints.txt
	rm -rf .constraints-venv

# The browser tests drive Debian's Chromium with Playwright, and check every page with the W3C Nu checker, which
# runs on Java; install either when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	} || echo "chromium could not be installed: the browser tests will be skipped"
	@command -v java >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; \
	} || echo "Java could not be installed: the HTML validity tests will be skipped"

# Not part of `make test`: the property tests that every sequence of edits leaves `serve`'s and `publisher build`'s
# output equal to a clean build's, and the watcher's listing equal to a walk, drawing SOAK times their usual
# examples (new ones each run; 20 times: some 25 minutes on two cores).
SOAK ?= 20
soak: $(STAMP)
	PUBLISHER_SOAK=$(SOAK) $(BIN)/python -m pytest -q -n auto --hypothesis-show-statistics \
	  tests/unit/test_incremental_model.py tests/unit/test_watched_inputs.py -k "after_any_edits or equals_a_walk"

# Not part of `make test`: takes a while (10,000-post corpora, three tools, two corpora).
bench: $(STAMP)
	$(BIN)/python bench/run.py

# 1,000 posts, one run of each: a few minutes, for checks while working.
bench-quick: $(STAMP)
	$(BIN)/python bench/run.py --sizes 1000 --runs 1 --json bench/results-quick.json

clean:
	rm -rf $(VENV) output .publisher-cache dist build .mypy_cache .ruff_cache .import_linter_cache
