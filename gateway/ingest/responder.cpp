#include "gateway/ingest/responder.h"

#include "gateway/store/chat_store.h"
#include "replies/chat_text.h"

#include <Poco/Logger.h>

#include <random>

#include "mime/ascii.h"
#include "gateway/store/outbox.h"
#include "gateway/store/ticket_store.h"
#include "replies/ack.h"
#include "replies/agent_commands.h"
#include "replies/language.h"
#include "replies/loop_policy.h"
#include "replies/subject.h"
#include "rules/customer.h"
#include "rules/reply_token.h"

namespace postdesk::ingest {
namespace {

Poco::Logger& log() { return Poco::Logger::get("replies"); }

std::string domainOf(const std::string& address) {
    auto at = address.rfind('@');
    return at == std::string::npos ? "postdesk.localdomain" : address.substr(at + 1);
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    for (const auto& x : list)
        if (mime::asciiLower(x) == mime::asciiLower(item)) return true;
    return false;
}


constexpr std::size_t kMaxAttachedBytes = 10u << 20;  // larger customer files are listed, not attached

}  // namespace

std::optional<std::string> Responder::agentToken(const mime::Message& m) const {
    std::vector<std::string> candidates;
    for (const auto& a : m.to) candidates.push_back(a.address);
    for (const auto& a : m.cc) candidates.push_back(a.address);
    for (const auto& h : m.headers)
        if (mime::asciiLower(h.name) == "delivered-to" || mime::asciiLower(h.name) == "x-original-to") candidates.push_back(h.value);
    for (const auto& mb : s_.config->mailboxes)
        for (const auto& c : candidates)
            if (auto t = rules::tokenFromAddress(c, mb.address); t && rules::isAgentToken(*t)) return t;
    return std::nullopt;
}

void Responder::customerMailFiled(std::int64_t ticket, const rules::ThreadDecision& d, const mime::Message& m,
                                  const mime::Address& customer, const std::string& queue, bool noack, std::int64_t now,
                                  bool fromChat) {
    bool opened = d.action == rules::ThreadAction::NewTicket || d.action == rules::ThreadAction::NewLinked;
    if (opened && noack) store::TicketStore(store_.db()).addEvent(ticket, "ack-suppressed", "a rule said noack", now);
    else if (opened && fromChat) store::TicketStore(store_.db()).addEvent(ticket, "ack-suppressed", "opened from a chat: the bot posts the ticket number there", now);
    else if (opened) acknowledge(ticket, m, customer, queue, now);
    if (opened || d.action == rules::ThreadAction::Append) {
        if (m.auto_kind == mime::AutoKind::None || fromChat) notifyAgents(ticket, m, customer, queue, now);
    }
}

void Responder::acknowledge(std::int64_t ticket, const mime::Message& m, const mime::Address& customer,
                            const std::string& queue, std::int64_t now) {
    store::TicketStore tickets(store_.db());
    store::Outbox outbox(store_.db());
    replies::AckFacts facts;
    facts.auto_kind = m.auto_kind;
    facts.auto_reason = m.auto_reason;
    facts.sender = mime::asciiLower(customer.address);  // Reply-To before From
    facts.return_path = m.return_path;
    facts.sender_is_ours = s_.our_addresses && rules::isOurAddress(facts.sender, *s_.our_addresses);
    facts.ticket_already_acked = tickets.hasEvent(ticket, "acknowledged");
    facts.acks_to_sender_last_hour = outbox.acksTo(facts.sender, now - 3600);
    facts.acks_to_sender_last_day = outbox.acksTo(facts.sender, now - 86400);
    replies::AckDecision decision = replies::decideAck(facts, {s_.config->replies.ack_per_hour, s_.config->replies.ack_per_day});
    if (!decision.send) {
        tickets.addEvent(ticket, "ack-suppressed", decision.reason, now);
        log().information("ticket #%s: no acknowledgment: %s", std::to_string(ticket), decision.reason);
        return;
    }
    const config::MailboxSettings* mb = mailboxFor(queue);
    const config::AgentConfig* lead = leadFor(queue);
    replies::ReplyContext ctx;
    ctx.customer_name = customer.name;
    ctx.customer_address = facts.sender;
    ctx.ticket_number = static_cast<std::uint64_t>(ticket);
    ctx.ticket_subject = m.subject;
    ctx.agent_name = lead ? lead->name : "";
    ctx.queue = queue;
    ctx.language = replies::detectLanguage(m.text, m.subject);
    ctx.tz_minutes = m.date_tz_minutes;
    ctx.now = now;
    auto rendered = replies::renderAck(*s_.templates, ctx);
    if (!mb || !rendered) {
        tickets.addEvent(ticket, "ack-suppressed", !mb ? "no mailbox serves queue " + queue : "no acknowledgment template", now);
        return;
    }
    mime::OutgoingMail mail;
    mail.from = {lead ? lead->name + ", " + s_.config->replies.display_suffix : s_.config->replies.display_suffix, mb->address};
    mail.to = {customer};
    mail.reply_to = mime::Address{s_.config->replies.display_suffix,
                                  rules::replyAddress(mb->address, rules::signReplyToken(ctx.ticket_number, facts.sender, s_.config->token_key))};
    mail.subject = rendered->subject;
    mail.in_reply_to = m.message_id;
    mail.references = m.references;
    if (m.message_id) mail.references.push_back(*m.message_id);
    // RFC 3834 §5: an automatic reply says so, and asks Exchange not to answer it automatically.
    mail.extra_headers = {{"Auto-Submitted", "auto-replied"}, {"X-Auto-Response-Suppress", "All"}};
    mail.date_epoch = now;
    mail.text = rendered->text;
    mail.html = rendered->html;
    std::string id = enqueue(ticket, "ack", mail, {facts.sender}, mb->name, now);
    if (id.empty()) return;
    tickets.insertOutgoing(ticket, "out", id, mail.from, mail.subject, mail.text, m.message_id, now);
    tickets.addEvent(ticket, "acknowledged", decision.reason + " (" + rendered->template_path + ")", now);
}

void Responder::notifyAgents(std::int64_t ticket, const mime::Message& m, const mime::Address& customer,
                             const std::string& queue, std::int64_t now) {
    const config::MailboxSettings* mb = mailboxFor(queue);
    store::TicketStore tickets(store_.db());
    auto t = tickets.get(ticket);
    if (!mb || !t) return;
    std::int64_t expires = now / 86400 + s_.config->replies.agent_token_days;
    for (const auto& agent : s_.config->agents) {
        if (!contains(agent.queues, queue)) continue;
        replies::ReplyContext ctx;
        ctx.customer_name = customer.name;
        ctx.customer_address = mime::asciiLower(customer.address);
        ctx.ticket_number = static_cast<std::uint64_t>(ticket);
        ctx.ticket_subject = t->subject;
        ctx.ticket_status = t->status;
        ctx.agent_name = agent.name;
        ctx.queue = queue;
        ctx.language = replies::detectLanguage(m.text, m.subject);
        ctx.now = now;
        ctx.message_text = m.reply_text.empty() ? m.text : m.reply_text;
        auto rendered = replies::renderNotify(*s_.templates, ctx);
        if (!rendered) return;
        mime::OutgoingMail mail;
        mail.from = {(customer.name.empty() ? customer.address : customer.name) + " via " + s_.config->replies.display_suffix, mb->address};
        mail.to = {{agent.name, agent.address}};
        std::string token = rules::signAgentToken(ctx.ticket_number, agent.address, expires, s_.config->token_key);
        mail.reply_to = mime::Address{"Ticket #" + std::to_string(ticket), rules::replyAddress(mb->address, token)};
        mail.subject = rendered->subject;
        mail.extra_headers = {{"Auto-Submitted", "auto-generated"}, {"X-Auto-Response-Suppress", "All"}};
        mail.date_epoch = now;
        mail.text = rendered->text;
        std::size_t bytes = 0;
        for (const auto& a : m.attachments) {
            if (bytes + a.data.size() > kMaxAttachedBytes) {
                mail.text += "\n[not attached, " + std::to_string(a.size) + " bytes: " + a.filename + "]";
                continue;
            }
            bytes += a.data.size();
            mail.attachments.push_back({a.filename, a.content_type, a.data, false, ""});
        }
        enqueue(ticket, "notify", std::move(mail), {agent.address}, "", now);
    }
}

std::int64_t Responder::agentMailReceived(const std::string& token, const mime::Message& m, std::optional<std::int64_t> inbound,
                                          const std::string& dedupeKey, std::int64_t now) {
    store::TicketStore tickets(store_.db());
    std::string sender = mime::asciiLower(m.from.address);
    rules::AgentTokenResult r = rules::verifyAgentToken(token, sender, s_.config->token_key, now / 86400);
    const config::AgentConfig* agent = agentByAddress(sender);
    auto ticket = r.ticket ? tickets.get(static_cast<std::int64_t>(r.ticket)) : std::nullopt;
    std::optional<std::int64_t> ticketRef = ticket ? std::optional<std::int64_t>(ticket->number) : std::nullopt;
    std::string problem;
    if (r.check == rules::AgentTokenCheck::Malformed) problem = "the reply address is malformed";
    else if (r.check == rules::AgentTokenCheck::Expired) problem = "the reply address has expired";
    else if (r.check == rules::AgentTokenCheck::Forged) problem = "the reply address was not issued to " + sender;
    else if (!agent) problem = sender + " is not a configured agent";
    else if (!ticket) problem = "ticket #" + std::to_string(r.ticket) + " does not exist";
    if (!problem.empty()) {
        auto id = tickets.insertMessage(ticketRef, "note", inbound, dedupeKey, m, now);
        if (ticketRef) tickets.addEvent(*ticketRef, "unverified-agent-mail", problem + "; nothing was sent", now);
        log().warning("unverified agent mail from %s: %s", sender, problem);
        if (m.auto_kind == mime::AutoKind::None && !replies::isNoReplyAddress(sender))
            explain(m, ticketRef, "Not sent: " + m.subject,
                    "postdesk did not send your message to the customer: " + problem +
                        ".\nYour mail is kept on the ticket as an internal note. To answer the customer, reply to the "
                        "latest notification postdesk sent you for this ticket.\n",
                    now);
        (void)id;
        return ticketRef.value_or(0);
    }
    auto stored = tickets.insertMessage(ticket->number, "note", inbound, dedupeKey, m, now);
    (void)stored;
    actOnAgentReply(ticket->number, *agent, m, now);
    return ticket->number;
}

void Responder::actOnAgentReply(std::int64_t ticket, const config::AgentConfig& agent, const mime::Message& m, std::int64_t now) {
    store::TicketStore tickets(store_.db());
    replies::ParsedAgentReply parsed = replies::parseAgentReply(m.reply_text);
    auto t = tickets.get(ticket);
    std::string language = replies::detectLanguage(m.text, m.subject);
    std::string savedText;
    for (const auto& c : parsed.commands) {
        if (c.kind != replies::AgentCommandKind::Saved) continue;
        replies::ReplyContext ctx;
        ctx.customer_name = t->customer_name;
        ctx.customer_address = t->customer_address;
        ctx.ticket_number = static_cast<std::uint64_t>(ticket);
        ctx.ticket_subject = t->subject;
        ctx.agent_name = agent.name;
        ctx.queue = t->queue;
        ctx.language = language;
        ctx.now = now;
        auto saved = replies::renderSaved(*s_.templates, c.argument, ctx);
        if (!saved) parsed.errors.push_back("unknown saved reply #saved " + c.argument);
        else savedText += (savedText.empty() ? "" : "\n\n") + saved->text;
    }
    for (const auto& c : parsed.commands) {
        if (c.kind != replies::AgentCommandKind::Assign) continue;
        bool known = false;
        for (const auto& a : s_.config->agents) known |= mime::asciiLower(a.id) == mime::asciiLower(c.argument) || mime::asciiLower(a.name) == mime::asciiLower(c.argument);
        if (!known) parsed.errors.push_back("unknown agent in #assign " + c.argument);
    }
    if (!parsed.errors.empty()) {
        std::string list;
        for (const auto& e : parsed.errors) list += "- " + e + "\n";
        tickets.addEvent(ticket, "agent-command-error", list, now);
        explain(m, ticket, "Not sent: " + m.subject,
                "postdesk sent nothing to the customer, because:\n" + list + "\n" + replies::commandHelp(language), now);
        return;
    }
    for (const auto& c : parsed.commands) {
        using K = replies::AgentCommandKind;
        switch (c.kind) {
            case K::Close: tickets.setStatus(ticket, rules::TicketStatus::Closed, now); break;
            case K::Solve: tickets.setStatus(ticket, rules::TicketStatus::Solved, now); break;
            case K::Pending: tickets.setStatus(ticket, rules::TicketStatus::Pending, now); break;
            case K::Open: tickets.setStatus(ticket, rules::TicketStatus::Open, now); break;
            case K::Assign: tickets.setAssignee(ticket, c.argument, now); break;
            case K::Priority: tickets.setPriority(ticket, c.argument, now); break;
            case K::Tag: tickets.addTag(ticket, c.argument); break;
            case K::Note:
            case K::Saved: break;
        }
        if (c.kind != K::Note && c.kind != K::Saved)
            tickets.addEvent(ticket, std::string("command #") + replies::toString(c.kind), agent.name + (c.argument.empty() ? "" : ": " + c.argument), now);
    }
    if (parsed.isNote()) {
        tickets.addEvent(ticket, "note", agent.name + " added an internal note", now);
        return;
    }
    std::string text = parsed.body;
    if (!savedText.empty()) text = text.empty() ? savedText : text + "\n\n" + savedText;
    if (text.empty()) return;  // commands only
    replyToCustomer(ticket, agent, text, now);
}

bool Responder::relayToChat(std::int64_t ticket, const config::AgentConfig& agent, const std::string& text, std::int64_t now) {
    store::ChatStore chats(store_.db());
    auto conv = chats.conversationForTicket(ticket);
    if (!conv) return false;
    store::TicketStore tickets(store_.db());
    auto t = tickets.get(ticket);
    std::string id = newMessageId(agent.address);
    std::vector<std::string> parts = replies::chatMessagesFromReply(agent.name, ticket, text);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        store::ChatOutboxMessage m;
        m.source = conv->source;
        m.chat_id = conv->chat_id;
        m.thread_key = conv->thread_key;
        m.reply_to = i == 0 ? conv->unanswered_message_id : 0;
        m.ticket = ticket;
        m.conversation = conv->id;
        m.kind = "reply";
        m.dedupe = id + "#" + std::to_string(i + 1);
        m.text = parts[i];
        m.agent_address = agent.address;
        chats.enqueue(m, now);
    }
    mime::Address from{agent.name + ", " + s_.config->replies.display_suffix, agent.address};
    tickets.insertOutgoing(ticket, "out", id, from, mime::replySubject(t->subject), text, std::nullopt, now);
    if (t->status == "new") tickets.setStatus(ticket, rules::TicketStatus::Open, now);
    tickets.addEvent(ticket, "replied", agent.name + " answered in the " + conv->source + " chat (" + std::to_string(parts.size()) + " message(s))", now);
    return true;
}

