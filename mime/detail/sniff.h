// postdesk::mime::detail — guessing the charset of 8-bit text that was not (correctly) declared.
//
// A guess, not a proof: callers convert with the answer strictly and fall back when it fails.
#pragma once

#include <string>
#include <string_view>

namespace postdesk::mime::detail {

// The ISO-2022 variant announced by escape sequences in `bytes`, or "" when there are none.
std::string sniffIso2022(std::string_view bytes);

// iconv name of the most likely charset of `bytes` (which contain 8-bit bytes and are not valid
// UTF-8). Never "" and never UTF-8: the last resort is CP1252, which decodes almost anything.
std::string sniffCharset(std::string_view bytes);

}  // namespace postdesk::mime::detail
