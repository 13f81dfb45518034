#include "mime/detail/header_writer.h"

#include <algorithm>

#include "mime/detail/transfer_encode.h"
#include "mime/detail/utf8.h"

namespace postdesk::mime::detail {
namespace {

constexpr std::string_view kWordOpenQ = "=?utf-8?Q?";
constexpr std::string_view kWordOpenB = "=?utf-8?B?";
constexpr std::size_t kWordFrame = 12;        // "=?utf-8?X?" + "?="
constexpr std::size_t kMinUsefulWord = 24;    // frame + one 4-byte character in Q
constexpr std::size_t kMaxPlainName = 70;     // longer names are encoded so they can fold
constexpr std::size_t kMaxParamChunk = 60;    // RFC 2231 §3 section size, keeps lines < 78

bool isAlnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// RFC 5322 §3.2.3 atext.
bool isAtext(unsigned char c) { return isAlnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos; }

// RFC 2047 §5(3): the only characters a Q word may carry literally inside a phrase. Using this
// set everywhere keeps one encoder safe for Subject, names and parameters alike.
bool isQSafe(unsigned char c) { return isAlnum(c) || c == '!' || c == '*' || c == '+' || c == '-' || c == '/'; }

// RFC 2231 §7 attribute-char (no '*', '\'', '%' and no tspecials).
bool isAttrChar(unsigned char c) { return isAlnum(c) || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos; }

bool isPrintableAscii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

std::string_view trimSpaces(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

std::size_t qCost(unsigned char c) { return isQSafe(c) || c == ' ' ? 1 : 3; }

bool preferQ(std::string_view text) {
    std::size_t q = 0;
    for (unsigned char c : text) q += qCost(c);
    return q <= (text.size() + 2) / 3 * 4;
}

std::size_t charLength(std::string_view text, std::size_t at) {
    return std::max<std::size_t>(1, utf8SequenceLength(text, at));
}

// End of the longest run of whole UTF-8 characters from `at` whose encoded form fits
// `payload` characters (RFC 2047 §5: a word must not split a character). At least one character.
std::size_t fitWord(std::string_view text, std::size_t at, bool q, std::size_t payload) {
    std::size_t end = at, cost = 0;
    while (end < text.size()) {
        std::size_t len = charLength(text, end), next = cost;
        if (q) for (std::size_t k = 0; k < len; ++k) next += qCost(static_cast<unsigned char>(text[end + k]));
        else next = (end + len - at + 2) / 3 * 4;
        if (next > payload && end > at) break;
        cost = next;
        end += len;
    }
    return end;
}

std::string encodeWord(std::string_view chunk, bool q) {
    std::string out(q ? kWordOpenQ : kWordOpenB);
    if (!q) {
        out += encodeBase64Plain(chunk);
    } else {
        static constexpr char kHex[] = "0123456789ABCDEF";
        for (unsigned char c : chunk) {
            if (isQSafe(c)) out += static_cast<char>(c);
            else if (c == ' ') out += '_';  // RFC 2047 §4.2 (2)
            else out += {'=', kHex[c >> 4], kHex[c & 0xF]};
        }
    }
    return out + "?=";
}

// Writes `text` as adjacent encoded-words; a decoder drops the whitespace between them (RFC 2047
// §6.2), and spaces of the text travel inside the words, so the decoded text is exact.
void appendEncodedWords(HeaderFolder& folder, std::string_view text, std::string_view before = {},
                        std::string_view after = {}) {
    bool q = preferQ(text);
    for (std::size_t at = 0; at < text.size();) {
        std::size_t room = folder.room();
        std::size_t limit = room >= kMinUsefulWord + before.size() + after.size() ? std::min(room, kMaxEncodedWord) : kMaxEncodedWord;
        std::size_t end = fitWord(text, at, q, limit - kWordFrame - before.size() - after.size());
        std::string word = encodeWord(text.substr(at, end - at), q);
        std::string_view open = at == 0 ? before : std::string_view();
        std::string_view close = end == text.size() ? after : std::string_view();
        folder.word(std::string(open) + word + std::string(close));
        at = end;
    }
}

// Printable ASCII a reader could not take for an encoded-word (RFC 2047 §6.1 would decode it).
bool isPlainText(std::string_view text) { return isPrintableAscii(text) && text.find("=?") == std::string_view::npos; }

std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';  // RFC 5322 §3.2.4 quoted-pair
        out += c;
    }
    return out + "\"";
}

bool isAtomPhrase(std::string_view name) {
    if (name.find("  ") != std::string_view::npos) return false;  // a reader would collapse them
    return std::all_of(name.begin(), name.end(), [](char c) { return c == ' ' || isAtext(static_cast<unsigned char>(c)); });
}

bool isDotAtom(std::string_view s, bool allowEmptyLabels) {
    if (s.empty()) return false;
    if (!allowEmptyLabels && (s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos)) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c == '.' || isAtext(static_cast<unsigned char>(c)); });
}

bool isDomainLiteral(std::string_view s) {
    if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
    std::string_view in = s.substr(1, s.size() - 2);
    return std::all_of(in.begin(), in.end(), [](char c) { return c > 0x20 && c < 0x7F && c != '[' && c != ']' && c != '\\'; });
}

std::string percentEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (isAttrChar(c)) out += static_cast<char>(c);
        else out += {'%', kHex[c >> 4], kHex[c & 0xF]};
    }
    return out;
}

// RFC 2231 §3 sections of at most kMaxParamChunk characters, each ending on a character boundary.
std::vector<std::string> percentSections(std::string_view value) {
    std::vector<std::string> sections(1);
    for (std::size_t at = 0; at < value.size();) {
        std::size_t len = charLength(value, at);
        std::string piece = percentEncode(value.substr(at, len));
        if (sections.back().size() + piece.size() > kMaxParamChunk && !sections.back().empty()) sections.emplace_back();
        sections.back() += piece;
        at += len;
    }
    return sections;
}

