#include "rules/sieve_eval.h"

#include <algorithm>
#include <cctype>
#include <cstring>
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

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lowerAscii(x) == lowerAscii(y); });
}

// The same when `folded` has no A-Z: only `a` needs folding.
bool equalsFolded(std::string_view a, std::string_view folded) {
    return a.size() == folded.size() && std::equal(a.begin(), a.end(), folded.begin(), [](char x, char y) { return lowerAscii(x) == y; });
}

std::string foldAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = lowerAscii(c);
    return out;
}

// The hash of a header name for HeaderView's table, from its length and its first and last
// bytes folded: cheap, and header names rarely share all three. Every probe confirms the name
// with equalsIgnoreCase, so a shared hash costs a compare, never a wrong answer.
std::uint64_t nameHash(std::string_view name) {
    if (name.empty()) return 0;
    const std::uint64_t key = name.size() << 16 | static_cast<unsigned char>(lowerAscii(name.front())) << 8 | static_cast<unsigned char>(lowerAscii(name.back()));
    return (key * 0x9E3779B97F4A7C15ull) >> 32;
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
    std::uint64_t any = 0;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {  // eight bytes at a time
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        any |= w;
    }
    for (; i < s.size(); ++i) any |= static_cast<unsigned char>(s[i]);
    return (any & 0x8080808080808080ull) == 0;
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
// A set of bytes as a table: one load per byte instead of a chain of compares.
struct ByteSet {
    bool has[256] = {};
    constexpr ByteSet(std::string_view chars, bool controlsSpaceAnd8bit) {
        for (char c : chars) has[static_cast<unsigned char>(c)] = true;
        for (int u = 0; u < 256 && controlsSpaceAnd8bit; ++u) has[u] = has[u] || u <= 0x20 || u >= 0x80;
    }
    constexpr bool operator()(char c) const { return has[static_cast<unsigned char>(c)]; }
};
constexpr ByteSet kNotInDisplayName(",;:<>()\\@", false);    // outside quotes
constexpr ByteSet kNotInAddrSpec("\"(),;:\\[]<>", true);

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
            } else if (kNotInDisplayName(c)) {
                return std::nullopt;
            }
        }
        if (q) return std::nullopt;
        a = v.substr(lt + 1, v.size() - lt - 2);
    }
    if (std::any_of(a.begin(), a.end(), kNotInAddrSpec)) return std::nullopt;
    std::size_t at = a.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == a.size() || a.find('@', at + 1) != std::string_view::npos) return std::nullopt;
    if (a.find("=?") != std::string_view::npos) return std::nullopt;
    return a;
}

std::string_view addressPart(const detail::SieveAddress& a, SieveAddressPart part) {
    return part == SieveAddressPart::All ? std::string_view(a.all) : part == SieveAddressPart::Localpart ? a.localpart() : a.domain();
}

// What Sieve sees of the mail's header fields, worked out once per header and only when a test
// asks: the decoded value with trailing blanks cut (RFC 2047 undone; Pigeonhole trims what
// decoding leaves at the end), and the header's addresses for `address`.
//
// One view serves every mail of a thread (evaluate() resets it), so its tables, folded copies and
// address lists reuse the memory of earlier mails instead of allocating and freeing per mail.
class HeaderView {
public:
    // Forgets the previous mail and indexes `headers`: a small open-addressing table from name
    // hash to the first header of that name; headers of one name are chained in order through
    // Slot::next. A test then finds its header in one or two probes.
    void reset(const std::vector<mime::Header>& headers) {
        headers_ = &headers;
        owned_.clear();
        if (slots_.size() < headers.size()) slots_.resize(headers.size());
        std::size_t size = 16;
        while (size < headers.size() * 2) size *= 2;
        table_.assign(size, kNone);
        last_.assign(size, kNone);
        for (std::size_t i = 0; i < headers.size(); ++i) index(i, size - 1);
    }

