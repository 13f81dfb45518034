// postdesk::app — the subcommands of the `postdesk` executable.
//
// Each command gets its own argument list (without the command word) and returns the process
// exit code (sysexits.h: 0 ok, 64 usage, 66 cannot read input, 78 configuration). Commands write
// results to stdout and diagnostics to stderr; they never throw to main().
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace postdesk::app {

using Args = std::vector<std::string>;

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const Args& args);
};

const std::vector<Command>& commands();

int runParse(const Args& args);
int runTickets(const Args& args);
int runShow(const Args& args);
int runAttachment(const Args& args);
int runQuarantine(const Args& args);
int runImport(const Args& args);
int runPoll(const Args& args);
int runServe(const Args& args);
int runSend(const Args& args);
int runOutbox(const Args& args);
int runReplies(const Args& args);
int runRules(const Args& args);
int runReplay(const Args& args);
int runChats(const Args& args);

// Exit codes (sysexits.h).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 64;
inline constexpr int kExitNoInput = 66;
inline constexpr int kExitSoftware = 70;
inline constexpr int kExitCantCreate = 73;
inline constexpr int kExitTempFail = 75;
inline constexpr int kExitConfig = 78;

}  // namespace postdesk::app
