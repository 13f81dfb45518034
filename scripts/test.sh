#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test with ctest.
# Works on a fresh Debian 12 machine as root (or with sudo). Extra arguments go to ctest
# (e.g. scripts/test.sh -R Parse). ../shared/corpus is used when present and skipped when not.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd build
ctest --output-on-failure --timeout 600 -j"$(nproc)" "$@"
