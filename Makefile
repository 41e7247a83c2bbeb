# make run   - set up .venv if needed, then open the app on the demo workspace
# make test  - the same set-up, then the whole test suite
# make soak  - the long crash-safety run (50 kills)
# make bench - benchmarks beside the raw libraries (small size; BENCH_ARGS="--size inquiry" for full scale)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test soak bench setup clean lint-imports

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Annotator needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: setup
	@packaging/sysdeps.sh gui
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ] && command -v xvfb-run >/dev/null 2>&1; then \
	  echo "No display found: starting on a virtual screen (xvfb-run). On a desktop the window appears normally."; \
	  xvfb-run -a $(VENV)/bin/annotator gui --demo; \
	else $(VENV)/bin/annotator gui --demo; fi

test: setup
	@packaging/sysdeps.sh test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

soak: setup
	ANNOTATOR_KILLS=50 QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/core/test_kill_harness.py -q

bench: setup
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
