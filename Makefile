# Stapelkaart: two set-up commands for a fresh machine: `make run` and `make test`.
# `make run` installs the runtime only (requirements.txt); `make test` adds the test tools
# (requirements-dev.txt) and the Debian packages the tests drive (Chromium, nginx).
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
HOST    ?= 127.0.0.1
PORT    ?= 8501
STAMP_RUN := $(VENV)/.installed-runtime
STAMP_DEV := $(VENV)/.installed-dev
STAMP_MUT := $(VENV)/.installed-mutation

.PHONY: run test test-fast lint bench mutation venv venv-dev tools browser frontend clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "fout: $(PY) niet gevonden; installeer Python 3.11"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per requirements file: editing requirements.txt reinstalls the runtime, editing
# requirements-dev.txt reinstalls the test tools, and `make run` never installs the test tools.
$(STAMP_RUN): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(STAMP_DEV): requirements-dev.txt $(STAMP_RUN)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

$(STAMP_MUT): requirements-mutation.txt $(STAMP_DEV)
	$(BIN)/python -m pip install --quiet -r requirements-mutation.txt
	@touch $@

venv: $(STAMP_RUN)
venv-dev: $(STAMP_DEV)

# Debian packages for the tests: Chromium (Playwright drives /usr/bin/chromium; no browser download) and
# nginx (tests/test_deploy.py runs it in front of two app replicas). Installed only when missing.
tools:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium fonts-dejavu-core"; \
	[ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  echo "Installeren (apt) voor de tests:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
browser: tools

# The deck.gl map component, built from the npm registry with its lockfile (skipped when up to date).
frontend:
	@command -v npm >/dev/null 2>&1 || { echo "npm installeren (apt)..."; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	@sh components/deckmap/build.sh

run: $(STAMP_RUN) frontend
	$(BIN)/streamlit run serve.py --server.address $(HOST) --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

# The checks `make test` runs before the tests: layer contracts (import-linter, pyproject.toml), ruff lint and
# format, mypy on the pure and I/O packages, vulture for dead code.
lint: $(STAMP_DEV)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/vulture --min-confidence 80 app.py serve.py pages components data indicators geo core render

# Tests without a browser on two workers (pytest-xdist, one file per worker: module fixtures stay whole) and, at
# the same time, the browser journeys on two workers of their own: a journey mostly waits on the server and the
# browser (alone, one lane used 49 % of the 2 cores), so the four share the cores. The journeys' output is shown
# when all are done (also in tests/artifacts/journeys.log); each run has its own temporary folder (.pytest-tmp/).
# Both parts always run; the exit status is the first failure's. The 15 slowest tests of each part are listed.
# mutmut is installed too: tests/test_mutation_resume.py checks the mutation tool's --resume (the run itself is
# `make mutation`).
test: $(STAMP_DEV) $(STAMP_MUT) lint tools frontend
	@mkdir -p tests/artifacts .pytest-tmp; status=0; \
	$(BIN)/python -m pytest -q -m browser -n 2 --dist loadfile --durations=15 --basetemp=.pytest-tmp/journeys \
		> tests/artifacts/journeys.log 2>&1 & journeys=$$!; \
	$(BIN)/python -m pytest -q -m "not browser" -n 2 --dist loadfile --durations=15 --basetemp=.pytest-tmp/other \
		|| status=$$?; \
	wait $$journeys || { s=$$?; [ $$status -ne 0 ] || status=$$s; }; \
	echo "--- journeys (tests/artifacts/journeys.log) ---"; cat tests/artifacts/journeys.log; \
	exit $$status

# The edit loop: the same checks, then the tests without a browser and without the slow ones (a few minutes).
test-fast: $(STAMP_DEV) lint
	$(BIN)/python -m pytest -q -m "not browser and not slow" -n 2 --dist loadfile

bench: $(STAMP_DEV) tools frontend
	$(BIN)/python -m benchmarks

# mutmut over indicators/ in a temporary copy; writes benchmarks/mutation.md (about an hour on 2 cores).
mutation: $(STAMP_MUT)
	$(BIN)/python -m benchmarks.mutation --max-children 2

clean:
	rm -rf $(VENV) .pytest_cache .pytest-tmp tests/artifacts components/deckmap/frontend/node_modules components/deckmap/frontend/dist
