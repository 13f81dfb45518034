// postdesk::store — the outbox: every mail postdesk sends, as a durable queue (Postfix's
// active/deferred queues as rows).
//
// Guarantees: enqueue() happens inside the caller's transaction, so an outgoing mail exists iff
// the ticket change that caused it was committed; the bytes (with their Message-ID) never change
// after enqueue, so a retry resends the very same mail; claim() takes one due row with a guarded
// UPDATE; recoverActive() at start-up returns rows a killed sender left `active` to `queued`
// (a mail may then be sent twice, recognisably: same Message-ID — SMTP has no exactly-once).
// Throws DbError (db.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/store/db.h"

namespace postdesk::store {

struct OutboxMail {
    std::optional<std::int64_t> ticket;
    std::string kind;        // ack | reply | notify | explain | alert
    std::string message_id;  // without <>
    std::string mail_from;   // envelope sender
    std::vector<std::string> recipients;
    std::string bytes;
    std::string mailbox;     // whose Sent folder gets a copy ("" = none)
};

struct OutboxRow {
    std::int64_t id = 0, attempts = 0, created_at = 0, sent_at = 0, next_attempt_at = 0;
    std::optional<std::int64_t> ticket;
    std::string kind, message_id, mail_from, state, last_error, bytes, mailbox;
    std::vector<std::string> recipients;
    bool sent_copy = false;
};

class Outbox {
public:
    explicit Outbox(Db& db) : db_(db) {}

    std::int64_t enqueue(const OutboxMail& mail, std::int64_t now);
    // The oldest due row with an id above `afterId` (a flush passes the last id it took, so a
    // row deferred during the flush is not retried in the same flush).
    std::optional<OutboxRow> claim(std::int64_t now, std::int64_t afterId = 0);
    void markSent(std::int64_t id, std::int64_t now);
    void markCopied(std::int64_t id);
    void defer(std::int64_t id, const std::string& error, std::int64_t retryAt);
    void fail(std::int64_t id, const std::string& error);
    int recoverActive();

    std::vector<OutboxRow> list(const std::string& state = "", int limit = 1000);
    std::vector<OutboxRow> sentWithoutCopy(int limit = 100);
    std::int64_t count(const std::string& state);
    // Automatic acknowledgments sent or queued to `recipient` since `since` (loop policy caps).
    int acksTo(const std::string& recipient, std::int64_t since);

private:
    Db& db_;
};

}  // namespace postdesk::store
