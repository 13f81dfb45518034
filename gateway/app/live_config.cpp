#include "gateway/app/live_config.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>

namespace postdesk::app {
namespace {

namespace fs = std::filesystem;

template <class Iterator>
void addEntries(Iterator it, const std::string& extension, std::vector<std::string>& lines) {
    std::error_code ec;
    for (; it != Iterator(); it.increment(ec)) {
        if (ec) break;
        const fs::directory_entry& e = *it;
        if (!e.is_regular_file(ec) || e.path().extension() != extension) continue;
        auto size = e.file_size(ec);
        auto mtime = e.last_write_time(ec).time_since_epoch().count();
        lines.push_back(e.path().string() + "\t" + std::to_string(size) + "\t" + std::to_string(mtime));
    }
}

}  // namespace

std::string directoryFingerprint(const std::string& dir, const std::string& extension, bool recursive) {
    std::vector<std::string> lines;
    std::error_code ec;
    if (recursive) addEntries(fs::recursive_directory_iterator(dir, ec), extension, lines);
    else addEntries(fs::directory_iterator(dir, ec), extension, lines);
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

LiveConfig::LiveConfig(const Context& c)
    : rulesDir_(c.settings.rules_dir),
      repliesDir_(c.settings.replies.dir),
      rulesPrint_(directoryFingerprint(rulesDir_, ".sieve", false)),
      repliesPrint_(directoryFingerprint(repliesDir_, ".mustache", true)),
      rules_(std::make_shared<const std::vector<rules::SieveScript>>(c.rules)),
      templates_(c.templates ? std::make_shared<const replies::TemplateSet>(*c.templates) : nullptr) {}

ReloadOutcome LiveConfig::check() {
    ReloadOutcome out;
    std::string rulesPrint = directoryFingerprint(rulesDir_, ".sieve", false);
    if (rulesPrint != rulesPrint_) {
        rulesPrint_ = rulesPrint;
        std::vector<rules::SieveError> errors;
        auto scripts = loadRuleFiles(rulesDir_, errors);
        auto& log = Poco::Logger::get("rules");
        for (const auto& e : errors) log.error("%s:%d:%d: %s", e.file, e.line, e.column, e.message);
        if (errors.empty()) {
            rules_ = std::make_shared<const std::vector<rules::SieveScript>>(std::move(scripts));
            out.rules_swapped = true;
            log.notice("%s: reloaded %z rule file(s)", rulesDir_, rules_->size());
        } else {
            out.errors += static_cast<int>(errors.size());
            log.error("%s: %z error(s); the last good set (%z file(s)) stays in use", rulesDir_, errors.size(), rules_->size());
        }
    }
    std::string repliesPrint = directoryFingerprint(repliesDir_, ".mustache", true);
    if (repliesPrint != repliesPrint_) {
        repliesPrint_ = repliesPrint;
        std::vector<replies::TemplateError> errors;
        auto set = loadReplyTemplates(repliesDir_, errors);
        auto& log = Poco::Logger::get("replies");
        for (const auto& e : errors) log.error("%s:%d:%d: %s", e.path, e.line, e.column, e.message);
        if (errors.empty()) {
            templates_ = std::make_shared<const replies::TemplateSet>(std::move(set));
            out.templates_swapped = true;
            log.notice("%s: reloaded the reply templates", repliesDir_);
        } else {
            out.errors += static_cast<int>(errors.size());
            log.error("%s: %z error(s); the last good templates stay in use", repliesDir_, errors.size());
        }
    }
    return out;
}

}  // namespace postdesk::app
