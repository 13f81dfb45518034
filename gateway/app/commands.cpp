#include "gateway/app/command.h"

namespace postdesk::app {

const std::vector<Command>& commands() {
    static const std::vector<Command> kCommands = {
        {"parse", "parse mail files and print what postdesk reads from them", runParse},
    };
    return kCommands;
}

}  // namespace postdesk::app
