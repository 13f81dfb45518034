#!/usr/bin/env bash
# Acknowledgment benchmark: N new customer mails (N different senders, so no per-sender cap
# applies) arrive at once in a real Dovecot; `postdesk serve` runs against it with the local
# Postfix as SMTP server. Reports acks/s (first arrival to last ack accepted by Postfix) and the
# p50/p99 latency from arrival to "accepted by SMTP" (outbox.sent_at, 1 s resolution).
#   bench/ack_bench.sh [N=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
bin=$PWD/build/gateway/postdesk
[[ -x $bin ]] || scripts/build.sh
d=$(mktemp -d /tmp/pdack.XXXXXX)
pid=""
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; MAILSTACK_QUIET=1 scripts/mailstack/stop.sh "$d" --purge >/dev/null 2>&1 || true' EXIT
MAILSTACK_QUIET=1 scripts/mailstack/start.sh "$d" >/dev/null
# shellcheck disable=SC1091
. "$d/env"
mkdir -p "$d/pd" "$d/in"
cat > "$d/pd/postdesk.ini" <<INI
[store]
path = var/postdesk.db
[log]
level = warning
[replies]
dir = $PWD/etc/replies
[smtp]
url = $MAILSTACK_SMTP_URL
tls = none
[mailbox.support]
url = $MAILSTACK_IMAP_URL/INBOX
user = support@example.test
password = secret
address = support@example.test
tls = none
poll_interval = 1
INI
python3 - "$d/in" "$n" <<'PY'
import sys
out, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    open(f"{out}/{i}.eml", "w", newline="").write(
        f"From: Customer {i} <cust{i}@example.test>\r\nTo: support@example.test\r\nSubject: Question {i}\r\n"
        f"Date: Sun, 22 Nov 2026 10:00:00 +0100\r\nMessage-ID: <bench-{i}@example.test>\r\n\r\n"
        f"Hello, I have a question about my order {i}.\r\n\r\nThanks\r\n")
PY
maildir=$MAILSTACK_MAIL_ROOT/example.test/support/Maildir
doveadm -c "$MAILSTACK_DOVECOT_CONF" mailbox status -u support@example.test messages INBOX >/dev/null
for f in "$d"/in/*.eml; do cp "$f" "$maildir/new/$(basename "$f" .eml).bench:2,"; done
chown -R 8:8 "$maildir"
t0=$(date +%s.%N)
"$bin" serve --config "$d/pd/postdesk.ini" &
pid=$!
db=$d/pd/var/postdesk.db
until [[ -f $db ]] && [[ $(sqlite3 "$db" "SELECT COUNT(*) FROM outbox WHERE kind='ack' AND state='sent'" 2>/dev/null || echo 0) -ge $n ]]; do
  sleep 0.2
done
t1=$(date +%s.%N)
kill $pid; wait $pid || true; pid=""
sqlite3 "$db" "SELECT sent_at FROM outbox WHERE kind='ack' ORDER BY sent_at" > "$d/sent"
python3 - "$t0" "$t1" "$n" "$d/sent" <<'PY'
import sys
t0, t1, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
lat = sorted(max(0.0, int(x) - t0) for x in open(sys.argv[4]))
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print(f"acks: {n} new tickets acknowledged in {t1 - t0:.1f} s = {n / (t1 - t0):.0f} acks/s; "
      f"latency arrival->SMTP accepted p50 {p(0.50):.0f} s, p99 {p(0.99):.0f} s (burst of {n}, 1 s resolution)")
PY
