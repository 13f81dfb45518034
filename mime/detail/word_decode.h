// postdesk::mime::detail — the two RFC 2047 §4 encodings of an encoded-word's text.
//
// Deliberately separate from the body codecs: "_" means space only in Q words (§4.2), and a word
// with a broken B payload must be reported so that it can be kept as literal text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace postdesk::mime::detail {

// B: base64 (§4.1). Missing padding is tolerated; any other stray character makes it nullopt.
std::optional<std::string> decodeWordB(std::string_view text);

// Q: "=XX" hex and "_" for space (§4.2). A "=" not followed by two hex digits is kept as is.
std::string decodeWordQ(std::string_view text);

}  // namespace postdesk::mime::detail
