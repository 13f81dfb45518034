#!/usr/bin/env bash
# start.sh - start postdesk's throwaway mail stack (Dovecot + Postfix on 127.0.0.1) in DIR.
#
# Usage: start.sh DIR [BASE_PORT|auto]
#
# Six consecutive ports from BASE_PORT, all on 127.0.0.1:
#   +0 SMTP (Postfix; STARTTLS and AUTH offered, optional)   +3 IMAP  (Dovecot; STARTTLS offered)
#   +1 submission (STARTTLS, then AUTH required)            +4 IMAPS (implicit TLS)
#   +2 SMTPS (implicit TLS, AUTH required)                  +5 LMTP  (what Postfix delivers to)
# "auto" (default) reuses DIR's previous block when it is still free, else picks a random free
# block in 11000-32999 (below Linux's ephemeral range) and retries twice on a bind race.
#
# Guarantees: on success prints MAILSTACK_*=VALUE lines (values never contain spaces) and writes
# them to DIR/env; mail, UIDs and UIDVALIDITY in DIR survive stop.sh + start.sh; nothing in
# /etc/dovecot or /etc/postfix is read or changed. Idempotent: a running instance just prints
# its env. Fails (exit 1, reason on stderr, nothing left running) when it cannot start.
#
# Knobs (environment): MAILSTACK_USERS (addresses created on the first start; default
# support@ sales@ alice@ bob@ of the primary domain), MAILSTACK_PASSWORD (default "secret"),
# MAILSTACK_DOMAINS (default "example.test"; first is primary), MAILSTACK_SIEVE=1 (enable the
# Pigeonhole sieve plugin for LMTP delivery), MAILSTACK_QUIET=1, MAILSTACK_DEBUG=1 (step
# timings), MAILSTACK_START_TIMEOUT (seconds, default 10). Runs as root: Postfix's master must.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd -P)
. "$HERE/lib.sh"
T_BEGIN=$(ms_now_ns)
debug() { [ -z "${MAILSTACK_DEBUG:-}" ] || echo "$ms_prog: +$((($(ms_now_ns) - T_BEGIN) / 1000000))ms $*" >&2; }

# ------------------------------------------------------------------ arguments and checks
[ $# -ge 1 ] && [ $# -le 2 ] || ms_die "usage: $ms_prog DIR [BASE_PORT|auto]"
[ "$(id -u)" = 0 ] || ms_die "run as root (Postfix's master refuses to start otherwise)"
for bin in /usr/sbin/dovecot /usr/sbin/postfix /usr/bin/doveadm /usr/bin/openssl; do
  [ -x "$bin" ] || ms_die "$bin is missing; run scripts/install-deps.sh"
done

WANT_BASE=${2:-auto}
if [ "$WANT_BASE" != auto ]; then
  case "$WANT_BASE" in '' | *[!0-9]*) ms_die "BASE_PORT must be a number or 'auto'" ;; esac
  [ "$WANT_BASE" -ge 1024 ] && [ "$WANT_BASE" -le 65530 ] || ms_die "BASE_PORT must be 1024..65530"
fi
DOMAINS=${MAILSTACK_DOMAINS:-example.test}
DOMAIN=${DOMAINS%% *}
PASSWORD=${MAILSTACK_PASSWORD:-secret}
USERS=${MAILSTACK_USERS:-support@$DOMAIN sales@$DOMAIN alice@$DOMAIN bob@$DOMAIN}
START_TIMEOUT=${MAILSTACK_START_TIMEOUT:-10}
# Values are written unquoted into config files and DIR/env.
case "$PASSWORD" in '' | *[!A-Za-z0-9._+-]*) ms_die "MAILSTACK_PASSWORD: only A-Z a-z 0-9 . _ + -" ;; esac
case "$DOMAINS $USERS" in *[!A-Za-z0-9._+@\ -]*) ms_die "MAILSTACK_DOMAINS/USERS: only letters, digits, . _ + - @ and spaces" ;; esac

