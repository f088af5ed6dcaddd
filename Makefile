# The two commands of the README: `make site` and `make test`. Each installs what it needs.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# Debian packages: for building the site, and for the tests (real Chromium, CJK fonts).
SITE_PACKAGES ?= ffmpeg espeak-ng fonts-noto-cjk
TEST_PACKAGES ?= chromium chromium-driver nginx poppler-utils zbar-tools kiwix-tools libnginx-mod-http-brotli-static libnginx-mod-http-brotli-filter webkit2gtk-driver xvfb gstreamer1.0-libav gstreamer1.0-plugins-bad
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test check lint system-deps sample-videos lock clean

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@scripts/system-deps.sh $(SITE_PACKAGES) $(TEST_PACKAGES)

sample-videos: $(BIN)/.installed
	@scripts/system-deps.sh $(SITE_PACKAGES)
	$(BIN)/python scripts/make_sample_videos.py --spec courses/sample/videos.yml .

site: $(BIN)/.installed node_modules/.installed sample-videos
	$(BIN)/cloudpeds build
	@echo "Site built in site/. Preview it with 'make serve' (live reload) or"
	@echo "  $(PYTHON) -m http.server -d site 8000   then open http://127.0.0.1:8000/"
	@echo "(to host it, with video seeking, caching and the CSP: cloudpeds nginx-config --site site/ for nginx;"
	@echo " site/_headers for Netlify / Cloudflare Pages)"

serve: $(BIN)/.installed node_modules/.installed sample-videos
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

check: $(BIN)/.installed
	$(BIN)/cloudpeds check

lint: $(BIN)/.installed
	$(BIN)/ruff check $(wildcard plugins tests bench)

test: system-deps $(BIN)/.installed node_modules/.installed sample-videos
	$(BIN)/ruff check $(wildcard plugins tests bench)
	$(BIN)/python -m pytest

# Re-pin the Python dependencies after changing pyproject.toml.
lock:
	rm -rf /tmp/cloudpeds-lock && $(PYTHON) -m venv /tmp/cloudpeds-lock
	/tmp/cloudpeds-lock/bin/pip install -q --upgrade pip && /tmp/cloudpeds-lock/bin/pip install -q '.[test]'
	/tmp/cloudpeds-lock/bin/pip freeze --exclude cloudpeds > requirements.lock

clean:
	rm -rf site .site.* test-artifacts .pytest_cache
