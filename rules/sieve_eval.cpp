#include "rules/sieve_eval.h"

#include <algorithm>
#include <cctype>

#include "mime/address.h"
#include "mime/warnings.h"
#include "rules/detail/sieve_match.h"
#include "rules/detail/sieve_variables.h"

namespace postdesk::rules {
namespace {

using detail::SieveComparator;
using detail::SieveMatchType;

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// The tagged part of a test's arguments (RFC 5228 §2.7), and where the positional ones start.
struct MatchOptions {
    SieveMatchType type = SieveMatchType::Is;
    SieveComparator comparator = SieveComparator::AsciiCasemap;
    std::string address_part = "all";
    std::string size_tag;
    std::size_t first_positional = 0;
};

MatchOptions matchOptions(const std::vector<SieveArgument>& args) {
    MatchOptions o;
    std::size_t i = 0;
    for (; i < args.size() && args[i].kind == SieveArgument::Kind::Tag; ++i) {
        const std::string& t = args[i].tag;
        if (t == "is") o.type = SieveMatchType::Is;
        else if (t == "contains") o.type = SieveMatchType::Contains;
        else if (t == "matches") o.type = SieveMatchType::Matches;
        else if (t == "regex") o.type = SieveMatchType::Regex;
        else if (t == "all" || t == "localpart" || t == "domain") o.address_part = t;
        else if (t == "over" || t == "under") o.size_tag = t;
        else if (t == "comparator" && i + 1 < args.size()) {
            o.comparator = args[++i].strings.at(0) == "i;octet" ? SieveComparator::Octet : SieveComparator::AsciiCasemap;
        }
    }
    o.first_positional = i;
    return o;
}

// RFC 5228 §2.7.4: the local part is before the last '@', the domain after it.
std::string addressPart(const std::string& address, const std::string& part) {
    if (part == "all") return address;
    std::size_t at = address.rfind('@');
    if (part == "localpart") return at == std::string::npos ? address : address.substr(0, at);
    return at == std::string::npos ? std::string() : address.substr(at + 1);
}

class Evaluator {
public:
    explicit Evaluator(const SieveInput& input) : input_(input) {}

    void run(const SieveScript& script);
    bool stopped() const { return stopped_; }
    SieveResult take() { return std::move(result_); }

private:
    void block(const std::vector<SieveCommand>& commands, const SieveCommand* branch);
    void action(const SieveCommand& cmd, const SieveCommand* branch);
    void set(const SieveCommand& cmd);
    bool test(const SieveTest& t);
    bool matchAny(const MatchOptions& o, const std::vector<std::string>& values, const std::vector<std::string>& keys);
    std::vector<std::string> headerValues(const std::vector<std::string>& names) const;
    std::vector<std::string> addressValues(const SieveTest& t, const MatchOptions& o) const;
    std::vector<std::string> expand(const std::vector<std::string>& strings) const;
    std::string expand(const std::string& s) const;

    const SieveInput& input_;
    const SieveScript* script_ = nullptr;
    bool variables_ = false;
    detail::SieveVariables vars_;
    SieveResult result_;
    bool stopped_ = false;
};

void Evaluator::run(const SieveScript& script) {
    script_ = &script;
    variables_ = script.extensions.count("variables") > 0;
    vars_ = {};
    block(script.commands, nullptr);
}

// RFC 5228 §3.1: the first if/elsif whose test is true runs its block; else runs when none did.
void Evaluator::block(const std::vector<SieveCommand>& commands, const SieveCommand* branch) {
    bool chainTaken = false;
    for (const auto& cmd : commands) {
        if (stopped_) return;
        if (cmd.name == "require") continue;
        if (cmd.name == "if") chainTaken = false;
        if (cmd.name == "if" || cmd.name == "elsif" || cmd.name == "else") {
            if (chainTaken) continue;
            if (cmd.name == "else" || test(cmd.tests.at(0))) {
                chainTaken = true;
                block(cmd.block, &cmd);
            }
        } else if (cmd.name == "stop") {
            stopped_ = true;
        } else if (cmd.name == "set") {
            set(cmd);
        } else {
            action(cmd, branch);
        }
    }
}

void Evaluator::action(const SieveCommand& cmd, const SieveCommand* branch) {
    SieveAction a{cmd.name, {}};
    for (const auto& arg : cmd.args) {
        for (const auto& s : arg.strings) a.args.push_back(expand(s));
    }
    if (cmd.name == "discard" || cmd.name == "fileinto" || cmd.name == "ignore" || cmd.name == "quarantine") result_.implicit_keep = false;
    bool once = cmd.name == "keep" || cmd.name == "fileinto" || cmd.name == "discard";
    if (!once || std::find(result_.actions.begin(), result_.actions.end(), a) == result_.actions.end()) result_.actions.push_back(a);
    const SieveCommand& rule = branch ? *branch : cmd;
    SieveFired fired{script_->file, rule.at.line, rule.name};
    if (result_.fired.empty() || !(result_.fired.back() == fired)) result_.fired.push_back(std::move(fired));
}

// RFC 5229 §4.1: modifiers apply in precedence order, highest first.
void Evaluator::set(const SieveCommand& cmd) {
    const MatchOptions o = matchOptions(cmd.args);
    std::string name = cmd.args.at(o.first_positional).strings.at(0);
    std::string value = expand(cmd.args.at(o.first_positional + 1).strings.at(0));
    auto has = [&](const char* tag) {
        return std::any_of(cmd.args.begin(), cmd.args.end(), [&](const SieveArgument& a) { return a.kind == SieveArgument::Kind::Tag && a.tag == tag; });
    };
    auto mapAll = [&](int (*f)(int)) {
        for (char& c : value) c = static_cast<char>(f(static_cast<unsigned char>(c)));
    };
    if (has("lower")) mapAll(::tolower);
    if (has("upper")) mapAll(::toupper);
    if (has("lowerfirst") && !value.empty()) value[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(value[0])));
    if (has("upperfirst") && !value.empty()) value[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(value[0])));
    if (has("quotewildcard")) {
        std::string quoted;
        for (char c : value) {
            if (c == '*' || c == '?' || c == '\\') quoted += '\\';
            quoted += c;
        }
        value = std::move(quoted);
    }
    if (has("length")) value = std::to_string(value.size());
    if (value.size() > kSieveMaxString) value.resize(kSieveMaxString);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    vars_.named[name] = std::move(value);
}

