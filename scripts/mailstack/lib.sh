# shellcheck shell=bash
# lib.sh - helpers shared by start.sh and stop.sh (sourced, not run).
#
# Everything here reads /proc instead of probing with signals or connections:
#  - the daemons are reparented to PID 1, which in some sandboxes reaps seconds late, so
#    `kill -0` succeeds on a zombie; we read the state letter in /proc/PID/stat instead;
#  - a probe connection would spawn an smtpd / imap-login and leave "lost connection" and
#    SSL_accept noise in the logs; we read /proc/net/tcp{,6} instead.

ms_prog=${0##*/}
ms_die() { echo "$ms_prog: $*" >&2; exit 1; }
ms_log() { [ -n "${MAILSTACK_QUIET:-}" ] || echo "$ms_prog: $*" >&2; }
ms_now_ns() { date +%s%N; }

# ms_state PID -> the one-letter process state (R, S, D, Z, ...); fails if there is no such PID.
ms_state() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }          # drop "pid (comm) "; comm may contain spaces and parentheses
  echo "${stat%% *}"
}

# ms_running PID -> true if the process exists and is not a zombie.
ms_running() {
  local s
  s=$(ms_state "$1") || return 1
  [ "$s" != Z ]
}

# ms_pidfile_running FILE -> prints the PID in FILE if that process is running.
ms_pidfile_running() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(head -n1 "$1" | tr -dc 0-9)
  [ -n "$pid" ] && ms_running "$pid" || return 1
  echo "$pid"
}

# /proc/net/tcp lists "sl: LOCAL_HEX_IP:PORT REMOTE:PORT STATE ..." with upper-case hex.
ms_port_hex() { printf '%04X' "$1"; }

# ms_port_taken PORT -> some socket uses local PORT on any address, in any state except
# TIME_WAIT (06): a restart on the same ports must not wait for old connections to expire.
ms_port_taken() {
  grep -qE "^ *[0-9]+: [0-9A-F]+:$(ms_port_hex "$1") [0-9A-F]+:[0-9A-F]{4} 0[1-57-9A-F] " \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# ms_port_listening PORT -> a LISTEN (0A) socket on 127.0.0.1:PORT exists.
ms_port_listening() {
  grep -qE "^ *[0-9]+: 0100007F:$(ms_port_hex "$1") [0-9A-F]+:0000 0A " /proc/net/tcp 2>/dev/null
}

# ms_cwd_inside PID DIR -> the process works inside DIR. Every Dovecot and Postfix process of
# an instance does (base_dir / queue_directory), so a recycled PID is never signalled.
ms_cwd_inside() {
  local cwd
  cwd=$(readlink "/proc/$1/cwd" 2>/dev/null) || return 1
  case "$cwd" in "$2" | "$2"/*) return 0 ;; esac
  return 1
}

# ms_instance_pids DIR -> running processes of the instance in DIR: members of the sessions
# whose ids are the PIDs in the two masters' pid files. Both masters call setsid(), so every
# process of a daemon carries the master's PID as session id, even after the master died.
# One pass over /proc: each pass costs about 100 ms in bash on a busy machine.
ms_instance_pids() {
  local pidfile sid sids=" " f line fields pid
  for pidfile in "$1/dovecot/run/master.pid" "$1/postfix/spool/pid/master.pid"; do
    [ -s "$pidfile" ] || continue
    sid=$(head -n1 "$pidfile" | tr -dc 0-9)
    [ -n "$sid" ] && sids="$sids$sid "
  done
  [ "$sids" != " " ] || return 0
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    line=${line##*) }              # drop "pid (comm) "
    read -r -a fields <<<"$line"   # state ppid pgrp session ...
    case "$sids" in *" ${fields[3]:-x} "*) ;; *) continue ;; esac
    [ "${fields[0]}" != Z ] || continue
    pid=${f#/proc/}
    pid=${pid%/stat}
    ms_cwd_inside "$pid" "$1" && echo "$pid"
  done
  return 0
}
