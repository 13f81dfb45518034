require ["fileinto", "envelope", "variables", "regex", "vnd.postdesk.ticket"];
if allof (address :domain :is "from" "customer.example", not exists "auto-submitted") {
  queue "customers"; tag "vip";
} elsif anyof (header :regex "subject" "^(auto|re):", size :over 2K) {
  discard; stop;
} elsif envelope :localpart :matches "from" "*-bounces" {
  ignore;
}
if header :matches "subject" "[*] *" { set "list" "${1}"; fileinto "lists.${list}"; }
if header :comparator "i;octet" :contains "x-priority" "1" { priority "high"; assign "bob"; sla "gold"; }
if auto :is "auto-reply" { noack; } else { ack "ack.vip"; }
if customer :is "new" { tag "new-customer"; }
if ticket :is "followup" { keep; }
if address :all :is ["to", "cc"] "phish@example.test" { quarantine "phishing"; }
