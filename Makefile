# The front door of the data package. `make` alone lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help build docs validate test quick lint bench suggest eval release diff serve site browser clean lock
.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Three pinned sets, each a superset of the one before (requirements/*.txt, written by make lock):
# build (make build, docs, suggest, eval), publish (site, release, diff, serve) and dev (validate,
# test, lint, bench). A target installs the set it needs, once: the stamp files record what is in.
$(VENV)/.build: requirements/build.txt
	@echo "==> install the build set (requirements/build.txt) in $(VENV)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/build.txt
	@touch $@

$(VENV)/.publish: requirements/publish.txt $(VENV)/.build
	@echo "==> install the publish set (requirements/publish.txt) in $(VENV)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/publish.txt
	@touch $@

$(VENV)/.dev: requirements/dev.txt $(VENV)/.publish
	@echo "==> install the development set (requirements/dev.txt) in $(VENV)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

build: $(VENV)/.build ## Build data/*.csv and datapackage.json from annotations/ and seeds/ (schema enums from schemas/vocabulary.yaml), and refresh the generated docs
	$(BIN)/python -m pledges.vocabulary
	$(BIN)/python build.py
	$(BIN)/python -m pledges.publish.docs

docs: $(VENV)/.build ## Regenerate docs/data-dictionary.md, CITATION.cff and README's key figures and citation
	$(BIN)/python -m pledges.publish.docs

validate: $(VENV)/.dev ## Validate with frictionless, pandera and Great Expectations; write reports/validation.{json,html}
	$(BIN)/python -m pledges.validate.run

# The tests run on every core (pytest-xdist), each test file on one of them, so that a file's
# shared fixtures are built once, in the order collected: the test marked `first` (the longest)
# starts at once instead of last (xdist's default puts files with fewer tests last).
test: $(VENV)/.dev ## Run the test suite, browser tests, ruff and mypy included (everything CI runs)
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

lint: $(VENV)/.dev ## Check the code with ruff and mypy alone (settings in pyproject.toml; make test runs them too)
	$(BIN)/python -m ruff check pledges tools tests build.py verify.py
	$(BIN)/python -m mypy

quick: $(VENV)/.dev ## Run the tests of the edit loop: all but the slow ones (browser, servers, releases)
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder -m "not slow"

# SEED and FROM reach the programs as data: make takes their text as written ($(value ...): a
# "$(shell ...)" in it is never expanded, from the command line either), and the recipes pass it
# through the environment, quoted, as one argument: never as shell code.
override SEED := $(value SEED)
override FROM := $(value FROM)
export SEED FROM

suggest: $(VENV)/.build ## Draft an annotation for a new article: make suggest SEED=seeds/<file>.txt (writes drafts/)
	@test -n "$$SEED" || { echo "usage: make suggest SEED=seeds/<file>.txt" >&2; exit 2; }
	$(BIN)/python -m pledges.suggest.draft "$$SEED" --out drafts

eval: $(VENV)/.build ## Measure every field of the suggester's drafts (recall, precision, subject, metric, deadline...) by language, against floors
	$(BIN)/python -m pledges.suggest.evaluate

release: $(VENV)/.publish ## Write dist/<name>-<version>.zip, .sqlite and .xlsx with dist/SHA256SUMS (refuses to overwrite)
	$(BIN)/python -m pledges.publish.release

diff: $(VENV)/.publish ## Table diffs since a release: make diff FROM=1.0.0 (terminal, and dist/diff-*.html)
	@test -n "$$FROM" || { echo "usage: make diff FROM=<version>" >&2; exit 2; }
	$(BIN)/python -m pledges.publish.diff --from "$$FROM"

serve: $(VENV)/.publish ## Browse the current build with Datasette on http://127.0.0.1:8001
	$(BIN)/python -m pledges.publish.serve

site: $(VENV)/.publish ## Write the static site to site/ (open site/index.html; no network needed)
	$(BIN)/python -m pledges.publish.site

browser: ## Install Debian's chromium and chromium-driver, and axe-core (npm), for the browser test, where missing
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then echo "==> chromium and chromedriver present"; \
	else echo "==> installing chromium and chromium-driver (Debian packages)"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; fi
	@if [ -f tests/browser/node_modules/axe-core/axe.min.js ]; then echo "==> axe-core present"; \
	else echo "==> installing axe-core (npm, pinned in tests/browser/package-lock.json)"; \
	npm ci --prefix tests/browser --no-audit --no-fund --silent; fi

bench: $(VENV)/.dev ## Time the build, the site and make validate (real package, 1,000 and 10,000 sources; medians of 3 runs) and write docs/benchmarks.md (about 20 min)
	$(BIN)/python -m tools.bench --runs 3 --sizes 1000,10000 --out docs/benchmarks.md

lock: ## Re-pin requirements/{build,publish,dev}.txt from their .in files, each in a fresh environment
	for set in build publish dev; do \
	  rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv && \
	  .lock-venv/bin/pip install --quiet --disable-pip-version-check -r requirements/$$set.in && \
	  { echo "# Generated by 'make lock' from requirements/$$set.in; do not edit by hand."; \
	    .lock-venv/bin/pip freeze; } > requirements/$$set.txt || exit 1; \
	done
	rm -rf .lock-venv

clean: ## Remove the virtual environment and caches (never data/)
	rm -rf $(VENV) .pytest_cache .hypothesis .build-* .lock-venv .cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
