# Bootstrap only: it makes the virtual environment and installs the pinned
# tools, then hands over to tasks/ (invoke), where the logic lives.
# Every build needs Node.js and the pinned npm packages (the web editor at
# /admin/ is bundled from them); only the tests need Chromium and Java.
#   make serve   build and preview at http://127.0.0.1:8000 with live reload
#   make html    build the site into output/ and stop
#   make check   check the content only (fast): file:line for every problem
#   make test    run every test (installs Chromium, Java, Node if missing)
#   make clean   remove output/
#   make publish build, check and push the production site to gh-pages
#                (needs SITE_URL and CALLBACK_ENDPOINT; see the README)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON_READY := $(VENV)/.requirements-installed
NODE_READY := node_modules/.package-lock-installed

.PHONY: serve html check test clean publish

serve: $(PYTHON_READY) $(NODE_READY)
	$(BIN)/invoke livereload

html: $(PYTHON_READY) $(NODE_READY)
	$(BIN)/invoke build

check: $(PYTHON_READY)
	$(BIN)/invoke check

test: $(PYTHON_READY) system-packages $(NODE_READY)
	$(BIN)/invoke test

clean:
	rm -rf output

publish: $(PYTHON_READY) system-packages $(NODE_READY)
	$(BIN)/invoke publish

.PHONY: system-packages node
system-packages:
	@tools/ensure-system-packages.sh
node:
	@tools/ensure-system-packages.sh --node-only

# For the tests and a publish, every system package first (Node among them);
# for a build, Node.js alone.
NODE_FIRST := $(if $(filter test publish,$(MAKECMDGOALS)),system-packages,node)

$(PYTHON_READY): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --requirement requirements.txt
	touch $@

# The npm packages: the web editor and its bundler (every build), and the
# test tools, the HTML checker (vnu.jar) and axe-core. --ignore-scripts:
# vnu-jar's install script would download a Java runtime (we use Debian's);
# esbuild finds its binary in its pinned platform package without its own.
$(NODE_READY): package-lock.json | $(NODE_FIRST)
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@
