# epdoc: `make setup` then `make test`. `make help` lists every target.
PYTHON    ?= python3
VENV      ?= .venv
BIN       := $(VENV)/bin
PROPOSALS ?= examples/proposals
OUT       ?= build
ARCHIVE   ?= archive
JOBS      ?=
EPDOC     := $(BIN)/epdoc
SYSTEM_PACKAGES := libharfbuzz-subset0 libreoffice-writer-nogui chromium chromium-driver

.DEFAULT_GOAL := help
.PHONY: help setup system-deps axe-core test check html pdf docx all index archive bench clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: system-deps $(VENV)/.installed axe-core ## create .venv and install epdoc with pinned dependencies

system-deps: ## install the system packages (WeasyPrint's libraries; LibreOffice and headless Chromium, which the tests open the outputs with), skipped when present
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  echo "installing system packages:$$missing"; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[test]"
	$(BIN)/python -m compileall -q epdoc filters pipeline >/dev/null  # as a wheel install would: start-up reads bytecode, even where PYTHONDONTWRITEBYTECODE is set
	touch $@

axe-core: $(VENV)/.installed ## the accessibility checker the HTML tests run (npm, pinned in tests/helpers/axe.py)
	$(BIN)/python tests/helpers/axe.py

test: ## run the whole test suite
	$(BIN)/python -m pytest -n 2

check: ## lint the code (ruff), the stages' import contract (import-linter) and cycles
	$(BIN)/ruff check filters pipeline tests bench
	$(BIN)/python tests/architecture/imports.py contract
	$(BIN)/python tests/architecture/imports.py cycles

html: ## convert every proposal in PROPOSALS to HTML in OUT
	$(EPDOC) build $(PROPOSALS) --to html -o $(OUT)

docx: ## convert every proposal in PROPOSALS to DOCX in OUT
	$(EPDOC) build $(PROPOSALS) --to docx -o $(OUT)

pdf: ## each proposal's PDF in OUT, and the review packet OUT/packet.pdf (TITLE, STATUS, SINCE=REF: redlines)
	@status=0; $(EPDOC) build $(PROPOSALS) --to pdf -o $(OUT) || status=1; \
	$(EPDOC) packet $(PROPOSALS) -o $(OUT)/packet.pdf $(if $(STATUS),--status "$(STATUS)") \
	  $(if $(TITLE),--title "$(TITLE)") $(if $(SINCE),--since "$(SINCE)") || status=1; \
	exit $$status

all: ## HTML, PDF and DOCX of every proposal in PROPOSALS
	$(EPDOC) build $(PROPOSALS) --to html,pdf,docx -o $(OUT)

index: ## OUT/index.html: every proposal in PROPOSALS by status, linked to its outputs in OUT
	$(EPDOC) index $(PROPOSALS) -o $(OUT)/index.html

archive: ## archive approved proposals of PROPOSALS into ARCHIVE (STATUS optional), then verify it
	$(EPDOC) archive $(PROPOSALS) --into $(ARCHIVE) $(if $(STATUS),--status "$(STATUS)")
	$(EPDOC) archive verify $(ARCHIVE)

bench: ## time cold, warm and one-change builds against a pandoc-per-file script (BENCH_ARGS)
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

clean: ## remove build outputs
	rm -rf $(OUT) dist *.egg-info .pytest_cache
