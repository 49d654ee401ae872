#!/usr/bin/env bash
# Makes sure the programs the tests drive are on this machine, from Debian's
# packages: Chromium (browser tests), a Java runtime (the Nu HTML Checker) and
# Node.js with npm (installs vnu.jar and axe-core). Installs what is missing
# when it can (root with apt-get, as on CI); otherwise says what to install.
# With --node-only, only Node.js and npm: every build needs them (they bundle
# the web editor), the browser and Java only the tests.
set -euo pipefail

missing=()
if [ "${1:-}" != "--node-only" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
fi
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing from Debian: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "These Debian packages are needed and missing: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
