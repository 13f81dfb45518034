#include "rules/sieve_eval.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <optional>

#include "mime/address.h"
#include "mime/charset.h"
#include "mime/encoded_word.h"
#include "mime/warnings.h"
#include "rules/detail/sieve_address.h"
#include "rules/detail/sieve_match.h"
#include "rules/detail/sieve_variables.h"

namespace postdesk::rules {
namespace {

using detail::SieveComparator;
using detail::SieveMatchType;

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lowerAscii(x) == lowerAscii(y); });
}

// FNV-1a over the ASCII-lower-cased name: header lookups compare one integer first.
std::uint64_t nameHash(std::string_view name) {
    std::uint64_t h = 1469598103934665603ull;
    for (char c : name) h = (h ^ static_cast<unsigned char>(lowerAscii(c))) * 1099511628211ull;
    return h;
}

std::string_view trimRight(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string_view trim(std::string_view s) {
    s = trimRight(s);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

// Each byte that does not start a valid UTF-8 sequence becomes U+FFFD (as Dovecot does).
std::string replaceInvalidUtf8(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len > 0 && i + len <= s.size() && mime::isValidUtf8(s.substr(i, len))) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

// The tagged part of a test's arguments (RFC 5228 §2.7), and where the positional ones start.
enum class AddressPart { All, Localpart, Domain };

struct MatchOptions {
    SieveMatchType type = SieveMatchType::Is;
    SieveComparator comparator = SieveComparator::AsciiCasemap;
    AddressPart address_part = AddressPart::All;
    bool over = false;
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
        else if (t == "all") o.address_part = AddressPart::All;
        else if (t == "localpart") o.address_part = AddressPart::Localpart;
        else if (t == "domain") o.address_part = AddressPart::Domain;
        else if (t == "over" || t == "under") o.over = t == "over";
        else if (t == "comparator" && i + 1 < args.size()) {
            o.comparator = args[++i].strings.at(0) == "i;octet" ? SieveComparator::Octet : SieveComparator::AsciiCasemap;
        }
    }
    o.first_positional = i;
    return o;
}

const std::string& addressPart(const detail::SieveAddress& a, AddressPart part) {
    return part == AddressPart::All ? a.all : part == AddressPart::Localpart ? a.localpart : a.domain;
}

// What Sieve sees of the mail's header fields, worked out once per header and only when a test
// asks: the decoded value with trailing blanks cut (RFC 2047 undone; Pigeonhole trims what
// decoding leaves at the end), and the header's addresses for `address`.
class HeaderView {
public:
    explicit HeaderView(const std::vector<mime::Header>& headers) : headers_(headers), hashes_(headers.size()), slots_(headers.size()) {
        for (std::size_t i = 0; i < headers.size(); ++i) hashes_[i] = nameHash(headers[i].name);
    }

    // Calls f(index) for every header called `name`, in order.
    template <typename F>
    void forEach(std::string_view name, F&& f) const {
        const std::uint64_t h = nameHash(name);
        for (std::size_t i = 0; i < headers_.size(); ++i) {
            if (hashes_[i] == h && equalsIgnoreCase(headers_[i].name, name)) f(i);
        }
    }
    bool exists(std::string_view name) const {
        bool found = false;
        forEach(name, [&](std::size_t) { found = true; });
        return found;
    }

    std::string_view value(std::size_t i) {
        Slot& s = slots_[i];
        if (!s.value) {
            const mime::Header& h = headers_[i];
            std::string_view v = h.value;
            // Raw bytes that are not UTF-8 (RFC 5322 allows none) are U+FFFD to Sieve, as in
            // Pigeonhole, not the charset mime guessed for display.
            if (!mime::isValidUtf8(h.raw)) {
                mime::Warnings ignored;
                v = owned_.emplace_back(mime::decodeHeaderText(replaceInvalidUtf8(h.raw), ignored));
            }
            s.value = trimRight(v);
        }
        return *s.value;
    }

    const std::vector<detail::SieveAddress>& addresses(std::size_t i) {
        Slot& s = slots_[i];
        if (!s.addresses_ready) {
            mime::Warnings ignored;  // a broken address simply does not match
            for (const auto& a : mime::parseAddressList(headers_[i].raw, ignored)) {
                detail::SieveAddress sa = detail::sieveAddress(a.address);
                if (sa.valid) s.addresses.push_back(std::move(sa));
            }
            s.addresses_ready = true;
        }
        return s.addresses;
    }

    std::string_view raw(std::size_t i) const { return trim(headers_[i].raw); }

private:
    struct Slot {
        std::optional<std::string_view> value;
        bool addresses_ready = false;
        std::vector<detail::SieveAddress> addresses;
    };
    const std::vector<mime::Header>& headers_;
    std::vector<std::uint64_t> hashes_;
    std::vector<Slot> slots_;
    std::deque<std::string> owned_;
};

class Evaluator {
public:
    explicit Evaluator(const SieveInput& input) : input_(input), headers_(input.headers) {}

    void run(const SieveScript& script);
    bool stopped() const { return stopped_; }
    SieveResult take() { return std::move(result_); }

private:
    void block(const std::vector<SieveCommand>& commands, const SieveCommand* branch);
    void action(const SieveCommand& cmd, const SieveCommand* branch);
    void set(const SieveCommand& cmd);
    bool test(const SieveTest& t);
    bool matchOne(const MatchOptions& o, std::string_view value, const std::vector<std::string>& keys);
    bool headerTest(const MatchOptions& o, const std::vector<std::string>& names, const std::vector<std::string>& keys);
    bool addressTest(const SieveTest& t, const MatchOptions& o, const std::vector<std::string>& names, const std::vector<std::string>& keys);
    const std::vector<std::string>& expand(const std::vector<std::string>& strings, std::vector<std::string>& scratch) const;
    std::string expand(const std::string& s) const;

    const SieveInput& input_;
    HeaderView headers_;
    const SieveScript* script_ = nullptr;
    bool variables_ = false;
    detail::SieveVariables vars_;
    std::vector<std::string> captures_;
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
    const std::string& n = t.name;
    if (n == "true") return true;
    if (n == "false") return false;
    if (n == "not") return !test(t.tests.at(0));
    if (n == "allof") return std::all_of(t.tests.begin(), t.tests.end(), [&](const SieveTest& x) { return test(x); });
    if (n == "anyof") return std::any_of(t.tests.begin(), t.tests.end(), [&](const SieveTest& x) { return test(x); });
    const MatchOptions o = matchOptions(t.args);
    auto positional = [&](std::size_t i) -> const std::vector<std::string>& { return t.args.at(o.first_positional + i).strings; };
    if (n == "size") {
        std::uint64_t limit = t.args.at(o.first_positional).number;
        return o.over ? input_.size > limit : input_.size < limit;
    }
    std::vector<std::string> scratch0, scratch1;
    if (n == "exists") {
        for (const auto& name : expand(positional(0), scratch0)) {
            if (!headers_.exists(name)) return false;
        }
        return true;
    }
    if (n == "header") return headerTest(o, expand(positional(0), scratch0), expand(positional(1), scratch1));
    if (n == "address" || n == "envelope") return addressTest(t, o, expand(positional(0), scratch0), expand(positional(1), scratch1));
    const std::string* fact = n == "auto" ? &input_.auto_kind : n == "customer" ? &input_.customer : n == "ticket" ? &input_.ticket : nullptr;
    if (fact) return matchOne(o, *fact, expand(positional(0), scratch0));
    return false;  // unreachable for a validated script
}

// True when `value` matches one of `keys`; a successful :matches/:regex sets the match variables.
bool Evaluator::matchOne(const MatchOptions& o, std::string_view value, const std::vector<std::string>& keys) {
    bool wantCaptures = variables_ && (o.type == SieveMatchType::Matches || o.type == SieveMatchType::Regex);
    for (const auto& key : keys) {
        if (detail::sieveMatch(o.type, o.comparator, value, key, wantCaptures ? &captures_ : nullptr)) {
            if (wantCaptures) vars_.matched = std::move(captures_);
            return true;
        }
    }
    return false;
}

bool Evaluator::headerTest(const MatchOptions& o, const std::vector<std::string>& names, const std::vector<std::string>& keys) {
    bool matched = false;
    for (const auto& name : names) {
        headers_.forEach(name, [&](std::size_t i) {
            if (!matched) matched = matchOne(o, headers_.value(i), keys);
        });
        if (matched) return true;
    }
    return false;
}

// address: every valid address of the named headers (a header with none offers its raw value to
// :all); envelope: "from" / "to" (RFC 5228 §2.7.4, §5.1, §5.4).
bool Evaluator::addressTest(const SieveTest& t, const MatchOptions& o, const std::vector<std::string>& names, const std::vector<std::string>& keys) {
    for (const auto& name : names) {
        if (t.name == "envelope") {
            bool from = equalsIgnoreCase(name, "from");
            if (!from && !equalsIgnoreCase(name, "to")) continue;
            const std::string& raw = from ? input_.envelope_from : input_.envelope_to;
            // §5.4: the null reverse-path matches "" whatever the address part.
            if (raw.empty()) {
                if (matchOne(o, "", keys)) return true;
                continue;
            }
            mime::Warnings ignored;
            detail::SieveAddress a = detail::sieveAddress(mime::parseMailbox(raw, ignored).address);
            if (a.valid && matchOne(o, addressPart(a, o.address_part), keys)) return true;
            continue;
        }
        bool matched = false;
        headers_.forEach(name, [&](std::size_t i) {
            if (matched) return;
            const auto& addresses = headers_.addresses(i);
            if (addresses.empty()) {
                if (o.address_part == AddressPart::All) matched = matchOne(o, headers_.raw(i), keys);
                return;
            }
            for (const auto& a : addresses) {
                if (matchOne(o, addressPart(a, o.address_part), keys)) {
                    matched = true;
                    return;
                }
            }
        });
        if (matched) return true;
    }
    return false;
}

std::string Evaluator::expand(const std::string& s) const {
    return variables_ ? detail::expandSieveVariables(s, vars_) : s;
}

// The strings themselves when there is nothing to expand; otherwise expanded into `scratch`.
const std::vector<std::string>& Evaluator::expand(const std::vector<std::string>& strings, std::vector<std::string>& scratch) const {
    if (!variables_ || std::none_of(strings.begin(), strings.end(), [](const std::string& s) { return s.find("${") != std::string::npos; })) {
        return strings;
    }
    scratch.clear();
    scratch.reserve(strings.size());
    for (const auto& s : strings) scratch.push_back(expand(s));
    return scratch;
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
