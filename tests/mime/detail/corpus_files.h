// Test support for tests/mime — reading the shared third-party corpus (never copied into the repo).
//
// Files are read as bytes. A missing corpus gives an empty optional, so a test can GTEST_SKIP.
#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/json_lite.h"

namespace postdesk::test {

inline std::string corpusPath(const std::string& relative) {
    return std::string(POSTDESK_SHARED_DIR) + "/corpus/" + relative;
}

inline std::optional<std::string> readCorpusFile(const std::string& relative) {
    std::ifstream in(corpusPath(relative), std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// One Json per non-empty line; nullopt when the file is absent.
inline std::optional<std::vector<Json>> readJsonLines(const std::string& relative) {
    std::optional<std::string> text = readCorpusFile(relative);
    if (!text) return std::nullopt;
    std::vector<Json> rows;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) rows.push_back(JsonReader::parse(line));
    }
    return rows;
}

}  // namespace postdesk::test
