// postdesk::replies — which language do we answer in?
//
// detectLanguage looks only at letters: when Cyrillic letters are more than 30% of the letters in
// the subject and text, the answer is "ru", otherwise "en" (also for empty or letter-free input).
// The threshold is low on purpose: a Russian mail quoting an English signature or product names
// is still Russian. Only the first 64 KiB of the text are looked at; it never fails.
#pragma once

#include <string>
#include <string_view>

namespace postdesk::replies {

std::string detectLanguage(std::string_view text, std::string_view subject);

}  // namespace postdesk::replies
