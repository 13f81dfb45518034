// postdesk::store — tickets, their participants, messages, attachments and events.
//
// Plain functions over one Db; callers group them in a Transaction. insertMessage() is the
// dedupe point: a second message with the same dedupe key (the same Message-ID from the same
// sender delivered to two of our mailboxes, or the same bytes) is refused, not duplicated.
// Throws DbError (db.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/store/db.h"
#include "mime/message.h"
#include "rules/thread.h"

namespace postdesk::store {

struct TicketRow {
    std::int64_t number = 0;
    std::string subject, status, queue, priority, customer_address, customer_name, assignee;
    std::int64_t linked_ticket = 0, created_at = 0, updated_at = 0, closed_at = 0, messages = 0;
};

struct MessageRow {
    std::int64_t id = 0, ticket = 0;
    std::string direction, message_id, from_name, from_address, subject, date, auto_kind, text, reply_text;
    std::int64_t created_at = 0;
};

struct AttachmentRow {
    std::int64_t id = 0, message = 0, size = 0;
    std::string filename, content_type, sha256, content_id;
    bool inline_ = false;
};

struct EventRow {
    std::int64_t id = 0, at = 0;
    std::string kind, detail;
};

struct TicketFilter {
    std::string status;  // "" = any
    std::string queue;   // "" = any
    int limit = 1000;
};

class TicketStore {
public:
    explicit TicketStore(Db& db) : db_(db) {}

    // Threading lookups (rules/thread.h): each fills one ThreadHints field.
    std::optional<rules::TicketHint> byMessageIds(const std::vector<std::string>& ids, const std::string& sender);
    std::optional<rules::TicketHint> byNumber(std::int64_t number, const std::string& sender);

    // `customer`: rules::customerOf(first, our addresses) — Reply-To before From.
    std::int64_t createTicket(const mime::Message& first, const mime::Address& customer, const std::string& queue,
                              std::int64_t linked, std::int64_t now);
    // The customer (role "customer"), the From when it differs ("from") and every Cc ("cc").
    void addParticipants(std::int64_t ticket, const mime::Message& m, const mime::Address& customer);
    std::optional<std::int64_t> insertMessage(std::optional<std::int64_t> ticket, std::string_view direction,
                                              std::optional<std::int64_t> inbound, const std::string& dedupeKey,
                                              const mime::Message& m, std::int64_t now);
    // `sha256`: the hex digest under which Store::putAttachment keeps the bytes.
    void insertAttachment(std::int64_t message, const mime::Attachment& a, const std::string& sha256);
    void addEvent(std::optional<std::int64_t> ticket, std::string_view kind, std::string_view detail, std::int64_t now);
    void setStatus(std::int64_t ticket, rules::TicketStatus status, std::int64_t now);
    void touch(std::int64_t ticket, std::int64_t now);
    void setPriority(std::int64_t ticket, const std::string& priority, std::int64_t now);
    void setAssignee(std::int64_t ticket, const std::string& assignee, std::int64_t now);
    void addTag(std::int64_t ticket, const std::string& tag);
    std::vector<std::string> tags(std::int64_t ticket);
    bool hasEvent(std::int64_t ticket, std::string_view kind);
    // Message-IDs of the ticket's messages, oldest first (References of a reply); and the last
    // one the customer sent (In-Reply-To).
    std::vector<std::string> messageIds(std::int64_t ticket);
    std::optional<std::string> lastInboundMessageId(std::int64_t ticket);
    // For an outgoing mail: a message row with the given direction, text and Message-ID.
    std::int64_t insertOutgoing(std::int64_t ticket, std::string_view direction, const std::string& messageId,
                                const mime::Address& from, const std::string& subject, const std::string& text,
                                std::optional<std::string> inReplyTo, std::int64_t now);
    bool hasDedupeKey(const std::string& key);
    bool hasCustomer(const std::string& address);  // any ticket from this address before

    std::vector<TicketRow> list(const TicketFilter& filter);
    std::optional<TicketRow> get(std::int64_t number);
    std::vector<MessageRow> messages(std::int64_t ticket);
    std::vector<AttachmentRow> attachments(std::int64_t message);
    std::vector<EventRow> events(std::int64_t ticket);
    std::int64_t messageCount();

private:
    Db& db_;
};

}  // namespace postdesk::store
