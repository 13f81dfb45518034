// postdesk::replies::detail — the tags of a Mustache text, for checks kainjow does not make.
//
// Only the default "{{ }}" delimiters are understood; a delimiter change shows up as a
// SetDelimiter tag, after which the loader refuses the template anyway. An unclosed tag ends the
// scan (kainjow reports it as a syntax error).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace postdesk::replies::detail {

enum class TagKind { Variable, Unescaped, Section, Inverted, Close, Comment, Partial, SetDelimiter };

struct MustacheTag {
    TagKind kind = TagKind::Variable;
    std::string name;         // trimmed, without the sigil
    std::size_t offset = 0;   // byte offset of "{{" in the text
};

std::vector<MustacheTag> scanTags(std::string_view text);

}  // namespace postdesk::replies::detail
