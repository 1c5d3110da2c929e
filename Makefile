# The README's two commands are `make demo` (install + generate + load + analyse + serve)
# and `make test` (install + lint + type-check + the whole test suite). CI runs `make test`.
PY ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_WORKERS ?= 2

.PHONY: install install-test browser lint test demo bench

install:
	$(PY) -m pip install --quiet --disable-pip-version-check -e .

install-test:
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'

# Debian's Chromium (+ a CJK font for the screenshots) for the explorer page's browser test;
# Playwright's own browser download fails here.
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wenquanyi; } || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	  chromium fonts-wqy-microhei >/dev/null; }

lint:
	$(PY) -m ruff check .
	$(PY) -m mypy

test: install-test browser lint
	$(PY) -m pytest -n $(PYTEST_WORKERS) --durations=15

demo: install
	guanxi demo