void Responder::replyToCustomer(std::int64_t ticket, const config::AgentConfig& agent, const std::string& text, std::int64_t now) {
    if (relayToChat(ticket, agent, text, now)) return;
    store::TicketStore tickets(store_.db());
    auto t = tickets.get(ticket);
    const config::MailboxSettings* mb = mailboxFor(t->queue);
    if (!mb) {
        tickets.addEvent(ticket, "send-failed", "no mailbox serves queue " + t->queue, now);
        return;
    }
    mime::OutgoingMail mail;
    mail.from = {agent.name + ", " + s_.config->replies.display_suffix, mb->address};
    mail.to = {{t->customer_name, t->customer_address}};
    mail.reply_to = mime::Address{s_.config->replies.display_suffix,
                                  rules::replyAddress(mb->address, rules::signReplyToken(static_cast<std::uint64_t>(ticket), t->customer_address, s_.config->token_key))};
    mail.subject = mime::replySubject(replies::ticketSubject(static_cast<std::uint64_t>(ticket), t->subject, "en"));
    mail.in_reply_to = tickets.lastInboundMessageId(ticket);
    mail.references = tickets.messageIds(ticket);
    mail.date_epoch = now;
    mail.text = text;
    std::string id = enqueue(ticket, "reply", mail, {t->customer_address}, mb->name, now);
    if (id.empty()) return;
    tickets.insertOutgoing(ticket, "out", id, mail.from, mail.subject, text, mail.in_reply_to, now);
    if (t->status == "new") tickets.setStatus(ticket, rules::TicketStatus::Open, now);
    tickets.addEvent(ticket, "replied", agent.name + " answered the customer", now);
}

