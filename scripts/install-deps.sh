#!/usr/bin/env bash
# Installs every Debian 12 package postdesk needs to build, test, benchmark and run its demo.
# Idempotent: when everything is present it returns in well under a second.
#   scripts/install-deps.sh            build + test + demo packages
#   scripts/install-deps.sh --fuzz     also clang and its sanitizer runtimes (libFuzzer)
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config
  libmimetic-dev libuchardet-dev libgumbo-dev
  libpoco-dev libsqlite3-dev libcurl4-openssl-dev libssl-dev
  libkainjow-mustache-dev libgtest-dev libgmock-dev
  python3 sqlite3 curl openssl
)
# The throwaway mail stack the tests and the demo start (Dovecot + Postfix on 127.0.0.1).
mail_pkgs=(dovecot-imapd dovecot-lmtpd dovecot-sieve postfix)
fuzz_pkgs=(clang libclang-rt-14-dev)

want=("${build_pkgs[@]}" "${mail_pkgs[@]}")
[[ ${1:-} == --fuzz ]] && want+=("${fuzz_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO=sudo
echo "install-deps: installing ${missing[*]}" >&2

# Never let package scripts start system services (Debian's policy-rc.d convention) and keep
# Postfix from writing a system main.cf: the project runs its own private instances only.
made_policy=""
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod 755 /usr/sbin/policy-rc.d
  made_policy=1
fi
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
[[ -n $made_policy ]] && $SUDO rm -f /usr/sbin/policy-rc.d
exit 0
