#include "replies/detail/mustache_tags.h"

#include <cctype>

namespace postdesk::replies::detail {

namespace {

std::string trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

TagKind kindOf(char sigil) {
    switch (sigil) {
        case '#': return TagKind::Section;
        case '^': return TagKind::Inverted;
        case '/': return TagKind::Close;
        case '!': return TagKind::Comment;
        case '>': return TagKind::Partial;
        case '&': return TagKind::Unescaped;
        case '=': return TagKind::SetDelimiter;
        default: return TagKind::Variable;
    }
}

}  // namespace

std::vector<MustacheTag> scanTags(std::string_view text) {
    std::vector<MustacheTag> tags;
    for (std::size_t open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", open)) {
        const bool triple = text.substr(open, 3) == "{{{";
        const std::string_view closer = triple ? "}}}" : "}}";
        const std::size_t start = open + (triple ? 3 : 2);
        const std::size_t close = text.find(closer, start);
        if (close == std::string_view::npos) break;
        std::string_view content = text.substr(start, close - start);
        MustacheTag tag{TagKind::Unescaped, "", open};
        if (!triple) {
            const std::string body = trimmed(content);
            tag.kind = body.empty() ? TagKind::Variable : kindOf(body.front());
        }
        if (tag.kind != TagKind::Variable && tag.kind != TagKind::Unescaped) {
            const auto sigil = content.find_first_not_of(" \t");
            content.remove_prefix(sigil + 1);
        }
        tag.name = trimmed(content);
        tags.push_back(std::move(tag));
        open = close + closer.size();
    }
    return tags;
}

}  // namespace postdesk::replies::detail
