#include "replies/first_name.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "replies/detail/utf8.h"

namespace postdesk::replies {

namespace {

using detail::decodeUtf8;
using detail::toLowerUtf8;

// Words that make a display name a role, a department or a company, never a person.
constexpr std::string_view kRoleWords[] = {
    "support", "team", "info", "admin", "administrator", "sales", "service", "services", "noreply",
    "no-reply", "no_reply", "donotreply", "do-not-reply", "reply", "helpdesk", "help", "office",
    "billing", "notification", "notifications", "mailer-daemon", "postmaster", "department",
    "customer", "newsletter", "webmaster", "contact", "accounts", "accounting", "marketing", "robot",
    "bot", "system", "alerts", "ltd", "llc", "gmbh", "inc", "shop", "store", "company", "the",
    "поддержка", "служба", "команда", "отдел", "магазин", "компания", "ооо", "ао", "ип", "робот"};

// Titles and honorifics in front of a name: skipped.
constexpr std::string_view kTitles[] = {
    "dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "madam", "herr", "frau", "mme", "mlle",
    "dipl", "ing", "г-н", "г-жа", "проф", "д-р"};

// Suffixes after a comma ("John Doe, PhD") that do not start a "Last, First" form.
constexpr std::string_view kSuffixes[] = {"phd", "md", "jr", "sr", "ii", "iii", "mba", "esq", "dds"};

constexpr std::string_view kPatronymicEndings[] = {"ович", "евич", "овна", "евна", "ична"};

template <std::size_t N>
bool contains(const std::string_view (&words)[N], std::string_view w) {
    return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n\"'<>");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n\"'<>");
    return s.substr(first, last - first + 1);
}

std::vector<std::string> splitWords(std::string_view s) {
    std::vector<std::string> words;
    std::string current;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '_') {
            if (!current.empty()) words.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) words.push_back(std::move(current));
    return words;
}

// "(Acme Corp)" and "[External]" are comments about the sender, not part of the name.
std::string dropBracketed(std::string_view s) {
    std::string out;
    int depth = 0;
    for (char c : s) {
        if (c == '(' || c == '[') ++depth;
        else if ((c == ')' || c == ']') && depth > 0) --depth;
        else if (depth == 0) out += c;
    }
    return out;
}

std::string withoutDots(std::string_view word) {
    std::string out;
    for (char c : word) {
        if (c != '.') out += c;
    }
    return out;
}

std::size_t letterCount(std::string_view word) {
    std::size_t n = 0;
    for (std::size_t pos = 0; pos < word.size();) {
        if (detail::isLetterCp(decodeUtf8(word, pos))) ++n;
    }
    return n;
}

// "J." or "И.И.": letters separated by dots, one letter each.
bool isInitials(std::string_view word) {
    if (word.find('.') == std::string_view::npos && letterCount(word) > 1) return false;
    std::size_t run = 0;
    for (std::size_t pos = 0; pos < word.size();) {
        const char32_t cp = decodeUtf8(word, pos);
        if (cp == '.') {
            run = 0;
        } else if (!detail::isLetterCp(cp) || ++run > 1) {
            return false;
        }
    }
    return true;
}

// Letters, with inner hyphens and apostrophes ("Anna-Lena", "D'Arcy").
bool isNameWord(std::string_view word) {
    if (letterCount(word) < 2) return false;
    for (std::size_t pos = 0; pos < word.size();) {
        const char32_t cp = decodeUtf8(word, pos);
        if (!detail::isLetterCp(cp) && cp != '-' && cp != '\'' && cp != 0x2019) return false;
    }
    return true;
}

bool hasDigitOrAt(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '@'; });
}

bool isCyrillicWord(std::string_view word) {
    std::size_t pos = 0;
    return !word.empty() && detail::isCyrillicCp(decodeUtf8(word, pos));
}

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool isPatronymic(std::string_view word) {
    const std::string lower = toLowerUtf8(word);
    return std::any_of(std::begin(kPatronymicEndings), std::end(kPatronymicEndings),
                       [&](std::string_view e) { return endsWith(lower, e); });
}

// "Doe, John" → "John"; "John Doe, PhD" → "John Doe".
std::string_view reorderComma(std::string_view name) {
    const auto comma = name.find(',');
    if (comma == std::string_view::npos) return name;
    const std::string_view after = trim(name.substr(comma + 1));
    const auto afterWords = splitWords(after);
    if (afterWords.empty()) return name.substr(0, comma);
    if (contains(kSuffixes, withoutDots(toLowerUtf8(afterWords.front())))) return name.substr(0, comma);
    return after;
}

bool isRoleName(const std::vector<std::string>& words) {
    return std::any_of(words.begin(), words.end(), [](const std::string& w) {
        return contains(kRoleWords, withoutDots(toLowerUtf8(w)));
    });
}

std::vector<std::string> withoutTitles(const std::vector<std::string>& words) {
    std::vector<std::string> kept;
    for (const auto& w : words) {
        if (kept.empty() && contains(kTitles, withoutDots(toLowerUtf8(w)))) continue;
        kept.push_back(w);
    }
    return kept;
}

// Picks the given name among the words left after titles, or "" when the order is unclear.
std::string pickGivenName(const std::vector<std::string>& words) {
    if (words.empty()) return {};
    if (words.size() >= 2 && isPatronymic(words.back())) {
        // Фамилия Имя Отчество, or Имя Отчество
        return words.size() == 3 ? words[1] : words.front();
    }
    const bool onlyInitialsFollow =
        words.size() >= 2 && std::all_of(words.begin() + 1, words.end(), [](const auto& w) { return isInitials(w); });
    // "Иванов И.И." is a Russian surname with initials; "Anna S." is a given name.
    if (onlyInitialsFollow && isCyrillicWord(words.front())) return {};
    // "M. Dupont": the given name is hidden behind the initial.
    if (isInitials(words.front())) return {};
    return words.front();
}

// anna.schmidt@example.org → "anna"; anything less regular than first.last gives "".
std::string nameFromAddress(std::string_view address) {
    const auto at = address.rfind('@');
    const std::string_view local = address.substr(0, at == std::string_view::npos ? 0 : at);
    const auto dot = local.find('.');
    if (dot == std::string_view::npos || local.find('.', dot + 1) != std::string_view::npos) return {};
    const std::string_view first = local.substr(0, dot);
    const std::string_view last = local.substr(dot + 1);
    if (!isNameWord(first) || !isNameWord(last) || hasDigitOrAt(local)) return {};
    if (contains(kRoleWords, toLowerUtf8(first)) || contains(kRoleWords, toLowerUtf8(last))) return {};
    return std::string(first);
}

}  // namespace

std::string firstName(std::string_view displayName, std::string_view address) {
    const std::string cleaned = dropBracketed(displayName);
    const std::string_view name = trim(cleaned);
    if (name.empty()) {
        const std::string fromAddress = nameFromAddress(trim(address));
        return fromAddress.empty() ? std::string{} : detail::capitaliseName(fromAddress);
    }
    if (hasDigitOrAt(name)) return {};
    const auto words = splitWords(reorderComma(name));
    if (isRoleName(words)) return {};
    const std::string given = pickGivenName(withoutTitles(words));
    if (!isNameWord(given)) return {};
    return detail::capitaliseName(given);
}

}  // namespace postdesk::replies
