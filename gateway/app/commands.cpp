#include "gateway/app/command.h"

namespace postdesk::app {

const std::vector<Command>& commands() {
    static const std::vector<Command> kCommands = {
        {"parse", "parse mail files and print what postdesk reads from them", runParse},
        {"serve", "run the service: poll mailboxes, ingest, until SIGTERM", runServe},
        {"poll", "poll --once: one intake pass over every mailbox, then ingest", runPoll},
        {"send", "send --once: deliver every due outbox mail now", runSend},
        {"outbox", "list outgoing mail: queued, deferred, sent, failed", runOutbox},
        {"replies", "saved replies: list, render NAME --ticket N, lint", runReplies},
        {"rules", "Sieve rules: check [DIR], test MAIL.eml (a dry run)", runRules},
        {"replay", "what today's rules would decide for the mail already filed (a dry run)", runReplay},
        {"chats", "the chat bridge: conversations, the bot's outbox, unreadable updates", runChats},
        {"import", "import a .eml file, an mbox or a Maildir into tickets", runImport},
        {"tickets", "list tickets", runTickets},
        {"show", "show one ticket: messages, attachments, events", runShow},
        {"attachment", "write one attachment's bytes (by the SHA-256 that show lists)", runAttachment},
        {"quarantine", "list, show or reprocess mails that could not be filed", runQuarantine},
    };
    return kCommands;
}

}  // namespace postdesk::app
