// postdesk::mime — content digests.
//
// The parser does not hash attachments itself: a SHA-256 costs about as much as all the rest of
// parsing an attachment-heavy mail (measured: 31% of parse time on the bench mix, OpenSSL with
// SHA-NI), and most readers of a Message (rules, threading, replies) never look at one. Whoever
// stores or prints an attachment asks for its digest here, once.
#pragma once

#include <string>
#include <string_view>

namespace postdesk::mime {

// Lower-case hex SHA-256 of `bytes` (64 characters). OpenSSL's EVP digest, which uses the CPU's
// SHA extensions when present. Never throws except std::bad_alloc.
std::string sha256Hex(std::string_view bytes);

}  // namespace postdesk::mime
