// postdesk — an email-first ticketing gateway. `postdesk --help` lists the subcommands.
#include <cstring>
#include <exception>
#include <iostream>

#include "gateway/app/command.h"

namespace {

void printHelp(std::ostream& out) {
    out << "usage: postdesk COMMAND [options]   (every command takes --config FILE; listings take --json)\n\n"
           "commands:\n";
    for (const auto& c : postdesk::app::commands())
        out << "  " << c.name << std::string(12 - std::min<std::size_t>(11, std::strlen(c.name)), ' ') << c.summary << "\n";
    out << "\n`postdesk COMMAND --help` shows a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        printHelp(std::cout);
        return argc < 2 ? postdesk::app::kExitUsage : 0;
    }
    postdesk::app::Args args(argv + 2, argv + argc);
    for (const auto& c : postdesk::app::commands()) {
        if (c.name != std::string(argv[1])) continue;
        try {
            return c.run(args);
        } catch (const std::exception& e) {  // the one catch-all: a bug, not bad input
            std::cerr << "postdesk " << c.name << ": internal error: " << e.what() << "\n";
            return postdesk::app::kExitSoftware;
        }
    }
    std::cerr << "postdesk: unknown command '" << argv[1] << "'\n";
    printHelp(std::cerr);
    return postdesk::app::kExitUsage;
}
