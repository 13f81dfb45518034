#!/usr/bin/env bash
# Ingest benchmark: N mails of the support-mailbox mix pre-loaded into a real Dovecot, then
# `postdesk poll --once` until the mailbox is empty. Prints mails/s and peak RSS.
#   bench/ingest_bench.sh [N=2000] [CORPUS_DIR=/tmp/corpus-5000]
# The corpus is made with ../shared/bench/gen_corpus.py when missing. Needs root (the stack).
# POSTDESK_BIN=path/to/postdesk measures another build (default build/gateway/postdesk).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
corpus=${2:-/tmp/corpus-5000}
bin=${POSTDESK_BIN:-build/gateway/postdesk}
[[ -x $bin ]] || { [[ -z ${POSTDESK_BIN:-} ]] && scripts/build.sh; }
if [[ ! -f $corpus/MANIFEST.tsv ]]; then
  python3 ../shared/bench/gen_corpus.py --count 5000 --seed 1 --out "$corpus" >/dev/null
fi
d=$(mktemp -d /tmp/pdbench.XXXXXX)
trap 'MAILSTACK_QUIET=1 scripts/mailstack/stop.sh "$d" --purge >/dev/null 2>&1 || true' EXIT
MAILSTACK_QUIET=1 scripts/mailstack/start.sh "$d" >/dev/null
# shellcheck disable=SC1091
. "$d/env"
# Pre-load by dropping files into the Maildir's new/ (what an MDA does); Dovecot indexes them on
# the first SELECT, so the timed part below includes that, as it would in production.
maildir=$MAILSTACK_MAIL_ROOT/example.test/support/Maildir
doveadm -c "$MAILSTACK_DOVECOT_CONF" mailbox status -u support@example.test messages INBOX >/dev/null
bytes=0
i=0
for f in $(ls "$corpus" | grep '\.eml$' | head -n "$n"); do
  cp "$corpus/$f" "$maildir/new/$(date +%s).$i.bench:2,"
  bytes=$((bytes + $(stat -c %s "$corpus/$f")))
  i=$((i + 1))
done
chown -R 8:8 "$maildir"
mkdir -p "$d/pd"
cat > "$d/pd/postdesk.ini" <<INI
[store]
path = $d/pd/var/postdesk.db
[log]
level = warning
[mailbox.support]
url = $MAILSTACK_IMAP_URL/INBOX
user = support@example.test
password = secret
address = support@example.test
tls = none
INI
start=$(date +%s.%N)
peak=0
while :; do
  /usr/bin/time -o "$d/rss" -f '%M' "$bin" poll --once --config "$d/pd/postdesk.ini"
  rss=$(tail -1 "$d/rss")
  if ((rss > peak)); then peak=$rss; fi
  left=$(doveadm -c "$MAILSTACK_DOVECOT_CONF" mailbox status -u support@example.test messages INBOX | cut -d= -f2)
  [[ $left == 0 ]] && break
done
end=$(date +%s.%N)
filed=$("$bin" tickets --config "$d/pd/postdesk.ini" | wc -l)
# (head closes the pipe early: with pipefail that is an error, hence the `|| true`)
largest=$( (ls -S "$corpus" | grep '\.eml$' | head -n "$n" | xargs -I{} stat -c %s "$corpus/{}" | sort -n | tail -1) || true)
python3 - "$start" "$end" "$i" "$bytes" "$peak" "$filed" "$largest" <<'PY'
import sys
s, e, n, b, peak, filed, largest = map(float, sys.argv[1:])
t = e - s
print(f"ingest: {int(n)} mails ({b/1e6:.1f} MB) in {t:.2f} s = {n/t:.0f} mails/s, {b/1e6/t:.1f} MB/s; "
      f"peak RSS {peak/1024:.1f} MiB (largest mail {largest/1048576:.1f} MiB); {int(filed)} tickets")
PY
