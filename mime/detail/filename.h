// postdesk::mime::detail — a useful filename for every attachment.
//
// The declared name (Content-Disposition filename, else Content-Type name; RFC 2231/2047 already
// undone) with control characters and path separators replaced, so it can be shown and offered
// for download but never used as a path. Without one: a forwarded message is named after its
// subject plus ".eml"; a part with a Content-ID after the ID's local part ("image001.jpg" for
// <image001.jpg@01CDB132.D8A510F0>, as Zammad does); otherwise after its type ("image.png",
// "winmail.dat", "delivery-status.txt", "file.bin").
#pragma once

#include <string>
#include <string_view>

namespace postdesk::mime::detail {

// `declared` may be empty; `innerSubject` is the decoded subject of a message/rfc822 part.
std::string attachmentFilename(std::string_view declared, std::string_view contentType,
                               std::string_view contentId, std::string_view innerSubject);

// Control characters, '/' and '\' become '_'; surrounding blanks and dots are trimmed; at most
// 255 bytes, cut on a UTF-8 character boundary.
std::string sanitizeFilename(std::string_view name);

}  // namespace postdesk::mime::detail
