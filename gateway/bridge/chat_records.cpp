#include "gateway/bridge/chat_records.h"

#include <Poco/Logger.h>

#include <map>
#include <set>

#include "gateway/bridge/chat_intake.h"
#include "gateway/bridge/chat_policy.h"
#include "gateway/store/inbound_queue.h"
#include "gateway/store/ticket_store.h"
#include "mime/digest.h"
#include "mime/identity.h"
#include "replies/chat_text.h"

namespace postdesk::bridge {
namespace {

Poco::Logger& log() { return Poco::Logger::get("bridge"); }

std::optional<rules::ChatEvent> eventOf(const store::ChatEntryRow& e) {
    std::string error;
    return parseStoredUpdate(e.bot, e.raw, error);
}

rules::ChatRole roleOf(const std::string& role) {
    if (role == "agent") return rules::ChatRole::Agent;
    if (role == "bot") return rules::ChatRole::Bot;
    return rules::ChatRole::Customer;
}

// A name for a file Telegram sent without one (photos, voice): kind, unique id, an extension.
std::string fileNameOf(const rules::ChatFile& f) {
    if (!f.file_name.empty()) return f.file_name;
    std::string ext = f.kind == "photo" ? ".jpg" : f.kind == "voice" ? ".ogg" : f.kind == "video" || f.kind == "video_note" ? ".mp4" : "";
    return f.kind + "-" + f.file_unique_id + ext;
}

std::string recordMessageId(const store::ConversationRow& c, std::int64_t seq, const std::string& domain) {
    return "tg." + std::to_string(c.chat_id) + "." + std::to_string(c.id) + "." + std::to_string(seq) + "@" + domain;
}

}  // namespace

void ChatRecords::fetchFiles(const std::string& source, const std::vector<rules::ChatFile>& files, replies::ChatTranscript& t) {
    store::ChatStore chats(store_.db());
    for (const auto& f : files) {
        std::string name = fileNameOf(f);
        auto unretrievable = [&](const std::string& reason) { t.unretrievable.push_back({f.file_unique_id, name, f.file_size, reason}); };
        if (f.file_size > kTelegramMaxDownload) {
            unretrievable("Telegram bots can download ≤ 20 MB");
            continue;
        }
        auto cached = chats.file(source, f.file_unique_id);
        if (cached && cached->status == "fetched") {
            if (auto bytes = store_.readAttachment(cached->sha256)) {
                t.fetched.push_back({f.file_unique_id, name, f.mime_type, std::move(*bytes)});
                continue;
            }
        } else if (cached) {
            unretrievable(cached->detail);
            continue;
        }
        if (!api_ || source != kTelegramBot || f.file_id.empty()) {
            unretrievable(f.url.empty() ? "no way to fetch it" : "linked, not copied: " + f.url);
            continue;
        }
        BotResult<BotFile> meta = api_->getFile(f.file_id);
        BotResult<std::string> bytes;
        if (meta.ok() && !meta.value->file_path.empty()) bytes = api_->downloadFile(meta.value->file_path, kTelegramMaxDownload);
        if (bytes.ok()) {
            std::string sha = mime::sha256Hex(*bytes.value);
            store_.putAttachment(sha, *bytes.value);
            store_.syncAttachments();
            chats.putFile({source, f.file_unique_id, "fetched", sha, static_cast<std::int64_t>(bytes.value->size()), ""});
            t.fetched.push_back({f.file_unique_id, name, f.mime_type, std::move(*bytes.value)});
            continue;
        }
        const net::Outcome& outcome = meta.ok() ? bytes.outcome : meta.outcome;
        const BotApiError& error = meta.ok() ? bytes.error : meta.error;
        std::string why = error.description.empty() ? outcome.message : error.description;
        if (outcome.kind == net::OutcomeKind::Temporary) {
            unretrievable("not fetched yet: " + why);  // not cached: the next record tries again
        } else {
            std::string reason = meta.ok() && meta.value->file_size > kTelegramMaxDownload ? "Telegram bots can download ≤ 20 MB" : "not retrievable: " + why;
            chats.putFile({source, f.file_unique_id, "failed", "", f.file_size, reason});
            unretrievable(reason);
        }
    }
}

replies::ChatTranscript ChatRecords::transcriptOf(const store::ConversationRow& c, const std::vector<store::ChatEntryRow>& entries) {
    replies::ChatTranscript t;
    t.source = c.source;
    t.chat_id = c.chat_id;
    t.thread_key = c.thread_key;
    t.ticket = c.ticket;
    t.subject = c.subject;
    std::set<std::int64_t> seen;
    for (const auto& row : entries) {
        auto e = eventOf(row);
        if (!e) continue;
        if (t.chat_title.empty()) {
            t.chat_title = e->chat_title;
            t.chat_type = e->chat_type;
        }
        rules::ChatRole role = roleOf(row.role);
        t.entries.push_back(replies::chatEntry(*e, role));
        if (e->kind == rules::ChatEvent::Kind::Message) {
            if (seen.insert(e->from.id).second) t.participants.push_back({e->from, role});
            fetchFiles(c.source, e->files, t);
        }
    }
    return t;
}

bool ChatRecords::queueRecord(store::ConversationRow c, const std::vector<store::ChatEntryRow>& entries, bool followUp) {
    ChatSettings cs = chatSettingsFor(settings_, c.chat_id, "", c.source);
    replies::ChatTranscript t = transcriptOf(c, entries);
    replies::ChatMailAddressing a;
    a.bridge_domain = settings_.telegram.bridge_domain;
    a.intake = {"", intakeAddressFor(settings_, cs.queue)};
    a.message_id = recordMessageId(c, c.record_seq + 1, a.bridge_domain);
    if (followUp) {
        a.in_reply_to = c.root_mid;
        a.references = {c.root_mid};
        if (c.last_mid != c.root_mid) a.references.push_back(c.last_mid);
    }
    std::int64_t now = clock_();
    mime::ComposeResult mail = followUp ? replies::composeChatFollowUp(t, a, now) : replies::composeChatRecord(t, a, now);
    if (!mail.error.empty()) {
        log().error("conversation#%Ld: record not composed: %s", static_cast<long long>(c.id), mail.error);
        return false;
    }
    store::Transaction tx(store_.db());
    store::InboundMail in{"chat", "chat", c.source + ":" + std::to_string(c.chat_id), std::nullopt, std::nullopt,
                          mime::mailIdentity(mail.bytes), mail.bytes, cs.queue, {}};
    store::InboundQueue(store_).add(in, now);
    std::vector<std::int64_t> ids;
    for (const auto& e : entries) ids.push_back(e.id);
    store::ChatStore chats(store_.db());
    chats.markRecorded(ids);
    ++c.record_seq;
    if (!followUp) c.root_mid = a.message_id;
    c.last_mid = a.message_id;
    chats.saveConversation(c);
    tx.commit();
    log().information("conversation#%Ld: %s record %s queued (%z entries)", static_cast<long long>(c.id),
                      std::string(followUp ? "follow-up" : "opening"), a.message_id, entries.size());
    return true;
}

ChatRecordStats ChatRecords::openRecords() {
    ChatRecordStats stats;
    store::ChatStore chats(store_.db());
    for (const auto& c : chats.awaitingRecord()) {
        std::vector<store::ChatEntryRow> all = chats.entries(c.id, false), scoped;
        std::vector<std::int64_t> outOfScope;
        for (auto& e : all) (e.message_id >= c.record_from ? scoped.push_back(e) : outOfScope.push_back(e.id));
        if (queueRecord(c, scoped, false)) {
            chats.markRecorded(outOfScope);  // before a "/ticket" reply's scope: deliberately not in the record
            ++stats.opened;
        } else {
            ++stats.failed;
        }
    }
    return stats;
}

ChatRecordStats ChatRecords::linkTickets() {
    ChatRecordStats stats;
    store::ChatStore chats(store_.db());
    store::TicketStore tickets(store_.db());
    for (auto c : chats.awaitingTicket()) {
        std::int64_t ticket = chats.ticketOfMessageId(c.root_mid);
        if (!ticket) continue;
        store::Transaction tx(store_.db());
        c.ticket = ticket;
        chats.saveConversation(c);
        store::ChatOutboxMessage notice;
        notice.source = c.source;
        notice.chat_id = c.chat_id;
        notice.thread_key = c.thread_key;
        notice.ticket = ticket;
        notice.conversation = c.id;
        notice.kind = "notice";
        notice.dedupe = "notice:" + std::to_string(c.id);
        notice.text = replies::ticketCreatedNotice(ticket, c.subject);
        chats.enqueue(notice, clock_());
        tickets.addEvent(ticket, "chat-linked", c.source + " chat " + std::to_string(c.chat_id) + " (conversation " + std::to_string(c.id) + ")", clock_());
        tx.commit();
        ++stats.linked;
    }
    return stats;
}

ChatRecordStats ChatRecords::followUps(bool force) {
    ChatRecordStats stats;
    store::ChatStore chats(store_.db());
    const std::int64_t wait = settings_.telegram.digest_minutes * 60LL;
    for (const auto& c : chats.withUnrecordedEntries()) {
        std::vector<store::ChatEntryRow> pending = chats.entries(c.id, true);
        if (pending.empty() || c.root_mid.empty()) continue;
        std::int64_t oldest = pending.front().date;
        for (const auto& e : pending) oldest = std::min(oldest, e.date);
        if (!force && wait > 0 && clock_() - oldest < wait) continue;  // batch: let more lines gather
        if (queueRecord(c, pending, true)) ++stats.follow_ups;
        else ++stats.failed;
    }
    return stats;
}

}  // namespace postdesk::bridge
