// postdesk::mime::detail — Content-Transfer-Encoding for outgoing bodies (compose.h).
//
// Guarantees: output is 7-bit, uses CRLF and only CRLF as line end, and keeps every line within
// RFC 2045 limits (quoted-printable and base64: 76 characters, §6.7 rule 5 and §6.8; 7bit: 998,
// RFC 5322 §2.1.1). Decoding the output gives back the input bytes exactly, with each "\n" of a
// text body read as a line break (CRLF on the wire).
//
// Why our own quoted-printable and base64 line breaking instead of mimetic's encoders (checked
// against mimetic 0.9.8): both break lines with a bare LF, not CRLF; its QP encoder turns a lone
// CR into a line break (the byte is lost) and, after the first non-ASCII byte of a text, switches
// for the rest of the input to "binary" mode where every space and line break becomes =20/=0A, so
// a UTF-8 reply arrives as one unreadable encoded line. Its base64 alphabet step is sound and is
// used, without its line breaking.
#pragma once

#include <string>
#include <string_view>

namespace postdesk::mime::detail {

enum class TransferEncoding { SevenBit, QuotedPrintable, Base64 };
const char* toString(TransferEncoding encoding);

// 7bit when `text` is printable ASCII (plus TAB) with lines <= 998 bytes and no line starting
// with "From " (mbox writers turn it into ">From ", which QP's =46 avoids); else quoted-printable.
TransferEncoding chooseTextEncoding(std::string_view text);

// `text` with every "\n" as CRLF; only valid for text chooseTextEncoding() calls 7bit.
std::string sevenBitBody(std::string_view text);

// RFC 2045 §6.7: "\n" is a hard line break (CRLF); everything else byte-exact (a lone CR is =0D,
// a space or TAB before a line break or at the end is =20/=09, a line starting "From " has =46).
std::string encodeQuotedPrintable(std::string_view text);

// RFC 2045 §6.8, 76 characters per line, each line ending in CRLF.
std::string encodeBase64Lines(std::string_view data);

// Base64 of `data` with no line breaks (RFC 2047 B words).
std::string encodeBase64Plain(std::string_view data);

}  // namespace postdesk::mime::detail
