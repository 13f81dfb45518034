// postdesk::replies — what an agent's reply mail asks for: commands at the top, then the answer.
//
// Commands go on the first lines of the reply, before any other text (Zendesk's Mail API and RT's
// CommandByMail both do this), one per line or several on one line:
//   #note                internal note: the body is stored, never sent to the customer
//   #close #solve #pending #open              status
//   #assign NAME  #priority low|normal|high|urgent  #tag X  #saved NAME
// Command words are case-insensitive; arguments are kept as written (priority lower-cased).
// The first line that does not start with "#<letter>" ends the commands, so "see ticket #12"
// later in the text is text. On a command line, a word that is neither a command nor an argument
// ends the commands there: "#close Thanks, fixed." closes and sends "Thanks, fixed.".
// Guarantee: never throws; a bad command is left out and explained in `errors`
// ("unknown command #foo", "#priority needs low|normal|high|urgent") for the shell to mail back
// with commandHelp(); the rest of the reply is still parsed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace postdesk::replies {

enum class AgentCommandKind { Note, Close, Solve, Pending, Open, Assign, Priority, Tag, Saved };
const char* toString(AgentCommandKind kind);

struct AgentCommand {
    AgentCommandKind kind = AgentCommandKind::Note;
    std::string argument;  // NAME, P or X; "" for commands without one

    bool operator==(const AgentCommand&) const = default;
};

struct ParsedAgentReply {
    std::vector<AgentCommand> commands;
    std::string body;                 // the rest, trimmed of blank lines and spaces at both ends
    std::vector<std::string> errors;

    bool isNote() const;
};

ParsedAgentReply parseAgentReply(std::string_view replyText);

// The list of valid commands, one per line, in "en" or "ru" (other languages get English).
std::string commandHelp(std::string_view language);

}  // namespace postdesk::replies
