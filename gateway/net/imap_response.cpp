#include "gateway/net/imap_response.h"

#include <algorithm>
#include <cctype>

namespace postdesk::net {

namespace {

constexpr std::string_view kCrlf = "\r\n";

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool isDigits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A line ending in "{n}" or "{n+}" (RFC 7888 non-synchronizing form) announces n literal bytes
// after its CRLF (RFC 3501 §4.3).
std::optional<std::size_t> literalAnnounced(std::string_view line) {
    if (line.empty() || line.back() != '}') return std::nullopt;
    std::size_t open = line.rfind('{');
    if (open == std::string_view::npos) return std::nullopt;
    std::string_view digits = line.substr(open + 1, line.size() - open - 2);
    if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
    if (!isDigits(digits) || digits.size() > 18) return std::nullopt;
    std::size_t n = 0;
    for (char c : digits) n = n * 10 + static_cast<std::size_t>(c - '0');
    return n;
}

// Reads the value grammar of RFC 3501 §9 leniently over one framed response.
class Cursor {
public:
    explicit Cursor(std::string_view raw) : s_(raw) {}

    bool atEnd() const { return pos_ >= s_.size(); }
    bool atLineEnd() const { return s_.substr(pos_, 2) == kCrlf; }
    char peek() const { return atEnd() ? '\0' : s_[pos_]; }
    void skipSpaces() {
        while (!atEnd() && s_[pos_] == ' ') ++pos_;
    }
    bool consume(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }

    // Up to the next space or CRLF: tags, names, numbers.
    std::string_view word() {
        std::size_t start = pos_;
        while (!atEnd() && s_[pos_] != ' ' && !atLineEnd()) ++pos_;
        return s_.substr(start, pos_ - start);
    }

    // The rest of the current line, without its CRLF.
    std::string_view restOfLine() {
        std::size_t eol = s_.find(kCrlf, pos_);
        if (eol == std::string_view::npos) eol = s_.size();
        std::string_view line = s_.substr(pos_, eol - pos_);
        pos_ = eol;
        return line;
    }

    // "[CODE args]" at the start of resp-text (RFC 3501 §7.1); the brackets do not nest.
    bool responseCode(std::string& code, std::string& args) {
        if (!consume('[')) return true;
        std::size_t close = s_.find(']', pos_);
        std::size_t eol = s_.find(kCrlf, pos_);
        if (close == std::string_view::npos || (eol != std::string_view::npos && close > eol))
            return false;
        std::string_view inside = s_.substr(pos_, close - pos_);
        std::size_t sp = inside.find(' ');
        code = upper(inside.substr(0, sp));
        if (sp != std::string_view::npos) args = std::string(inside.substr(sp + 1));
        pos_ = close + 1;
        return true;
    }

    bool value(Value& out, std::string& error, int depth = 0) {
        if (depth > 32) return fail(error, "lists nested too deeply");
        char c = peek();
        if (c == '(') return list(out, error, depth);
        if (c == '"') return quoted(out, error);
        if (c == '{') return literal(out, error);
        return atom(out, error);
    }

    bool valuesToLineEnd(std::vector<Value>& out, std::string& error) {
        for (;;) {
            skipSpaces();
            if (atLineEnd() || atEnd()) return true;
            Value v;
            if (!value(v, error)) return false;
            out.push_back(std::move(v));
        }
    }

private:
    static bool fail(std::string& error, std::string reason) {
        error = std::move(reason);
        return false;
    }

    bool list(Value& out, std::string& error, int depth) {
        ++pos_;  // '('
        out.kind = Value::Kind::List;
        for (;;) {
            skipSpaces();
            if (consume(')')) return true;
            if (atEnd() || atLineEnd()) return fail(error, "unclosed '('");
            Value item;
            if (!value(item, error, depth + 1)) return false;
            out.items.push_back(std::move(item));
        }
    }

    // RFC 3501 §4.3: only \" and \\ are escapes; CR and LF cannot appear.
    bool quoted(Value& out, std::string& error) {
        ++pos_;  // '"'
        out.kind = Value::Kind::String;
        while (!atEnd()) {
            char c = s_[pos_++];
            if (c == '"') return true;
            if (c == '\r' || c == '\n') break;
            if (c == '\\') {
                if (atEnd()) break;
                c = s_[pos_++];
            }
            out.text.push_back(c);
        }
        return fail(error, "unterminated quoted string");
    }

