#include "rules/detail/sieve_validate.h"

#include "rules/detail/sieve_regex.h"
#include "rules/detail/sieve_signature.h"

namespace postdesk::rules::detail {
namespace {

const char* kindName(const SieveArgument& a) {
    switch (a.kind) {
        case SieveArgument::Kind::Tag: return "a tag";
        case SieveArgument::Kind::Number: return "a number";
        case SieveArgument::Kind::StringList: return a.single ? "a string" : "a string list";
    }
    return "?";
}

unsigned groupOf(const std::string& tag) {
    if (tag == "comparator") return kTagsComparator;
    if (tag == "is" || tag == "contains" || tag == "matches" || tag == "regex") return kTagsMatch;
    if (tag == "all" || tag == "localpart" || tag == "domain") return kTagsAddressPart;
    if (tag == "over" || tag == "under") return kTagsSize;
    if (tag == "lower" || tag == "upper" || tag == "lowerfirst" || tag == "upperfirst" || tag == "quotewildcard" || tag == "length") return kTagsSetModifier;
    return kTagsNone;
}

class Validator {
public:
    Validator(SieveScript& script, std::vector<SieveError>& errors) : script_(script), errors_(errors) {}

    void block(const std::vector<SieveCommand>& commands, bool topLevel);

private:
    void command(const SieveCommand& cmd, const std::string& previous, bool requireAllowed);
    void test(const SieveTest& t);
    void arguments(std::string_view name, SievePosition at, const SieveSignature& sig, const std::vector<SieveArgument>& args);
    void checkRequire(const SieveCommand& cmd);
    void checkValues(std::string_view name, const std::string& match, const std::vector<SieveArgument>& args);
    bool extensionPresent(const SieveSignature& sig, SievePosition at);
    void error(SievePosition at, std::string message) {
        errors_.push_back({script_.file, at.line, at.column, std::move(message)});
    }

