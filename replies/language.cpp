#include "replies/language.h"

#include <algorithm>

#include "replies/detail/utf8.h"

namespace postdesk::replies {

namespace {

// A long mail says nothing more about its language than its beginning does.
constexpr std::size_t kMaxScan = 64 * 1024;

struct LetterCount {
    std::size_t letters = 0;
    std::size_t cyrillic = 0;
};

void countLetters(std::string_view s, LetterCount& count) {
    s = s.substr(0, std::min(s.size(), kMaxScan));
    for (std::size_t pos = 0; pos < s.size();) {
        const char32_t cp = detail::decodeUtf8(s, pos);
        if (!detail::isLetterCp(cp)) continue;
        ++count.letters;
        if (detail::isCyrillicCp(cp)) ++count.cyrillic;
    }
}

}  // namespace

std::string detectLanguage(std::string_view text, std::string_view subject) {
    LetterCount count;
    countLetters(subject, count);
    countLetters(text, count);
    // cyrillic / letters > 0.3, in integers
    return count.cyrillic * 10 > count.letters * 3 ? "ru" : "en";
}

}  // namespace postdesk::replies
