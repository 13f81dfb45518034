#include "rules/detail/sieve_compile.h"

#include <string_view>

#include "rules/detail/sieve_match.h"

namespace postdesk::rules::detail {
namespace {

std::string foldAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

SieveTestKind testKind(std::string_view n) {
    if (n == "true") return SieveTestKind::True;
    if (n == "false") return SieveTestKind::False;
    if (n == "not") return SieveTestKind::Not;
    if (n == "allof") return SieveTestKind::Allof;
    if (n == "anyof") return SieveTestKind::Anyof;
    if (n == "size") return SieveTestKind::Size;
    if (n == "exists") return SieveTestKind::Exists;
    if (n == "header") return SieveTestKind::Header;
    if (n == "address") return SieveTestKind::Address;
    if (n == "envelope") return SieveTestKind::Envelope;
    if (n == "auto") return SieveTestKind::Auto;
    if (n == "customer") return SieveTestKind::Customer;
    if (n == "ticket") return SieveTestKind::Ticket;
    return SieveTestKind::Unknown;
}

// Every validated command that is not a control command or `set` is an action.
SieveCommandKind commandKind(std::string_view n) {
    if (n == "require") return SieveCommandKind::Require;
    if (n == "if") return SieveCommandKind::If;
    if (n == "elsif") return SieveCommandKind::Elsif;
    if (n == "else") return SieveCommandKind::Else;
    if (n == "stop") return SieveCommandKind::Stop;
    if (n == "set") return SieveCommandKind::Set;
    return SieveCommandKind::Action;
}

unsigned setModifier(std::string_view tag) {
    if (tag == "lower") return kSetLower;
    if (tag == "upper") return kSetUpper;
    if (tag == "lowerfirst") return kSetLowerFirst;
    if (tag == "upperfirst") return kSetUpperFirst;
    if (tag == "quotewildcard") return kSetQuoteWildcard;
    if (tag == "length") return kSetLength;
    return 0;
}

class Compiler {
public:
    explicit Compiler(bool variables) : variables_(variables) {}

    void commands(std::vector<SieveCommand>& commands) {
        for (auto& cmd : commands) command(cmd);
    }

private:
    void command(SieveCommand& cmd);
    void test(SieveTest& t);
    // The tags of a test or `set` (RFC 5228 §2.7): fills `out`, returns where the positional
    // arguments start.
    std::size_t tags(const std::vector<SieveArgument>& args, SieveCompiledTest& out, unsigned& modifiers) const;
    SieveCompiledString string(const std::string& s, bool fold) const;
    SieveCompiledString key(const std::string& s, const SieveCompiledTest& t) const;

    bool variables_;
};

SieveCompiledString Compiler::string(const std::string& s, bool fold) const {
    SieveCompiledString c;
    c.text = s;
    if (fold) c.folded = foldAscii(s);
    c.expands = variables_ && s.find("${") != std::string::npos;
    return c;
}

SieveCompiledString Compiler::key(const std::string& s, const SieveCompiledTest& t) const {
    const bool casemap = t.comparator == SieveComparator::AsciiCasemap;
    SieveCompiledString c = string(s, casemap);
    if (t.match == SieveMatchType::Matches && !c.expands) c.shape = sieveWildcardShape(casemap ? c.folded : c.text, c.literal);
    return c;
}

std::size_t Compiler::tags(const std::vector<SieveArgument>& args, SieveCompiledTest& out, unsigned& modifiers) const {
    std::size_t i = 0;
    for (; i < args.size() && args[i].kind == SieveArgument::Kind::Tag; ++i) {
        const std::string& t = args[i].tag;
        if (t == "is") out.match = SieveMatchType::Is;
        else if (t == "contains") out.match = SieveMatchType::Contains;
        else if (t == "matches") out.match = SieveMatchType::Matches;
        else if (t == "regex") out.match = SieveMatchType::Regex;
        else if (t == "all") out.address_part = SieveAddressPart::All;
        else if (t == "localpart") out.address_part = SieveAddressPart::Localpart;
        else if (t == "domain") out.address_part = SieveAddressPart::Domain;
        else if (t == "over") out.over = true;
        else if (t == "under") out.over = false;
        else if (t == "comparator" && i + 1 < args.size()) {
            out.comparator = args[++i].strings.at(0) == "i;octet" ? SieveComparator::Octet : SieveComparator::AsciiCasemap;
        } else {
            modifiers |= setModifier(t);
        }
    }
    return i;
}

void Compiler::test(SieveTest& t) {
    for (auto& inner : t.tests) test(inner);
    SieveCompiledTest& c = t.compiled;
    c.kind = testKind(t.name);
    unsigned ignored = 0;
    const std::size_t first = tags(t.args, c, ignored);
    auto positional = [&](std::size_t i) -> const std::vector<std::string>& { return t.args.at(first + i).strings; };
    switch (c.kind) {
        case SieveTestKind::Size: c.limit = t.args.at(first).number; break;
        case SieveTestKind::Exists:
            for (const auto& name : positional(0)) c.names.push_back(string(name, true));
            break;
        case SieveTestKind::Header:
        case SieveTestKind::Address:
        case SieveTestKind::Envelope:
            for (const auto& name : positional(0)) c.names.push_back(string(name, true));
            for (const auto& k : positional(1)) c.keys.push_back(key(k, c));
            break;
        case SieveTestKind::Auto:
        case SieveTestKind::Customer:
        case SieveTestKind::Ticket:
            for (const auto& k : positional(0)) c.keys.push_back(key(k, c));
            break;
        default: break;
    }
}

void Compiler::command(SieveCommand& cmd) {
    SieveCompiledCommand& c = cmd.compiled;
    c.kind = commandKind(cmd.name);
    const std::string& n = cmd.name;
    if (c.kind == SieveCommandKind::Action) {
        c.cancels_implicit_keep = n == "discard" || n == "fileinto" || n == "ignore" || n == "quarantine";
        c.recorded_once = n == "keep" || n == "fileinto" || n == "discard";
        for (const auto& arg : cmd.args) {
            for (const auto& s : arg.strings) c.args.push_back(string(s, false));
        }
    } else if (c.kind == SieveCommandKind::Set) {
        SieveCompiledTest options;
        const std::size_t first = tags(cmd.args, options, c.set_modifiers);
        c.args.push_back(string(cmd.args.at(first).strings.at(0), true));  // the name: folded is its key
        c.args.push_back(string(cmd.args.at(first + 1).strings.at(0), false));
    }
    for (auto& t : cmd.tests) test(t);
    commands(cmd.block);
}

}  // namespace

void compileSieve(SieveScript& script) {
    script.uses_variables = script.extensions.count("variables") > 0;
    Compiler(script.uses_variables).commands(script.commands);
}

}  // namespace postdesk::rules::detail