    // Calls f(index) for every header called `name` (A-Z folded), in order.
    template <typename F>
    void forEach(std::string_view name, F&& f) const {
        const std::uint64_t h = nameHash(name);
        const std::size_t mask = table_.size() - 1;
        for (std::size_t b = h & mask; table_[b] != kNone; b = (b + 1) & mask) {
            std::uint32_t i = table_[b];
            if (slots_[i].hash == h && equalsFolded(header(i).name, name)) {
                for (; i != kNone; i = slots_[i].next) f(i);
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
        if (!s.value_ready) {
            const mime::Header& h = header(i);
            std::string_view v = h.value;
            // Raw bytes that are not UTF-8 (RFC 5322 allows none) are U+FFFD to Sieve, as in
            // Pigeonhole, not the charset mime guessed for display.
            if (!isAscii(h.raw) && !mime::isValidUtf8(h.raw)) {
                mime::Warnings ignored;
                v = *owned_.emplace_back(std::make_unique<std::string>(mime::decodeHeaderText(replaceInvalidUtf8(h.raw), ignored)));
            }
            s.value = trimRight(v);
            s.value_ready = true;
        }
        return s.value;
    }

    // value(i) with A-Z folded, for i;ascii-casemap :is/:contains against folded keys.
    std::string_view lower(std::size_t i) {
        Slot& s = slots_[i];
        if (!s.lower_ready) {
            std::string_view v = value(i);
            s.lower.assign(v);
            for (char& c : s.lower) c = lowerAscii(c);
            s.lower_ready = true;
        }
        return s.lower;
    }

    const std::vector<detail::SieveAddress>& addresses(std::size_t i) {
        Slot& s = slots_[i];
        if (!s.addresses_ready) {
            s.addresses.clear();
            auto add = [&](std::string_view spec) {
                detail::SieveAddress sa = detail::sieveAddress(spec);
                if (sa.valid) s.addresses.push_back(std::move(sa));
            };
            if (std::optional<std::string_view> simple = simpleAddress(header(i).raw)) {
                add(*simple);
            } else {
                mime::Warnings ignored;  // a broken address simply does not match
                std::string buffer;
                for (const auto& a : mime::parseAddressList(withoutEncodedWords(header(i).raw, buffer), ignored)) add(a.address);
            }
            s.addresses_ready = true;
        }
        return s.addresses;
    }

    std::string_view raw(std::size_t i) const { return trim(header(i).raw); }

private:
    static constexpr std::uint32_t kNone = ~std::uint32_t{0};

    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t next = kNone;
        bool value_ready = false;
        bool lower_ready = false;
        bool addresses_ready = false;
        std::string_view value;
        std::string lower;                           // capacity kept from mail to mail
        std::vector<detail::SieveAddress> addresses;  // likewise
    };

    const mime::Header& header(std::size_t i) const { return (*headers_)[i]; }

    // Repeated headers (Received) are mostly spelt alike: try the plain compare first.
    static bool sameName(std::string_view a, std::string_view b) { return a == b || equalsIgnoreCase(a, b); }

    void index(std::size_t i, std::size_t mask) {
        Slot& s = slots_[i];
        s.hash = nameHash(header(i).name);
        s.next = kNone;
        s.value_ready = s.lower_ready = s.addresses_ready = false;
        std::size_t b = s.hash & mask;
        while (table_[b] != kNone && !(slots_[table_[b]].hash == s.hash && sameName(header(table_[b]).name, header(i).name))) {
            b = (b + 1) & mask;
        }
        if (table_[b] == kNone) table_[b] = static_cast<std::uint32_t>(i);
        else slots_[last_[b]].next = static_cast<std::uint32_t>(i);
        last_[b] = static_cast<std::uint32_t>(i);
    }

    const std::vector<mime::Header>* headers_ = nullptr;
    std::vector<std::uint32_t> table_;
    std::vector<std::uint32_t> last_;  // per table entry, the last header of that name so far
    std::vector<Slot> slots_;          // per header; may be longer than this mail's headers
    std::vector<std::unique_ptr<std::string>> owned_;  // stable storage for re-decoded values
};

// Runs compiled scripts (sieve_ast.h, "The compiled form") over one mail.
class Evaluator {
public:
    Evaluator(const SieveInput& input, HeaderView& headers) : input_(input), headers_(headers) {
        // Most mails fire a handful of rules: one allocation each instead of regrowing.
        result_.actions.reserve(8);
        result_.fired.reserve(8);
    }

    void run(const SieveScript& script);
    bool stopped() const { return stopped_; }
    SieveResult take() { return std::move(result_); }

private:
    void block(const std::vector<SieveCommand>& commands, const SieveCommand* branch);
    void action(const SieveCommand& cmd, const SieveCommand* branch);
    void set(const SieveCommand& cmd);
    bool test(const SieveTest& t);
    bool matchKeys(const SieveCompiledTest& t, std::string_view value, const std::string_view* folded);
    bool headerTest(const SieveCompiledTest& t);
    bool addressTest(const SieveCompiledTest& t);
    bool envelopeTest(const SieveCompiledTest& t);
    std::string_view expand(const SieveCompiledString& s, std::string& scratch) const;
    std::string_view headerName(const SieveCompiledString& s, std::string& scratch) const;

