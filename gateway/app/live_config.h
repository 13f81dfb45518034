// postdesk::app — hot reload of the admin's files: the Sieve rules (rules.dir/*.sieve) and the
// reply templates (replies.dir/**/*.mustache), kept in git and edited while `serve` runs.
//
// Guarantees:
// - check() costs a directory listing and a stat per file; it reloads only when a file was
//   added, removed, resized or touched since the last look.
// - A changed set is loaded and checked as a whole. Only a set in which every file is clean is
//   swapped in; otherwise every error is logged once as file:line:column and the last good set
//   stays in use (STYLE.md §4: configuration errors keep the last good set on reload).
// - The sets are immutable once built and shared: a consumer that took rules() before a swap
//   keeps a valid set for as long as it holds the pointer. One instance per thread.
// Never throws for bad files; logs to the "rules" and "replies" loggers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gateway/app/context.h"

namespace postdesk::app {

struct ReloadOutcome {
    bool rules_swapped = false;
    bool templates_swapped = false;
    int errors = 0;  // errors in a changed set that was kept out
};

class LiveConfig {
public:
    explicit LiveConfig(const Context& context);  // starts from the context's loaded sets

    ReloadOutcome check();

    std::shared_ptr<const std::vector<rules::SieveScript>> rules() const { return rules_; }
    std::shared_ptr<const replies::TemplateSet> templates() const { return templates_; }

private:
    std::string rulesDir_, repliesDir_;
    std::string rulesPrint_, repliesPrint_;  // fingerprints of what was last looked at
    std::shared_ptr<const std::vector<rules::SieveScript>> rules_;
    std::shared_ptr<const replies::TemplateSet> templates_;
};

// A fingerprint of the files under `dir` whose name ends in `extension`: names, sizes and
// modification times. Equal fingerprints mean nothing visible changed.
std::string directoryFingerprint(const std::string& dir, const std::string& extension, bool recursive);

}  // namespace postdesk::app
