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
# Pre-load through Dovecot's LMTP, the way every mail reaches the mailbox in production (Postfix
# hands it to LMTP): Dovecot stores it as it always does (LF line ends, ,S=size,W=vsize in the
# file name, indexed at delivery). PRELOAD=copy drops the files into new/ instead, unindexed and
# without sizes in their names: Dovecot then scans every mail once more on the first FETCH
# (message_get_body_size, ~0.5 s of its CPU per 2,000 mails), which no delivered mailbox costs.
maildir=$MAILSTACK_MAIL_ROOT/example.test/support/Maildir
doveadm -c "$MAILSTACK_DOVECOT_CONF" mailbox status -u support@example.test messages INBOX >/dev/null
files=$(ls "$corpus" | grep '\.eml$' | sed -n "1,${n}p")  # sed reads to the end: no SIGPIPE under pipefail
i=$(wc -w <<<"$files")
bytes=$(cd "$corpus" && cat $files | wc -c)
if [[ ${PRELOAD:-lmtp} == copy ]]; then
  k=0
  for f in $files; do
    cp "$corpus/$f" "$maildir/new/$(date +%s).$k.bench:2,"
    k=$((k + 1))
  done
  chown -R 8:8 "$maildir"
else
  (cd "$corpus" && python3 - "$MAILSTACK_LMTP_PORT" $files) <<'PY'
import smtplib, sys
lmtp = smtplib.LMTP("127.0.0.1", int(sys.argv[1]))
for name in sys.argv[2:]:
    with open(name, "rb") as f:
        lmtp.sendmail("bench@example.test", ["support@example.test"], f.read())
lmtp.quit()
PY
fi
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
