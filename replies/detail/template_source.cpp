#include "replies/detail/template_source.h"

#include <algorithm>
#include <cctype>

#include "replies/detail/utf8.h"

namespace postdesk::replies::detail {

namespace {

constexpr std::string_view kExtension = ".mustache";
constexpr std::string_view kNameHelp =
    "expected ack.<lang>.mustache, ack.<queue>.<lang>.mustache, notify.<lang>.mustache or "
    "saved/<name>.mustache";

std::vector<std::string> splitLines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.emplace_back(line);
        start = end + 1;
    }
    return lines;
}

std::vector<std::string> splitOn(std::string_view s, char sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (auto at = s.find(sep); at != std::string_view::npos; at = s.find(sep, start)) {
        parts.emplace_back(s.substr(start, at - start));
        start = at + 1;
    }
    parts.emplace_back(s.substr(start));
    return parts;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Queue ids and languages are written into file names: lower-case letters, digits, '-' and '_'.
bool isIdentifier(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '-' &&
            c != '_') {
            return false;
        }
    }
    return true;
}

bool isLanguage(std::string_view s) {
    if (s.size() < 2 || s.size() > 3) return false;
    for (char c : s) {
        if (!std::islower(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

TemplateError errorAt(const TemplateFile& file, int line, std::string message) {
    return {file.path, line, line > 0 ? 1 : 0, std::move(message)};
}

// Fills kind, queue and language from "…/ack.billing.en.mustache" or "…/saved/x.mustache".
bool classifyPath(const TemplateFile& file, TemplateSource& source, std::vector<TemplateError>& errors) {
    const auto parts = splitOn(file.path, '/');
    const std::string& base = parts.back();
    const std::string stem = base.substr(0, base.size() - kExtension.size());
    if (parts.size() >= 2 && parts[parts.size() - 2] == "saved") {
        source.kind = TemplateKind::Saved;
        source.name = splitOn(stem, '.').front();  // the header's name: wins; this is the default
        return true;
    }
    const auto words = splitOn(stem, '.');
    const bool known = (words[0] == "ack" && (words.size() == 2 || words.size() == 3)) ||
                       (words[0] == "notify" && words.size() == 2);
    const bool valid = known && isLanguage(words.back()) && (words.size() == 2 || isIdentifier(words[1]));
    if (!valid) {
        errors.push_back(errorAt(file, 0, "unrecognised template file name \"" + base + "\": " + std::string(kNameHelp)));
        return false;
    }
    source.kind = words[0] == "ack" ? TemplateKind::Ack : TemplateKind::Notify;
    source.queue = words.size() == 3 ? words[1] : "";
    source.language = words.back();
    return true;
}

// Reads "key: value" lines up to the first blank line; returns the index of the line after it.
std::optional<std::size_t> readSavedHeader(const TemplateFile& file, const std::vector<std::string>& lines,
                                           TemplateSource& source, std::vector<TemplateError>& errors) {
    std::size_t i = 0;
    for (; i < lines.size() && !trim(lines[i]).empty(); ++i) {
        const auto colon = lines[i].find(':');
        const std::string key = colon == std::string::npos ? "" : toLowerUtf8(trim(lines[i].substr(0, colon)));
        const std::string value(colon == std::string::npos ? "" : trim(lines[i].substr(colon + 1)));
        const int line = static_cast<int>(i) + 1;
        if (key == "name") {
            source.name = toLowerUtf8(value);
        } else if (key == "description") {
            source.description = value;
        } else if (key == "language") {
            source.language = value;
        } else if (i == 0) {
            errors.push_back(errorAt(file, line, "a saved reply starts with name:, description: and language: lines, "
                                                 "then a blank line, then the text"));
            return std::nullopt;
        } else {
            errors.push_back(errorAt(file, line, "unknown header \"" + key + "\" (expected name, description, language)"));
        }
    }
    if (i == lines.size()) {
        errors.push_back(errorAt(file, static_cast<int>(i), "no blank line after the header block: the reply has no text"));
        return std::nullopt;
    }
    if (source.language.empty()) source.language = "en";
    if (!isLanguage(source.language) || source.name.empty()) {
        errors.push_back(errorAt(file, 1, "a saved reply needs a name and a two- or three-letter language code"));
        return std::nullopt;
    }
    return i + 1;
}

bool startsWithSubject(std::string_view line) {
    return line.size() >= 8 && toLowerUtf8(line.substr(0, 8)) == "subject:";
}

void splitSubjectAndBody(const std::vector<std::string>& lines, std::size_t first, TemplateSource& source) {
    if (first < lines.size() && startsWithSubject(lines[first])) {
        const std::string_view rest = std::string_view(lines[first]).substr(8);
        source.subject = std::string(trim(rest));
        source.subject_line = static_cast<int>(first) + 1;
        const auto lead = rest.find_first_not_of(" \t");
        source.subject_column = 9 + static_cast<int>(lead == std::string_view::npos ? 0 : lead);
        ++first;
    }
    source.body_line = static_cast<int>(first) + 1;
    for (std::size_t i = first; i < lines.size(); ++i) {
        source.body += lines[i];
        if (i + 1 < lines.size()) source.body += '\n';
    }
}

}  // namespace

std::optional<TemplateSource> parseTemplateSource(const TemplateFile& file, std::vector<TemplateError>& errors) {
    const std::string_view path = file.path;
    if (path.size() < kExtension.size() || path.substr(path.size() - kExtension.size()) != kExtension) {
        return std::nullopt;
    }
    TemplateSource source;
    if (!classifyPath(file, source, errors)) return std::nullopt;
    const auto lines = splitLines(file.content);
    std::size_t first = 0;
    if (source.kind == TemplateKind::Saved) {
        const auto afterHeader = readSavedHeader(file, lines, source, errors);
        if (!afterHeader) return std::nullopt;
        first = *afterHeader;
    }
    splitSubjectAndBody(lines, first, source);
    return source;
}

std::pair<int, int> lineColumn(std::string_view text, std::size_t offset, int firstLine, int firstColumn) {
    offset = std::min(offset, text.size());
    const std::string_view before = text.substr(0, offset);
    int line = firstLine;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (before[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    const int column = static_cast<int>(countCodePoints(before.substr(lineStart))) + 1;
    return {line, line == firstLine ? column + firstColumn - 1 : column};
}

}  // namespace postdesk::replies::detail
