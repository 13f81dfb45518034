// postdesk::rules — run validated Sieve scripts over one mail's facts (RFC 5228 §2.10).
//
//   result = evaluate(scripts, input);   // scripts in file-name order, each parsed without errors
//
// Semantics, decided here and relied on by the shell:
//   - The scripts run as if concatenated (Pigeonhole runs one script; we have a directory):
//     `stop` ends ALL evaluation, later files included. Variables are per file (RFC 5229 §3
//     scopes them to a script); match variables reset at each file too.
//   - Implicit keep (§2.10.2) holds unless `discard`, `fileinto`, or the ticketing actions
//     `ignore` or `quarantine` ran (those say "no ticket from this mail"). An explicit `keep`
//     is an action of its own and survives a `discard` (§4.3: discard only cancels the
//     implicit keep). `implicit_keep` is reported apart; it is not in `actions`.
//   - `keep` and `fileinto X` are recorded once each however often they run (§2.10.3); other
//     actions are recorded every time, in order (the shell applies them, last one wins).
//   - Strings in actions and test keys expand ${...} when the file requires "variables".
// Never throws; a script that did not parse cleanly must not be passed in (STYLE.md §4: the
// caller keeps the last good set).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mime/message.h"
#include "rules/sieve_ast.h"

namespace postdesk::rules {

struct SieveInput {
    std::vector<mime::Header> headers;  // mime::Message::headers; tests use the decoded `value`
    std::string envelope_from;          // "" for the null reverse-path
    std::string envelope_to;
    std::uint64_t size = 0;             // raw size in bytes
    std::string auto_kind = "none";     // mime::toString(AutoKind): none, auto-reply, bounce, list
    std::string customer = "new";       // "known" | "new"
    std::string ticket = "new";         // "new" | "followup"
};

struct SieveAction {
    std::string action;  // "keep", "discard", "fileinto", "queue", "tag", ...
    std::vector<std::string> args;
    bool operator==(const SieveAction&) const = default;
};

// A rule that fired: the innermost if/elsif/else whose block ran an action, or the action
// itself when it stands at the top level of a file.
struct SieveFired {
    std::string file;
    int line = 0;
    std::string command;  // "if", "elsif", "else", or the action name
    bool operator==(const SieveFired&) const = default;
};

struct SieveResult {
    std::vector<SieveFired> fired;
    std::vector<SieveAction> actions;
    bool implicit_keep = true;
};

SieveResult evaluate(const std::vector<SieveScript>& scripts, const SieveInput& input);

}  // namespace postdesk::rules