mkdir -p "$1"
D=$(cd "$1" && pwd -P)
case "$D" in *[[:space:]]*) ms_die "DIR must not contain whitespace: $D" ;; esac
# Dovecot's unix sockets live under DIR/dovecot/run and sun_path holds 108 bytes.
[ ${#D} -le 60 ] || ms_die "DIR is ${#D} chars, the limit is 60 (unix socket paths): $D"

# One start/stop at a time per DIR. The daemons must not inherit fd 9 (see launch_daemons).
exec 9>"$D/.lock"
flock -w 30 9 || ms_die "DIR is locked by another start/stop for 30 s: $D"

DOVECOT_PIDFILE=$D/dovecot/run/master.pid
POSTFIX_PIDFILE=$D/postfix/spool/pid/master.pid
PFETC=$D/postfix/etc
MAIL_UID=$(id -u mail)
MAIL_GID=$(id -g mail)

stop_instance() {
  flock -u 9
  "$HERE/stop.sh" "$D" >&2 || true
  flock -w 30 9 || ms_die "could not re-take the lock on $D"
}

# ------------------------------------------------------------------ already running?
if ms_pidfile_running "$DOVECOT_PIDFILE" >/dev/null && ms_pidfile_running "$POSTFIX_PIDFILE" >/dev/null &&
  [ -s "$D/env" ]; then
  running_base=$(sed -n 's/^MAILSTACK_SMTP_PORT=//p' "$D/env")
  [ "$WANT_BASE" = auto ] || [ "$WANT_BASE" = "$running_base" ] ||
    ms_die "already running in $D on base port $running_base; stop it before asking for $WANT_BASE"
  ms_log "already running in $D"
  cat "$D/env"
  exit 0
fi
if [ -n "$(ms_instance_pids "$D")" ]; then
  ms_log "stopping what is left of an earlier instance in $D"
  stop_instance
fi
rm -f "$D/env"

# ------------------------------------------------------------------ directory layout
prepare_layout() {
  chmod 0755 "$D"
  # A stale anvil-auth-penalty socket from an earlier run makes the first failed login hang
  # for 5 s; nothing under run/ is worth keeping.
  rm -rf "$D/dovecot/run"
  mkdir -p "$D/etc" "$D/log" "$D/tls" "$D/mail" "$D/dovecot/run" "$D/dovecot/state" \
    "$D/sieve" "$PFETC" "$D/postfix/spool" "$D/postfix/data"
  # Dovecot refuses root as the mail user, so mail belongs to Debian's "mail" (uid 8), and
  # Postfix's unprivileged processes need their data directory.
  chown "$MAIL_UID:$MAIL_GID" "$D/mail"
  chown postfix:postfix "$D/postfix/data"
  chmod 0755 "$D/postfix/spool"
  setpriv --reuid="$MAIL_UID" --regid="$MAIL_GID" --clear-groups test -w "$D/mail" 2>/dev/null ||
    ms_die "uid $MAIL_UID (mail) cannot write $D/mail: some parent of $D is not world-searchable (use /tmp)"
}

# Created once: a test may append "user@domain:{PLAIN}password" lines while the stack runs.
# Dovecot notices a changed passwd-file at most once per second.
prepare_users() {
  local u
  if [ ! -s "$D/etc/users" ]; then
    for u in $USERS; do printf '%s:{PLAIN}%s\n' "$u" "$PASSWORD"; done >"$D/etc/users.tmp"
    mv "$D/etc/users.tmp" "$D/etc/users"
  fi
  chmod 0644 "$D/etc/users"
}

# Self-signed EC P-256 (milliseconds to make, unlike RSA). The SANs let clients verify it when
# they connect to 127.0.0.1 or localhost with CURLOPT_CAINFO / curl --cacert DIR/tls/cert.pem.
prepare_cert() {
  [ -s "$D/tls/cert.pem" ] && [ -s "$D/tls/key.pem" ] && return 0
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=mail.$DOMAIN" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:mail.$DOMAIN" \
    -keyout "$D/tls/key.pem" -out "$D/tls/cert.pem" >/dev/null 2>&1 ||
    ms_die "openssl could not create the certificate"
  chmod 0600 "$D/tls/key.pem"
}

# ------------------------------------------------------------------ configuration
sieve_lmtp_block() {
  [ "${MAILSTACK_SIEVE:-}" = 1 ] || return 0
  cat <<EOF
protocol lmtp {
  mail_plugins = \$mail_plugins sieve
}
EOF
}

write_dovecot_conf() {
  cat >"$D/etc/dovecot.conf" <<EOF
# Written by postdesk scripts/mailstack/start.sh. Self-contained: /etc/dovecot is not read.
instance_name = mailstack-$BASE
hostname = mail.$DOMAIN
base_dir = $D/dovecot/run
state_dir = $D/dovecot/state
listen = 127.0.0.1
protocols = imap lmtp
log_path = $D/log/dovecot.log
auth_verbose = yes

ssl = yes
ssl_cert = <$D/tls/cert.pem
ssl_key = <$D/tls/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2

# Loopback only, so plaintext LOGIN without TLS is allowed (tests use tls = none).
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Lu
auth_failure_delay = 0
first_valid_uid = $MAIL_UID
first_valid_gid = $MAIL_GID
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $D/etc/users
}
# Catch-all: every address of the domains has a mailbox, so LMTP takes any recipient.
userdb {
  driver = static
  args = uid=$MAIL_UID gid=$MAIL_GID home=$D/mail/%Ld/%Ln allow_all_users=yes
}

mail_location = maildir:~/Maildir
mail_fsync = never
# support+T42@ lands in support's INBOX; Delivered-To keeps the detail.
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no

namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    auto = subscribe
    special_use = \\Sent
  }
  mailbox Drafts {
    auto = subscribe
    special_use = \\Drafts
  }
  mailbox Trash {
    auto = subscribe
    special_use = \\Trash
  }
  mailbox Junk {
    auto = subscribe
    special_use = \\Junk
  }
  mailbox Archive {
    auto = subscribe
    special_use = \\Archive
  }
}

