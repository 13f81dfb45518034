// postdesk::bridge — chat intake: updates from Telegram (getUpdates, or the webhook) and from the
// generic signed webhook, stored verbatim in chat_update before anyone is told they arrived.
//
// Guarantees (research §4.2): pollOnce() asks for updates from the stored offset, then stores the
// whole batch AND the next offset in one transaction; only the next call's offset confirms them
// to Telegram. A crash anywhere before that commit means Telegram serves the same updates again,
// and (bot, update_id) UNIQUE makes storing them twice harmless. storeWebhookUpdate() commits
// before the HTTP handler answers 200. Throws DbError only from the store (the caller's loop
// catches it); Bot API failures come back as the Outcome.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/bridge/telegram_api.h"
#include "gateway/net/outcome.h"
#include "gateway/store/store.h"
#include "gateway/util/clock.h"
#include "rules/chat_event.h"

namespace postdesk::bridge {

inline constexpr const char* kTelegramBot = "telegram";  // chat_update.bot of Telegram updates
inline constexpr const char* kWebhookBot = "webhook";    // ... and of the generic webhook's events

struct ChatReceiveResult {
    net::Outcome outcome;
    int received = 0;  // updates in the answer
    int stored = 0;    // of those, new to the store
};

class ChatIntake {
public:
    ChatIntake(store::Store& store, TelegramApi& api, Clock clock = systemNow) : store_(store), api_(api), clock_(std::move(clock)) {}
    ChatReceiveResult pollOnce(int timeoutSeconds);

private:
    store::Store& store_;
    TelegramApi& api_;
    Clock clock_;
};

// One update delivered by a webhook: `key` is the update_id or event_id (for a body that does
// not parse, its SHA-256, so it is kept and quarantined by chat ingest). True when new.
bool storeWebhookUpdate(store::Store& store, const std::string& bot, const std::string& key, const std::string& raw, std::int64_t now);

// A stored update parsed with its bot's parser: Telegram's for kTelegramBot, else the generic
// webhook's (telegram_update.h). nullopt with `error` set when it does not parse.
std::optional<rules::ChatEvent> parseStoredUpdate(const std::string& bot, std::string_view raw, std::string& error);

// The key an incoming body is stored under: "update_id"/"event_id" when the JSON has one, else
// "sha256:<hex of the body>".
std::string updateKeyOf(const std::string& bot, const std::string& raw);

}  // namespace postdesk::bridge
