#!/usr/bin/env bash
# Builds a libFuzzer target with clang (ASan + UBSan) and runs it.
#   scripts/fuzz.sh [SECONDS]     default 900 (15 minutes), on all cores (-fork)
#   FUZZ_TARGET=parse_fuzz (default; mime::parse) | sieve_fuzz (rule files: parse + evaluate)
#             | chat_update_fuzz (Telegram updates and generic webhook events)
# Seeds: the public corpus (../shared/corpus, when present), our golden mails, and the hostile
# shapes from ../shared/bench/gen_malformed.py (pieces up to 1 MB). Crashes land in
# build-fuzz/artifacts/; new interesting inputs in build-fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-900}
scripts/install-deps.sh --fuzz
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DPOSTDESK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
target=${FUZZ_TARGET:-parse_fuzz}
cmake --build build-fuzz -j"$(nproc)" --target "$target"
if [[ $target != parse_fuzz ]]; then
  kind=${target%_fuzz}; kind=${kind%_update}
  mkdir -p "build-fuzz/corpus-$target" build-fuzz/artifacts
  exec "build-fuzz/tests/fuzz/$target" "build-fuzz/corpus-$target" "tests/fuzz/seeds/$kind" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 -max_total_time="$secs" -fork="${FUZZ_JOBS:-$(nproc)}" -artifact_prefix=build-fuzz/artifacts/ -print_final_stats=1
fi
seeds=build-fuzz/seeds
if [[ ! -d $seeds ]]; then
  mkdir -p "$seeds"
  cp tests/corpus/golden/*.eml "$seeds/"
  shared=../shared
  if [[ -d $shared/corpus ]]; then
    find "$shared/corpus" -type f \( -name '*.eml' -o -name '*.box' -o -name '*.msg' -o -name 'msg_*.txt' \) -size -1M \
      -exec sh -c 'for f; do cp "$f" "'"$seeds"'/$(echo "$f" | md5sum | cut -c1-16)"; done' _ {} +
  fi
  if [[ -f $shared/bench/gen_malformed.py ]]; then
    tmp=$(mktemp -d)
    python3 "$shared/bench/gen_corpus.py" --count 60 --seed 3 --out "$tmp/src" >/dev/null
    python3 "$shared/bench/gen_malformed.py" --src "$tmp/src" --out "$tmp/bad" --seed 7 >/dev/null
    find "$tmp/bad" "$tmp/src" -type f -name '*.eml' -size -1M -exec cp {} "$seeds/" \;
    rm -rf "$tmp"
  fi
fi
mkdir -p build-fuzz/corpus build-fuzz/artifacts
exec build-fuzz/tests/fuzz/parse_fuzz build-fuzz/corpus "$seeds" -max_len=1048576 -rss_limit_mb=2048 -timeout=10 \
  -max_total_time="$secs" -fork="${FUZZ_JOBS:-$(nproc)}" -artifact_prefix=build-fuzz/artifacts/ -print_final_stats=1
