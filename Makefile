# The README's two commands are `make demo` (install + generate + load + analyse + serve)
# and `make test` (install + lint + type-check + the whole test suite). CI runs `make test`.
PY ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_WORKERS ?= 2

.PHONY: install install-test browser java lint test demo bench

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

# A Java runtime for the Spark engine's tests on a real local Spark (pyspark itself comes
# with the test extras, `guanxi[spark]`); installed only when `java` is absent.
java:
	@command -v java >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	  openjdk-17-jre-headless >/dev/null; }

lint:
	$(PY) -m ruff check .
	$(PY) -m mypy

test: install-test browser java lint
	$(PY) -m pytest -n $(PYTEST_WORKERS) --durations=15

demo: install
	guanxi demo
