#include "rules/sieve_eval.h"

#include <algorithm>
#include <cctype>
#include <memory>
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

bool isAscii(std::string_view s) {
    unsigned char any = 0;
    for (char c : s) any |= static_cast<unsigned char>(c);
    return any < 0x80;
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

// `raw` with every RFC 2047 encoded-word that stands alone (as RFC 2047 §5 requires: in a phrase
// or comment, between blanks, quotes, parentheses, '<' or ',') replaced by "x". Only display
// names hold them, and the address tests never look at names, so mime::parseAddressList need
// not decode them (base64, charset conversion) on every evaluation. The addresses are the same.
std::string_view withoutEncodedWords(std::string_view raw, std::string& buffer) {
    std::size_t open = raw.find("=?");
    if (open == std::string_view::npos) return raw;
    auto boundary = [](char c) { return c == ' ' || c == '\t' || c == '"' || c == '(' || c == ')' || c == '<' || c == ','; };
    buffer.clear();
    std::size_t i = 0;
    while (open != std::string_view::npos) {
        // =?charset?E?text?=  — the end is the first "?=" after the second and third '?'.
        std::size_t q1 = raw.find('?', open + 2);
        std::size_t q2 = q1 == std::string_view::npos ? q1 : raw.find('?', q1 + 1);
        std::size_t end = q2 == std::string_view::npos ? q2 : raw.find("?=", q2 + 1);
        if (end == std::string_view::npos) break;
        end += 2;
        bool alone = (open == 0 || boundary(raw[open - 1])) && (end == raw.size() || boundary(raw[end]));
        bool word = raw.substr(open, end - open).find_first_of(" \t") == std::string_view::npos;
        if (alone && word) {
            buffer.append(raw.substr(i, open - i));
            buffer += 'x';
            i = end;
        }
        open = raw.find("=?", alone && word ? end : open + 2);
    }
    if (i == 0) return raw;
    buffer.append(raw.substr(i));
    return buffer;
}

// The addr-spec of a header or envelope value holding one plain mailbox — `a@b`, `Name <a@b>`,
// `"Quoted, Name" <a@b>`, `=?utf-8?...?= <a@b>` — without the full RFC 5322 parser; nullopt for
// anything else (lists, groups, comments, routes, quoted or 8-bit local parts), which takes the
// full path. Checked to give exactly what mime::parseAddressList / parseMailbox give on every
// address header of the 5,000-mail bench corpus and ../shared/corpus (12,248 of 12,739 take it).
std::optional<std::string_view> simpleAddress(std::string_view v) {
    v = trim(v);
    std::string_view a = v;
    if (!v.empty() && v.back() == '>') {
        std::size_t lt = v.rfind('<');
        if (lt == std::string_view::npos) return std::nullopt;
        bool q = false;  // inside a quoted display name, where anything goes
        for (std::size_t i = 0; i < lt; ++i) {
            const char c = v[i];
            if (q) {
                if (c == '\\') ++i;
                else if (c == '"') q = false;
            } else if (c == '"') {
                q = true;
            } else if (c == ',' || c == ';' || c == ':' || c == '<' || c == '>' || c == '(' || c == ')' || c == '\\' || c == '@') {
                return std::nullopt;
            }
        }
        if (q) return std::nullopt;
        a = v.substr(lt + 1, v.size() - lt - 2);
    }
    for (char c : a) {
        unsigned char u = static_cast<unsigned char>(c);
        bool special = c == '"' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' || c == '\\' || c == '[' || c == ']' || c == '<' || c == '>';
        if (u >= 0x80 || u <= 0x20 || special) return std::nullopt;
    }
    std::size_t at = a.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == a.size() || a.find('@', at + 1) != std::string_view::npos) return std::nullopt;
    if (a.find("=?") != std::string_view::npos) return std::nullopt;
    return a;
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
        // Validated tags differ in their first letter, except :contains / :comparator.
        const std::string& t = args[i].tag;
        switch (t.empty() ? '\0' : t[0]) {
            case 'i': o.type = SieveMatchType::Is; break;
            case 'm': o.type = SieveMatchType::Matches; break;
            case 'r': o.type = SieveMatchType::Regex; break;
            case 'a': o.address_part = AddressPart::All; break;
            case 'l': o.address_part = AddressPart::Localpart; break;
            case 'd': o.address_part = AddressPart::Domain; break;
            case 'o': o.over = true; break;
            case 'u': o.over = false; break;
            case 'c':
                if (t == "contains") o.type = SieveMatchType::Contains;
                else if (t == "comparator" && i + 1 < args.size()) {
                    o.comparator = args[++i].strings.at(0) == "i;octet" ? SieveComparator::Octet : SieveComparator::AsciiCasemap;
                }
                break;
            default: break;
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
    // A small open-addressing table from name hash to the first header of that name; headers of
    // one name are chained in order through next_. Built once per mail, so a test finds its
    // header in one or two probes instead of comparing every header name.
    explicit HeaderView(const std::vector<mime::Header>& headers)
        : headers_(headers), hashes_(headers.size()), next_(headers.size(), kNone), slots_(headers.size()) {
        std::size_t size = 16;
        while (size < headers.size() * 2) size *= 2;
        table_.assign(size, kNone);
        std::vector<std::uint32_t> last(size, kNone);
        for (std::size_t i = 0; i < headers.size(); ++i) {
            const std::uint64_t h = hashes_[i] = nameHash(headers[i].name);
            std::size_t b = h & (size - 1);
            while (table_[b] != kNone && !(hashes_[table_[b]] == h && equalsIgnoreCase(headers[table_[b]].name, headers[i].name))) b = (b + 1) & (size - 1);
            if (table_[b] == kNone) table_[b] = static_cast<std::uint32_t>(i);
            else next_[last[b]] = static_cast<std::uint32_t>(i);
            last[b] = static_cast<std::uint32_t>(i);
        }
    }

    // Calls f(index) for every header called `name`, in order.
    template <typename F>
    void forEach(std::string_view name, F&& f) const {
        const std::uint64_t h = nameHash(name);
        const std::size_t mask = table_.size() - 1;
        for (std::size_t b = h & mask; table_[b] != kNone; b = (b + 1) & mask) {
            std::uint32_t i = table_[b];
            if (hashes_[i] == h && equalsIgnoreCase(headers_[i].name, name)) {
                for (; i != kNone; i = next_[i]) f(i);
                return;
            }
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
            if (!isAscii(h.raw) && !mime::isValidUtf8(h.raw)) {
                mime::Warnings ignored;
                v = keep(mime::decodeHeaderText(replaceInvalidUtf8(h.raw), ignored));
            }
            s.value = trimRight(v);
        }
        return *s.value;
    }

    const std::vector<detail::SieveAddress>& addresses(std::size_t i) {
        Slot& s = slots_[i];
        if (!s.addresses_ready) {
            if (std::optional<std::string_view> simple = simpleAddress(headers_[i].raw)) {
                detail::SieveAddress sa = detail::sieveAddress(*simple);
                if (sa.valid) s.addresses.push_back(std::move(sa));
            } else {
                mime::Warnings ignored;  // a broken address simply does not match
                std::string buffer;
                for (const auto& a : mime::parseAddressList(withoutEncodedWords(headers_[i].raw, buffer), ignored)) {
                    detail::SieveAddress sa = detail::sieveAddress(a.address);
                    if (sa.valid) s.addresses.push_back(std::move(sa));
                }
            }
            s.addresses_ready = true;
        }
        return s.addresses;
    }

    // value(i) with A-Z folded, for i;ascii-casemap :is/:contains against keys without A-Z.
    std::string_view lower(std::size_t i) {
        Slot& s = slots_[i];
        if (!s.lower) {
            std::string_view v = value(i);
            std::string& l = keep(std::string(v));
            for (char& c : l) c = lowerAscii(c);
            s.lower = l;
        }
        return *s.lower;
    }

    std::string_view raw(std::size_t i) const { return trim(headers_[i].raw); }

private:
    struct Slot {
        std::optional<std::string_view> value;
        std::optional<std::string_view> lower;
        bool addresses_ready = false;
        std::vector<detail::SieveAddress> addresses;
    };
    const std::vector<mime::Header>& headers_;
    static constexpr std::uint32_t kNone = ~std::uint32_t{0};
    std::vector<std::uint64_t> hashes_;
    std::vector<std::uint32_t> next_;
    std::vector<std::uint32_t> table_;
    std::vector<Slot> slots_;
    std::vector<std::unique_ptr<std::string>> owned_;  // stable storage for derived values

    std::string& keep(std::string s) { return *owned_.emplace_back(std::make_unique<std::string>(std::move(s))); }
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
    bool addressTest(bool envelope, const MatchOptions& o, const std::vector<std::string>& names, const std::vector<std::string>& keys);
    const std::vector<std::string>& expand(const std::vector<std::string>& strings, std::vector<std::string>& scratch) const;
    std::string expand(const std::string& s) const;

    const SieveInput& input_;
    HeaderView headers_;
    const SieveScript* script_ = nullptr;
    bool variables_ = false;
    detail::SieveVariables vars_;
    std::vector<std::string> captures_;
    std::optional<detail::SieveAddress> envelope_[2];  // from, to: parsed on first use
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
enum class CommandKind { Require, If, Elsif, Else, Stop, Set, Action };

// The control commands by length and letters (no string compares on the hot path); every other
// validated command is an action ("sla" and "set" share length and first letter).
CommandKind commandKind(const std::string& n) {
    switch (n.size()) {
        case 2: return n[0] == 'i' ? CommandKind::If : CommandKind::Action;
        case 3: return n[0] == 's' && n[1] == 'e' ? CommandKind::Set : CommandKind::Action;
        case 4: return n[0] == 'e' ? CommandKind::Else : n[0] == 's' ? CommandKind::Stop : CommandKind::Action;
        case 5: return n[0] == 'e' ? CommandKind::Elsif : CommandKind::Action;
        case 7: return n[0] == 'r' ? CommandKind::Require : CommandKind::Action;
        default: return CommandKind::Action;
    }
}

void Evaluator::block(const std::vector<SieveCommand>& commands, const SieveCommand* branch) {
    bool chainTaken = false;
    for (const auto& cmd : commands) {
        if (stopped_) return;
        switch (commandKind(cmd.name)) {
            case CommandKind::Require: break;
            case CommandKind::If:
            case CommandKind::Elsif:
            case CommandKind::Else: {
                const CommandKind kind = commandKind(cmd.name);
                if (kind == CommandKind::If) chainTaken = false;
                if (chainTaken) break;
                if (kind == CommandKind::Else || test(cmd.tests.at(0))) {
                    chainTaken = true;
                    block(cmd.block, &cmd);
                }
                break;
            }
            case CommandKind::Stop: stopped_ = true; break;
            case CommandKind::Set: set(cmd); break;
            case CommandKind::Action: action(cmd, branch); break;
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

// The validated test names, told apart by length and first letter (no string compares on the
// hot path).
enum class TestKind { True, False, Not, Allof, Anyof, Size, Exists, Header, Address, Envelope, Auto, Customer, Ticket, Unknown };

TestKind testKind(const std::string& n) {
    switch (n.size()) {
        case 3: return n[0] == 'n' ? TestKind::Not : TestKind::Unknown;
        case 4: return n[0] == 't' ? TestKind::True : n[0] == 's' ? TestKind::Size : n[0] == 'a' ? TestKind::Auto : TestKind::Unknown;
        case 5: return n[0] == 'f' ? TestKind::False : n == "allof" ? TestKind::Allof : n == "anyof" ? TestKind::Anyof : TestKind::Unknown;
        case 6: return n[0] == 'e' ? TestKind::Exists : n[0] == 'h' ? TestKind::Header : n[0] == 't' ? TestKind::Ticket : TestKind::Unknown;
        case 7: return n[0] == 'a' ? TestKind::Address : TestKind::Unknown;
        case 8: return n[0] == 'e' ? TestKind::Envelope : n[0] == 'c' ? TestKind::Customer : TestKind::Unknown;
        default: return TestKind::Unknown;
    }
}

bool Evaluator::test(const SieveTest& t) {
    const TestKind kind = testKind(t.name);
    switch (kind) {
        case TestKind::True: return true;
        case TestKind::False: return false;
        case TestKind::Not: return !test(t.tests.at(0));
        case TestKind::Allof: return std::all_of(t.tests.begin(), t.tests.end(), [&](const SieveTest& x) { return test(x); });
        case TestKind::Anyof: return std::any_of(t.tests.begin(), t.tests.end(), [&](const SieveTest& x) { return test(x); });
        case TestKind::Unknown: return false;  // unreachable for a validated script
        default: break;
    }
    const MatchOptions o = matchOptions(t.args);
    auto positional = [&](std::size_t i) -> const std::vector<std::string>& { return t.args.at(o.first_positional + i).strings; };
    std::vector<std::string> scratch0, scratch1;
    switch (kind) {
        case TestKind::Size: {
            std::uint64_t limit = t.args.at(o.first_positional).number;
            return o.over ? input_.size > limit : input_.size < limit;
        }
        case TestKind::Exists:
            for (const auto& name : expand(positional(0), scratch0)) {
                if (!headers_.exists(name)) return false;
            }
            return true;
        case TestKind::Header: return headerTest(o, expand(positional(0), scratch0), expand(positional(1), scratch1));
        case TestKind::Address:
        case TestKind::Envelope:
            return addressTest(kind == TestKind::Envelope, o, expand(positional(0), scratch0), expand(positional(1), scratch1));
        case TestKind::Auto: return matchOne(o, input_.auto_kind, expand(positional(0), scratch0));
        case TestKind::Customer: return matchOne(o, input_.customer, expand(positional(0), scratch0));
        case TestKind::Ticket: return matchOne(o, input_.ticket, expand(positional(0), scratch0));
        default: return false;
    }
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

bool hasUpper(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool Evaluator::headerTest(const MatchOptions& o, const std::vector<std::string>& names, const std::vector<std::string>& keys) {
    // The common case, i;ascii-casemap :is/:contains, compares against the header folded once per
    // mail (keys written in lower case need no folding at all).
    const bool folded = o.comparator == SieveComparator::AsciiCasemap && (o.type == SieveMatchType::Is || o.type == SieveMatchType::Contains);
    bool matched = false;
    for (const auto& name : names) {
        headers_.forEach(name, [&](std::size_t i) {
            if (matched) return;
            if (!folded) {
                matched = matchOne(o, headers_.value(i), keys);
                return;
            }
            std::string_view lower = headers_.lower(i);
            for (const auto& key : keys) {
                if (hasUpper(key)) matched = detail::sieveMatch(o.type, o.comparator, lower, key, nullptr);
                else matched = o.type == SieveMatchType::Is ? lower == key : lower.find(key) != std::string_view::npos;
                if (matched) return;
            }
        });
        if (matched) return true;
    }
    return false;
}

// address: every valid address of the named headers (a header with none offers its raw value to
// :all); envelope: "from" / "to" (RFC 5228 §2.7.4, §5.1, §5.4).
bool Evaluator::addressTest(bool envelope, const MatchOptions& o, const std::vector<std::string>& names, const std::vector<std::string>& keys) {
    for (const auto& name : names) {
        if (envelope) {
            bool from = equalsIgnoreCase(name, "from");
            if (!from && !equalsIgnoreCase(name, "to")) continue;
            const std::string& raw = from ? input_.envelope_from : input_.envelope_to;
            // §5.4: the null reverse-path matches "" whatever the address part.
            if (raw.empty()) {
                if (matchOne(o, "", keys)) return true;
                continue;
            }
            std::optional<detail::SieveAddress>& a = envelope_[from ? 0 : 1];
            if (!a) {
                mime::Warnings ignored;
                std::optional<std::string_view> simple = simpleAddress(raw);
                a = detail::sieveAddress(simple ? *simple : std::string_view(mime::parseMailbox(raw, ignored).address));
            }
            if (a->valid && matchOne(o, addressPart(*a, o.address_part), keys)) return true;
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