    bool literal(Value& out, std::string& error) {
        std::size_t close = s_.find('}', pos_);
        if (close == std::string_view::npos) return fail(error, "bad literal");
        std::string_view digits = s_.substr(pos_ + 1, close - pos_ - 1);
        if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
        if (!isDigits(digits) || digits.size() > 18 || s_.substr(close + 1, 2) != kCrlf)
            return fail(error, "bad literal");
        std::size_t n = 0;
        for (char d : digits) n = n * 10 + static_cast<std::size_t>(d - '0');
        std::size_t start = close + 3;
        if (s_.size() < start || s_.size() - start < n) return fail(error, "literal cut short");
        out.kind = Value::Kind::String;
        out.text.assign(s_.substr(start, n));
        pos_ = start + n;
        return true;
    }

    // Atoms here include flags ("\Seen", "\*") and section specs: "BODY[HEADER.FIELDS (TO)]<0>"
    // is one item name, so a '[' swallows everything up to its ']'.
    bool atom(Value& out, std::string& error) {
        std::size_t start = pos_;
        while (!atEnd() && !atLineEnd()) {
            char c = s_[pos_];
            if (c == ' ' || c == '(' || c == ')' || c == '"' || c == '{') break;
            if (c == '[') {
                std::size_t close = s_.find(']', pos_);
                if (close == std::string_view::npos || close > s_.find(kCrlf, pos_))
                    return fail(error, "unclosed '['");
                pos_ = close;
            }
            ++pos_;
        }
        if (pos_ == start) return fail(error, std::string("unexpected '") + peek() + "'");
        out.text.assign(s_.substr(start, pos_ - start));
        out.kind = upper(out.text) == "NIL" ? Value::Kind::Nil : Value::Kind::Atom;
        return true;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

bool isStatusName(std::string_view name) {
    return name == "OK" || name == "NO" || name == "BAD" || name == "BYE" || name == "PREAUTH";
}

// The data responses the client interprets must parse; any other untagged data (NAMESPACE,
// ID, vendor extensions) is allowed to be odd without failing the whole session.
bool mustParseData(std::string_view name) {
    return name == "FETCH" || name == "SEARCH" || name == "CAPABILITY";
}

bool parseStatusRest(Cursor& in, Response& r, std::string& error) {
    in.skipSpaces();
    if (!in.responseCode(r.code, r.code_args)) {
        error = "unterminated response code";
        return false;
    }
    in.skipSpaces();
    r.text = std::string(in.restOfLine());
    return true;
}

}  // namespace

Frame frameResponse(std::string_view buffer, const FrameLimits& limits) {
    std::size_t pos = 0;
    for (;;) {
        std::size_t eol = buffer.find(kCrlf, pos);
        if (eol == std::string_view::npos)
            return {0, buffer.size() - pos > limits.max_line};
        if (eol - pos > limits.max_line) return {0, true};
        auto n = literalAnnounced(buffer.substr(pos, eol - pos));
        if (!n) return {eol + 2, false};
        if (*n > limits.max_literal) return {0, true};
        std::size_t literal_end = eol + 2 + *n;
        if (buffer.size() < literal_end) return {0, false, literal_end};
        pos = literal_end;  // the response continues on the line after the literal
    }
}

bool Value::isAtom(std::string_view upper_name) const {
    return kind == Kind::Atom && upper(text) == upper_name;
}

bool Response::isStatus() const { return isStatusName(name); }

std::optional<Response> parseResponse(std::string_view raw, std::string& error) {
    if (raw.size() < 2 || raw.substr(raw.size() - 2) != kCrlf) {
        error = "response does not end with CRLF";
        return std::nullopt;
    }
    Cursor in(raw);
    Response r;
    if (in.consume('+')) {  // continuation request (RFC 3501 §7.5)
        r.kind = Response::Kind::Continuation;
        in.skipSpaces();
        if (!parseStatusRest(in, r, error)) return std::nullopt;
        return r;
    }
    std::string_view tag = in.word();
    if (tag.empty()) {
        error = "empty tag";
        return std::nullopt;
    }
    r.kind = tag == "*" ? Response::Kind::Untagged : Response::Kind::Tagged;
    if (r.kind == Response::Kind::Tagged) r.tag = std::string(tag);
    in.skipSpaces();
    std::string_view word = in.word();
    if (r.kind == Response::Kind::Untagged && isDigits(word)) {
        r.number = parseNumber(word);
        if (!r.number) {
            error = "message number out of range";
            return std::nullopt;
        }
        in.skipSpaces();
        word = in.word();
    }
    r.name = upper(word);
    if (r.name.empty()) {
        error = "missing response name";
        return std::nullopt;
    }
    if (r.isStatus()) {
        if (!parseStatusRest(in, r, error)) return std::nullopt;
        return r;
    }
    if (r.kind == Response::Kind::Tagged) {
        error = "tagged response with status " + r.name;
        return std::nullopt;
    }
    std::string data_error;
    if (!in.valuesToLineEnd(r.data, data_error)) {
        if (mustParseData(r.name)) {
            error = r.name + ": " + data_error;
            return std::nullopt;
        }
        r.data.clear();
    }
    return r;
}

std::optional<std::uint32_t> parseNumber(std::string_view digits) {
    if (!isDigits(digits) || digits.size() > 10) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : digits) n = n * 10 + static_cast<std::uint64_t>(c - '0');
    if (n > 0xFFFFFFFFu) return std::nullopt;
    return static_cast<std::uint32_t>(n);
}

std::optional<FetchItems> fetchItems(Response&& response) {
    if (response.kind != Response::Kind::Untagged || response.name != "FETCH" || !response.number ||
        response.data.size() != 1 || response.data[0].kind != Value::Kind::List)
        return std::nullopt;
    auto& items = response.data[0].items;
    if (items.size() % 2 != 0) return std::nullopt;  // name/value pairs (RFC 3501 §7.4.2)
    FetchItems out;
    out.seq = *response.number;
    for (std::size_t i = 0; i < items.size(); i += 2) {
        const Value& key = items[i];
        Value& val = items[i + 1];
        if (key.isAtom("UID")) {
            out.uid = val.kind == Value::Kind::Atom ? parseNumber(val.text) : std::nullopt;
            if (!out.uid) return std::nullopt;
        } else if (key.isAtom("FLAGS")) {
            if (val.kind != Value::Kind::List) return std::nullopt;
            std::vector<std::string> flags;
            for (const Value& f : val.items) flags.push_back(f.text);
            out.flags = std::move(flags);
        } else if (key.isAtom("BODY[]") || key.isAtom("RFC822")) {
            // NIL would mean the server could not produce the body; leave it absent.
            if (val.kind == Value::Kind::String) out.body = std::move(val.text);
        }
    }
    return out;
}

std::optional<FetchItems> fetchItems(const Response& response) {
    Response copy = response;
    return fetchItems(std::move(copy));
}

std::vector<std::uint32_t> searchNumbers(const Response& response) {
    std::vector<std::uint32_t> out;
    if (response.kind != Response::Kind::Untagged || response.name != "SEARCH") return out;
    for (const Value& v : response.data) {
        if (v.kind != Value::Kind::Atom) continue;  // e.g. "(MODSEQ 917162500)" (RFC 7162)
        if (auto n = parseNumber(v.text)) out.push_back(*n);
    }
    return out;
}

std::optional<std::uint32_t> codeNumber(const Response& response, std::string_view code) {
    if (response.code != code) return std::nullopt;
    return parseNumber(response.code_args);
}

std::vector<std::string> capabilities(const Response& response) {
    std::vector<std::string> out;
    if (response.name == "CAPABILITY" && response.kind == Response::Kind::Untagged) {
        for (const Value& v : response.data)
            if (v.kind == Value::Kind::Atom) out.push_back(upper(v.text));
    } else if (response.code == "CAPABILITY") {
        std::string_view rest = response.code_args;
        while (!rest.empty()) {
            std::size_t sp = rest.find(' ');
            if (sp != 0) out.push_back(upper(rest.substr(0, sp)));
            if (sp == std::string_view::npos) break;
            rest.remove_prefix(sp + 1);
        }
    }
    return out;
}

}  // namespace postdesk::net
