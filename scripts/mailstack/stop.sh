#!/usr/bin/env bash
# stop.sh - stop the mail stack that start.sh runs in DIR.
#
# Usage: stop.sh DIR [--purge]        --purge also removes DIR (rm -rf).
#
# Guarantees: only this instance's processes are signalled, by PID: members of the sessions
# led by its Dovecot and Postfix masters whose working directory is inside DIR (so a recycled
# PID in a stale pid file is never hit). Mail in DIR is kept unless --purge. Idempotent: exits
# 0 when nothing runs or DIR does not exist. Processes that ignore SIGTERM for
# MAILSTACK_STOP_TIMEOUT seconds (default 10) get SIGKILL.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd -P)
. "$HERE/lib.sh"

[ $# -ge 1 ] && [ $# -le 2 ] || ms_die "usage: $ms_prog DIR [--purge]"
PURGE=
case "${2:-}" in '') ;; --purge) PURGE=1 ;; *) ms_die "unknown option ${2}" ;; esac
[ -d "$1" ] || { ms_log "$1 does not exist; nothing to stop"; exit 0; }
D=$(cd "$1" && pwd -P)
STOP_TIMEOUT=${MAILSTACK_STOP_TIMEOUT:-10}

exec 9>>"$D/.lock"
flock -w 30 9 || ms_die "DIR is locked by another start/stop for 30 s: $D"

# wait_gone DEADLINE_NS PID... -> prints the PIDs still running at the deadline. A zombie
# counts as gone: PID 1 may reap the reparented daemons seconds late.
wait_gone() {
  local deadline=$1 pid left
  shift
  while :; do
    left=
    for pid in "$@"; do ms_running "$pid" && left="$left $pid"; done
    if [ -z "$left" ] || [ "$(ms_now_ns)" -ge "$deadline" ]; then
      echo "$left"
      return
    fi
    sleep 0.01
  done
}

pids=$(ms_instance_pids "$D" | tr '\n' ' ')
if [ -z "${pids// /}" ]; then
  ms_log "nothing running in $D"
else
  T0=$(ms_now_ns)
  # Signal every member at once: Dovecot's master alone waits 1 s for its children.
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  # shellcheck disable=SC2086
  stubborn=$(wait_gone $((T0 + STOP_TIMEOUT * 1000000000)) $pids)
  if [ -n "${stubborn// /}" ]; then
    ms_log "still running after ${STOP_TIMEOUT}s, SIGKILL:$stubborn"
    # shellcheck disable=SC2086
    kill -KILL $stubborn 2>/dev/null || true
  fi
  # Children forked between our listing and the signal.
  for pid in $(ms_instance_pids "$D"); do kill -KILL "$pid" 2>/dev/null || true; done
  ms_log "stopped $(wc -w <<<"$pids") processes in $((($(ms_now_ns) - T0) / 1000000)) ms"
fi

# The env file means "running": remove it so start.sh and tests see the instance is down.
rm -f "$D/env" "$D/dovecot/run/master.pid" "$D/postfix/spool/pid/master.pid"
if [ -n "$PURGE" ]; then
  exec 9>&-
  rm -rf "$D"
  ms_log "removed $D"
fi
