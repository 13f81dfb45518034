#include "replies/subject.h"

#include <cctype>

#include "replies/detail/phrases.h"
#include "replies/detail/utf8.h"

namespace postdesk::replies {

namespace {

// Lower-case prefixes as clients write them before the colon (optionally with "[2]" or "(2)").
constexpr std::string_view kReplyPrefixes[] = {"re", "aw", "sv", "antw", "odp", "vs", "отв", "ответ"};

std::string_view trimSpace(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Length of a reply prefix at the start of `s` ("Re:", "RE[3]:", "Ответ:"), or 0.
std::size_t replyPrefixLength(std::string_view s) {
    const auto colon = s.find(':');
    if (colon == std::string_view::npos || colon > 16) return 0;
    std::string word = detail::toLowerUtf8(s.substr(0, colon));
    const auto counter = word.find_first_of("[(");
    if (counter != std::string::npos) {
        const char close = word[counter] == '[' ? ']' : ')';
        if (word.back() != close) return 0;
        for (std::size_t i = counter + 1; i + 1 < word.size(); ++i) {
            if (!std::isdigit(static_cast<unsigned char>(word[i]))) return 0;
        }
        word.resize(counter);
    }
    for (std::string_view p : kReplyPrefixes) {
        if (word == p) return colon + 1;
    }
    return 0;
}

// Length of a "[#123]" tag at the start of `s`, or 0.
std::size_t ticketTagLength(std::string_view s) {
    if (s.size() < 4 || s[0] != '[' || s[1] != '#') return 0;
    std::size_t i = 2;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i > 2 && i < s.size() && s[i] == ']' ? i + 1 : 0;
}

// "Printer [#42]": a tag elsewhere in the subject is dropped too, so only ours remains.
std::string dropTicketTags(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = ticketTagLength(s.substr(i));
        if (n > 0) {
            i += n;
        } else {
            out += s[i++];
        }
    }
    return out;
}

std::string collapseSpaces(std::string_view s) {
    std::string out;
    for (char c : s) {
        const bool space = std::isspace(static_cast<unsigned char>(c));
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

std::string cleanSubject(std::string_view subject) {
    std::string_view rest = trimSpace(subject);
    for (;;) {
        std::size_t n = replyPrefixLength(rest);
        if (n == 0) n = ticketTagLength(rest);
        if (n == 0) break;
        rest = trimSpace(rest.substr(n));
    }
    return collapseSpaces(dropTicketTags(rest));
}

std::string ticketSubject(std::uint64_t ticketNumber, std::string_view subject, std::string_view language) {
    std::string clean = cleanSubject(subject);
    if (clean.empty()) clean = detail::phrasesFor(language).your_request;
    if (ticketNumber == 0) return clean;
    return "[#" + std::to_string(ticketNumber) + "] " + clean;
}

}  // namespace postdesk::replies
