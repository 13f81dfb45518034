// postdesk::mime — Content-Transfer-Encoding decoders: base64, quoted-printable, uuencode.
//
// Block decoders that append to a std::string sized once up front. Why not mimetic's codecs:
// they write one byte at a time through a back_insert_iterator and were 81% of parse time on
// the support-mailbox corpus (shared/research/perf-anchors.md); these run at memory speed.
//
// All are tolerant: base64 skips every byte outside the alphabet (line breaks, spaces, garbage)
// and stops at the first '=' pad group; a truncated final quantum yields its whole bytes.
// Quoted-printable keeps a malformed "=XY" literally, drops soft line breaks ("=" before the line
// end, also with trailing blanks), keeps hard CRLF as CRLF and bare LF as LF. Each returns the
// number of problems it tolerated so the caller can warn once. Never throws. Base64 and runs of
// quoted-printable escapes use AVX2 (or AVX-512 VBMI) where the CPU has them (cpu_features.h);
// the result is the same at every vector level.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace postdesk::mime {

// Appends the decoded bytes of `in` to `out`; returns the count of skipped non-alphabet bytes
// other than CR, LF, space and tab.
std::size_t decodeBase64(std::string_view in, std::string& out);

// Appends the decoded bytes of `in` to `out`; returns the count of malformed escapes.
std::size_t decodeQuotedPrintable(std::string_view in, std::string& out);

// Quoted-printable as used in RFC 2047 Q words: '_' is a space; no line structure.
std::size_t decodeQEncoding(std::string_view in, std::string& out);

// One uuencoded file found in a text body ("begin MODE NAME" ... "end").
struct UuFile {
    std::string name;
    std::string data;
    std::size_t begin = 0;  // offset of the "begin" line in the text
    std::size_t end = 0;    // offset just past the "end" line
};

// Finds "begin NNN name" blocks at line starts and decodes them; returns them in order.
std::vector<UuFile> findUuencoded(std::string_view text);

// The body of a Content-Transfer-Encoding: x-uuencode part: every line decoded, with or without
// the "begin"/"end" frame (Eudora and Apple Mail sent it bare), stopping at "end".
std::string decodeUuLines(std::string_view text);

}  // namespace postdesk::mime
