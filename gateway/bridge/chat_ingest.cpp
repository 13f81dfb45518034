#include "gateway/bridge/chat_ingest.h"

#include <Poco/Logger.h>

#include "gateway/bridge/chat_intake.h"
#include "gateway/bridge/chat_policy.h"
#include "gateway/store/chat_store.h"
#include "gateway/store/ticket_store.h"

namespace postdesk::bridge {
namespace {

Poco::Logger& log() { return Poco::Logger::get("bridge"); }

rules::ConversationState stateOf(const store::ConversationRow& c, store::TicketStore& tickets) {
    rules::ConversationState s;
    s.id = c.id;
    s.first_message_id = c.first_message_id;
    s.last_msg_at = c.last_msg_at;
    s.ticket = c.ticket;
    if (c.ticket) {
        auto t = tickets.get(c.ticket);
        s.ticket_closed = t && (t->status == "closed" || t->status == "solved");
    }
    s.unanswered_since = c.unanswered_since;
    s.unanswered_message_id = c.unanswered_message_id;
    return s;
}

// What the record shows of a message version: its text (or caption) and its files.
bool sameVisibleContent(const rules::ChatEvent& a, const rules::ChatEvent& b) {
    if (a.text != b.text || a.files.size() != b.files.size()) return false;
    for (std::size_t i = 0; i < a.files.size(); ++i)
        if (a.files[i].file_unique_id != b.files[i].file_unique_id) return false;
    return true;
}

// Telegram sends edited_message also for changes the bridge cannot see (research §1.2): an edit
// whose text and files equal the version before it would only add a noise line to the record.
bool isNoOpEdit(store::ChatStore& chats, const rules::ChatEvent& e, std::int64_t editDate) {
    auto before = chats.versionBefore(e.source, e.chat_id, e.message_id, editDate);
    if (!before) return false;
    std::string error;
    auto previous = parseStoredUpdate(before->bot, before->raw, error);
    return previous && sameVisibleContent(*previous, e);
}

// Records one Message or Edit; returns false when it was already recorded (or is an edit that
// changes nothing visible).
bool recordEntry(store::ChatStore& chats, store::TicketStore& tickets, const rules::ChatEvent& e, std::int64_t updateRow,
                 const ChatSettings& cs, std::int64_t now, ChatIngestStats& stats) {
    const bool edit = e.kind == rules::ChatEvent::Kind::Edit;
    std::optional<store::ConversationRow> conv =
        edit ? chats.conversationOfMessage(e.source, e.chat_id, e.message_id) : std::nullopt;
    if (!conv) conv = chats.latestConversation(e.source, e.chat_id, e.thread_key);
    std::optional<rules::ConversationState> current;
    if (conv) current = stateOf(*conv, tickets);
    rules::ChatDecision d = rules::decideChatEvent(e, current, cs.policy, now);
    if (d.ignore || (edit && !conv)) return true;
    if (!edit && chats.conversationOfMessage(e.source, e.chat_id, e.message_id)) return false;
    if (edit && isNoOpEdit(chats, e, std::max<std::int64_t>(e.edit_date, 1))) {
        log().information("chat %Ld message %Ld: edit without visible change, not recorded", static_cast<long long>(e.chat_id),
                          static_cast<long long>(e.message_id));
        return false;
    }
    if (d.new_conversation || !conv) {
        store::ConversationRow row;
        row.source = e.source;
        row.chat_id = e.chat_id;
        row.thread_key = e.thread_key;
        row.opened_at = e.date;
        row.first_message_id = e.message_id;
        row.last_msg_at = e.date;
        row.id = chats.createConversation(row);
        conv = row;
    }
    store::ChatEntryRow entry;
    entry.source = e.source;
    entry.chat_id = e.chat_id;
    entry.message_id = e.message_id;
    entry.edit_date = edit ? std::max<std::int64_t>(e.edit_date, 1) : 0;
    entry.conversation = conv->id;
    entry.role = rules::toString(d.role);
    entry.update_row = updateRow;
    entry.date = edit ? entry.edit_date : e.date;
    if (!chats.addEntry(entry)) return false;
    if (!edit) {
        conv->last_msg_at = d.last_msg_at;
        if (d.unanswered_changed) conv->alert_level = 0;
        conv->unanswered_since = d.unanswered_since;
        conv->unanswered_message_id = d.unanswered_message_id;
    }
    if (d.open_ticket && conv->subject.empty() && !conv->ticket) {
        conv->subject = d.subject;
        conv->record_from = d.record_from_message_id;
        ++stats.tickets;
    }
    if (d.refused) log().notice("chat %Ld message %Ld: %s", static_cast<long long>(e.chat_id), static_cast<long long>(e.message_id), d.reason);
    chats.saveConversation(*conv);
    return true;
}

}  // namespace

ChatIngestStats ChatIngest::drain(int limit) {
    ChatIngestStats stats;
    store::ChatStore chats(store_.db());
    store::TicketStore tickets(store_.db());
    for (const auto& u : chats.pendingUpdates(limit)) {
        store::Transaction tx(store_.db());
        std::string error;
        auto e = parseStoredUpdate(u.bot, u.raw, error);
        if (!e) {
            chats.finishUpdate(u.id, error.empty() ? "unparseable" : error);
            tx.commit();
            log().error("chat_update#%Ld: quarantined: %s", static_cast<long long>(u.id), error);
            ++stats.quarantined;
            continue;
        }
        using K = rules::ChatEvent::Kind;
        if (e->kind == K::Message || e->kind == K::Edit) {
            chats.noteChat(e->source, e->chat_id, e->chat_type, e->chat_title);
            ChatSettings cs = chatSettingsFor(settings_, e->chat_id, e->chat_type, e->source);
            if (recordEntry(chats, tickets, *e, u.id, cs, clock_(), stats)) ++stats.entries;
            else ++stats.duplicates;
        } else if (e->kind == K::Migration && e->migrate_to_chat_id) {
            chats.migrateChat(e->source, e->chat_id, e->migrate_to_chat_id);
            log().notice("chat %Ld became %Ld: conversations re-keyed", static_cast<long long>(e->chat_id),
                         static_cast<long long>(e->migrate_to_chat_id));
            ++stats.other;
        } else if (e->kind == K::Membership) {
            chats.setBotStatus(e->source, e->chat_id, e->member_status);
            if (e->chat_type != "private" && e->member_status == "member")
                log().warning("chat %Ld (%s): the bot is a plain member; unless privacy mode is off (@BotFather, then re-add "
                              "the bot) it sees only commands, so transcripts and unanswered alerts stay incomplete — make it an admin",
                              static_cast<long long>(e->chat_id), e->chat_title);
            ++stats.other;
        } else {
            ++stats.other;
        }
        chats.finishUpdate(u.id);
        tx.commit();
    }
    return stats;
}

}  // namespace postdesk::bridge
