// postdesk::replies::detail — one template file split into what it declares and its texts.
//
// The file name gives kind, queue and language; a saved reply's header block gives name,
// description and language; a first body line "Subject: …" gives the subject text. Line numbers
// are kept so that errors found later in the subject or body point at the file's own lines.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "replies/templates.h"

namespace postdesk::replies::detail {

struct TemplateSource {
    TemplateKind kind = TemplateKind::Ack;
    std::string queue;
    std::string language;
    std::string name;
    std::string description;
    std::optional<std::string> subject;  // without "Subject:" and surrounding blanks
    int subject_line = 0;
    int subject_column = 0;  // where the subject text starts
    std::string body;        // lines joined with '\n' (CR removed)
    int body_line = 1;       // file line of the body's first line
};

// nullopt when the file is not a template (not *.mustache: silently) or cannot be one (an error).
std::optional<TemplateSource> parseTemplateSource(const TemplateFile& file, std::vector<TemplateError>& errors);

// Line (from `firstLine`) and 1-based code-point column of byte `offset` in `text`.
std::pair<int, int> lineColumn(std::string_view text, std::size_t offset, int firstLine, int firstColumn = 1);

}  // namespace postdesk::replies::detail
