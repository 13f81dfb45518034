// postdesk::mime::detail — from the entity tree to the main text, the HTML and the attachments.
//
// Rules (RFC 2046 plus what mail clients do):
// - multipart/alternative: text/plain is the text, text/html the HTML (either may sit inside a
//   nested multipart/related or mixed); other alternatives (text/calendar…) become attachments.
// - multipart/related: the root (the `start` parameter, else the first part) is walked as body;
//   every other part is an inline attachment, Content-Disposition or not.
// - multipart/mixed, report, digest, unknown multiparts: children in order; the first inline
//   text/plain (no filename, not "attachment") is the text, later ones are appended to it (Apple
//   Mail splits text around inline images); the first inline text/html is the HTML.
// - message/rfc822: one attachment (the whole inner message), never walked for the body; in a
//   report its Message-ID is the bounced mail's. text/rfc822-headers likewise.
// - Any other leaf is an attachment. Opaque (limit-cut) multiparts are one attachment.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mime/detail/entity.h"
#include "mime/message.h"

namespace postdesk::mime::detail {

struct CollectedBody {
    std::optional<std::string> text;  // UTF-8, LF line ends
    std::optional<std::string> html;  // UTF-8, LF line ends
    std::vector<Attachment> attachments;
    std::optional<std::string> originalMessageId;
};

CollectedBody collectBody(const Entity& root, const Limits& limits, Warnings& warnings);

}  // namespace postdesk::mime::detail
