# EZ-Learn — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
UV_VERSION := 0.13.9

# First interpreter that really runs and is >= 3.12: python3.14 … python3.12 on PATH, then pyenv's
# real binaries (pyenv's shims fail when its global version is older).
PYTHON_CANDIDATES := python3.14 python3.13 python3.12 python3 \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3))
BASE_PYTHON ?= $(shell for p in $(PYTHON_CANDIDATES); do \
	"$$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1 \
	&& { command -v "$$p" || echo "$$p"; } && break; done)

.PHONY: help install fonts chromium run serve test lint format messages makemessages bench lock clean

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock pyproject.toml
	@if [ -z "$(BASE_PYTHON)" ]; then \
		echo "EZ-Learn needs Python >= 3.12 (Django 6.1). Install one, or set BASE_PYTHON=/path/to/python3.12."; \
		exit 1; fi
	@echo "Using $(BASE_PYTHON)"
	test -x $(PY) || $(BASE_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	VIRTUAL_ENV=$(VENV) $(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	touch $@

install: node_modules/.installed $(VENV)/.installed messages fonts ## Create the virtualenv and install the locked dependencies

# PDF slips and certificates need a Traditional Chinese font: without it WeasyPrint prints every
# Chinese character as an empty box. Installed from Debian when we can (root + apt-get); else a
# warning, so that `make run` still works.
CJK_FONT := Noto Sans CJK TC
fonts: ## Make sure the Traditional Chinese font for PDFs (Noto Sans CJK TC) is installed
	@if command -v fc-list >/dev/null 2>&1 && fc-list | grep -q "$(CJK_FONT)"; then \
		exit 0; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing fonts-noto-cjk ($(CJK_FONT), for PDF slips and certificates)…"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q --no-install-recommends fonts-noto-cjk >/dev/null \
			|| { apt-get update -q >/dev/null && \
			     apt-get install -y -q --no-install-recommends fonts-noto-cjk >/dev/null; } \
			|| echo "WARNING: could not install fonts-noto-cjk: Chinese in PDFs will print as boxes."; \
	else \
		echo "WARNING: the font \"$(CJK_FONT)\" is missing, so Chinese in PDF slips and"; \
		echo "         certificates will print as empty boxes. Install it as root:"; \
		echo "         apt-get install fonts-noto-cjk   (Debian/Ubuntu)"; \
	fi

# The browser journeys (tests/e2e) drive Debian's Chromium through Playwright (Playwright's own
# browser download is not used). Installed when we can; without it those tests are skipped.
chromium: ## Make sure Chromium is installed for the browser tests
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then \
		exit 0; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing chromium (for the browser tests)…"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q --no-install-recommends chromium >/dev/null \
			|| { apt-get update -q >/dev/null && \
			     apt-get install -y -q --no-install-recommends chromium >/dev/null; } \
			|| echo "WARNING: could not install chromium: the browser tests will be skipped."; \
	else \
		echo "NOTE: chromium is missing, so the browser tests will be skipped. Install it as root:"; \
		echo "      apt-get install chromium   (Debian/Ubuntu)"; \
	fi

# Development-only JavaScript tools (axe-core for the accessibility tests); optional.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: accessibility tests will be skipped"; fi

messages: $(VENV)/.installed ## Compile translations (locale/*.po -> .mo)
	@cd . && $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

makemessages: $(VENV)/.installed ## Extract translatable strings into locale/
	$(MANAGE) makemessages -l zh_Hant -l en -l vi --ignore=.venv --ignore=node_modules --ignore=benchmarks --ignore=tests --no-obsolete

run: install ## Install, migrate, load demo data and serve http://127.0.0.1:8000
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

test: install chromium ## Install and run checks, lint and the whole test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) check
	DJANGO_SETTINGS_MODULE=ezlearn.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest --create-db -m "not browser" $(PYTEST_ARGS)
	$(VENV)/bin/pytest --create-db -m browser $(PYTEST_ARGS)

lint: $(VENV)/.installed ## Ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install ## Run the benchmarks in benchmarks/ (ratios within one run)
	DJANGO_SETTINGS_MODULE=ezlearn.settings.test $(PY) -m benchmarks

lock: ## Re-resolve requirements.lock from pyproject.toml
	$(VENV)/bin/uv pip compile --python $(PY) pyproject.toml --extra dev -o requirements.lock

clean: ## Remove the virtualenv, the demo database and media
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles
