# Stapelkaart: two set-up commands for a fresh machine: `make run` and `make test`.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
HOST    ?= 127.0.0.1
PORT    ?= 8501
STAMP   := $(VENV)/.installed

.PHONY: run test bench venv browser clean

$(STAMP): requirements.txt
	@command -v $(PY) >/dev/null 2>&1 || { echo "fout: $(PY) niet gevonden; installeer Python 3.11"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

# Debian Chromium for the browser tests (Playwright drives /usr/bin/chromium; no browser download).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Chromium installeren (apt) voor de browsertests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

bench: $(STAMP) browser
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache tests/artifacts