bool Evaluator::test(const SieveTest& t) {
    const MatchOptions o = matchOptions(t.args);
    auto positional = [&](std::size_t n) { return expand(t.args.at(o.first_positional + n).strings); };
    if (t.name == "true") return true;
    if (t.name == "false") return false;
    if (t.name == "not") return !test(t.tests.at(0));
    if (t.name == "allof") return std::all_of(t.tests.begin(), t.tests.end(), [&](const SieveTest& x) { return test(x); });
    if (t.name == "anyof") return std::any_of(t.tests.begin(), t.tests.end(), [&](const SieveTest& x) { return test(x); });
    if (t.name == "size") {
        std::uint64_t limit = t.args.at(o.first_positional).number;
        return o.size_tag == "over" ? input_.size > limit : input_.size < limit;
    }
    if (t.name == "exists") {
        for (const auto& name : positional(0)) {
            if (headerValues({name}).empty()) return false;
        }
        return true;
    }
    if (t.name == "header") return matchAny(o, headerValues(positional(0)), positional(1));
    if (t.name == "address" || t.name == "envelope") return matchAny(o, addressValues(t, o), positional(1));
    if (t.name == "auto") return matchAny(o, {input_.auto_kind}, positional(0));
    if (t.name == "customer") return matchAny(o, {input_.customer}, positional(0));
    if (t.name == "ticket") return matchAny(o, {input_.ticket}, positional(0));
    return false;  // unreachable for a validated script
}

bool Evaluator::matchAny(const MatchOptions& o, const std::vector<std::string>& values, const std::vector<std::string>& keys) {
    std::vector<std::string> captures;
    bool wantCaptures = variables_ && (o.type == SieveMatchType::Matches || o.type == SieveMatchType::Regex);
    for (const auto& value : values) {
        for (const auto& key : keys) {
            if (detail::sieveMatch(o.type, o.comparator, value, key, wantCaptures ? &captures : nullptr)) {
                if (wantCaptures) vars_.matched = std::move(captures);
                return true;
            }
        }
    }
    return false;
}

std::vector<std::string> Evaluator::headerValues(const std::vector<std::string>& names) const {
    std::vector<std::string> out;
    for (const auto& name : names) {
        for (const auto& h : input_.headers) {
            if (equalsIgnoreCase(h.name, name)) out.push_back(h.value);
        }
    }
    return out;
}

// address: every address of the named headers; envelope: "from" / "to" (RFC 5228 §5.1, §5.4).
std::vector<std::string> Evaluator::addressValues(const SieveTest& t, const MatchOptions& o) const {
    std::vector<std::string> addresses;
    mime::Warnings ignored;  // a broken address simply does not match
    for (const auto& name : expand(t.args.at(o.first_positional).strings)) {
        if (t.name == "envelope") {
            bool from = equalsIgnoreCase(name, "from");
            if (!from && !equalsIgnoreCase(name, "to")) continue;
            const std::string& raw = from ? input_.envelope_from : input_.envelope_to;
            // §5.4: the null reverse-path matches "" whatever the address part.
            addresses.push_back(raw.empty() ? std::string() : mime::parseMailbox(raw, ignored).address);
            continue;
        }
        for (const auto& value : headerValues({name})) {
            for (const auto& a : mime::parseAddressList(value, ignored)) addresses.push_back(a.address);
        }
    }
    for (auto& a : addresses) a = addressPart(a, o.address_part);
    return addresses;
}

std::string Evaluator::expand(const std::string& s) const {
    return variables_ ? detail::expandSieveVariables(s, vars_) : s;
}

std::vector<std::string> Evaluator::expand(const std::vector<std::string>& strings) const {
    std::vector<std::string> out;
    out.reserve(strings.size());
    for (const auto& s : strings) out.push_back(expand(s));
    return out;
}

}  // namespace

SieveResult evaluate(const std::vector<SieveScript>& scripts, const SieveInput& input) {
    Evaluator evaluator(input);
    for (const auto& script : scripts) {
        evaluator.run(script);
        if (evaluator.stopped()) break;
    }
    return evaluator.take();
}

}  // namespace postdesk::rules
