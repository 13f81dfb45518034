// postdesk::mime::detail — a useful filename for every attachment.
//
// The declared name (Content-Disposition filename, else Content-Type name; RFC 2231/2047 already
// undone) with control characters and path separators replaced, so it can be shown and offered
// for download but never used as a path. Without one: a forwarded message is named after its
// subject plus ".eml"; a part whose Content-ID looks like a file name after the ID's local part
// ("image001.jpg" for <image001.jpg@01CDB132.D8A510F0>, as Zammad does; an opaque ID such as
// <485376C9-2486@home> says nothing to a person); a part with a Content-Description after it plus
// the type's extension ("Delivery report.txt", as Postfix labels its DSN parts); otherwise after
// its type ("image.png", "document.html", "video.mov", "winmail.dat", "delivery-status.txt",
// "file.bin"; Zammad's names where it has one). The collector numbers a made-up name that another
// part of the message already has (numberedFilename); a declared name is kept as the sender wrote it.
#pragma once

#include <string>
#include <string_view>

namespace postdesk::mime::detail {

// What a part says about itself; any member may be empty.
struct NameHints {
    std::string_view declared;      // filename= or name=, decoded
    std::string_view contentType;   // lower-case type/subtype
    std::string_view contentId;     // without angle brackets
    std::string_view description;   // Content-Description, decoded
    std::string_view innerSubject;  // decoded subject of a message/rfc822 part
};

struct AttachmentName {
    std::string name;
    bool declared = false;  // the part's own filename= or name=, not one made up here
};

AttachmentName attachmentFilename(const NameHints& hints);

// "document.html", 1 -> "document1.html": the number before the last extension, or at the end
// without one (Zammad numbers the same way but before the first dot: "at 091.00.38.png").
std::string numberedFilename(std::string_view name, unsigned n);

// Control characters, '/' and '\' become '_'; surrounding blanks and dots are trimmed; at most
// 255 bytes, cut on a UTF-8 character boundary.
std::string sanitizeFilename(std::string_view name);

// The length of the longest prefix of `s` of at most `max` bytes that does not split a UTF-8 character.
std::size_t utf8Prefix(std::string_view s, std::size_t max);

}  // namespace postdesk::mime::detail
