#include "mime/detail/filename.h"

#include "mime/detail/utf8.h"

#include <array>
#include <cctype>

namespace postdesk::mime::detail {
namespace {

struct TypeName {
    std::string_view type;
    std::string_view name;
};

constexpr std::array<TypeName, 31> kTypeNames = {{
    {"image/jpeg", "image.jpg"}, {"image/jpg", "image.jpg"}, {"image/pjpeg", "image.jpg"},
    {"image/png", "image.png"}, {"image/gif", "image.gif"}, {"image/bmp", "image.bmp"},
    {"image/webp", "image.webp"}, {"image/tiff", "image.tif"}, {"image/svg+xml", "image.svg"},
    {"application/pdf", "file.pdf"}, {"application/zip", "file.zip"}, {"application/ms-tnef", "winmail.dat"},
    {"application/vnd.ms-tnef", "winmail.dat"}, {"text/plain", "document.txt"}, {"text/html", "document.html"},
    {"text/calendar", "invite.ics"}, {"text/csv", "file.csv"}, {"text/xml", "file.xml"},
    {"message/delivery-status", "delivery-status.txt"}, {"message/disposition-notification", "disposition-notification.txt"},
    {"text/rfc822-headers", "rfc822-headers.txt"}, {"message/rfc822", "forwarded-message.eml"},
    {"application/pgp-signature", "signature.asc"}, {"application/pkcs7-signature", "smime.p7s"},
    {"video/quicktime", "video.mov"}, {"video/mp4", "video.mp4"}, {"video/mpeg", "video.mpg"},
    {"audio/mpeg", "audio.mp3"}, {"audio/ogg", "audio.ogg"}, {"audio/wav", "audio.wav"}, {"audio/x-wav", "audio.wav"},
}};

std::string byType(std::string_view contentType) {
    for (const auto& t : kTypeNames)
        if (t.type == contentType) return std::string(t.name);
    if (contentType.starts_with("image/")) return "image." + std::string(contentType.substr(6));
    return "file.bin";
}

}  // namespace

// The longest prefix of at most `max` bytes that ends on a UTF-8 character boundary (found by the
// fuzzer: cutting a subject at 200 bytes split a character).
std::size_t utf8Prefix(std::string_view s, std::size_t max) {
    if (s.size() <= max) return s.size();
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return cut;
}

std::string sanitizeFilename(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (unsigned char c : name) out.push_back(c < 0x20 || c == 0x7f || c == '/' || c == '\\' ? '_' : static_cast<char>(c));
    std::size_t b = out.find_first_not_of(" \t.");
    if (b == std::string::npos) return {};
    std::size_t e = out.find_last_not_of(" \t");
    out = out.substr(b, e - b + 1);
    if (out.size() > 255) out.resize(utf8Prefix(out, 255));
    if (firstInvalidUtf8(out) != out.size()) {  // a raw Content-ID or description (found by the fuzzer)
        std::string repaired;
        appendUtf8Repaired(repaired, out);
        out = std::move(repaired);
    }
    return out;
}

namespace {

// "image001.jpg" is a name, "485376C9-2486-4351" is not: a dot followed by a short alphanumeric
// extension, the shape Outlook and Apple Mail give the IDs of embedded images.
bool looksLikeFilename(std::string_view name) {
    std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || name.size() - dot - 1 < 2 || name.size() - dot - 1 > 5) return false;
    for (char c : name.substr(dot + 1))
        if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    return true;
}

std::string typeExtension(std::string_view contentType) {
    std::string name = byType(contentType);
    return name.substr(name.rfind('.'));
}

}  // namespace

std::string numberedFilename(std::string_view name, unsigned n) {
    std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return std::string(name) + std::to_string(n);
    return std::string(name.substr(0, dot)) + std::to_string(n) + std::string(name.substr(dot));
}

AttachmentName attachmentFilename(const NameHints& h) {
    if (std::string name = sanitizeFilename(h.declared); !name.empty()) return {std::move(name), true};
    bool message = h.contentType == "message/rfc822" || h.contentType == "message/global";
    if (message) {
        std::string subject = sanitizeFilename(h.innerSubject);
        if (subject.size() > 200) subject = sanitizeFilename(subject.substr(0, utf8Prefix(subject, 200)));
        if (!subject.empty()) return {subject + ".eml"};
    }
    std::string local = sanitizeFilename(h.contentId.substr(0, h.contentId.find('@')));
    if (!message && looksLikeFilename(local)) return {local};
    std::string description = sanitizeFilename(h.description);
    if (description.size() > 200) description = sanitizeFilename(description.substr(0, utf8Prefix(description, 200)));
    if (!description.empty()) return {description + typeExtension(h.contentType)};
    return {byType(h.contentType)};
}

}  // namespace postdesk::mime::detail
