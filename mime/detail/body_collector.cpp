#include "mime/detail/body_collector.h"

#include <cstring>
#include <unordered_map>

#include "mime/address.h"
#include "mime/charset.h"
#include "mime/codecs.h"
#include "mime/detail/filename.h"
#include "mime/detail/line_ends.h"
#include "mime/detail/utf8.h"
#include "mime/encoded_word.h"

namespace postdesk::mime::detail {
namespace {

std::string stripBrackets(std::string_view id) {
    while (!id.empty() && (id.front() == '<' || id.front() == ' ')) id.remove_prefix(1);
    while (!id.empty() && (id.back() == '>' || id.back() == ' ')) id.remove_suffix(1);
    return std::string(id);
}

std::string contentId(const Entity& e) {
    const Field* f = findField(e.fields, "Content-ID");
    if (!f) return {};
    std::string id = stripBrackets(f->value), out;
    appendUtf8Repaired(out, id);  // a header is raw bytes; the Message promises UTF-8
    return out;
}

std::string declaredName(const Entity& e) {
    if (auto n = e.disposition.get("filename"); n && !n->empty()) return *n;
    if (auto n = e.type.get("name"); n && !n->empty()) return *n;
    return {};
}

std::string description(const Entity& e, Warnings& w) {
    const Field* f = findField(e.fields, "Content-Description");
    return f ? decodeHeaderText(f->value, w) : std::string();
}

bool isAttachmentLike(const Entity& e) {
    return e.disposition.value == "attachment" || !declaredName(e).empty();
}

// CRLF -> LF on converted text (the path for text that intoUtf8FromLf() does not take).
void crlfToLf(std::string& s) {
    TextScan unused;
    detail::crlfToLf(s, unused);
}

// A text leaf's bytes transfer-decoded, then CRLF -> LF, and what they hold;
// nullopt for uuencode (decodeBody() decides what that body is). `bad` counts what decodeBody()
// would warn about, under the code `badCode`.
std::optional<std::string> decodeTextLf(const Entity& e, TextScan& scan, std::size_t& bad, const char*& badCode) {
    std::string out;
    if (e.encoding == "quoted-printable") {
        bad = decodeQuotedPrintable(e.body, out);
        detail::crlfToLf(out, scan);
        badCode = warn::kBadQuotedPrintable;
    } else if (e.encoding == "base64") {
        bad = decodeBase64(e.body, out);
        badCode = warn::kBadBase64;
        detail::crlfToLf(out, scan);
    } else if (e.encoding == "x-uuencode" || e.encoding == "uuencode" || e.encoding == "x-uue") {
        return std::nullopt;
    } else {
        appendCrlfToLf(out, e.body, scan);
    }
    return out;
}

// <meta charset="x"> or <meta http-equiv=content-type content="text/html; charset=x">, looked
// for in the first 4 KB only, as browsers do (HTML5 §13.2.3.2: 1024 bytes; we are more lenient).
std::string metaCharset(std::string_view html) {
    std::string_view head = html.substr(0, 4096);
    std::string low(head);
    for (auto& c : low) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    std::size_t at = low.find("charset=");
    if (at == std::string::npos || low.rfind("<meta", at) == std::string::npos) return {};
    std::size_t b = at + 8;
    while (b < low.size() && (low[b] == '"' || low[b] == '\'' || low[b] == ' ')) ++b;
    std::size_t e = b;
    while (e < low.size() && (std::isalnum(static_cast<unsigned char>(low[e])) || low[e] == '-' || low[e] == '_' || low[e] == ':' || low[e] == '.')) ++e;
    return low.substr(b, e - b);
}

class Collector {
public:
    Collector(const Limits& limits, Warnings& w) : limits_(limits), w_(w) {}

    CollectedBody run(const Entity& root) {
        walk(root, Context::Mixed);
        return std::move(out_);
    }

private:
    enum class Context { Mixed, Alternative, Report };