    const SieveInput& input_;
    HeaderView& headers_;
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
    variables_ = script.uses_variables;
    vars_ = {};
    block(script.commands, nullptr);
}

// RFC 5228 §3.1: the first if/elsif whose test is true runs its block; else runs when none did.
void Evaluator::block(const std::vector<SieveCommand>& commands, const SieveCommand* branch) {
    bool chainTaken = false;
    for (const auto& cmd : commands) {
        if (stopped_) return;
        const SieveCommandKind kind = cmd.compiled.kind;
        switch (kind) {
            case SieveCommandKind::If: chainTaken = false; [[fallthrough]];
            case SieveCommandKind::Elsif:
            case SieveCommandKind::Else:
                if (chainTaken) break;
                if (kind == SieveCommandKind::Else || test(cmd.tests.at(0))) {
                    chainTaken = true;
                    block(cmd.block, &cmd);
                }
                break;
            case SieveCommandKind::Stop: stopped_ = true; break;
            case SieveCommandKind::Set: set(cmd); break;
            case SieveCommandKind::Action: action(cmd, branch); break;
            case SieveCommandKind::Require:
            case SieveCommandKind::Unknown: break;
        }
    }
}

void Evaluator::action(const SieveCommand& cmd, const SieveCommand* branch) {
    const SieveCompiledCommand& c = cmd.compiled;
    SieveAction a{cmd.name, {}};
    a.args.reserve(c.args.size());
    for (const auto& s : c.args) a.args.push_back(s.expands ? detail::expandSieveVariables(s.text, vars_) : s.text);
    if (c.cancels_implicit_keep) result_.implicit_keep = false;
    if (!c.recorded_once || std::find(result_.actions.begin(), result_.actions.end(), a) == result_.actions.end()) {
        result_.actions.push_back(std::move(a));
    }
    const SieveCommand& rule = branch ? *branch : cmd;
    const SieveFired* last = result_.fired.empty() ? nullptr : &result_.fired.back();
    if (!last || last->line != rule.at.line || last->command != rule.name || last->file != script_->file) {
        result_.fired.push_back({script_->file, rule.at.line, rule.name});
    }
}

// RFC 5229 §4.1: modifiers apply in precedence order, highest first.
void Evaluator::set(const SieveCommand& cmd) {
    const SieveCompiledCommand& c = cmd.compiled;
    const unsigned m = c.set_modifiers;
    std::string value = c.args[1].expands ? detail::expandSieveVariables(c.args[1].text, vars_) : c.args[1].text;
    auto mapAll = [&](int (*f)(int)) {
        for (char& ch : value) ch = static_cast<char>(f(static_cast<unsigned char>(ch)));
    };
    if (m & kSetLower) mapAll(::tolower);
    if (m & kSetUpper) mapAll(::toupper);
    if ((m & kSetLowerFirst) && !value.empty()) value[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(value[0])));
    if ((m & kSetUpperFirst) && !value.empty()) value[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(value[0])));
    if (m & kSetQuoteWildcard) {
        std::string quoted;
        for (char ch : value) {
            if (ch == '*' || ch == '?' || ch == '\\') quoted += '\\';
            quoted += ch;
        }
        value = std::move(quoted);
    }
    if (m & kSetLength) value = std::to_string(value.size());
    if (value.size() > kSieveMaxString) value.resize(kSieveMaxString);
    vars_.named[c.args[0].folded] = std::move(value);  // names are case-insensitive (RFC 5229 §3)
}

bool Evaluator::test(const SieveTest& t) {
    const SieveCompiledTest& c = t.compiled;
    switch (c.kind) {
        case SieveTestKind::True: return true;
        case SieveTestKind::False: return false;
        case SieveTestKind::Not: return !test(t.tests.at(0));
        case SieveTestKind::Allof: return std::all_of(t.tests.begin(), t.tests.end(), [&](const SieveTest& x) { return test(x); });
        case SieveTestKind::Anyof: return std::any_of(t.tests.begin(), t.tests.end(), [&](const SieveTest& x) { return test(x); });
        case SieveTestKind::Size: return c.over ? input_.size > c.limit : input_.size < c.limit;
        case SieveTestKind::Exists: {
            std::string scratch;
            return std::all_of(c.names.begin(), c.names.end(), [&](const SieveCompiledString& n) { return headers_.exists(headerName(n, scratch)); });
        }
        case SieveTestKind::Header: return headerTest(c);
        case SieveTestKind::Address: return addressTest(c);
        case SieveTestKind::Envelope: return envelopeTest(c);
        case SieveTestKind::Auto: return matchKeys(c, input_.auto_kind, nullptr);
        case SieveTestKind::Customer: return matchKeys(c, input_.customer, nullptr);
        case SieveTestKind::Ticket: return matchKeys(c, input_.ticket, nullptr);
        case SieveTestKind::Unknown: return false;  // unreachable for a compiled script
    }
    return false;
}

