// postdesk::mime — RFC 5322 address lists as real mail writes them.
//
// Handles display names quoted or not, comments (`jane@x.org (Jane Doe)` takes the comment as
// the name when there is no other), groups (`Team: a@x, b@y;` yields the members,
// `undisclosed-recipients:;` yields nothing), RFC 2047 words in names (also inside quotes, an
// Outlook habit), raw UTF-8 or 8-bit names (sniffed), obsolete routes `<@a,@b:x@y>`, missing
// closing `>`, `"x@y" <x@y>`, `Name <<x@y>>`, and a bare local part. Names are trimmed and
// unquoted. A piece that is not an address is dropped with a `bad-address` warning; never throws.
//
// Why not mimetic::AddressList: it keeps the quotes in names, drops comment names, and does not
// decode RFC 2047 (checked against mimetic 0.9.8).
#pragma once

#include <string_view>
#include <vector>

#include "mime/message.h"
#include "mime/warnings.h"

namespace postdesk::mime {

std::vector<Address> parseAddressList(std::string_view raw, Warnings& warnings);

// The first mailbox of a list, or an empty Address.
Address parseMailbox(std::string_view raw, Warnings& warnings);

// Msg-ids of Message-ID / In-Reply-To / References, without angle brackets, in order. Tolerates
// missing brackets, comments and garbage between ids.
std::vector<std::string> parseMessageIds(std::string_view raw);

}  // namespace postdesk::mime
