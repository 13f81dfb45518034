// postdesk::mime — structured MIME header values: Content-Type and Content-Disposition.
//
// Parses `type/subtype; name=value; ...` per RFC 2045 §5.1 with RFC 2231 extensions (charset and
// language, continuations `name*0*=`, percent-encoding, out-of-order pieces) and the Outlook habit
// of RFC 2047 encoded-words inside quoted values (`name="=?utf-8?B?...?="`). Quoted strings may
// contain `;` and `\"`; comments `( ... )` are skipped. Parameter names are lower-cased; values are
// UTF-8. A broken piece is skipped with a `bad-parameter` warning; never throws.
//
// Why not mimetic::ContentType: it splits a quoted `boundary="a;b"` at the `;` and keeps comments
// in values (checked against mimetic 0.9.8), and knows neither RFC 2231 nor RFC 2047 in values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mime/warnings.h"

namespace postdesk::mime {

struct HeaderParams {
    std::string value;  // the part before the first ';', lower-cased and trimmed ("text/plain", "attachment")
    std::vector<std::pair<std::string, std::string>> params;  // decoded, names lower-case, in order
    std::optional<std::string> get(std::string_view name) const;  // first match
};

HeaderParams parseParams(std::string_view raw, Warnings& warnings);

}  // namespace postdesk::mime