# Tests and the gateway all connect from 127.0.0.1; the default of 10 is far too few.
protocol imap {
  mail_max_userip_connections = 1000
}
$(sieve_lmtp_block)
# Pigeonhole settings; only used when the sieve plugin is enabled (MAILSTACK_SIEVE=1).
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_global_dir = $D/sieve
}

# One long-lived imap-login serves every connection instead of a fork per connection
# (about 8 ms less per connect + login).
service imap-login {
  service_count = 0
  process_min_avail = 1
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service imap {
  process_min_avail = 2
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
# Without this every failed login from an IP delays all later logins from that IP, correct
# ones included, by up to 15 s: wrong-password tests would crawl. Mode 0 disables the socket.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
# Postfix's SMTP AUTH asks Dovecot over this socket.
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
EOF
}

write_postfix_main_cf() {
  cat >"$PFETC/main.cf" <<EOF
# Written by postdesk scripts/mailstack/start.sh. Independent of /etc/postfix/main.cf.
compatibility_level = 3.6
queue_directory = $D/postfix/spool
data_directory = $D/postfix/data
mail_owner = postfix
setgid_group = postdrop
# maillog_file must lie under one of maillog_file_prefixes, or Postfix exits silently.
maillog_file = $D/log/postfix.log
maillog_file_prefixes = $D/log
myhostname = mail.$DOMAIN
mydomain = $DOMAIN
myorigin = \$mydomain
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = \$myhostname ESMTP postdesk-mailstack

# Every address of the domains goes to Dovecot over LMTP; nothing is delivered locally and
# nothing leaves: other domains get "554 Relay access denied" at RCPT, even after AUTH.
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:5.1.1 local delivery is disabled
virtual_mailbox_domains = $DOMAINS
virtual_mailbox_maps =
virtual_alias_maps =
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
lmtp_host_lookup = native
relay_domains =
relayhost =
default_transport = error:5.7.1 mailstack delivers only to $DOMAINS
smtpd_relay_restrictions = reject_unauth_destination

# Clients on 127.0.0.1 count as "local": do not add Message-ID/Date/From or rewrite addresses,
# so tests see exactly what was sent (plus Return-Path, Delivered-To and Received).
local_header_rewrite_clients =
always_add_missing_headers = no
append_dot_mydomain = no

smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $D/dovecot/run/auth-postfix
smtpd_sasl_security_options = noanonymous
smtpd_tls_auth_only = no
smtpd_tls_cert_file = $D/tls/cert.pem
smtpd_tls_key_file = $D/tls/key.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1

# Defaults that make tests slow: a 1 s sleep per rejected command, flow control, and
# 300 s retry delays when Dovecot was briefly unreachable.
smtpd_peername_lookup = no
smtpd_error_sleep_time = 0s
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 1000
smtpd_client_connection_count_limit = 0
in_flow_delay = 0s
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 4s
maximal_queue_lifetime = 10m
bounce_queue_lifetime = 10m
message_size_limit = 52428800
biff = no
EOF
}

write_postfix_master_cf() {
  local auth_only="-o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=reject_unauth_destination"
  cat >"$PFETC/master.cf" <<EOF
# Written by postdesk scripts/mailstack/start.sh. No chroot: the queue lives in DIR.
# service                  type  private unpriv chroot wakeup maxproc command
127.0.0.1:$SMTP_PORT       inet  n       -      n      -      -       smtpd
127.0.0.1:$SUBMISSION_PORT inet  n       -      n      -      -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  $auth_only
127.0.0.1:$SMTPS_PORT      inet  n       -      n      -      -       smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  $auth_only
cleanup    unix  n       -       n       -       0       cleanup
qmgr       unix  n       -       n       300     1       qmgr
tlsmgr     unix  -       -       n       1000?   1       tlsmgr
rewrite    unix  -       -       n       -       -       trivial-rewrite
bounce     unix  -       -       n       -       0       bounce
defer      unix  -       -       n       -       0       bounce
trace      unix  -       -       n       -       0       bounce
verify     unix  -       -       n       -       1       verify
flush      unix  n       -       n       1000?   0       flush
proxymap   unix  -       -       n       -       -       proxymap
proxywrite unix  -       -       n       -       1       proxymap
showq      unix  n       -       n       -       -       showq
error      unix  -       -       n       -       -       error
retry      unix  -       -       n       -       -       error
discard    unix  -       -       n       -       -       discard
lmtp       unix  -       -       n       -       -       lmtp
anvil      unix  -       -       n       -       1       anvil
scache     unix  -       -       n       -       1       scache
postlog    unix-dgram n  -       n       -       1       postlogd
EOF
}

write_configs() {
  write_dovecot_conf
  write_postfix_main_cf
  write_postfix_master_cf
  # Postfix ignores a main.cf younger than ~2 s ("being edited") and polls it every 300 ms,
  # which made every start take 2+ s. Backdating the generated files avoids the wait.
  touch -d '-10 min' "$PFETC/main.cf" "$PFETC/master.cf"
}

# ------------------------------------------------------------------ ports and start
use_ports() {
  BASE=$1
  SMTP_PORT=$BASE SUBMISSION_PORT=$((BASE + 1)) SMTPS_PORT=$((BASE + 2))
  IMAP_PORT=$((BASE + 3)) IMAPS_PORT=$((BASE + 4)) LMTP_PORT=$((BASE + 5))
}
block_is_free() {
  local i
  for i in 0 1 2 3 4 5; do ! ms_port_taken $(($1 + i)) || return 1; done
}
# random_free_block -> a base in 11000..32990 (step 10) whose six ports are unused. Staying
# below 32768 keeps outgoing connections' ephemeral ports out of our blocks.
random_free_block() {
  local base
  for _ in $(seq 1 100); do
    base=$((11000 + (RANDOM % 2200) * 10))
    block_is_free "$base" && { echo "$base"; return 0; }
  done
  return 1
}
choose_ports() {  # choose_ports ATTEMPT
  local previous
  if [ "$WANT_BASE" != auto ]; then
    block_is_free "$WANT_BASE" || ms_die "a port in $WANT_BASE..$((WANT_BASE + 5)) is in use"
    use_ports "$WANT_BASE"
    return
  fi
  previous=$(cat "$D/etc/base" 2>/dev/null || true)
  if [ "$1" = 1 ] && [ -n "$previous" ] && block_is_free "$previous"; then
    use_ports "$previous"
  else
    local base
    base=$(random_free_block) || ms_die "found no block of 6 free ports"
    use_ports "$base"
  fi
}

wait_listening() {
  local deadline port
  deadline=$(($(ms_now_ns) + START_TIMEOUT * 1000000000))
  for port in $SMTP_PORT $SUBMISSION_PORT $SMTPS_PORT $IMAP_PORT $IMAPS_PORT $LMTP_PORT; do
    until ms_port_listening "$port"; do
      [ "$(ms_now_ns)" -lt "$deadline" ] || { echo "  port $port not listening after ${START_TIMEOUT}s" >&2; return 1; }
      sleep 0.02
    done
  done
}

# launch_daemons -> 0 when both are up and listening; else 1 with nothing left running.
launch_daemons() {
  # fd hygiene: "9>&-" so the daemons do not hold DIR's lock for their lifetime, and
  # stdin/stdout/stderr away from ours so "$(start.sh DIR)" or a pipe does not hang on them.
  if ! /usr/sbin/dovecot -c "$D/etc/dovecot.conf" </dev/null >"$D/log/dovecot.stderr" 2>&1 9>&-; then
    sed 's/^/  dovecot: /' "$D/log/dovecot.stderr" >&2
    stop_instance
    return 1
  fi
  debug "dovecot launched"
  if ! /usr/sbin/postfix -c "$PFETC" start </dev/null >"$D/log/postfix-start.log" 2>&1 9>&-; then
    # Without syslog and without a tty, Postfix's fatal errors go nowhere; under `script`
    # its stderr is a tty and the reason becomes visible.
    script -qc "/usr/sbin/postfix -c $PFETC start" /dev/null </dev/null 9>&- 2>&1 |
      tr -d '\r' | tee -a "$D/log/postfix-start.log" | sed 's/^/  postfix: /' >&2 || true
    stop_instance
    return 1
  fi
  debug "postfix launched"
  if ! wait_listening; then
    stop_instance
    return 1
  fi
  debug "all ports listening"
}

prepare_layout
prepare_users
prepare_cert
debug "layout ready"
T_LAUNCH=$(ms_now_ns)
for attempt in 1 2 3; do
  choose_ports "$attempt"
  debug "attempt $attempt: ports $BASE..$((BASE + 5))"
  write_configs
  launch_daemons && break
  # With "auto" another process may have taken a port between our check and the bind.
  [ "$WANT_BASE" = auto ] && [ "$attempt" -lt 3 ] || ms_die "start failed on base port $BASE; see $D/log/"
  ms_log "start on base port $BASE failed, trying another block"
done
echo "$BASE" >"$D/etc/base"

DOVECOT_PID=$(ms_pidfile_running "$DOVECOT_PIDFILE") || ms_die "dovecot exited; see $D/log/dovecot.log"
POSTFIX_PID=$(ms_pidfile_running "$POSTFIX_PIDFILE") || ms_die "postfix exited; see $D/log/postfix.log"

# ------------------------------------------------------------------ env file
{
  echo "MAILSTACK_DIR=$D"
  echo "MAILSTACK_HOST=127.0.0.1"
  echo "MAILSTACK_SMTP_PORT=$SMTP_PORT"
  echo "MAILSTACK_SUBMISSION_PORT=$SUBMISSION_PORT"
  echo "MAILSTACK_SMTPS_PORT=$SMTPS_PORT"
  echo "MAILSTACK_IMAP_PORT=$IMAP_PORT"
  echo "MAILSTACK_IMAPS_PORT=$IMAPS_PORT"
  echo "MAILSTACK_LMTP_PORT=$LMTP_PORT"
  echo "MAILSTACK_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT"
  echo "MAILSTACK_SUBMISSION_URL=smtp://127.0.0.1:$SUBMISSION_PORT"
  echo "MAILSTACK_SMTPS_URL=smtps://127.0.0.1:$SMTPS_PORT"
  echo "MAILSTACK_IMAP_URL=imap://127.0.0.1:$IMAP_PORT"
  echo "MAILSTACK_IMAPS_URL=imaps://127.0.0.1:$IMAPS_PORT"
  echo "MAILSTACK_CA_CERT=$D/tls/cert.pem"
  echo "MAILSTACK_DOMAIN=$DOMAIN"
  echo "MAILSTACK_PASSWORD=$PASSWORD"
  echo "MAILSTACK_USERS_FILE=$D/etc/users"
  echo "MAILSTACK_MAIL_ROOT=$D/mail"
  echo "MAILSTACK_DOVECOT_CONF=$D/etc/dovecot.conf"
  echo "MAILSTACK_POSTFIX_CONF_DIR=$PFETC"
  echo "MAILSTACK_DOVECOT_PID=$DOVECOT_PID"
  echo "MAILSTACK_POSTFIX_PID=$POSTFIX_PID"
} >"$D/env.tmp"
mv "$D/env.tmp" "$D/env"   # readers never see a half-written file
ms_log "up in $((($(ms_now_ns) - T_LAUNCH) / 1000000)) ms on ports $BASE..$((BASE + 5)) (dovecot $DOVECOT_PID, postfix $POSTFIX_PID)"
cat "$D/env"
