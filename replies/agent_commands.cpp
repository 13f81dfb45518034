#include "replies/agent_commands.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "replies/detail/utf8.h"

namespace postdesk::replies {

namespace {

struct CommandSpec {
    std::string_view word;
    AgentCommandKind kind;
    std::string_view argument;  // what the argument is called, "" when there is none
};

constexpr CommandSpec kCommands[] = {
    {"note", AgentCommandKind::Note, ""},           {"close", AgentCommandKind::Close, ""},
    {"solve", AgentCommandKind::Solve, ""},         {"pending", AgentCommandKind::Pending, ""},
    {"open", AgentCommandKind::Open, ""},           {"assign", AgentCommandKind::Assign, "NAME"},
    {"priority", AgentCommandKind::Priority, "low|normal|high|urgent"},
    {"tag", AgentCommandKind::Tag, "X"},            {"saved", AgentCommandKind::Saved, "NAME"},
};

constexpr std::string_view kPriorities[] = {"low", "normal", "high", "urgent"};

const CommandSpec* findCommand(std::string_view word) {
    for (const auto& spec : kCommands) {
        if (spec.word == word) return &spec;
    }
    return nullptr;
}

// "#close", "#Tag": a '#' and a letter. "#12" and "# heading" are text.
bool looksLikeCommand(std::string_view token) {
    return token.size() >= 2 && token[0] == '#' && std::isalpha(static_cast<unsigned char>(token[1]));
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Splits off the next whitespace-separated token of `rest`; returns "" at the end.
std::string_view nextToken(std::string_view& rest) {
    rest = trim(rest);
    const auto end = std::min(rest.find_first_of(" \t"), rest.size());
    const std::string_view token = rest.substr(0, end);
    rest.remove_prefix(end);
    return token;
}

bool validArgument(const CommandSpec& spec, std::string_view arg) {
    if (spec.kind != AgentCommandKind::Priority) return !arg.empty() && !looksLikeCommand(arg);
    return std::find(std::begin(kPriorities), std::end(kPriorities), arg) != std::end(kPriorities);
}

// Parses the commands on one line into `out`. Returns the text left on the line when a word that
// is not a command ends the commands, or nullopt when the whole line was commands.
std::optional<std::string_view> parseCommandLine(std::string_view line, ParsedAgentReply& out) {
    std::string_view rest = line;
    for (;;) {
        std::string_view before = trim(rest);
        const std::string_view token = nextToken(rest);
        if (token.empty()) return std::nullopt;
        if (!looksLikeCommand(token)) return before;
        const std::string word = detail::toLowerUtf8(token.substr(1));
        const CommandSpec* spec = findCommand(word);
        if (spec == nullptr) {
            out.errors.push_back("unknown command #" + word);
            continue;
        }
        if (spec->argument.empty()) {
            out.commands.push_back({spec->kind, ""});
            continue;
        }
        std::string_view peek = rest;
        std::string arg(nextToken(peek));
        if (spec->kind == AgentCommandKind::Priority) arg = detail::toLowerUtf8(arg);
        if (!validArgument(*spec, arg)) {
            out.errors.push_back("#" + word + " needs " + std::string(spec->argument));
            if (!arg.empty() && !looksLikeCommand(arg)) rest = peek;  // "#priority hgih": drop the typo too
            continue;
        }
        rest = peek;
        out.commands.push_back({spec->kind, arg});
    }
}

std::string trimBlankLines(std::string_view s) { return std::string(trim(s)); }

}  // namespace

const char* toString(AgentCommandKind kind) {
    for (const auto& spec : kCommands) {
        if (spec.kind == kind) return spec.word.data();
    }
    return "?";
}

bool ParsedAgentReply::isNote() const {
    return std::any_of(commands.begin(), commands.end(),
                       [](const AgentCommand& c) { return c.kind == AgentCommandKind::Note; });
}

ParsedAgentReply parseAgentReply(std::string_view replyText) {
    ParsedAgentReply out;
    std::size_t pos = 0;
    while (pos < replyText.size()) {
        auto end = replyText.find('\n', pos);
        if (end == std::string_view::npos) end = replyText.size();
        const std::string_view line = trim(replyText.substr(pos, end - pos));
        if (!line.empty() && !looksLikeCommand(line)) break;
        if (!line.empty()) {
            if (auto left = parseCommandLine(line, out)) {
                // The text after the commands starts the body, followed by the lines below it.
                const std::string_view below = end < replyText.size() ? replyText.substr(end) : std::string_view{};
                out.body = trimBlankLines(std::string(*left) + std::string(below));
                return out;
            }
        }
        pos = end + 1;
    }
    out.body = trimBlankLines(pos < replyText.size() ? replyText.substr(pos) : std::string_view{});
    return out;
}

std::string commandHelp(std::string_view language) {
    if (language == "ru") {
        return "Команды (в начале ответа, по одной в строке или через пробел):\n"
               "#note — внутренняя заметка, клиенту не отправляется\n"
               "#close, #solve — закрыть; #pending — ждём клиента; #open — открыть\n"
               "#assign ИМЯ — назначить агента\n"
               "#priority low|normal|high|urgent — приоритет\n"
               "#tag МЕТКА — добавить метку\n"
               "#saved ИМЯ — вставить сохранённый ответ\n";
    }
    return "Commands (at the top of your reply, one per line or separated by spaces):\n"
           "#note - internal note, never sent to the customer\n"
           "#close, #solve - close; #pending - waiting for the customer; #open - reopen\n"
           "#assign NAME - assign to an agent\n"
           "#priority low|normal|high|urgent - set the priority\n"
           "#tag X - add a tag\n"
           "#saved NAME - answer with a saved reply\n";
}

}  // namespace postdesk::replies
