#!/usr/bin/env bash
# wait-queue.sh - wait until Postfix in DIR has handed every accepted message on.
#
# Usage: wait-queue.sh DIR [TIMEOUT_SECONDS]     (default 10)
#
# SMTP's "250 queued" only means Postfix has the message; Dovecot gets it a few ms later over
# LMTP. When this exits 0 the queue is empty: every message so far is in a Maildir (or
# bounced). Exit 1 on timeout, listing what is still queued; exit 2 on bad usage.
set -euo pipefail
ms_prog=${0##*/}
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $ms_prog DIR [TIMEOUT_SECONDS]" >&2; exit 2; }
D=$(cd "$1" && pwd -P)
TIMEOUT=${2:-10}
SPOOL=$D/postfix/spool
[ -d "$SPOOL/active" ] || { echo "$ms_prog: $D has no Postfix queue (not started?)" >&2; exit 2; }

queue_empty() {
  # A queue file exists from "250 queued" until delivery; deferred/ holds retries.
  [ -z "$(find "$SPOOL/maildrop" "$SPOOL/incoming" "$SPOOL/active" "$SPOOL/deferred" \
    "$SPOOL/hold" -type f -print -quit 2>/dev/null)" ]
}

deadline=$(($(date +%s%N) + TIMEOUT * 1000000000))
until queue_empty; do
  if [ "$(date +%s%N)" -ge "$deadline" ]; then
    echo "$ms_prog: queue still not empty after ${TIMEOUT}s:" >&2
    /usr/sbin/postqueue -c "$D/postfix/etc" -p >&2 || true
    exit 1
  fi
  sleep 0.02
done
