#include "mime/detail/body_collector.h"

#include <cstring>
#include <unordered_map>

#include "mime/address.h"
#include "mime/charset.h"
#include "mime/codecs.h"
#include "mime/detail/filename.h"
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

// Jumps from '\r' to '\r' with memchr and moves the text between (measured: 23.1M -> 2.2M
// instructions on 400 text mails, the largest single cost of parse() before).
void crlfToLf(std::string& s) {
    char* d = s.data();
    const char* r = d;
    const char* end = d + s.size();
    char* w = d;
    while (const char* cr = static_cast<const char*>(std::memchr(r, '\r', static_cast<std::size_t>(end - r)))) {
        std::size_t keep = static_cast<std::size_t>(cr - r) + !(cr + 1 < end && cr[1] == '\n');  // a lone CR stays
        if (w != r) std::memmove(w, r, keep);
        w += keep;
        r = cr + 1;
    }
    if (w != r) std::memmove(w, r, static_cast<std::size_t>(end - r));
    s.resize(static_cast<std::size_t>((w + (end - r)) - d));
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
        std::string bytes = decodeBody(e, w_);
        extractUuencoded(bytes);
        std::string text = intoUtf8(std::move(bytes), e.type.get("charset").value_or(""), w_);
        crlfToLf(text);
        if (!out_.text) out_.text = std::move(text);
        else if (!text.empty()) (out_.text->empty() ? *out_.text : out_.text->append("\n")) += text;
    }

    void htmlText(const Entity& e) {
        std::string bytes = decodeBody(e, w_);
        std::string charset = e.type.get("charset").value_or("");
        if (charset.empty()) charset = metaCharset(bytes);
        std::string html = intoUtf8(std::move(bytes), charset, w_);
        crlfToLf(html);
        out_.html = std::move(html);
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
