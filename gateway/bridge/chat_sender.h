// postdesk::bridge — the chat outbox: what the bot posts (ticket notices, agents' email replies)
// delivered with sendMessage, within Telegram's limits (research §1.5, §4.7).
//
// Guarantees:
// - Rate limits: at most 1 message per second into one chat (the sender waits), at most 20 per
//   minute into one group (the rest are deferred to when the window allows).
// - 429: the row waits `retry_after` seconds (from the response body) and the chat gets nothing
//   more in this flush. Waiting for a rate limit (429 or the group window) uses up no attempt. A
//   group that became a supergroup (400 with migrate_to_chat_id): the chat, its conversations and
//   queued rows are re-keyed in one transaction, the row is sent again at once, and the flush's
//   later rows for that group go straight to the supergroup. 403 (bot blocked or removed): the
//   chat is marked inactive and the row fails. Network trouble and 5xx: backoff, at most 4
//   attempts. A 401/404 (bad token) defers everything and is logged.
// - A reply that fails for good is mailed back to the agent who wrote it, with the reason and the
//   text (outbox kind "explain"), once; a delivered reply counts as the chat's answer
//   (unanswered_since cleared) and is noted on the ticket.
// Each row's state change is its own transaction, written after the API answered: a crash between
// the two resends at most that one message (sendMessage is not idempotent; logged as possible).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>

#include "gateway/bridge/telegram_api.h"
#include "gateway/config/config.h"
#include "gateway/store/chat_store.h"
#include "gateway/store/store.h"
#include "gateway/util/clock.h"

namespace postdesk::bridge {

struct ChatSendStats {
    int sent = 0, deferred = 0, failed = 0;
};

class ChatSender {
public:
    using Sleep = std::function<void(std::chrono::milliseconds)>;
    ChatSender(store::Store& store, const config::Settings& settings, TelegramApi& api, Clock clock = systemNow, Sleep sleep = {});
    ChatSendStats flush(int limit = 200);

private:
    void delivered(const store::ChatOutboxRow& row, std::int64_t messageId);
    void failed(const store::ChatOutboxRow& row, const std::string& reason);
    void paceChat(std::int64_t chatId);
    bool groupWindowFull(std::int64_t chatId, std::int64_t now);

    store::Store& store_;
    const config::Settings& settings_;
    TelegramApi& api_;
    Clock clock_;
    Sleep sleep_;
    std::map<std::int64_t, std::chrono::steady_clock::time_point> lastSent_;  // per chat
    std::map<std::int64_t, std::deque<std::int64_t>> groupSends_;              // per group: send times
};

// Marks a chat outbox row sent and, for an agent's reply, ends its conversation's wait for an
// answer (unanswered_since and the alert level reset). Part of the caller's transaction. Shared by
// every outbound chat route.
void markChatMessageDelivered(store::ChatStore& chats, const store::ChatOutboxRow& row, std::int64_t messageId, std::int64_t now);

// Marks a chat outbox row failed and, for an agent's reply, queues the "Not delivered" mail to the
// agent with the reason and the text, in one transaction. Shared by every outbound chat route.
void failChatMessage(store::Store& store, const config::Settings& settings, const store::ChatOutboxRow& row, const std::string& reason,
                     std::int64_t now);

}  // namespace postdesk::bridge