// True when `value` matches one of the test's keys; a successful :matches/:regex sets the match
// variables. `folded` (may be null) is `value` with A-Z folded, given only for i;ascii-casemap
// :is/:contains: then a key folded at parse time is a plain compare, inlined here because a
// header test often has many keys (subject keywords).
bool Evaluator::matchKeys(const SieveCompiledTest& t, std::string_view value, const std::string_view* folded) {
    const bool wantCaptures = variables_ && (t.match == SieveMatchType::Matches || t.match == SieveMatchType::Regex);
    std::vector<std::string>* captures = wantCaptures ? &captures_ : nullptr;
    std::string scratch;
    for (const auto& key : t.keys) {
        bool hit;
        if (key.expands) hit = detail::sieveMatch(t.match, t.comparator, value, expand(key, scratch), captures);
        else if (folded) hit = t.match == SieveMatchType::Is ? *folded == key.folded : folded->find(key.folded) != std::string_view::npos;
        else hit = detail::sieveMatchKey(t.match, t.comparator, value, key, captures);
        if (hit) {
            if (wantCaptures) vars_.matched = std::move(captures_);
            return true;
        }
    }
    return false;
}

bool Evaluator::headerTest(const SieveCompiledTest& t) {
    // The common case, i;ascii-casemap :is/:contains, compares folded keys against the header
    // folded once per mail.
    const bool useFolded = t.comparator == SieveComparator::AsciiCasemap && (t.match == SieveMatchType::Is || t.match == SieveMatchType::Contains);
    std::string scratch;
    bool matched = false;
    for (const auto& name : t.names) {
        headers_.forEach(headerName(name, scratch), [&](std::size_t i) {
            if (matched) return;
            const std::string_view folded = useFolded ? headers_.lower(i) : std::string_view();
            matched = matchKeys(t, headers_.value(i), useFolded ? &folded : nullptr);
        });
        if (matched) return true;
    }
    return false;
}

// Every valid address of the named headers; a header with none offers its raw value to :all
// (RFC 5228 §2.7.4, as Pigeonhole does).
bool Evaluator::addressTest(const SieveCompiledTest& t) {
    std::string scratch;
    bool matched = false;
    for (const auto& name : t.names) {
        headers_.forEach(headerName(name, scratch), [&](std::size_t i) {
            if (matched) return;
            const auto& addresses = headers_.addresses(i);
            if (addresses.empty()) {
                if (t.address_part == SieveAddressPart::All) matched = matchKeys(t, headers_.raw(i), nullptr);
                return;
            }
            matched = std::any_of(addresses.begin(), addresses.end(),
                                  [&](const detail::SieveAddress& a) { return matchKeys(t, addressPart(a, t.address_part), nullptr); });
        });
        if (matched) return true;
    }
    return false;
}

// envelope "from" / "to" (RFC 5228 §5.4).
bool Evaluator::envelopeTest(const SieveCompiledTest& t) {
    std::string scratch;
    for (const auto& n : t.names) {
        const std::string_view name = expand(n, scratch);
        const bool from = equalsIgnoreCase(name, "from");
        if (!from && !equalsIgnoreCase(name, "to")) continue;
        const std::string& raw = from ? input_.envelope_from : input_.envelope_to;
        // §5.4: the null reverse-path matches "" whatever the address part.
        if (raw.empty()) {
            if (matchKeys(t, "", nullptr)) return true;
            continue;
        }
        std::optional<detail::SieveAddress>& a = envelope_[from ? 0 : 1];
        if (!a) {
            mime::Warnings ignored;
            std::optional<std::string_view> simple = simpleAddress(raw);
            a = detail::sieveAddress(simple ? *simple : std::string_view(mime::parseMailbox(raw, ignored).address));
        }
        if (a->valid && matchKeys(t, addressPart(*a, t.address_part), nullptr)) return true;
    }
    return false;
}

// The string itself when it has nothing to expand; otherwise expanded into `scratch`.
std::string_view Evaluator::expand(const SieveCompiledString& s, std::string& scratch) const {
    if (!s.expands) return s.text;
    scratch = detail::expandSieveVariables(s.text, vars_);
    return scratch;
}

// A header name as HeaderView looks it up: A-Z folded (at parse time unless it expands).
std::string_view Evaluator::headerName(const SieveCompiledString& s, std::string& scratch) const {
    if (!s.expands) return s.folded;
    scratch = foldAscii(detail::expandSieveVariables(s.text, vars_));
    return scratch;
}

}  // namespace

SieveResult evaluate(const std::vector<SieveScript>& scripts, const SieveInput& input) {
    thread_local HeaderView headers;  // reset per mail; see HeaderView
    headers.reset(input.headers);
    Evaluator evaluator(input, headers);
    for (const auto& script : scripts) {
        evaluator.run(script);
        if (evaluator.stopped()) break;
    }
    return evaluator.take();
}

}  // namespace postdesk::rules
