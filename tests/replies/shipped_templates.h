// Reads etc/replies/ from the source tree for tests (the library itself never reads files).
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "replies/templates.h"

namespace postdesk::replies::testing {

inline std::vector<TemplateFile> shippedTemplates() {
    const std::filesystem::path root = std::filesystem::path(POSTDESK_SOURCE_DIR) / "etc" / "replies";
    std::vector<TemplateFile> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        files.push_back({std::filesystem::relative(entry.path(), POSTDESK_SOURCE_DIR).generic_string(), content.str()});
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return files;
}

}  // namespace postdesk::replies::testing
