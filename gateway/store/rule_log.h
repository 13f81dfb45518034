// postdesk::store — the rule_decision table: what the Sieve rules decided for each inbound mail
// at the time it was filed, and the facts they saw. Written by ingest inside the transaction that
// files the mail (so it exists exactly when the mail was filed), read by `postdesk replay`.
//
// The action list is stored in the same canonical form `rules test --json` prints: every action
// in order, the implicit keep appended as "keep" (sieve_eval.h). Throws DbError (db.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/store/db.h"
#include "rules/sieve_eval.h"

namespace postdesk::store {

struct RuleDecision {
    std::int64_t inbound = 0;
    std::string customer = "new";  // known | new
    std::string ticket = "new";    // new | followup
    std::vector<rules::SieveAction> actions;
    std::vector<rules::SieveFired> fired;
    std::int64_t at = 0;
};

// The canonical action list of a result: its actions, then "keep" when the implicit keep holds.
std::vector<rules::SieveAction> canonicalActions(const rules::SieveResult& result);
std::string actionsToJson(const std::vector<rules::SieveAction>& actions);
std::vector<rules::SieveAction> actionsFromJson(const std::string& json);  // [] for malformed text
// `queue "billing"; tag "vip"; keep` — for people.
std::string describeActions(const std::vector<rules::SieveAction>& actions);

// A filed customer mail `postdesk replay` looks at: rules ran on it (or would have, for mail
// filed before decisions were kept — then `recorded` is empty).
struct ReplayCandidate {
    std::int64_t inbound = 0;
    std::int64_t received_at = 0;
    std::int64_t ticket = 0;  // 0: no ticket (ignored, discarded, quarantined by a rule)
    std::optional<RuleDecision> recorded;
};

class RuleLog {
public:
    explicit RuleLog(Db& db) : db_(db) {}
    void record(const RuleDecision& decision);  // replaces a row left by an earlier attempt
    std::optional<RuleDecision> get(std::int64_t inbound);
    // Filed customer mail received at or after `since` (unix seconds), on `ticket` when not 0,
    // oldest first: rows with a recorded decision, and inbound customer messages without one.
    // Agent mail and mail the parser quarantined are not rule decisions and are left out.
    std::vector<ReplayCandidate> candidates(std::int64_t since, std::int64_t ticket);

private:
    Db& db_;
};

}  // namespace postdesk::store
