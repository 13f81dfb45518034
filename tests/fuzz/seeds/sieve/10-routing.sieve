# Routing: billing mail goes to the billing queue. Rules run in file-name order on every new
# mail before its ticket is stored; `postdesk rules test MAIL.eml` shows what they would do.
require ["fileinto", "vnd.postdesk.ticket"];

if anyof (header :contains "subject" ["invoice", "refund", "счёт"],
          address :domain "from" "billing.example.com") {
    queue "billing";
    tag "billing";
}

if header :contains "subject" ["urgent", "down", "срочно"] {
    priority "high";
}
