#include "gateway/ingest/ingest.h"

#include <Poco/Logger.h>

#include <algorithm>

#include "gateway/ingest/responder.h"
#include "mime/ascii.h"
#include "mime/digest.h"
#include "rules/rule_plan.h"
#include "rules/sieve_eval.h"
#include "rules/sieve_input.h"
#include "gateway/store/rule_log.h"
#include "gateway/store/ticket_store.h"
#include "mime/parse.h"
#include "rules/customer.h"
#include "rules/reply_token.h"

namespace postdesk::ingest {
namespace {

Poco::Logger& log() { return Poco::Logger::get("ingest"); }

std::string rowTag(const store::InboundRow& row) { return "inbound#" + std::to_string(row.id); }

rules::ThreadHints lookupHints(store::TicketStore& tickets, const mime::Message& m, const rules::ThreadKeys& keys,
                               const std::string& tokenKey) {
    rules::ThreadHints hints;
    for (const auto& token : keys.tokens) {
        if (auto ticket = rules::verifyReplyToken(token, keys.sender, tokenKey)) {
            hints.by_token = tickets.byNumber(static_cast<std::int64_t>(*ticket), keys.sender);
            if (hints.by_token) break;
        }
    }
    if (!keys.message_ids.empty()) hints.by_message_id = tickets.byMessageIds(keys.message_ids, keys.sender);
    if (keys.subject_ticket) hints.by_subject = tickets.byNumber(static_cast<std::int64_t>(*keys.subject_ticket), keys.sender);
    if (m.original_message_id) hints.by_original = tickets.byMessageIds({*m.original_message_id}, keys.sender);
    return hints;
}

// Applies the thread decision; returns the ticket the message goes on (0 = none).
std::int64_t applyDecision(store::TicketStore& tickets, const rules::ThreadDecision& d, const mime::Message& m,
                           const mime::Address& customer, const std::string& queue, std::int64_t now) {
    auto t = static_cast<std::int64_t>(d.ticket);
    switch (d.action) {
        case rules::ThreadAction::NewTicket:
        case rules::ThreadAction::NewLinked: {
            std::int64_t n = tickets.createTicket(m, customer, queue, d.action == rules::ThreadAction::NewLinked ? t : 0, now);
            tickets.addParticipants(n, m, customer);
            tickets.addEvent(n, "created", d.reason, now);
            if (d.action == rules::ThreadAction::NewLinked) tickets.addEvent(t, "linked", "follow-up opened ticket #" + std::to_string(n), now);
            return n;
        }
        case rules::ThreadAction::Append: {
            auto current = tickets.get(t);
            tickets.addParticipants(t, m, customer);
            if (d.reopen) {
                tickets.setStatus(t, rules::TicketStatus::Open, now);
                tickets.addEvent(t, "reopened", d.reason, now);
            } else if (current && current->status == "pending") {
                tickets.setStatus(t, rules::TicketStatus::Open, now);
                tickets.addEvent(t, "status", "pending -> open: the customer answered", now);
            } else {
                tickets.touch(t, now);
            }
            tickets.addEvent(t, "followup", d.reason, now);
            return t;
        }
        case rules::ThreadAction::AttachBounce:
            tickets.addEvent(t, "bounce", d.reason + ": " + m.subject, now);
            return t;
        case rules::ThreadAction::OrphanBounce:
            return 0;
    }
    return 0;
}

void applyPlan(store::TicketStore& tickets, std::int64_t ticket, const rules::RulePlan& plan, std::int64_t now) {
    if (plan.priority) tickets.setPriority(ticket, *plan.priority, now);
    if (plan.assign) tickets.setAssignee(ticket, *plan.assign, now);
    for (const auto& t : plan.tags) tickets.addTag(ticket, t);
    if (plan.sla) tickets.addEvent(ticket, "sla", *plan.sla, now);
}

}  // namespace

// The admin's Sieve rules over a customer's mail (RFC 5228 + vnd.postdesk.ticket); which rules
// fired goes to the log, what they decided into the plan and, with the facts they saw, into
// rule_decision (for `postdesk replay`), in the filing transaction.
rules::RulePlan Ingest::runRules(store::TicketStore& tickets, const mime::Message& m, const mime::Address& customer,
                                 const rules::ThreadDecision& d, std::vector<std::string>& logLines, const store::InboundRow& row) {
    rules::SieveInput in = rules::sieveInputFor(m);
    in.customer = tickets.hasCustomer(customer.address) ? "known" : "new";
    in.ticket = d.action == rules::ThreadAction::Append ? "followup" : "new";
    rules::SieveResult r;
    if (settings_.rules) r = rules::evaluate(*settings_.rules, in);
    for (const auto& f : r.fired) logLines.push_back(rowTag(row) + ": rule " + f.file + ":" + std::to_string(f.line) + " fired");
    store::RuleLog(store_.db()).record({row.id, in.customer, in.ticket, store::canonicalActions(r), r.fired, clock_()});
    return rules::planFromActions(r.actions);
}

Ingest::Ingest(store::Store& store, IngestSettings settings, Clock clock)
    : store_(store), settings_(std::move(settings)), clock_(std::move(clock)) {}

IngestStats Ingest::drain(int limit) {
    IngestStats stats;
    store::InboundQueue queue(store_);
    while (limit > 0) {
        std::vector<store::InboundRow> rows =
            queue.claimBatch(clock_(), std::min(limit, settings_.batch_rows), settings_.batch_bytes);
        if (rows.empty()) break;
        limit -= static_cast<int>(rows.size());
        std::vector<mime::Message> parsed;
        parsed.reserve(rows.size());
        // Parsing and the attachments' bytes happen outside the write lock (storeAttachments).
        for (const auto& row : rows) parsed.push_back(mime::parse(row.raw, settings_.limits));
        try {
            fileBatch(rows, parsed, storeAttachments(parsed, 0, rows.size()), 0, rows.size(), stats);
        } catch (const std::exception&) {
            // The group failed as a whole (and rolled back): file the rows one by one, so only a
            // poison row is deferred or quarantined and the others go through.
            for (std::size_t i = 0; i < rows.size(); ++i) {
                try {
                    fileBatch(rows, parsed, storeAttachments(parsed, i, i + 1), i, i + 1, stats);
                } catch (const std::exception& e) {  // the stage's one catch-all: the row is retried
                    failRow(rows[i], e.what(), stats);
                }
            }
        }
    }
    return stats;
}

// The attachments of a batch, hashed, appended to the spool and synced (one fdatasync: group
// commit) BEFORE the filing transaction begins, so the write lock that intake waits for is held for
// SQL only. A mail that then is not filed (a duplicate, quarantined or ignored by a rule) leaves
// its attachments stored but unreferenced, as a crash between the two steps would; they are
// content-addressed, so a reprocess finds them. Returns the hex SHA-256 of each attachment of
// messages [from, to).
std::vector<std::vector<std::string>> Ingest::storeAttachments(const std::vector<mime::Message>& parsed, std::size_t from,
                                                               std::size_t to) {
    std::vector<std::vector<std::string>> digests(parsed.size());
    for (std::size_t i = from; i < to; ++i) {
        if (parsed[i].error) continue;  // quarantined as it is, nothing is stored
        for (const auto& a : parsed[i].attachments) {
            digests[i].push_back(mime::sha256Hex(a.data));
            store_.putAttachment(digests[i].back(), a.data);
        }
    }
    store_.syncAttachments();
    return digests;
}

// Rows [from, to) in ONE transaction (group commit: one WAL sync for the batch); their
// attachments are already on disk (storeAttachments).
void Ingest::fileBatch(const std::vector<store::InboundRow>& rows, const std::vector<mime::Message>& parsed,
                       const std::vector<std::vector<std::string>>& digests, std::size_t from, std::size_t to, IngestStats& stats) {
    IngestStats local;
    std::vector<std::string> logLines;
    store::Transaction tx(store_.db());
    for (std::size_t i = from; i < to; ++i) {
        switch (fileRow(rows[i], parsed[i], digests[i], logLines)) {
            case Result::Filed: ++local.filed; break;
            case Result::Duplicate: ++local.duplicates; break;
            case Result::Quarantined: ++local.quarantined; break;
        }
    }
    tx.commit();
    stats.filed += local.filed;
    stats.duplicates += local.duplicates;
    stats.quarantined += local.quarantined;
    for (const auto& line : logLines) log().information(line);
}

// Files one parsed row inside the caller's transaction.
Ingest::Result Ingest::fileRow(const store::InboundRow& row, const mime::Message& m, const std::vector<std::string>& digests,
                               std::vector<std::string>& logLines) {
    store::InboundQueue queue(store_);
    if (m.error) {
        queue.quarantine(row.id, *m.error, std::to_string(row.size) + " bytes");
        logLines.push_back(rowTag(row) + ": quarantined: " + *m.error);
        return Result::Quarantined;
    }
    store::TicketStore tickets(store_.db());
    std::int64_t now = clock_();
    if (tickets.hasDedupeKey(row.dedupe_key)) {
        queue.markDone(row.id, std::nullopt);
        logLines.push_back(rowTag(row) + ": already filed (" + row.dedupe_key + ")");
        return Result::Duplicate;
    }
    std::optional<Responder> responder;
    if (settings_.config && settings_.templates) responder.emplace(store_, ResponderSettings{settings_.config, settings_.templates, &settings_.our_addresses});
    if (responder) {
        if (auto token = responder->agentToken(m)) {
            std::int64_t ticket = responder->agentMailReceived(*token, m, row.id, row.dedupe_key, now);
            queue.markDone(row.id, std::nullopt);
            logLines.push_back(rowTag(row) + ": agent mail on ticket #" + std::to_string(ticket));
            return Result::Filed;
        }
    }
    rules::ThreadKeys keys = rules::threadKeys(m, settings_.our_addresses);
    rules::ThreadHints hints = lookupHints(tickets, m, keys, settings_.token_key);
    rules::ThreadDecision decision = rules::decideThread(m, keys, hints, settings_.thread, now);
    const mime::Address& customer = rules::customerOf(m, settings_.our_addresses);  // Reply-To before From
    rules::RulePlan plan = runRules(tickets, m, customer, decision, logLines, row);
    if (plan.disposition == rules::RulePlan::Disposition::Quarantine) {
        queue.quarantine(row.id, "rule", plan.reason);
        logLines.push_back(rowTag(row) + ": quarantined by a rule: " + plan.reason);
        return Result::Quarantined;
    }
    if (plan.disposition == rules::RulePlan::Disposition::Ignore) {
        // Stored, never dropped: the message is kept without a ticket and without an answer.
        auto message = tickets.insertMessage(std::nullopt, "in", row.id, row.dedupe_key, m, now);
        queue.markDone(row.id, message);
        logLines.push_back(rowTag(row) + ": kept without a ticket (rule " + plan.reason + ")");
        return Result::Filed;
    }
    bool opens = decision.action == rules::ThreadAction::NewTicket || decision.action == rules::ThreadAction::NewLinked;
    const std::string& queueName = plan.queue && opens ? *plan.queue : row.queue;  // not a copy of the row: it holds the raw mail
    std::int64_t ticket = applyDecision(tickets, decision, m, customer, queueName, now);
    if (ticket) applyPlan(tickets, ticket, plan, now);
    std::optional<std::int64_t> ticketRef = ticket ? std::optional<std::int64_t>(ticket) : std::nullopt;
    std::optional<std::int64_t> message = tickets.insertMessage(ticketRef, "in", row.id, row.dedupe_key, m, now);
    if (message)
        for (std::size_t i = 0; i < m.attachments.size(); ++i) tickets.insertAttachment(*message, m.attachments[i], digests[i]);
    if (responder && ticket && message) responder->customerMailFiled(ticket, decision, m, customer, queueName, plan.noack, now, row.source == "chat");
    queue.markDone(row.id, message);
    logLines.push_back(rowTag(row) + ": ticket #" + std::to_string(ticket) + ": " + decision.reason);
    return Result::Filed;
}

void Ingest::failRow(const store::InboundRow& row, const std::string& error, IngestStats& stats) {
    store::InboundQueue queue(store_);
    if (row.attempts + 1 >= settings_.max_attempts) {
        queue.quarantine(row.id, "ingest-failed", error);
        log().error("%s: quarantined after %d attempts: %s", rowTag(row), static_cast<int>(row.attempts + 1), error);
        ++stats.quarantined;
        return;
    }
    std::int64_t delay = std::clamp<std::int64_t>(settings_.retry_floor_seconds << std::min<std::int64_t>(row.attempts, 20),
                                                  settings_.retry_floor_seconds, settings_.retry_ceiling_seconds);
    queue.defer(row.id, error, clock_() + delay);
    log().warning("%s: deferred %ds: %s", rowTag(row), static_cast<int>(delay), error);
    ++stats.deferred;
}

}  // namespace postdesk::ingest
