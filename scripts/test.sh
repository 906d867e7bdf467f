#!/bin/sh
# Install everything the test suite needs and run all of it (this is what CI runs).
#  - a virtual environment in .venv with policydata and its test extras;
#  - Debian's Chromium and CJK fonts for the browser tests (apt-get, as root or with sudo);
#  - pytest over tests/ and the doctests in src/policydata, on two workers.
# Extra arguments go to pytest. Exits non-zero on any failure, "no tests collected" included.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
if [ ! -x /usr/bin/chromium ] || ! ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 \
        || ! ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-dejavu-core >/dev/null
fi
exec .venv/bin/python -m pytest -n 2 "$@"
