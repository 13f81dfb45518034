// uuencode is not MIME, but old clients (and Zammad's fixtures) still put "begin 644 name"
// blocks into text bodies; peers that ignore them show customers' files as line noise.
#include <cstring>

#include "mime/codecs.h"

namespace postdesk::mime {
namespace {

std::string_view lineAt(std::string_view text, std::size_t pos, std::size_t& next) {
    std::size_t nl = text.find('\n', pos);
    next = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view line = text.substr(pos, (nl == std::string_view::npos ? text.size() : nl) - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

unsigned uuValue(char c) { return static_cast<unsigned>(c - ' ') & 63u; }

// "begin 644 name" with a 3-4 digit octal mode.
bool parseBeginLine(std::string_view line, std::string& name) {
    if (line.substr(0, 6) != "begin ") return false;
    std::size_t i = 6, digits = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '7') ++i, ++digits;
    if (digits < 3 || digits > 4 || i >= line.size() || line[i] != ' ') return false;
    name = std::string(line.substr(i + 1));
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    return !name.empty();
}

void decodeUuLine(std::string_view line, std::string& out) {
    std::size_t want = uuValue(line[0]);
    std::size_t got = 0;
    for (std::size_t i = 1; got < want && i < line.size(); i += 4) {
        unsigned a = uuValue(line[i]);
        unsigned b = i + 1 < line.size() ? uuValue(line[i + 1]) : 0;
        unsigned c = i + 2 < line.size() ? uuValue(line[i + 2]) : 0;
        unsigned d = i + 3 < line.size() ? uuValue(line[i + 3]) : 0;
        unsigned v = a << 18 | b << 12 | c << 6 | d;
        for (int k = 2; k >= 0 && got < want; --k, ++got) out.push_back(static_cast<char>(v >> (8 * k)));
    }
}

}  // namespace

std::vector<UuFile> findUuencoded(std::string_view text) {
    std::vector<UuFile> files;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t next;
        std::string_view line = lineAt(text, pos, next);
        UuFile file;
        if (!parseBeginLine(line, file.name)) {
            pos = next;
            continue;
        }
        file.begin = pos;
        pos = next;
        bool closed = false;
        while (pos < text.size()) {
            line = lineAt(text, pos, next);
            pos = next;
            if (line == "end") {
                closed = true;
                break;
            }
            if (!line.empty() && line != "`") decodeUuLine(line, file.data);
        }
        if (!closed) break;  // not a real block: leave the text alone
        file.end = pos;
        files.push_back(std::move(file));
    }
    return files;
}

std::string decodeUuLines(std::string_view text) {
    std::string out, name;
    for (std::size_t pos = 0, next = 0; pos < text.size(); pos = next) {
        std::string_view line = lineAt(text, pos, next);
        if (line == "end") break;
        if (!line.empty() && line != "`" && !parseBeginLine(line, name)) decodeUuLine(line, out);
    }
    return out;
}

}  // namespace postdesk::mime
