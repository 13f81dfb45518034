#include "gateway/app/context.h"

#include "gateway/util/files.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/SyslogChannel.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace postdesk::app {
namespace {

void setUpLogging(const config::Settings& s) {
    Poco::AutoPtr<Poco::Channel> sink;
    if (s.log_syslog) sink = new Poco::SyslogChannel("postdesk", Poco::SyslogChannel::SYSLOG_PID, Poco::SyslogChannel::SYSLOG_MAIL);
    else if (!s.log_file.empty()) sink = new Poco::FileChannel(s.log_file);
    else sink = new Poco::ConsoleChannel(std::cerr);
    Poco::AutoPtr<Poco::PatternFormatter> fmt = new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%SZ %p %s: %t");
    Poco::AutoPtr<Poco::FormattingChannel> channel = new Poco::FormattingChannel(fmt, sink);
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(s.log_level);
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(s.log_level));
}

}  // namespace

std::vector<replies::TemplateFile> readTemplateFiles(const std::string& dir) {
    std::vector<replies::TemplateFile> files;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
        if (!e.is_regular_file() || e.path().extension() != ".mustache") continue;
        files.push_back({e.path().string(), readWholeFile(e.path()).value_or("")});
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return files;
}

replies::TemplateSet loadReplyTemplates(const std::string& dir, std::vector<replies::TemplateError>& errors) {
    return replies::loadTemplates(readTemplateFiles(dir), errors);
}

std::vector<rules::SieveScript> loadRuleFiles(const std::string& dir, std::vector<rules::SieveError>& errors) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().extension() == ".sieve") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<rules::SieveScript> scripts;
    for (const auto& f : files) {
        std::size_t before = errors.size();
        rules::SieveScript s = rules::parseSieve(readWholeFile(f).value_or(""), f.string(), errors);
        if (errors.size() == before) scripts.push_back(std::move(s));
    }
    return scripts;
}

Context openContext(const Options& options) {
    Context c;
    c.settings = config::load(config::configPath(options.value("config").value_or("")));
    setUpLogging(c.settings);
    c.store = std::make_unique<store::Store>(c.settings.store_path);
    c.store->setHandoff(c.handoff);
    config::resolveTokenKey(c.settings);
    c.templates = std::make_unique<replies::TemplateSet>(loadReplyTemplates(c.settings.replies.dir, c.template_errors));
    c.rules = loadRuleFiles(c.settings.rules_dir, c.rule_errors);
    return c;
}

void requireCleanAdminFiles(const Context& c) {
    std::string what;
    for (const auto& e : c.rule_errors)
        what += "\n  " + e.file + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message;
    for (const auto& e : c.template_errors)
        what += "\n  " + e.path + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message;
    if (!what.empty())
        throw config::ConfigError(c.settings.config_file, "", "rule files or templates have errors (`postdesk rules check`, `postdesk replies lint`):" + what);
}

int runCommand(const Args& args, const std::set<std::string>& flags, const std::set<std::string>& valued,
               const char* usage, const std::function<int(const Options&)>& body) {
    try {
        Options o = parseOptions(args, flags, valued);
        if (o.has("help")) {
            std::cout << usage;
            return kExitOk;
        }
        return body(o);
    } catch (const UsageError& e) {
        std::cerr << "postdesk: " << e.what() << "\n" << usage;
        return kExitUsage;
    } catch (const config::ConfigError& e) {
        std::cerr << "postdesk: configuration error: " << e.what() << "\n";
        return kExitConfig;
    } catch (const store::DbError& e) {
        std::cerr << "postdesk: store error: " << e.what() << "\n";
        return e.temporary() ? kExitTempFail : kExitSoftware;
    }
}

}  // namespace postdesk::app
