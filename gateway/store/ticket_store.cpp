#include "gateway/store/ticket_store.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "mime/ascii.h"
#include "mime/date.h"

namespace postdesk::store {
namespace {

std::string json(const Poco::Dynamic::Var& v) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(v, out);
    return out.str();
}

Poco::JSON::Array::Ptr addressArray(const std::vector<mime::Address>& list) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& a : list) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("name", a.name);
        o->set("address", a.address);
        arr->add(o);
    }
    return arr;
}

std::string recipientsJson(const mime::Message& m) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("to", addressArray(m.to));
    o->set("cc", addressArray(m.cc));
    return json(o);
}

std::string warningsJson(const mime::Message& m) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& w : m.warnings) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("code", w.code);
        o->set("detail", w.detail);
        arr->add(o);
    }
    return json(arr);
}

std::string refsJson(const mime::Message& m) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& r : m.references) arr->add(r);
    return json(arr);
}

rules::TicketHint hintFrom(Statement& s) {
    rules::TicketHint h;
    h.number = static_cast<std::uint64_t>(s.int64(0));
    h.status = rules::ticketStatusFromString(s.text(1)).value_or(rules::TicketStatus::Open);
    h.closed_at = s.int64(2);
    h.sender_is_participant = s.int64(3) != 0;
    return h;
}

constexpr const char* kHintSelect =
    "SELECT t.number, t.status, t.closed_at, "
    "EXISTS (SELECT 1 FROM participant p WHERE p.ticket=t.number AND p.address=?) FROM ticket t ";

constexpr const char* kTicketColumns =
    "number, subject, status, queue, priority, customer_address, customer_name, COALESCE(assignee,''), "
    "COALESCE(linked_ticket,0), created_at, updated_at, closed_at, "
    "(SELECT COUNT(*) FROM message m WHERE m.ticket=ticket.number)";

TicketRow readTicket(const Statement& s) {
    TicketRow t;
    t.number = s.int64(0);
    t.subject = s.text(1);
    t.status = s.text(2);
    t.queue = s.text(3);
    t.priority = s.text(4);
    t.customer_address = s.text(5);
    t.customer_name = s.text(6);
    t.assignee = s.text(7);
    t.linked_ticket = s.int64(8);
    t.created_at = s.int64(9);
    t.updated_at = s.int64(10);
    t.closed_at = s.int64(11);
    t.messages = s.int64(12);
    return t;
}

}  // namespace

std::optional<rules::TicketHint> TicketStore::byMessageIds(const std::vector<std::string>& ids, const std::string& sender) {
    Statement s(db_, std::string(kHintSelect) + "JOIN message m ON m.ticket=t.number WHERE m.message_id=? LIMIT 1");
    for (const auto& id : ids) {
        s.reset();
        s.bind(1, mime::asciiLower(sender)).bind(2, id);
        if (s.step()) return hintFrom(s);
    }
    return std::nullopt;
}

std::optional<rules::TicketHint> TicketStore::byNumber(std::int64_t number, const std::string& sender) {
    Statement s(db_, std::string(kHintSelect) + "WHERE t.number=?");
    s.bind(1, mime::asciiLower(sender)).bind(2, number);
    if (!s.step()) return std::nullopt;
    return hintFrom(s);
}

std::int64_t TicketStore::createTicket(const mime::Message& m, const mime::Address& customer, const std::string& queue,
                                       std::int64_t linked, std::int64_t now) {
    Statement s(db_,
                "INSERT INTO ticket (subject, status, queue, customer_address, customer_name, linked_ticket, created_at, updated_at) "
                "VALUES (?, 'new', ?, ?, ?, ?, ?, ?)");
    s.bind(1, m.subject).bind(2, queue).bind(3, mime::asciiLower(customer.address)).bind(4, customer.name);
    linked ? s.bind(5, linked) : s.bindNull(5);
    s.bind(6, now).bind(7, now).run();
    return db_.lastInsertId();
}

void TicketStore::addParticipants(std::int64_t ticket, const mime::Message& m, const mime::Address& customer) {
    Statement s(db_, "INSERT INTO participant (ticket, address, name, role) VALUES (?,?,?,?) ON CONFLICT DO NOTHING");
    auto add = [&](const mime::Address& a, const char* role) {
        if (a.address.empty()) return;
        s.reset();
        s.bind(1, ticket).bind(2, mime::asciiLower(a.address)).bind(3, a.name).bind(4, role).run();
    };
    add(customer, "customer");
    add(m.from, "from");
    for (const auto& a : m.cc) add(a, "cc");
}

