// postdesk::mime — header text decoding: RFC 2047 encoded-words and raw 8-bit header bytes.
//
// decodeHeaderText() turns an unfolded header value (unstructured text, e.g. Subject) into UTF-8:
// B and Q encoded-words in any charset toUtf8() knows; whitespace between two adjacent
// encoded-words is dropped (RFC 2047 §6.2); a word split in the middle of a multi-byte character
// across two encoded-words of the same charset is joined before conversion; a malformed word is
// left as literal text with a `bad-encoded-word` warning; raw 8-bit bytes outside words are
// sniffed (RFC 6532 UTF-8 first, then uchardet). Never throws; linear in the input.
#pragma once

#include <string>
#include <string_view>

#include "mime/warnings.h"

namespace postdesk::mime {

std::string decodeHeaderText(std::string_view raw, Warnings& warnings);

}  // namespace postdesk::mime