bool isPlainParamValue(std::string_view value) {
    return !value.empty() && value.size() <= kMaxParamChunk && isPlainText(value) && value.find('"') == std::string_view::npos &&
           value.find('\\') == std::string_view::npos && value.front() != ' ' && value.back() != ' ';
}

}  // namespace

std::string sanitizeHeaderText(std::string_view text) {
    std::string repaired;
    appendUtf8Repaired(repaired, text);
    for (char& c : repaired)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    return repaired;
}

HeaderFolder::HeaderFolder(std::string_view name) : out_(name) { out_ += ':'; }

void HeaderFolder::word(std::string_view word) {
    std::size_t col = out_.size() - lineStart_;
    bool tooLong = col + 1 + word.size() > kFoldColumn;
    // Right after the colon a fold only helps when the word then fits (RFC 5322 §2.1.1 SHOULD).
    if (tooLong && (!empty_ || 1 + word.size() <= kFoldColumn)) {
        out_ += "\r\n";  // RFC 5322 §2.2.3: fold = CRLF before existing whitespace
        lineStart_ = out_.size();
    }
    out_ += ' ';
    out_ += word;
    empty_ = false;
}

void HeaderFolder::glue(std::string_view text) { out_ += text; }

std::size_t HeaderFolder::room() const {
    std::size_t col = out_.size() - lineStart_;
    return col + 1 >= kFoldColumn ? 0 : kFoldColumn - col - 1;
}

std::string HeaderFolder::finish() && { return std::move(out_) + "\r\n"; }

void appendUnstructured(HeaderFolder& folder, std::string_view text) {
    text = trimSpaces(text);
    bool plain = isPlainText(text);
    // Pieces are a run of spaces then a run of non-spaces; one space is the fold point.
    std::vector<std::string_view> pieces;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t word = text.find_first_not_of(' ', at);
        std::size_t end = std::min(text.find(' ', word), text.size());
        pieces.push_back(text.substr(at, end - at));
        at = end;
    }
    for (auto p : pieces) plain = plain && p.size() <= kFoldColumn - 2;  // each can fit one line
    plain = plain && (pieces.empty() || folder.fits(pieces.front().size()));
    if (!plain) return appendEncodedWords(folder, text);
    for (std::size_t i = 0; i < pieces.size(); ++i) folder.word(i == 0 ? pieces[i] : pieces[i].substr(1));
}

void appendPhrase(HeaderFolder& folder, std::string_view name) {
    name = trimSpaces(name);
    if (!isPlainText(name) || name.size() > kMaxPlainName) return appendEncodedWords(folder, name);
    if (!isAtomPhrase(name)) {
        std::string q = quoted(name);
        return folder.fits(q.size()) ? folder.word(q) : appendEncodedWords(folder, name);
    }
    if (!folder.fits(name.substr(0, name.find(' ')).size())) return appendEncodedWords(folder, name);
    for (std::size_t at = 0; at < name.size();) {
        std::size_t end = std::min(name.find(' ', at), name.size());
        folder.word(name.substr(at, end - at));
        at = end + 1;
    }
}

bool isSendableAddress(std::string_view address) {
    if (address.size() > 254) return false;
    std::size_t at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64) return false;
    std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
    // obs-local-part (RFC 5322 §4.4) lets dots repeat; some carriers still hand out such addresses.
    return isDotAtom(local, true) && (isDotAtom(domain, false) || isDomainLiteral(domain));
}

bool isSendableMessageId(std::string_view id) {
    if (id.empty() || id.size() > 250) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return c > 0x20 && c < 0x7F && c != '<' && c != '>' && c != '"' && c != '\\' && c != '(' && c != ')' && c != ',';
    });
}

bool isFieldName(std::string_view name) {
    if (name.empty() || name.size() > 76) return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return c > 0x20 && c < 0x7F && c != ':'; });
}

std::string addressField(std::string_view name, const std::vector<Address>& list) {
    HeaderFolder folder(name);
    for (std::size_t i = 0; i < list.size(); ++i) {
        std::string display = sanitizeHeaderText(list[i].name);
        std::string comma = i + 1 < list.size() ? "," : "";
        if (trimSpaces(display).empty()) {
            folder.word(list[i].address + comma);
            continue;
        }
        appendPhrase(folder, display);
        folder.word("<" + list[i].address + ">" + comma);
    }
    return std::move(folder).finish();
}

void appendFilenameParam(HeaderFolder& folder, std::string_view param, std::string_view filename) {
    std::string name = sanitizeHeaderText(filename);
    if (isPlainParamValue(name)) {
        folder.glue(";");
        return folder.word(std::string(param) + "=" + quoted(name));
    }
    std::vector<std::string> sections = percentSections(name);
    for (std::size_t i = 0; i < sections.size(); ++i) {
        folder.glue(";");
        std::string key(param);
        if (sections.size() > 1) {
            key += '*';  // not "*" + to_string(i): GCC 12 warns a false -Wrestrict on that (its bug 105329)
            key += std::to_string(i);
        }
        key += "*=";
        folder.word(key + (i == 0 ? "utf-8''" : "") + sections[i]);
    }
}

void appendLegacyNameParam(HeaderFolder& folder, std::string_view filename) {
    std::string name = sanitizeHeaderText(filename);
    folder.glue(";");
    if (isPlainParamValue(name)) return folder.word("name=" + quoted(name));
    appendEncodedWords(folder, name, "name=\"", "\"");
}

}  // namespace postdesk::mime::detail