    void walk(const Entity& e, Context ctx) {
        if (e.opaque) return attach(e, std::string(e.body), false);
        if (e.isMessage()) return attachMessage(e, ctx);
        if (!e.isMultipart()) return leaf(e, ctx);
        const std::string& t = e.type.value;
        if (t == "multipart/alternative") return walkAlternative(e);
        if (t == "multipart/related") return walkRelated(e, ctx);
        Context childCtx = t == "multipart/report" ? Context::Report : Context::Mixed;
        for (const auto& child : e.children) walk(child, childCtx);
    }

    void walkAlternative(const Entity& e) {
        for (const auto& child : e.children) {
            const std::string& t = child.type.value;
            bool usable = child.isMultipart() || ((t == "text/plain" || t == "text/html") && !isAttachmentLike(child));
            if (usable) walk(child, Context::Alternative);
            else attach(child, decodeBody(child, w_), false);
        }
    }

    void walkRelated(const Entity& e, Context ctx) {
        if (e.children.empty()) return;
        std::size_t root = 0;
        if (auto start = e.type.get("start")) {
            std::string want = stripBrackets(*start);
            for (std::size_t i = 0; i < e.children.size(); ++i)
                if (contentId(e.children[i]) == want) root = i;
        }
        walk(e.children[root], ctx);
        for (std::size_t i = 0; i < e.children.size(); ++i)
            if (i != root) relatedPart(e.children[i], ctx);
    }

    void relatedPart(const Entity& e, Context ctx) {
        if (e.isMultipart() && !e.opaque) return walk(e, ctx);
        // A related part is referenced from the HTML, so it is inline even without
        // Content-Disposition (Chatwoot#11948 drops exactly these).
        attach(e, decodeBody(e, w_), e.disposition.value != "attachment");
    }

    void leaf(const Entity& e, Context ctx) {
        const std::string& t = e.type.value;
        if (t == "text/plain" && !isAttachmentLike(e)) return plainText(e, ctx);
        if (t == "text/html" && !isAttachmentLike(e) && !out_.html) return htmlText(e);
        if (ctx == Context::Report && t == "text/rfc822-headers") noteOriginal(decodeBody(e, w_));
        attach(e, decodeBody(e, w_), e.disposition.value == "inline" && !contentId(e).empty());
    }

    void plainText(const Entity& e, Context ctx) {
        if (out_.text && ctx == Context::Alternative) return attach(e, decodeBody(e, w_), false);
        std::string charset = e.type.get("charset").value_or("");
        std::string text;
        if (std::optional<std::string> fast = textFromLf(e, charset)) {
            text = std::move(*fast);
        } else {
            std::string bytes = decodeBody(e, w_);
            extractUuencoded(bytes);
            text = intoUtf8(std::move(bytes), charset, w_);
            crlfToLf(text);
        }
        if (!out_.text) out_.text = std::move(text);
        else if (!text.empty()) (out_.text->empty() ? *out_.text : out_.text->append("\n")) += text;
    }

    void htmlText(const Entity& e) {
        std::string charset = e.type.get("charset").value_or("");
        // Without a declared charset a <meta> in the first 4 KB of the bytes as sent decides.
        if (!charset.empty()) {
            if (std::optional<std::string> fast = textFromLf(e, charset, /*mayHoldUu=*/false)) {
                out_.html = std::move(*fast);
                return;
            }
        }
        std::string bytes = decodeBody(e, w_);
        if (charset.empty()) charset = metaCharset(bytes);
        std::string html = intoUtf8(std::move(bytes), charset, w_);
        crlfToLf(html);
        out_.html = std::move(html);
    }

