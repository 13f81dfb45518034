#include "gateway/bridge/chat_sender.h"

#include <Poco/Logger.h>

#include <map>
#include <set>
#include <thread>

#include "gateway/bridge/chat_intake.h"
#include "gateway/bridge/chat_policy.h"
#include "gateway/store/outbox.h"
#include "gateway/store/ticket_store.h"
#include "mime/compose.h"

namespace postdesk::bridge {
namespace {

Poco::Logger& log() { return Poco::Logger::get("bridge"); }

constexpr int kMaxAttempts = 4;
constexpr std::int64_t kGroupPerMinute = 20;

std::string tag(const store::ChatOutboxRow& r) { return "chat_outbox#" + std::to_string(r.id); }

}  // namespace

ChatSender::ChatSender(store::Store& store, const config::Settings& settings, TelegramApi& api, Clock clock, Sleep sleep)
    : store_(store), settings_(settings), api_(api), clock_(std::move(clock)), sleep_(std::move(sleep)) {
    if (!sleep_) sleep_ = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

void ChatSender::paceChat(std::int64_t chatId) {
    auto last = lastSent_.find(chatId);
    if (last == lastSent_.end()) return;
    auto since = std::chrono::steady_clock::now() - last->second;
    if (since < std::chrono::seconds(1)) sleep_(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::seconds(1) - since));
}

bool ChatSender::groupWindowFull(std::int64_t chatId, std::int64_t now) {
    if (chatId >= 0) return false;  // private chats have positive ids; groups negative
    auto& sends = groupSends_[chatId];
    while (!sends.empty() && sends.front() <= now - 60) sends.pop_front();
    return static_cast<std::int64_t>(sends.size()) >= kGroupPerMinute;
}

ChatSendStats ChatSender::flush(int limit) {
    ChatSendStats stats;
    store::ChatStore chats(store_.db());
    std::set<std::int64_t> held;                  // chats told to wait (429) in this flush
    std::map<std::int64_t, std::int64_t> moved;  // group -> supergroup, learnt in this flush
    std::set<std::string> dead;                   // replies failed in this flush (their parts failed with them)
    auto replyOf = [](const std::string& dedupe) { return dedupe.substr(0, dedupe.rfind('#')); };
    for (auto row : chats.due(clock_(), limit)) {
        if (row.source != kTelegramBot) continue;  // other sources: webhook_reply.h
        if (dead.count(replyOf(row.dedupe))) continue;
        // Loaded before a migration this flush learnt of: the store has re-keyed it already.
        if (auto m = moved.find(row.chat_id); m != moved.end()) row.chat_id = m->second;
        if (held.count(row.chat_id)) continue;
        std::int64_t now = clock_();
        if (groupWindowFull(row.chat_id, now)) {
            chats.postpone(row.id, "group limit: 20 messages per minute", groupSends_[row.chat_id].front() + 60);
            ++stats.deferred;
            continue;
        }
        for (int hop = 0; hop < 2; ++hop) {  // a second go after a migration
            paceChat(row.chat_id);
            OutgoingMessage m{row.chat_id, row.text, row.thread_key, row.reply_to};
            BotResult<std::int64_t> r = api_.sendMessage(m);
            lastSent_[row.chat_id] = std::chrono::steady_clock::now();
            if (row.chat_id < 0) groupSends_[row.chat_id].push_back(clock_());
            if (r.ok()) {
                delivered(row, *r.value);
                ++stats.sent;
                break;
            }
            const std::string why = r.error.description.empty() ? r.outcome.message : r.error.description;
            if (r.error.migrate_to_chat_id && hop == 0) {
                store::Transaction tx(store_.db());  // the chat, its conversations and queued rows move together
                chats.migrateChat(row.source, row.chat_id, r.error.migrate_to_chat_id);
                tx.commit();
                moved[row.chat_id] = r.error.migrate_to_chat_id;
                log().notice("%s: chat %Ld became %Ld; sending there", tag(row), static_cast<long long>(row.chat_id),
                             static_cast<long long>(r.error.migrate_to_chat_id));
                row.chat_id = r.error.migrate_to_chat_id;
                continue;
            }
            if (r.error.error_code == 429) {
                std::int64_t wait = std::max<std::int64_t>(r.error.retry_after, 1);
                chats.postpone(row.id, why, clock_() + wait);  // flood control is not a failed attempt
                held.insert(row.chat_id);
                log().warning("%s: flood control, retry in %Ld s", tag(row), static_cast<long long>(wait));
                ++stats.deferred;
            } else if (r.error.error_code == 403) {
                chats.setActive(row.source, row.chat_id, false);
                failed(row, why);
                dead.insert(replyOf(row.dedupe));
                held.insert(row.chat_id);  // blocked or removed: nothing more to this chat now
                ++stats.failed;
            } else if (r.outcome.kind == net::OutcomeKind::Config) {
                chats.defer(row.id, why, clock_() + 300);
                log().error("%s: the Bot API refused the token (%s); check [telegram] token", tag(row), why);
                ++stats.deferred;
                return stats;
            } else if (r.outcome.kind == net::OutcomeKind::Temporary && row.attempts + 1 < kMaxAttempts) {
                std::int64_t backoff = std::min<std::int64_t>(30LL << row.attempts, 3600);
                chats.defer(row.id, why, clock_() + backoff);
                log().warning("%s: %s; retry in %Ld s", tag(row), why, static_cast<long long>(backoff));
                ++stats.deferred;
            } else {
                failed(row, why);
                dead.insert(replyOf(row.dedupe));
                ++stats.failed;
            }
            break;
        }
    }
    return stats;
}

void ChatSender::delivered(const store::ChatOutboxRow& row, std::int64_t messageId) {
    store::Transaction tx(store_.db());
    store::ChatStore chats(store_.db());
    markChatMessageDelivered(chats, row, messageId, clock_());
    if (row.kind == "reply" && row.ticket)
        store::TicketStore(store_.db()).addEvent(row.ticket, "chat-delivered", "message " + std::to_string(messageId), clock_());
    tx.commit();
}

void markChatMessageDelivered(store::ChatStore& chats, const store::ChatOutboxRow& row, std::int64_t messageId, std::int64_t now) {
    chats.markSent(row.id, messageId, now);
    if (row.kind != "reply" || !row.conversation) return;
    if (auto c = chats.conversation(row.conversation)) {  // the agent answered: nothing waits any more
        c->unanswered_since = 0;
        c->unanswered_message_id = 0;
        c->alert_level = 0;
        chats.saveConversation(*c);
    }
}

void ChatSender::failed(const store::ChatOutboxRow& row, const std::string& reason) { failChatMessage(store_, settings_, row, reason, clock_()); }

void failChatMessage(store::Store& store, const config::Settings& settings, const store::ChatOutboxRow& row, const std::string& reason,
                     std::int64_t now) {
    store::Transaction tx(store.db());
    store::ChatStore chats(store.db());
    chats.fail(row.id, reason);
    log().error("%s: not delivered to chat %Ld: %s", tag(row), static_cast<long long>(row.chat_id), reason);
    // The reply's later parts would arrive without the start: fail them with it, and tell the
    // agent once, with everything the customer has not seen.
    std::string unseen = row.text;
    if (row.kind == "reply")
        for (const auto& part : chats.pendingParts(row.dedupe)) {
            chats.fail(part.id, "an earlier part was not delivered: " + reason);
            unseen += "\n\n" + part.text;
        }
    if (row.kind == "reply" && !row.agent_address.empty()) {
        const std::string from = intakeAddressFor(settings, settings.telegram.queue);
        mime::OutgoingMail mail;
        mail.from = {"postdesk", from};
        mail.to = {{"", row.agent_address}};
        mail.subject = "Not delivered to " + row.source + (row.ticket ? ": ticket #" + std::to_string(row.ticket) : std::string());
        mail.message_id = "chat-undelivered." + std::to_string(row.id) + "@" + settings.telegram.bridge_domain;
        mail.extra_headers = {{"Auto-Submitted", "auto-generated"}};
        mail.date_epoch = now;
        mail.text = "Your reply" + (row.ticket ? " on ticket #" + std::to_string(row.ticket) : std::string()) + " could not be delivered to the " +
                    row.source + " chat " + std::to_string(row.chat_id) + ":\n\n  " + reason +
                    "\n\nThe customer has not seen this text:\n\n" + unseen + "\n";
        mime::ComposeResult composed = mime::composeMail(mail);
        if (composed.error.empty())
            store::Outbox(store.db()).enqueue({row.ticket ? std::optional<std::int64_t>(row.ticket) : std::nullopt, "explain", mail.message_id, from,
                                               {row.agent_address}, composed.bytes, ""},
                                              now);
        if (row.ticket) store::TicketStore(store.db()).addEvent(row.ticket, "chat-failed", reason, now);
    }
    tx.commit();
}

}  // namespace postdesk::bridge
