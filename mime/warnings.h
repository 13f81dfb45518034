// postdesk::mime — the warning codes parse() may report, and a small sink to collect them.
//
// Codes are stable strings (they are stored with each message and shown by `postdesk parse`).
// A sink never grows past kMaxWarnings entries: a hostile mail cannot make the list unbounded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mime/message.h"

namespace postdesk::mime {

namespace warn {
inline constexpr const char* kBadEncodedWord = "bad-encoded-word";        // RFC 2047 word left as text
inline constexpr const char* kSpaceInEncodedWord = "space-in-encoded-word"; // Q word with spaces, decoded anyway
inline constexpr const char* kUnknownCharset = "unknown-charset";         // iconv does not know it; sniffed
inline constexpr const char* kCharsetMismatch = "charset-mismatch";       // declared charset did not fit; sniffed
inline constexpr const char* kUndeclared8bit = "undeclared-8bit";         // 8-bit text without a charset; sniffed
inline constexpr const char* kInvalidBytes = "invalid-bytes";             // bytes replaced by U+FFFD
inline constexpr const char* kBadBase64 = "bad-base64";                   // garbage skipped in base64
inline constexpr const char* kBadQuotedPrintable = "bad-quoted-printable";// malformed =XX kept literally
inline constexpr const char* kBadParam = "bad-parameter";                 // unparseable parameter / RFC 2231 piece
inline constexpr const char* kBadAddress = "bad-address";                 // address list repaired or partly dropped
inline constexpr const char* kBadDate = "bad-date";                       // Date header unparseable
inline constexpr const char* kMissingBoundary = "missing-boundary";       // multipart without boundary parameter
inline constexpr const char* kNoClosingBoundary = "no-closing-boundary";  // multipart not closed; parts recovered
inline constexpr const char* kNoParts = "no-parts";                       // multipart with no part at all
inline constexpr const char* kDepthLimit = "depth-limit";                 // nesting cut at Limits::max_depth
inline constexpr const char* kPartLimit = "part-limit";                   // parts beyond Limits::max_parts not split
inline constexpr const char* kHeaderLineLimit = "header-line-limit";      // a header field was cut
inline constexpr const char* kHeaderBlockLimit = "header-block-limit";    // header fields dropped
inline constexpr const char* kMalformedHeader = "malformed-header";       // a line that is not a field
inline constexpr const char* kTooLarge = "too-large";                     // raw size over Limits::max_raw_bytes
inline constexpr const char* kBareLf = "bare-lf";                         // (informational) LF line endings
}  // namespace warn

class Warnings {
public:
    static constexpr std::size_t kMaxWarnings = 100;
    void add(std::string_view code, std::string_view detail = {});
    const std::vector<Warning>& list() const { return list_; }
    std::vector<Warning> take() { return std::move(list_); }

private:
    std::vector<Warning> list_;
    std::size_t dropped_ = 0;
};

}  // namespace postdesk::mime
