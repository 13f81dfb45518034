#!/usr/bin/env bash
# Configures and builds postdesk into build/ (Release with debug info). Used by test.sh and demo.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
