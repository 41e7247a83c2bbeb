# make run   - set up .venv if needed, then open the app on the demo workspace
# make test  - the same set-up, then the whole test suite
# make soak  - the long crash-safety run (50 kills)
# make package - the one-folder application in dist/ (PyInstaller), with a tarball
# make package-check - run the packaged app headless and in a window, offline
# make screenshots - screenshots of the main screens for the README (Xvfb)
# make bench - benchmarks beside the raw libraries (small size; BENCH_ARGS="--size inquiry" for full scale)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test soak bench setup clean lint-imports package package-check screenshots

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
	$(VENV)/bin/ruff check src tests bench packaging
	$(VENV)/bin/ruff format --check src tests bench packaging
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

soak: setup
	ANNOTATOR_KILLS=50 QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/core/test_kill_harness.py -q

bench: setup
	$(PY) -m bench $(BENCH_ARGS)

package: setup
	$(PY) -m pip install --quiet 'pyinstaller>=6.10,<7'
	$(PY) packaging/prepare.py before
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/annotator.spec
	$(PY) packaging/prepare.py after

package-check: setup
	@packaging/sysdeps.sh test
	$(PY) packaging/check.py dist/annotator

screenshots: setup
	@packaging/sysdeps.sh test
	$(PY) packaging/screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info
