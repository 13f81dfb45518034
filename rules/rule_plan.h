// postdesk::rules — what the Sieve actions mean for the ticket a mail is about to become.
//
// planFromActions() folds the evaluator's action list (sieve_eval.h) into one plan, pure: the
// last queue/fileinto wins, tags accumulate, quarantine beats ignore/discard, which beat filing.
// Mail is never dropped: `discard` and `ignore` store the message without a ticket and without an
// acknowledgment; `quarantine` keeps the raw mail with the rule's reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/sieve_eval.h"

namespace postdesk::rules {

struct RulePlan {
    enum class Disposition { File, Ignore, Quarantine };
    Disposition disposition = Disposition::File;
    std::string reason;                  // quarantine reason, or which action ignored the mail
    std::optional<std::string> queue;    // queue "x" / fileinto "x"
    std::optional<std::string> priority;
    std::optional<std::string> assign;
    std::optional<std::string> sla;
    std::vector<std::string> tags;
    bool noack = false;
};

RulePlan planFromActions(const std::vector<SieveAction>& actions);

}  // namespace postdesk::rules
