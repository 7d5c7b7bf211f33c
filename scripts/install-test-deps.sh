#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine. Idempotent: does nothing when
# everything is present. Debian packages come from apt, JavaScript test clients from npm.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=()
need() { command -v "$1" >/dev/null 2>&1 || apt_packages+=("$2"); }
need mosquitto_pub mosquitto-clients
need sqlite3 sqlite3
# Headless browser for the dashboard page tests (Playwright drives the system Chromium; it downloads no browser).
need chromium chromium

if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "install-test-deps: apt-get install ${apt_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

# npm-based test clients (MQTT.js, @microsoft/signalr, playwright-core) live in tests/js.
if [ -f tests/js/package.json ]; then
  if [ ! -d tests/js/node_modules ] || [ tests/js/package.json -nt tests/js/node_modules ] || [ tests/js/package-lock.json -nt tests/js/node_modules ]; then
    (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
