// postdesk::app — what most subcommands need: the validated configuration, logging set up as
// configured, and the opened store. Construction throws config::ConfigError (exit 78) or
// store::DbError; runCommand() maps those to exit codes and messages in one place.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "gateway/app/command.h"
#include "gateway/app/options.h"
#include "gateway/config/config.h"
#include "gateway/store/store.h"
#include "replies/templates.h"
#include "rules/sieve_parser.h"

namespace postdesk::app {

struct Context {
    config::Settings settings;
    std::unique_ptr<store::Store> store;
    // Raw mails from intake to ingest in memory (store/raw_handoff.h): every Store a thread of this
    // process opens gets it. 4 MiB: the most the ingest benchmark kept within its memory budget
    // (64 MiB + the largest mail; 16 MiB put it at 94 MiB). Intake waits up to 1 s per batch for
    // ingest to make room.
    std::shared_ptr<store::RawHandoff> handoff = std::make_shared<store::RawHandoff>(std::size_t{4} << 20, std::chrono::seconds(1));
    std::unique_ptr<replies::TemplateSet> templates;  // from settings.replies.dir
    std::vector<rules::SieveScript> rules;             // from settings.rules_dir, file-name order
    std::vector<rules::SieveError> rule_errors;        // files with errors are not in `rules`
    std::vector<replies::TemplateError> template_errors;
};

// For the commands that file mail (`serve`, `poll`): a broken rule file or template is a
// configuration error at start-up (exit 78), not a silently smaller rule set. Throws
// config::ConfigError naming every error as file:line:column.
void requireCleanAdminFiles(const Context& context);

// Parses every *.sieve in `dir` in file-name order; a file with errors is left out and its errors
// (file:line:column) appended to `errors`. A missing directory gives no rules.
std::vector<rules::SieveScript> loadRuleFiles(const std::string& dir, std::vector<rules::SieveError>& errors);

// Reads every *.mustache under `dir` (saved/ included) and compiles them; errors (file:line) are
// appended to `errors`, the broken templates skipped. A missing directory gives an empty set.
replies::TemplateSet loadReplyTemplates(const std::string& dir, std::vector<replies::TemplateError>& errors);
std::vector<replies::TemplateFile> readTemplateFiles(const std::string& dir);

// Loads --config (or $POSTDESK_CONFIG, or etc/postdesk.ini), sets up logging, opens the store.
Context openContext(const Options& options);

// Runs `body` with parsed options; prints `usage` for --help; maps UsageError -> 64,
// ConfigError -> 78, DbError -> 75 (temporary) or 70.
int runCommand(const Args& args, const std::set<std::string>& flags, const std::set<std::string>& valued,
               const char* usage, const std::function<int(const Options&)>& body);

}  // namespace postdesk::app