std::optional<std::int64_t> TicketStore::insertMessage(std::optional<std::int64_t> ticket, std::string_view direction,
                                                       std::optional<std::int64_t> inbound, const std::string& dedupeKey,
                                                       const mime::Message& m, std::int64_t now) {
    Statement s(db_,
                "INSERT INTO message (ticket, direction, inbound, dedupe_key, message_id, in_reply_to, refs, from_name, "
                "from_address, recipients, subject, date, auto_kind, text, html, reply_text, warnings, created_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (dedupe_key) DO NOTHING");
    ticket ? s.bind(1, *ticket) : s.bindNull(1);
    s.bind(2, direction);
    inbound ? s.bind(3, *inbound) : s.bindNull(3);
    s.bind(4, dedupeKey).bind(5, m.message_id).bind(6, m.in_reply_to).bind(7, refsJson(m)).bind(8, m.from.name);
    s.bind(9, m.from.address).bind(10, recipientsJson(m)).bind(11, m.subject).bind(12, m.date);
    s.bind(13, std::string_view(mime::toString(m.auto_kind))).bind(14, m.text).bind(15, m.html).bind(16, m.reply_text);
    s.bind(17, warningsJson(m)).bind(18, now).run();
    if (db_.changes() == 0) return std::nullopt;
    return db_.lastInsertId();
}

void TicketStore::insertAttachment(std::int64_t message, const mime::Attachment& a, const std::string& sha256) {
    Statement s(db_,
                "INSERT INTO attachment (message, filename, content_type, size, sha256, inline, content_id) VALUES (?,?,?,?,?,?,?)");
    s.bind(1, message).bind(2, a.filename).bind(3, a.content_type).bind(4, static_cast<std::int64_t>(a.size));
    s.bind(5, sha256).bind(6, static_cast<std::int64_t>(a.inline_));
    a.content_id.empty() ? s.bindNull(7) : s.bind(7, a.content_id);
    s.run();
}

void TicketStore::addEvent(std::optional<std::int64_t> ticket, std::string_view kind, std::string_view detail, std::int64_t now) {
    Statement s(db_, "INSERT INTO event (ticket, at, kind, detail) VALUES (?,?,?,?)");
    ticket ? s.bind(1, *ticket) : s.bindNull(1);
    s.bind(2, now).bind(3, kind).bind(4, detail).run();
}

void TicketStore::setStatus(std::int64_t ticket, rules::TicketStatus status, std::int64_t now) {
    bool closing = status == rules::TicketStatus::Closed || status == rules::TicketStatus::Solved;
    Statement s(db_, closing ? "UPDATE ticket SET status=?1, updated_at=?2, closed_at=?2 WHERE number=?3"
                             : "UPDATE ticket SET status=?1, updated_at=?2 WHERE number=?3");
    s.bind(1, std::string_view(rules::toString(status))).bind(2, now).bind(3, ticket).run();
}

void TicketStore::touch(std::int64_t ticket, std::int64_t now) {
    Statement(db_, "UPDATE ticket SET updated_at=? WHERE number=?").bind(1, now).bind(2, ticket).run();
}

void TicketStore::setPriority(std::int64_t ticket, const std::string& priority, std::int64_t now) {
    Statement(db_, "UPDATE ticket SET priority=?, updated_at=? WHERE number=?").bind(1, priority).bind(2, now).bind(3, ticket).run();
}

void TicketStore::setAssignee(std::int64_t ticket, const std::string& assignee, std::int64_t now) {
    Statement(db_, "UPDATE ticket SET assignee=?, updated_at=? WHERE number=?").bind(1, assignee).bind(2, now).bind(3, ticket).run();
}

void TicketStore::addTag(std::int64_t ticket, const std::string& tag) {
    Statement(db_, "INSERT INTO tag (ticket, tag) VALUES (?, ?) ON CONFLICT DO NOTHING").bind(1, ticket).bind(2, tag).run();
}

