// postdesk::mime — parse(): raw mail bytes to a Message of clean UTF-8.
//
// Guarantees: never throws on any input (bad mail yields warnings, see warnings.h); linear time
// and bounded memory in the size of the input (Limits, limits.h); every string in the result is
// valid UTF-8; no customer text is silently dropped (undecodable bytes become U+FFFD with an
// `invalid-bytes` warning). A mail over Limits::max_raw_bytes still gets its header fields
// parsed, and Message::error = "too-large" tells intake to quarantine it.
//
// What it does: RFC 5322 header fields (RFC 2047 words, raw 8-bit headers sniffed); the MIME tree
// (RFC 2045-2049: multipart/*, message/rfc822, RFC 2231 parameters); transfer decoding (base64,
// quoted-printable, uuencode); charset conversion; main body selection (text/plain preferred in
// multipart/alternative, text derived from HTML when there is only HTML); attachments with
// filenames (derived when missing), inline flags, Content-IDs and SHA-256; auto-reply/bounce/list
// classification; the reply text without quoted history.
#pragma once

#include <string_view>

#include "mime/limits.h"
#include "mime/message.h"

namespace postdesk::mime {

Message parse(std::string_view raw, const Limits& limits = {});

}  // namespace postdesk::mime
