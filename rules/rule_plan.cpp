#include "rules/rule_plan.h"

namespace postdesk::rules {
namespace {

std::string firstArg(const SieveAction& a) { return a.args.empty() ? std::string() : a.args.front(); }

void note(RulePlan& p, const SieveAction& a) {
    const std::string& n = a.action;
    if (n == "queue" || n == "fileinto") p.queue = firstArg(a);
    else if (n == "priority") p.priority = firstArg(a);
    else if (n == "assign") p.assign = firstArg(a);
    else if (n == "sla") p.sla = firstArg(a);
    else if (n == "tag") p.tags.push_back(firstArg(a));
    else if (n == "noack") p.noack = true;
}

}  // namespace

RulePlan planFromActions(const std::vector<SieveAction>& actions) {
    RulePlan p;
    for (const auto& a : actions) {
        if (a.action == "quarantine") {
            p.disposition = RulePlan::Disposition::Quarantine;
            p.reason = firstArg(a).empty() ? "quarantined by a rule" : firstArg(a);
        } else if ((a.action == "ignore" || a.action == "discard") && p.disposition == RulePlan::Disposition::File) {
            p.disposition = RulePlan::Disposition::Ignore;
            p.reason = a.action;
        } else {
            note(p, a);
        }
    }
    if (p.disposition != RulePlan::Disposition::File) p.noack = true;
    return p;
}

}  // namespace postdesk::rules