std::vector<std::string> TicketStore::tags(std::int64_t ticket) {
    Statement s(db_, "SELECT tag FROM tag WHERE ticket=? ORDER BY tag");
    s.bind(1, ticket);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

bool TicketStore::hasEvent(std::int64_t ticket, std::string_view kind) {
    Statement s(db_, "SELECT 1 FROM event WHERE ticket=? AND kind=? LIMIT 1");
    s.bind(1, ticket).bind(2, kind);
    return s.step();
}

std::vector<std::string> TicketStore::messageIds(std::int64_t ticket) {
    Statement s(db_, "SELECT message_id FROM message WHERE ticket=? AND direction<>'note' AND message_id IS NOT NULL "
                     "AND message_id<>'' ORDER BY id");  // an agent's own mail stays internal
    s.bind(1, ticket);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

std::optional<std::string> TicketStore::lastInboundMessageId(std::int64_t ticket) {
    Statement s(db_, "SELECT message_id FROM message WHERE ticket=? AND direction='in' AND message_id IS NOT NULL "
                     "AND auto_kind='none' ORDER BY id DESC LIMIT 1");
    s.bind(1, ticket);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

std::int64_t TicketStore::insertOutgoing(std::int64_t ticket, std::string_view direction, const std::string& messageId,
                                         const mime::Address& from, const std::string& subject, const std::string& text,
                                         std::optional<std::string> inReplyTo, std::int64_t now) {
    Statement s(db_,
                "INSERT INTO message (ticket, direction, message_id, in_reply_to, from_name, from_address, subject, date, "
                "text, reply_text, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, ticket).bind(2, direction).bind(3, messageId).bind(4, inReplyTo).bind(5, from.name).bind(6, from.address);
    s.bind(7, subject).bind(8, mime::formatIsoUtc(now)).bind(9, text).bind(10, text).bind(11, now).run();
    return db_.lastInsertId();
}

bool TicketStore::hasCustomer(const std::string& address) {
    Statement s(db_, "SELECT 1 FROM ticket WHERE customer_address=? LIMIT 1");
    s.bind(1, mime::asciiLower(address));
    return s.step();
}

bool TicketStore::hasDedupeKey(const std::string& key) {
    Statement s(db_, "SELECT 1 FROM message WHERE dedupe_key=?");
    s.bind(1, key);
    return s.step();
}

std::vector<TicketRow> TicketStore::list(const TicketFilter& f) {
    Statement s(db_, std::string("SELECT ") + kTicketColumns +
                         " FROM ticket WHERE (?1='' OR status=?1) AND (?2='' OR queue=?2) ORDER BY number LIMIT ?3");
    s.bind(1, f.status).bind(2, f.queue).bind(3, static_cast<std::int64_t>(f.limit));
    std::vector<TicketRow> out;
    while (s.step()) out.push_back(readTicket(s));
    return out;
}

std::optional<TicketRow> TicketStore::get(std::int64_t number) {
    Statement s(db_, std::string("SELECT ") + kTicketColumns + " FROM ticket WHERE number=?");
    s.bind(1, number);
    if (!s.step()) return std::nullopt;
    return readTicket(s);
}

std::vector<MessageRow> TicketStore::messages(std::int64_t ticket) {
    Statement s(db_,
                "SELECT id, ticket, direction, COALESCE(message_id,''), from_name, from_address, subject, COALESCE(date,''), "
                "auto_kind, text, reply_text, created_at FROM message WHERE ticket=? ORDER BY id");
    s.bind(1, ticket);
    std::vector<MessageRow> out;
    while (s.step()) {
        MessageRow m;
        m.id = s.int64(0);
        m.ticket = s.int64(1);
        m.direction = s.text(2);
        m.message_id = s.text(3);
        m.from_name = s.text(4);
        m.from_address = s.text(5);
        m.subject = s.text(6);
        m.date = s.text(7);
        m.auto_kind = s.text(8);
        m.text = s.text(9);
        m.reply_text = s.text(10);
        m.created_at = s.int64(11);
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<AttachmentRow> TicketStore::attachments(std::int64_t message) {
    Statement s(db_,
                "SELECT id, message, size, filename, content_type, sha256, COALESCE(content_id,''), inline FROM attachment "
                "WHERE message=? ORDER BY id");
    s.bind(1, message);
    std::vector<AttachmentRow> out;
    while (s.step()) {
        AttachmentRow a;
        a.id = s.int64(0);
        a.message = s.int64(1);
        a.size = s.int64(2);
        a.filename = s.text(3);
        a.content_type = s.text(4);
        a.sha256 = s.text(5);
        a.content_id = s.text(6);
        a.inline_ = s.int64(7) != 0;
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<EventRow> TicketStore::events(std::int64_t ticket) {
    Statement s(db_, "SELECT id, at, kind, detail FROM event WHERE ticket=? ORDER BY id");
    s.bind(1, ticket);
    std::vector<EventRow> out;
    while (s.step()) out.push_back({s.int64(0), s.int64(1), s.text(2), s.text(3)});
    return out;
}

std::int64_t TicketStore::messageCount() {
    Statement s(db_, "SELECT COUNT(*) FROM message");
    s.step();
    return s.int64(0);
}

}  // namespace postdesk::store
