// postdesk::ingest — what postdesk sends because a mail was filed, decided and enqueued inside
// the ingest transaction (so an outgoing mail exists iff the ticket change that caused it was
// committed):
//   - a new ticket from a customer: one acknowledgment, if the loop policy allows it
//     (replies/loop_policy.h; every decision is a ticket event with its reason), signed by the
//     queue's lead, with a signed Reply-To for the ticket;
//   - a new ticket or a customer follow-up: a notification to each agent of the queue, whose
//     Reply-To carries a token bound to that agent and ticket (rules/reply_token.h);
//   - an agent's reply through such a token: commands on its first lines act on the ticket, the
//     text goes to the customer from the support address as "<agent name>, Support", threaded
//     to the customer's last mail, with a copy for the Sent folder — or, on a ticket opened from a
//     chat, into the chat outbox (internal notes never); a forged, mismatched or
//     expired token sends nothing to the customer, keeps the mail as an unverified note and
//     explains the problem to the sender (never to a machine sender).
// Pure decisions come from rules/ and replies/; this class only gathers facts, composes with
// mime::composeMail and writes rows. Throws DbError on store failure (the batch is retried).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/config/config.h"
#include "gateway/store/store.h"
#include "mime/compose.h"
#include "mime/message.h"
#include "replies/templates.h"
#include "rules/thread.h"

namespace postdesk::ingest {

struct ResponderSettings {
    const config::Settings* config = nullptr;
    const replies::TemplateSet* templates = nullptr;
    const std::vector<std::string>* our_addresses = nullptr;  // IngestSettings::our_addresses
};

class Responder {
public:
    Responder(store::Store& store, ResponderSettings settings) : store_(store), s_(settings) {}

    // An agent token addressed in this mail, if any ("a<ticket>-..."): the mail takes the agent path.
    std::optional<std::string> agentToken(const mime::Message& m) const;

    // After a customer's mail was stored on `ticket`.
    // `noack`: a rule said no acknowledgment (recorded as a ticket event).
    // `fromChat`: the mail is a chat bridge record (inbound source "chat"): no acknowledgment
    // mail (the bot posts the ticket number into the chat), and the agents are notified although
    // the record says Auto-Submitted.
    // `customer`: rules::customerOf(m, our addresses), as the ticket was filed with.
    void customerMailFiled(std::int64_t ticket, const rules::ThreadDecision& decision, const mime::Message& m,
                           const mime::Address& customer, const std::string& queue, bool noack, std::int64_t now,
                           bool fromChat = false);

    // Files an agent's mail (with the token found by agentToken) and acts on it. Returns the
    // ticket it went on (0: the token named no ticket; the mail is kept without one).
    std::int64_t agentMailReceived(const std::string& token, const mime::Message& m, std::optional<std::int64_t> inbound,
                                   const std::string& dedupeKey, std::int64_t now);

private:
    void acknowledge(std::int64_t ticket, const mime::Message& m, const mime::Address& customer, const std::string& queue,
                     std::int64_t now);
    void notifyAgents(std::int64_t ticket, const mime::Message& m, const mime::Address& customer, const std::string& queue,
                      std::int64_t now);
    void actOnAgentReply(std::int64_t ticket, const config::AgentConfig& agent, const mime::Message& m, std::int64_t now);
    void replyToCustomer(std::int64_t ticket, const config::AgentConfig& agent, const std::string& text, std::int64_t now);
    // A chat-origin ticket: the reply goes to the chat outbox (gateway/bridge/chat_sender.h) in
    // parts of <= 4096 UTF-16 units, prefixed with the agent's name; false when the ticket is not
    // linked to a chat.
    bool relayToChat(std::int64_t ticket, const config::AgentConfig& agent, const std::string& text, std::int64_t now);
    void explain(const mime::Message& m, std::optional<std::int64_t> ticket, const std::string& subject,
                 const std::string& text, std::int64_t now);
    std::string enqueue(std::optional<std::int64_t> ticket, const std::string& kind, mime::OutgoingMail mail,
                        const std::vector<std::string>& rcpt, const std::string& mailbox, std::int64_t now);

    const config::MailboxSettings* mailboxFor(const std::string& queue) const;
    const config::AgentConfig* agentByAddress(const std::string& address) const;
    const config::AgentConfig* leadFor(const std::string& queue) const;
    std::string newMessageId(const std::string& domainOf) const;

    store::Store& store_;
    ResponderSettings s_;
};

}  // namespace postdesk::ingest
