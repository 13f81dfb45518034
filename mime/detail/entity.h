// postdesk::mime::detail — the MIME entity tree, split with bounded depth and part count.
//
// Why our own walker and not mimetic's MimeEntity: mimetic recurses without a depth limit (a few
// thousand nested multiparts overflow the stack) and, when an inner multipart lacks its closing
// boundary, its child swallows the outer boundary lines, losing every following part (measured
// with mimetic 0.9.8; GMime and CPython recover them). Here each multipart is split by its own
// boundary first, so an unclosed inner part ends where its parent's next part begins.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mime/detail/header_block.h"
#include "mime/params.h"

namespace postdesk::mime::detail {

struct Entity {
    std::vector<Field> fields;
    std::vector<char> unfolded;  // what folded `fields` point into (HeaderBlock::unfolded)
    HeaderParams type;         // value is "type/subtype", lower case; defaulted when absent
    HeaderParams disposition;  // value is "inline"/"attachment"/""
    std::string encoding;      // Content-Transfer-Encoding, lower case ("" = 7bit)
    std::string_view body;     // raw (still transfer-encoded) body; for a multipart, its whole body
    std::vector<Entity> children;  // multipart parts, or the one message/rfc822 child
    std::unique_ptr<std::string> decodedBody;  // owns the bytes of a transfer-encoded message/rfc822
                                               // child; a pointer so views stay valid on moves
    bool opaque = false;       // not split further (depth or part limit)

    bool isMultipart() const { return type.value.starts_with("multipart/"); }
    bool isMessage() const { return type.value == "message/rfc822" || type.value == "message/global"; }
};

// Parses `bytes` as one entity and everything under it.
Entity parseEntityTree(std::string_view bytes, const Limits& limits, Warnings& warnings);

// Transfer-decodes an entity body (base64, quoted-printable, uuencode; others pass through).
std::string decodeBody(const Entity& entity, Warnings& warnings);

}  // namespace postdesk::mime::detail
