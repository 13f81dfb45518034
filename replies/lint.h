// postdesk::replies — checks an admin runs on etc/replies/ before a reload (and CI on ours).
//
// lintTemplates reports, with path:line:column:
//   errors    everything loadTemplates rejects (syntax, file names, saved-reply headers, partials);
//             unknown placeholders (they would render as nothing); a forbidden phrase; no default
//             ack.en / notify.en while other acknowledgments / notifications exist
//   warnings  {{customer.raw_first_name}} outside a {{#customer.raw_first_name}} section: it has
//             no fallback and can render "Hi ,"
// Forbidden phrases (case-insensitive, Latin and Cyrillic) are what Help Scout's guidance on
// acknowledgments warns against: "we apologise for the inconvenience", "dear customer",
// "valued customer", "do not reply" / "no-reply", and signing as a team rather than a person
// ("the support team", "customer service team", a signature line "Команда/Служба поддержки").
// Every known placeholder has a fallback by construction (placeholders.h), so using one is never
// a finding. Never fails; files that are not *.mustache are skipped as the loader skips them.
#pragma once

#include <string>
#include <vector>

#include "replies/templates.h"

namespace postdesk::replies {

enum class LintSeverity { Error, Warning };

struct LintFinding {
    std::string path;
    int line = 0;
    int column = 0;
    std::string message;
    LintSeverity severity = LintSeverity::Error;
};

std::vector<LintFinding> lintTemplates(const std::vector<TemplateFile>& files);

// "etc/replies/ack.en.mustache:3:12: error: …", the form compilers use so editors can jump to it.
std::string toString(const LintFinding& finding);

}  // namespace postdesk::replies
