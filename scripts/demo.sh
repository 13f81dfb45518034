#!/usr/bin/env bash
# The main job on embedded defaults. For now: builds postdesk and shows what it reads from a few
# of the hand-written mails in tests/corpus/golden/ (a Russian windows-1251 mail without a charset,
# an Outlook mail with an inline image, a Gmail HTML reply with quoted history, a bounce).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
g=tests/corpus/golden
for f in ru-cp1251-undeclared outlook-related-inline gmail-html-reply dsn-bounce; do
  build/gateway/postdesk parse "$g/$f.eml"
  echo
done