    SieveScript& script_;
    std::vector<SieveError>& errors_;
};

void Validator::block(const std::vector<SieveCommand>& commands, bool topLevel) {
    std::string previous;
    bool requireAllowed = topLevel;
    for (const auto& cmd : commands) {
        command(cmd, previous, requireAllowed);
        // RFC 5228 §3.2: require is only allowed at the start of a script.
        if (cmd.name != "require") requireAllowed = false;
        previous = cmd.name;
    }
}

bool Validator::extensionPresent(const SieveSignature& sig, SievePosition at) {
    if (sig.extension.empty() || script_.extensions.count(std::string(sig.extension))) return true;
    error(at, "'" + std::string(sig.name) + "' needs require \"" + std::string(sig.extension) + "\"");
    return false;
}

void Validator::command(const SieveCommand& cmd, const std::string& previous, bool requireAllowed) {
    const SieveSignature* sig = findSieveSignature(cmd.name, false);
    if (!sig) {
        bool isTest = findSieveSignature(cmd.name, true) != nullptr;
        error(cmd.at, isTest ? "'" + cmd.name + "' is a test, not a command" : "unknown command '" + cmd.name + "'");
        return;
    }
    if (!extensionPresent(*sig, cmd.at)) return;
    if ((cmd.name == "elsif" || cmd.name == "else") && previous != "if" && previous != "elsif") {
        error(cmd.at, "'" + cmd.name + "' must follow 'if' or 'elsif'");
    }
    if (cmd.name == "require" && !requireAllowed) error(cmd.at, "'require' must come before any other command");
    if (sig->block && !cmd.has_block) error(cmd.at, "'" + cmd.name + "' needs a block { ... }");
    if (!sig->block && cmd.has_block) error(cmd.at, "'" + cmd.name + "' does not take a block");
    if (sig->tests == SieveTests::One && cmd.tests.size() != 1) error(cmd.at, "'" + cmd.name + "' needs exactly one test");
    if (sig->tests == SieveTests::None && !cmd.tests.empty()) error(cmd.tests.front().at, "'" + cmd.name + "' does not take a test");
    arguments(cmd.name, cmd.at, *sig, cmd.args);
    if (cmd.name == "require") checkRequire(cmd);
    for (const auto& t : cmd.tests) test(t);
    block(cmd.block, false);
}

void Validator::checkRequire(const SieveCommand& cmd) {
    if (cmd.args.empty() || cmd.args[0].kind != SieveArgument::Kind::StringList) return;
    for (const auto& ext : cmd.args[0].strings) {
        if (isKnownSieveExtension(ext)) {
            script_.extensions.insert(ext);
        } else {
            error(cmd.args[0].at, "unsupported extension '" + ext + "'");
        }
    }
}

void Validator::test(const SieveTest& t) {
    const SieveSignature* sig = findSieveSignature(t.name, true);
    if (!sig) {
        bool isCommand = findSieveSignature(t.name, false) != nullptr;
        error(t.at, isCommand ? "'" + t.name + "' is a command, not a test" : "unknown test '" + t.name + "'");
        return;
    }
    if (!extensionPresent(*sig, t.at)) return;
    if (sig->tests == SieveTests::None && !t.tests.empty()) error(t.at, "'" + t.name + "' does not take a test");
    if (sig->tests == SieveTests::One && t.tests.size() != 1) error(t.at, "'" + t.name + "' needs exactly one test");
    if (sig->tests == SieveTests::List && t.tests.empty()) error(t.at, "'" + t.name + "' needs a test list ( ... )");
    arguments(t.name, t.at, *sig, t.args);
    for (const auto& inner : t.tests) test(inner);
}

// RFC 5228 §2.6.2: tagged arguments come first, then the positional ones in order.
void Validator::arguments(std::string_view name, SievePosition at, const SieveSignature& sig, const std::vector<SieveArgument>& args) {
    const std::string quoted = "'" + std::string(name) + "'";
    std::size_t i = 0;
    std::string match;
    unsigned seen = kTagsNone;
    for (; i < args.size() && args[i].kind == SieveArgument::Kind::Tag; ++i) {
        const SieveArgument& a = args[i];
        unsigned group = groupOf(a.tag);
        if (!(group & sig.tags)) {
            error(a.at, "unknown tag ':" + a.tag + "' for " + quoted);
            continue;
        }
        if ((seen & group) && group != kTagsSetModifier) error(a.at, "more than one " + std::string(group == kTagsMatch ? "match type" : "tag of this kind") + " for " + quoted);
        seen |= group;
        if (group == kTagsMatch) match = a.tag;
        if (a.tag == "regex" && !script_.extensions.count("regex")) error(a.at, "':regex' needs require \"regex\"");
        if (group == kTagsComparator) {
            if (i + 1 >= args.size() || !args[i + 1].single) {
                error(a.at, "':comparator' needs a string");
                continue;
            }
            const std::string& c = args[++i].strings[0];
            if (c != "i;octet" && c != "i;ascii-casemap") error(args[i].at, "unsupported comparator '" + c + "'");
        }
    }
    if ((sig.tags & kTagsSize) && !(seen & kTagsSize)) error(at, quoted + " needs :over or :under");
    std::size_t positional = 0;
    for (; i < args.size(); ++i, ++positional) {
        const SieveArgument& a = args[i];
        if (positional >= sig.positional.size()) {
            error(a.at, "too many arguments for " + quoted);
            return;
        }
        char want = sig.positional[positional];
        bool ok = (want == 'N' && a.kind == SieveArgument::Kind::Number) || (want == 'S' && a.kind == SieveArgument::Kind::StringList && a.single) ||
                  (want == 'L' && a.kind == SieveArgument::Kind::StringList);
        if (!ok) {
            const char* wanted = want == 'N' ? "a number" : want == 'S' ? "a string" : "a string list";
            error(a.at, quoted + " expects " + wanted + " as argument " + std::to_string(positional + 1) + ", found " + kindName(a));
        }
    }
    if (positional < sig.positional.size()) {
        error(at, quoted + " needs " + std::to_string(sig.positional.size()) + " argument(s)");
        return;
    }
    checkValues(name, match, args);
}

// Values the grammar cannot check: regex keys (the guard) and the ticket priority.
void Validator::checkValues(std::string_view name, const std::string& match, const std::vector<SieveArgument>& args) {
    if (args.empty()) return;
    const SieveArgument& last = args.back();
    if (match == "regex") {
        for (const auto& key : last.strings) {
            // A key with ${...} is only known at run time; the guard runs again there.
            if (script_.extensions.count("variables") && key.find("${") != std::string::npos) continue;
            if (std::string why = checkSieveRegex(key); !why.empty()) error(last.at, "regex refused: " + why);
        }
    }
    if (name == "priority") {
        const std::string& p = last.strings.empty() ? std::string() : last.strings[0];
        if (p != "low" && p != "normal" && p != "high" && p != "urgent") error(last.at, "priority must be low, normal, high or urgent");
    }
}

}  // namespace

void validateSieve(SieveScript& script, std::vector<SieveError>& errors) {
    Validator(script, errors).block(script.commands, true);
}

}  // namespace postdesk::rules::detail
