#!/usr/bin/env bash
# The main job on embedded defaults: a whole support loop on a throwaway local mail stack.
#   1. starts Dovecot + Postfix on 127.0.0.1 (scripts/mailstack), in a temporary directory;
#   2. a customer, Anna, mails support@example.test over SMTP;
#   3. postdesk polls the mailbox, opens ticket #1 and acknowledges it; the agent Bob gets a
#      notification;
#   4. Bob answers from "his mail client" by replying to the notification, with a #pending command;
#   5. shows the ticket and the two mails that reached Anna's mailbox;
#   6. the admin edits a Sieve rule and asks what it would have changed (`rules check`,
#      `rules test`, `replay`: dry runs over the mail already filed); stops the stack.
# Needs root (Postfix); installs what it needs and builds first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >/dev/null
pd="$PWD/build/gateway/postdesk"
d=$(mktemp -d /tmp/pddemo.XXXXXX)
trap 'MAILSTACK_QUIET=1 scripts/mailstack/stop.sh "$d" --purge >/dev/null 2>&1 || true' EXIT
MAILSTACK_QUIET=1 scripts/mailstack/start.sh "$d" >/dev/null
# shellcheck disable=SC1091
. "$d/env"
mkdir -p "$d/pd"
cat > "$d/pd/postdesk.ini" <<INI
[store]
path = var/postdesk.db
[log]
level = warning
[replies]
dir = $PWD/etc/replies
[rules]
dir = $PWD/etc/rules
[smtp]
url = $MAILSTACK_SMTP_URL
tls = none
[mailbox.support]
url = $MAILSTACK_IMAP_URL/INBOX
user = support@example.test
password = secret
address = support@example.test
tls = none
[agent.bob]
name = Bob Miller
address = bob@example.test
queues = support
lead = support
INI
cfg="--config $d/pd/postdesk.ini"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
newest() { ls -t "$MAILSTACK_MAIL_ROOT/example.test/$1/Maildir/new/" | head -1 | sed "s|^|$MAILSTACK_MAIL_ROOT/example.test/$1/Maildir/new/|"; }
showmail() {  # the headers that matter, then the text as postdesk reads it
  awk '/^\r?$/{exit} /^(From|To|Reply-To|Subject|In-Reply-To|References|Auto-Submitted):/' "$1" | tr -d '\r'
  echo; "$pd" parse --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"])'
}
smtp() { curl -sS "$MAILSTACK_SMTP_URL/demo.example.test" --mail-from "$1" --mail-rcpt "$2" -T - ; scripts/mailstack/wait-queue.sh "$d" >/dev/null; }

step "Anna writes to support@example.test"
printf 'From: "Schmidt, Anna" <alice@example.test>\r\nTo: support@example.test\r\nSubject: Printer on fire\r\nDate: %s\r\nMessage-ID: <demo-1@example.test>\r\n\r\nHello, the printer in room 4 is smoking. What should I do?\r\n\r\nAnna\r\n' \
  "$(date -R)" > "$d/anna.eml"
smtp alice@example.test support@example.test < "$d/anna.eml"
step "postdesk poll --once; postdesk send --once"
$pd poll --once $cfg
$pd send --once $cfg
scripts/mailstack/wait-queue.sh "$d" >/dev/null
step "The acknowledgment in Anna's mailbox"
showmail "$(newest alice)"

step "Bob answers the notification from his mail client"
notify=$(newest bob)
reply_to=$(grep -m1 '^Reply-To:' "$notify" | sed 's/.*<\(.*\)>.*/\1/')
echo "(Bob replies to $reply_to)"
printf 'From: Bob Miller <bob@example.test>\r\nTo: %s\r\nSubject: Re: [#1] Printer on fire\r\nMessage-ID: <demo-bob-1@example.test>\r\n\r\n#pending\r\nHi Anna, please switch it off at the wall and keep the door closed. I am on my way.\r\n\r\nBob\r\n\r\nOn %s, Anna <alice@example.test> wrote:\r\n> Hello, the printer in room 4 is smoking.\r\n' \
  "$reply_to" "$(date '+%a, %b %d, %Y at %H:%M')" | smtp bob@example.test "$reply_to"
$pd poll --once $cfg
$pd send --once $cfg
scripts/mailstack/wait-queue.sh "$d" >/dev/null
step "Bob's answer in Anna's mailbox (from the support address, threaded)"
showmail "$(newest alice)"
step "postdesk show 1"
$pd show 1 $cfg
step "postdesk tickets --json"
$pd tickets --json $cfg

step "The admin adds a rule: fire goes to facilities, urgently (a copy of etc/rules plus one file)"
mkdir -p "$d/pd/rules"
cp etc/rules/*.sieve "$d/pd/rules/"
cat > "$d/pd/rules/20-facilities.sieve" <<'SIEVE'
require ["vnd.postdesk.ticket"];
if header :contains "subject" ["fire", "smoke", "water"] {
    queue "facilities";
    priority "high";
}
SIEVE
$pd rules check "$d/pd/rules" $cfg
step "postdesk rules test: what the new rules do to Anna's mail (a dry run)"
$pd rules test "$d/anna.eml" --rules "$d/pd/rules" $cfg
step "postdesk replay: where the new rules would have decided differently (exit 1 = differences)"
$pd replay --rules "$d/pd/rules" $cfg || true
