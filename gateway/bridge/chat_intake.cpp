#include "gateway/bridge/chat_intake.h"

#include <algorithm>

#include "gateway/bridge/telegram_update.h"
#include "gateway/store/chat_store.h"
#include "mime/digest.h"

namespace postdesk::bridge {

ChatReceiveResult ChatIntake::pollOnce(int timeoutSeconds) {
    ChatReceiveResult result;
    store::ChatStore chats(store_.db());
    GetUpdatesRequest request;
    request.offset = chats.nextOffset(kTelegramBot);
    request.timeout_s = timeoutSeconds;
    request.allowed_updates = std::vector<std::string>{"message", "edited_message", "channel_post", "edited_channel_post", "my_chat_member"};
    BotResult<std::vector<RawUpdate>> updates = api_.getUpdates(request);
    result.outcome = updates.outcome;
    if (!updates.ok()) return result;
    result.received = static_cast<int>(updates.value->size());
    if (updates.value->empty()) {
        store::Transaction tx(store_.db());
        chats.setCursor(kTelegramBot, request.offset, clock_());  // the health check's "last good poll"
        tx.commit();
        return result;
    }
    std::int64_t next = request.offset;
    store::Transaction tx(store_.db());
    for (const auto& u : *updates.value) {
        if (chats.addUpdate(kTelegramBot, std::to_string(u.update_id), u.json, clock_())) ++result.stored;
        next = std::max(next, u.update_id + 1);
    }
    chats.setCursor(kTelegramBot, next, clock_());
    tx.commit();
    return result;
}

std::optional<rules::ChatEvent> parseStoredUpdate(const std::string& bot, std::string_view raw, std::string& error) {
    return bot == kTelegramBot ? parseTelegramUpdate(raw, error) : parseWebhookEvent(raw, error);
}

std::string updateKeyOf(const std::string& bot, const std::string& raw) {
    std::string error;
    auto event = parseStoredUpdate(bot, raw, error);
    if (event) return bot == kTelegramBot ? std::to_string(event->update_id) : event->source + ":" + event->event_id;
    return "sha256:" + mime::sha256Hex(raw);
}

bool storeWebhookUpdate(store::Store& store, const std::string& bot, const std::string& key, const std::string& raw, std::int64_t now) {
    store::Transaction tx(store.db());
    bool added = store::ChatStore(store.db()).addUpdate(bot, key, raw, now);
    tx.commit();
    return added;
}

}  // namespace postdesk::bridge
