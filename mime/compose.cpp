#include "mime/compose.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "mime/ascii.h"
#include "mime/detail/header_writer.h"
#include "mime/detail/transfer_encode.h"

namespace postdesk::mime {
namespace {

using detail::HeaderFolder;
using detail::TransferEncoding;

// One MIME entity already encoded: its header fields (each ending in CRLF) and its body.
struct Part {
    std::string headers;
    std::string body;
    std::string serialize() const { return headers + "\r\n" + body; }
};

// ---- Date (RFC 5322 §3.3) -------------------------------------------------------------------

struct Civil {
    std::int64_t year;
    int month, day;
};

// Proleptic Gregorian date of a day count since 1970-01-01, by 400-year eras (146,097 days).
Civil civilFromDays(std::int64_t days) {
    days += 719468;  // shift the epoch to 0000-03-01 so leap days end each year
    std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    std::int64_t dayOfEra = days - era * 146097;
    std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    std::int64_t monthIndex = (5 * dayOfYear + 2) / 153;  // 0 = March
    int day = static_cast<int>(dayOfYear - (153 * monthIndex + 2) / 5 + 1);
    int month = static_cast<int>(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
    return {yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

std::string formatDate(std::int64_t epoch, int tzMinutes) {
    static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::int64_t local = epoch + std::int64_t{tzMinutes} * 60;
    std::int64_t days = (local >= 0 ? local : local - 86399) / 86400;
    std::int64_t secs = local - days * 86400;
    Civil c = civilFromDays(days);
    int weekday = static_cast<int>(((days + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
    int offset = tzMinutes < 0 ? -tzMinutes : tzMinutes;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %d %s %04lld %02d:%02d:%02d %c%02d%02d", kDays[weekday], c.day, kMonths[c.month - 1],
                  static_cast<long long>(c.year), static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                  static_cast<int>(secs % 60), tzMinutes < 0 ? '-' : '+', offset / 60, offset % 60);
    return buf;
}

// ---- Validation ------------------------------------------------------------------------------

std::string checkAddresses(std::string_view field, const std::vector<Address>& list) {
    for (const auto& a : list)
        if (!detail::isSendableAddress(a.address)) return std::string(field) + ": not a sendable address: " + detail::sanitizeHeaderText(a.address).substr(0, 80);
    return {};
}

std::string checkIds(std::string_view field, const std::vector<std::string>& ids) {
    for (const auto& id : ids)
        if (!detail::isSendableMessageId(id)) return std::string(field) + ": not a usable msg-id: " + detail::sanitizeHeaderText(id).substr(0, 80);
    return {};
}

// Fields composeMail writes itself; a second copy from extra_headers would contradict them (and
// Bcc would disclose the blind recipients to everyone).
bool isComposedField(std::string_view name) {
    static constexpr std::array<std::string_view, 12> kOwn{"from", "to", "cc", "bcc", "reply-to", "subject", "date",
                                                           "message-id", "in-reply-to", "references", "mime-version",
                                                           "sender"};
    std::string n = asciiLower(name);
    return std::find(kOwn.begin(), kOwn.end(), n) != kOwn.end() || n.starts_with("content-");
}

std::string validate(const OutgoingMail& m) {
    std::vector<Address> from{m.from};
    std::string e = checkAddresses("From", from);
    if (e.empty()) e = checkAddresses("To", m.to);
    if (e.empty()) e = checkAddresses("Cc", m.cc);
    if (e.empty() && m.reply_to) e = checkAddresses("Reply-To", {*m.reply_to});
    if (e.empty()) e = checkIds("Message-ID", {m.message_id});
    if (e.empty() && m.in_reply_to) e = checkIds("In-Reply-To", {*m.in_reply_to});
    if (e.empty()) e = checkIds("References", m.references);
    for (const auto& a : m.attachments)
        if (e.empty() && !a.content_id.empty()) e = checkIds("Content-ID", {a.content_id});
    for (const auto& [name, value] : m.extra_headers) {
        if (!e.empty()) break;
        if (!detail::isFieldName(name)) e = "extra header: not a field name: " + detail::sanitizeHeaderText(name).substr(0, 80);
        else if (isComposedField(name)) e = "extra header: " + name + " is written by composeMail itself";
    }
    if (e.empty() && (m.tz_minutes <= -24 * 60 || m.tz_minutes >= 24 * 60)) e = "Date: UTC offset out of range: " + std::to_string(m.tz_minutes);
    return e;
}

// ---- Header fields -------------------------------------------------------------------------

std::string unstructuredField(std::string_view name, std::string_view value) {
    HeaderFolder f(name);
    detail::appendUnstructured(f, detail::sanitizeHeaderText(value));
    return std::move(f).finish();
}

std::string idsField(std::string_view name, const std::vector<std::string>& ids) {
    HeaderFolder f(name);
    for (const auto& id : ids) f.word("<" + id + ">");
    return std::move(f).finish();
}

std::string envelopeHeaders(const OutgoingMail& m) {
    std::string h = detail::addressField("From", {m.from});
    if (m.reply_to) h += detail::addressField("Reply-To", {*m.reply_to});
    if (!m.to.empty()) h += detail::addressField("To", m.to);
    if (!m.cc.empty()) h += detail::addressField("Cc", m.cc);
    h += unstructuredField("Subject", m.subject);
    h += "Date: " + formatDate(m.date_epoch, m.tz_minutes) + "\r\n";
    h += idsField("Message-ID", {m.message_id});
    if (m.in_reply_to) h += idsField("In-Reply-To", {*m.in_reply_to});
    if (!m.references.empty()) h += idsField("References", m.references);
    for (const auto& [name, value] : m.extra_headers) h += unstructuredField(name, value);
    return h + "MIME-Version: 1.0\r\n";
}

// ---- Parts ---------------------------------------------------------------------------------

// `endsMessage`: this part's body is the last thing in the mail. A mail that does not end in CRLF
// gets one from the SMTP client (RFC 5321 §4.1.1.4), which a reader would take as text; a
// quoted-printable soft line break ends the mail in CRLF and decodes to nothing.
Part textPart(std::string_view text, std::string_view subtype, bool endsMessage) {
    bool needsFinalBreak = endsMessage && !text.empty() && text.back() != '\n';
    TransferEncoding enc = needsFinalBreak ? TransferEncoding::QuotedPrintable : detail::chooseTextEncoding(text);
    Part p;
    p.headers = "Content-Type: text/" + std::string(subtype) + "; charset=utf-8\r\n";
    p.headers += "Content-Transfer-Encoding: " + std::string(detail::toString(enc)) + "\r\n";
    p.body = enc == TransferEncoding::SevenBit ? detail::sevenBitBody(text) : detail::encodeQuotedPrintable(text);
    if (needsFinalBreak) p.body += "=\r\n";
    return p;
}

bool isToken(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return c > 0x20 && c < 0x7F && std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
    });
}

// RFC 2045 §5.1 type "/" subtype, lower-cased; parameters the caller added are dropped.
std::string mediaType(std::string_view declared) {
    std::string t = asciiLower(declared.substr(0, declared.find(';')));
    while (!t.empty() && t.back() == ' ') t.pop_back();
    while (!t.empty() && t.front() == ' ') t.erase(0, 1);
    std::size_t slash = t.find('/');
    bool ok = slash != std::string::npos && isToken(std::string_view(t).substr(0, slash)) && isToken(std::string_view(t).substr(slash + 1));
    bool multipart = t.starts_with("multipart/") || t.starts_with("message/");  // would need their own structure
    return ok && !multipart ? t : "application/octet-stream";
}

bool hasFilename(const OutgoingAttachment& a) {
    std::string n = detail::sanitizeHeaderText(a.filename);
    return n.find_first_not_of(' ') != std::string::npos;
}

Part attachmentPart(const OutgoingAttachment& a) {
    HeaderFolder type("Content-Type");
    type.word(mediaType(a.content_type));
    if (hasFilename(a)) detail::appendLegacyNameParam(type, a.filename);
    HeaderFolder disposition("Content-Disposition");
    disposition.word(a.inline_ ? "inline" : "attachment");
    if (hasFilename(a)) detail::appendFilenameParam(disposition, "filename", a.filename);
    Part p;
    p.headers = std::move(type).finish() + std::move(disposition).finish() + "Content-Transfer-Encoding: base64\r\n";
    if (!a.content_id.empty()) p.headers += "Content-ID: <" + a.content_id + ">\r\n";
    p.body = detail::encodeBase64Lines(a.data);
    return p;
}

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

// "=_" cannot occur in quoted-printable or base64 output (RFC 2045 §6.7 encodes '='), so only a
// 7bit part could hold the boundary; the loop checks every child anyway (RFC 2046 §5.1.1).
std::string pickBoundary(const std::vector<std::string>& children, std::string_view seed, char kind) {
    for (std::uint64_t n = 0;; ++n) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "=_pd_%016llx_%c%llu", static_cast<unsigned long long>(fnv1a(seed)), kind,
                      static_cast<unsigned long long>(n));
        std::string delimiter = std::string("--") + buf;
        bool clash = std::any_of(children.begin(), children.end(),
                                 [&](const std::string& c) { return c.find(delimiter) != std::string::npos; });
        if (!clash) return buf;
    }
}

Part multipart(std::string_view subtype, const std::vector<Part>& parts, std::string_view seed,
               std::string_view typeParam = {}) {
    std::vector<std::string> children;
    for (const auto& p : parts) children.push_back(p.serialize());
    std::string boundary = pickBoundary(children, seed, subtype.front());
    HeaderFolder type("Content-Type");
    type.word("multipart/" + std::string(subtype));
    if (!typeParam.empty()) {
        type.glue(";");
        type.word("type=\"" + std::string(typeParam) + "\"");  // RFC 2387 §3.1: required
    }
    type.glue(";");
    type.word("boundary=\"" + boundary + "\"");
    Part m;
    m.headers = std::move(type).finish();
    for (const auto& c : children) m.body += "--" + boundary + "\r\n" + c + "\r\n";
    m.body += "--" + boundary + "--\r\n";
    return m;
}

bool belongsInRelated(const OutgoingMail& m, const OutgoingAttachment& a) {
    return m.html && a.inline_ && !a.content_id.empty();
}

Part bodyPart(const OutgoingMail& m) {
    bool single = !m.html && m.attachments.empty();
    if (single) return textPart(m.text, "plain", true);
    Part body = textPart(m.text, "plain", false);
    if (m.html) body = multipart("alternative", {body, textPart(*m.html, "html", false)}, m.message_id);
    std::vector<Part> related{body}, mixed;
    for (const auto& a : m.attachments) (belongsInRelated(m, a) ? related : mixed).push_back(attachmentPart(a));
    if (related.size() > 1) body = multipart("related", related, m.message_id, "multipart/alternative");
    if (mixed.empty()) return body;
    mixed.insert(mixed.begin(), body);
    return multipart("mixed", mixed, m.message_id);
}

bool isReplyPrefix(std::string_view word) {
    // English, German, Nordic, Dutch, French, Italian, Polish, Finnish, Turkish, Portuguese.
    static constexpr std::array<std::string_view, 14> kPrefixes{"re", "aw", "sv", "antw", "fwd", "fw", "wg",
                                                                "tr", "rif", "odp", "vs", "ynt", "res", "enc"};
    std::string w = asciiLower(word);
    return std::find(kPrefixes.begin(), kPrefixes.end(), w) != kPrefixes.end();
}

}  // namespace

ComposeResult composeMail(const OutgoingMail& mail) {
    ComposeResult r;
    r.error = validate(mail);
    if (!r.ok()) return r;
    Part body = bodyPart(mail);
    r.bytes = envelopeHeaders(mail) + body.serialize();
    return r;
}

std::string replySubject(std::string_view subject) {
    std::string_view s = subject;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    std::size_t end = 0;
    while (end < s.size() && ((s[end] >= 'a' && s[end] <= 'z') || (s[end] >= 'A' && s[end] <= 'Z'))) ++end;
    std::string_view word = s.substr(0, end);
    std::string_view rest = s.substr(end);
    if (!rest.empty() && rest.front() == '[') {  // "Re[2]:" counters
        std::size_t close = rest.find(']');
        rest = close == std::string_view::npos ? std::string_view() : rest.substr(close + 1);
    }
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);  // "Re :" (French typography)
    if (!word.empty() && !rest.empty() && rest.front() == ':' && isReplyPrefix(word)) return std::string(subject);
    return "Re: " + std::string(subject);
}

}  // namespace postdesk::mime
