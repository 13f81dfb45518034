// postdesk::mime — the limits parse() enforces at the door (after Dovecot's message_parser_settings).
//
// Crossing a soft limit (header line, header block, part count, depth) gives a warning and a
// bounded result; crossing `max_raw_bytes` sets Message::error, which intake turns into a
// quarantine. No limit is ever enforced by crashing or by time: every bound is on bytes or counts,
// so the parser is linear in its input.
#pragma once

#include <cstddef>

namespace postdesk::mime {

struct Limits {
    std::size_t max_raw_bytes = 25u << 20;        // 25 MiB: larger mails are refused (error "too-large")
    std::size_t max_depth = 100;                  // MIME nesting; deeper entities are kept as opaque bytes
    std::size_t max_parts = 1000;                 // entities in the tree; the rest is not split further
    std::size_t max_header_line_bytes = 1u << 20; // 1 MiB per (unfolded) header field; longer is cut
    std::size_t max_header_block_bytes = 4u << 20;// 4 MiB of header fields per entity; the rest is dropped
    std::size_t max_header_fields = 10000;        // header fields per entity
};

}  // namespace postdesk::mime
