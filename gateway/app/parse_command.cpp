// `postdesk parse [--json] FILE...`: what postdesk reads from each mail file.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "gateway/app/command.h"
#include "gateway/app/message_json.h"
#include "gateway/util/files.h"
#include "mime/parse.h"

namespace postdesk::app {
namespace {

constexpr const char* kUsage =
    "usage: postdesk parse [--json] [--config FILE] FILE...\n"
    "  Parses each mail file (RFC 5322 / MIME) and prints a short summary, or with --json one\n"
    "  JSON object per file per line. Exit 0 when every file was read, 66 when one could not be.\n";


void printSummary(const mime::Message& m, const std::string& file) {
    std::cout << file << "\n"
              << "  from:        " << m.from.name << (m.from.name.empty() ? "" : " ") << "<" << m.from.address << ">\n"
              << "  subject:     " << m.subject << "\n"
              << "  date:        " << m.date.value_or("-") << "\n"
              << "  message-id:  " << m.message_id.value_or("-") << "\n"
              << "  auto:        " << mime::toString(m.auto_kind)
              << (m.auto_reason.empty() ? "" : " (" + m.auto_reason + ")") << "\n"
              << "  text:        " << m.text.size() << " bytes" << (m.html ? ", html too" : "") << "\n";
    for (const auto& a : m.attachments)
        std::cout << "  attachment:  " << a.filename << " (" << a.content_type << ", " << a.size << " bytes"
                  << (a.inline_ ? ", inline" : "") << ")\n";
    for (const auto& w : m.warnings) std::cout << "  warning:     " << w.code << ": " << w.detail << "\n";
    if (m.error) std::cout << "  error:       " << *m.error << "\n";
    std::cout << "  reply text:\n";
    std::istringstream lines(m.reply_text);
    for (std::string line; std::getline(lines, line);) std::cout << "    | " << line << "\n";
}

}  // namespace

int runParse(const Args& args) {
    bool json = false;
    std::vector<std::string> files;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--json") json = true;
        else if (args[i] == "--help" || args[i] == "-h") { std::cout << kUsage; return kExitOk; }
        else if (args[i] == "--config") ++i;  // parsing needs no configuration
        else if (args[i].starts_with("--config=")) continue;
        else if (args[i].starts_with("-") && args[i] != "-") { std::cerr << kUsage; return kExitUsage; }
        else files.push_back(args[i]);
    }
    if (files.empty()) { std::cerr << kUsage; return kExitUsage; }
    int rc = kExitOk;
    for (const auto& file : files) {
        std::optional<std::string> raw = readWholeFile(file == "-" ? "/dev/stdin" : file);
        if (!raw) {
            std::cerr << "postdesk parse: cannot read " << file << "\n";
            rc = kExitNoInput;
            continue;
        }
        mime::Message m = mime::parse(*raw);
        if (json) std::cout << toJsonLine(messageToJson(m, file)) << "\n";
        else printSummary(m, file);
    }
    return rc;
}

}  // namespace postdesk::app