void Responder::explain(const mime::Message& m, std::optional<std::int64_t> ticket, const std::string& subject,
                        const std::string& text, std::int64_t now) {
    if (s_.config->mailboxes.empty()) return;
    const auto& mb = s_.config->mailboxes.front();
    mime::OutgoingMail mail;
    mail.from = {"postdesk", mb.address};
    mail.to = {m.from};
    mail.subject = subject;
    mail.in_reply_to = m.message_id;
    if (m.message_id) mail.references = {*m.message_id};
    mail.extra_headers = {{"Auto-Submitted", "auto-replied"}};
    mail.date_epoch = now;
    mail.text = text;
    enqueue(ticket, "explain", std::move(mail), {mime::asciiLower(m.from.address)}, "", now);
}

std::string Responder::enqueue(std::optional<std::int64_t> ticket, const std::string& kind, mime::OutgoingMail mail,
                               const std::vector<std::string>& rcpt, const std::string& mailbox, std::int64_t now) {
    mail.message_id = newMessageId(mail.from.address);
    mime::ComposeResult composed = mime::composeMail(mail);
    if (!composed.ok()) {
        if (ticket) store::TicketStore(store_.db()).addEvent(*ticket, "send-failed", kind + ": " + composed.error, now);
        log().error("%s for ticket #%s not composed: %s", kind, std::to_string(ticket.value_or(0)), composed.error);
        return {};
    }
    store::OutboxMail out{ticket, kind, mail.message_id, mail.from.address, rcpt, std::move(composed.bytes), mailbox};
    store::Outbox(store_.db()).enqueue(out, now);
    return mail.message_id;
}

const config::MailboxSettings* Responder::mailboxFor(const std::string& queue) const {
    for (const auto& mb : s_.config->mailboxes)
        if (mb.queue == queue) return &mb;
    return s_.config->mailboxes.empty() ? nullptr : &s_.config->mailboxes.front();
}

const config::AgentConfig* Responder::agentByAddress(const std::string& address) const {
    for (const auto& a : s_.config->agents)
        if (mime::asciiLower(a.address) == mime::asciiLower(address)) return &a;
    return nullptr;
}

const config::AgentConfig* Responder::leadFor(const std::string& queue) const {
    for (const auto& a : s_.config->agents)
        if (contains(a.lead, queue)) return &a;
    for (const auto& a : s_.config->agents)
        if (contains(a.queues, queue)) return &a;
    return nullptr;
}

// Assigned once, at enqueue, and stored with the bytes: a resend after a crash reuses it.
std::string Responder::newMessageId(const std::string& from) const {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%016llx%08llx", static_cast<unsigned long long>(rng()), static_cast<unsigned long long>(rng() & 0xffffffffu));
    return std::string("pd.") + buf + "@" + domainOf(from);
}

}  // namespace postdesk::ingest
