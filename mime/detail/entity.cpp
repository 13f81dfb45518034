#include "mime/detail/entity.h"

#include <cstring>

#include "mime/ascii.h"
#include "mime/codecs.h"

namespace postdesk::mime::detail {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }

// A found delimiter line "--boundary[--]" (RFC 2046 §5.1.1).
struct Delimiter {
    std::size_t lineStart;  // offset of "--"
    std::size_t contentEnd; // where the previous part's content ends (before its CRLF)
    std::size_t next;       // offset after the delimiter line
    bool closing;
};

// Finds the next delimiter line at or after `from`. Text glued to the boundary means it is a
// longer boundary (e.g. "--xy" when looking for "x"); text after a blank is ignored, as RFC 2046
// §5.1.1's note to implementors asks and mime4j does ("--b This should be ignored"), since a
// boundary never ends in a space.
bool findDelimiter(std::string_view body, std::string_view dashBoundary, std::size_t from, Delimiter& d) {
    while (from < body.size()) {
        const void* hit = memmem(body.data() + from, body.size() - from, dashBoundary.data(), dashBoundary.size());
        if (!hit) return false;
        std::size_t at = static_cast<std::size_t>(static_cast<const char*>(hit) - body.data());
        from = at + 1;
        if (at != 0 && body[at - 1] != '\n') continue;
        std::size_t p = at + dashBoundary.size();
        bool closing = body.compare(p, 2, "--") == 0;
        if (closing) p += 2;
        if (p < body.size() && !isBlank(body[p]) && body[p] != '\r' && body[p] != '\n') continue;
        std::size_t nl = body.find('\n', p);
        p = nl == std::string_view::npos ? body.size() : nl + 1;
        std::size_t end = at;
        if (end > 0 && body[end - 1] == '\n') --end;
        if (end > 0 && body[end - 1] == '\r') --end;
        d = {at, end, p, closing};
        return true;
    }
    return false;
}

class TreeBuilder {
public:
    TreeBuilder(const Limits& limits, Warnings& w) : limits_(limits), w_(w) {}

    Entity build(std::string_view bytes, std::size_t depth, std::string_view defaultType) {
        Entity e;
        ++parts_;
        HeaderBlock hb = splitHeader(bytes, limits_, w_);
        e.fields = std::move(hb.fields);
        e.unfolded = std::move(hb.unfolded);
        e.body = hb.body;
        readContentFields(e, defaultType);
        if (!e.isMultipart() && !e.isMessage()) return e;
        if (depth >= limits_.max_depth || parts_ >= limits_.max_parts) {
            w_.add(depth >= limits_.max_depth ? warn::kDepthLimit : warn::kPartLimit, e.type.value);
            e.opaque = true;
            return e;
        }
        if (e.isMultipart()) splitMultipart(e, depth);
        else buildMessageChild(e, depth);
        return e;
    }

private:
    void readContentFields(Entity& e, std::string_view defaultType) {
        if (const Field* ct = findField(e.fields, "Content-Type")) e.type = parseParams(ct->value, w_);
        if (e.type.value.empty() || e.type.value.find('/') == std::string::npos) {
            e.type.value = std::string(defaultType);  // RFC 2045 §5.2: a broken type means the default
        }
        if (const Field* cd = findField(e.fields, "Content-Disposition")) e.disposition = parseParams(cd->value, w_);
        if (const Field* te = findField(e.fields, "Content-Transfer-Encoding")) {
            e.encoding = asciiLower(te->value);
            if (auto sp = e.encoding.find_first_of(" \t;("); sp != std::string::npos) e.encoding.resize(sp);
        }
    }

    void splitMultipart(Entity& e, std::size_t depth) {
        auto boundary = e.type.get("boundary");
        if (!boundary || boundary->empty()) {
            w_.add(warn::kMissingBoundary, e.type.value);
            e.type.value = "text/plain";
            return;
        }
        std::string dash = "--" + *boundary;
        std::string_view childDefault = e.type.value == "multipart/digest" ? "message/rfc822" : "text/plain";
        Delimiter d;
        if (!findDelimiter(e.body, dash, 0, d)) {
            w_.add(warn::kNoParts, *boundary);
            e.type.value = "text/plain";  // show what there is rather than nothing
            return;
        }
        while (!d.closing) {
            if (parts_ >= limits_.max_parts) {
                w_.add(warn::kPartLimit, std::to_string(limits_.max_parts));
                return;
            }
            Delimiter nextD;
            bool found = findDelimiter(e.body, dash, d.next, nextD);
            std::size_t end = found ? nextD.contentEnd : e.body.size();
            if (!found) w_.add(warn::kNoClosingBoundary, *boundary);
            if (end < d.next) end = d.next;  // an empty part: "--b\r\n--b"
            e.children.push_back(build(e.body.substr(d.next, end - d.next), depth + 1, childDefault));
            if (!found) return;
            d = nextD;
        }
    }

    void buildMessageChild(Entity& e, std::size_t depth) {
        std::string_view inner = e.body;
        if (e.encoding == "base64" || e.encoding == "quoted-printable") {
            // Not allowed by RFC 2046 §5.2.1, but sent anyway.
            e.decodedBody = std::make_unique<std::string>(decodeBody(e, w_));
            inner = *e.decodedBody;
        }
        e.children.push_back(build(inner, depth + 1, "text/plain"));
    }

    const Limits& limits_;
    Warnings& w_;
    std::size_t parts_ = 0;
};

}  // namespace

Entity parseEntityTree(std::string_view bytes, const Limits& limits, Warnings& warnings) {
    return TreeBuilder(limits, warnings).build(bytes, 0, "text/plain");
}

std::string decodeBody(const Entity& e, Warnings& w) {
    std::string out;
    if (e.encoding == "base64") {
        if (decodeBase64(e.body, out) > 0) w.add(warn::kBadBase64, e.type.value);
    } else if (e.encoding == "quoted-printable") {
        if (decodeQuotedPrintable(e.body, out) > 0) w.add(warn::kBadQuotedPrintable, e.type.value);
    } else if (e.encoding == "x-uuencode" || e.encoding == "uuencode" || e.encoding == "x-uue") {
        auto files = findUuencoded(e.body);
        out = files.empty() ? decodeUuLines(e.body) : std::move(files.front().data);
    } else {
        out.assign(e.body);
    }
    return out;
}

}  // namespace postdesk::mime::detail