    // A text leaf in UTF-8 with LF line ends: transfer decoding, then CRLF -> LF and the 8-bit/ESC
    // check in one pass, then the conversion, which skips its own ASCII check and works on the
    // shorter text (measured: 164.4k -> 160.6k instructions per text mail). Used when that gives
    // exactly what decodeBody(), intoUtf8() and crlfToLf() give; nullopt (and no warning added)
    // otherwise. A body holding "begin " may carry uuencoded files (extractUuencoded()), so it
    // takes the old path.
    std::optional<std::string> textFromLf(const Entity& e, std::string_view charset, bool mayHoldUu = true) {
        TextScan scan;
        std::size_t bad = 0;
        const char* badCode = nullptr;
        std::optional<std::string> lf = decodeTextLf(e, scan, bad, badCode);
        if (!lf || (mayHoldUu && lf->find("begin ") != std::string::npos)) return std::nullopt;
        Warnings scratch;  // decodeBody()'s warning must come before the conversion's
        if (bad > 0) scratch.add(badCode, e.type.value);
        std::optional<std::string> text = intoUtf8FromLf(std::move(*lf), charset, scan.high, scan.esc, scratch);
        if (!text) return std::nullopt;
        for (const Warning& x : scratch.list()) w_.add(x.code, x.detail);
        return text;
    }

    void extractUuencoded(std::string& bytes) {
        if (bytes.find("begin ") == std::string::npos) return;
        auto files = findUuencoded(bytes);
        for (auto it = files.rbegin(); it != files.rend(); ++it) bytes.erase(it->begin, it->end - it->begin);
        for (auto& f : files) pushAttachment({sanitizeFilename(f.name), true}, "application/octet-stream", {}, false, std::move(f.data));
    }

    void attachMessage(const Entity& e, Context ctx) {
        std::string data = e.decodedBody ? *e.decodedBody : std::string(e.body);
        std::string subject;
        if (!e.children.empty()) {
            if (const Field* s = findField(e.children.front().fields, "Subject")) subject = decodeHeaderText(s->value, w_);
            if (ctx == Context::Report) {
                if (const Field* id = findField(e.children.front().fields, "Message-ID")) {
                    auto ids = parseMessageIds(id->value);
                    if (!ids.empty() && !out_.originalMessageId) out_.originalMessageId = ids.front();
                }
            }
        }
        AttachmentName name = attachmentFilename({declaredName(e), e.type.value, contentId(e), description(e, w_), subject});
        pushAttachment(std::move(name), e.type.value, contentId(e), e.disposition.value == "inline", std::move(data));
    }

    void noteOriginal(std::string_view headers) {
        HeaderBlock hb = splitHeader(headers, limits_, w_);
        if (const Field* id = findField(hb.fields, "Message-ID")) {
            auto ids = parseMessageIds(id->value);
            if (!ids.empty() && !out_.originalMessageId) out_.originalMessageId = ids.front();
        }
    }

    void attach(const Entity& e, std::string data, bool isInline) {
        AttachmentName name = attachmentFilename({declaredName(e), e.type.value, contentId(e), description(e, w_), {}});
        pushAttachment(std::move(name), e.type.value, contentId(e), isInline, std::move(data));
    }

    void pushAttachment(AttachmentName name, std::string type, std::string cid, bool isInline, std::string data) {
        Attachment a;
        a.filename = distinctName(std::move(name));
        a.content_type = std::move(type);
        a.content_id = std::move(cid);
        a.inline_ = isInline;
        a.size = data.size();
        a.data = std::move(data);
        out_.attachments.push_back(std::move(a));
    }

    // Two unnamed HTML parts would both be "document.html": a made-up name already given in this
    // message is numbered ("document1.html", as Zammad does). Declared names stay as written, even
    // when two parts share one (Python's email package reports them so; our store keys attachment
    // bytes by digest, not by name).
    std::string distinctName(AttachmentName given) {
        std::string& name = given.name;
        auto [it, fresh] = nextNumber_.try_emplace(name, 1);
        if (fresh || given.declared) return std::move(name);
        unsigned& next = it->second;  // references survive rehashing, iterators do not
        for (;;) {
            std::string candidate = numberedFilename(name, next++);
            if (nextNumber_.try_emplace(candidate, 1).second) return candidate;
        }
    }

    const Limits& limits_;
    Warnings& w_;
    CollectedBody out_;
    std::unordered_map<std::string, unsigned> nextNumber_;  // every name given -> the next number to try
};

}  // namespace

CollectedBody collectBody(const Entity& root, const Limits& limits, Warnings& warnings) {
    return Collector(limits, warnings).run(root);
}

}  // namespace postdesk::mime::detail
