#include "gateway/bridge/chat_bridge.h"

#include "gateway/bridge/chat_alerts.h"
#include "gateway/bridge/webhook_reply.h"
#include "gateway/store/chat_store.h"

namespace postdesk::bridge {

TelegramSettings telegramSettings(const config::TelegramConfig& c) {
    TelegramSettings s;
    s.api_base = c.api_base;
    s.token = c.token;
    s.ca_file = c.ca_file;
    return s;
}

ChatBridge::ChatBridge(store::Store& store, const config::Settings& settings, Clock clock)
    : store_(store), settings_(settings), clock_(std::move(clock)) {
    if (settings_.telegram.enabled()) api_ = std::make_unique<TelegramApi>(telegramSettings(settings_.telegram));
}

bool ChatBridge::enabled() const { return api_ || !settings_.chat_webhook.secret.empty(); }
bool ChatBridge::polls() const { return api_ && settings_.telegram.mode == "poll"; }

ChatReceiveResult ChatBridge::receive(int timeoutSeconds) {
    if (!polls()) return {};
    return ChatIntake(store_, *api_, clock_).pollOnce(timeoutSeconds);
}

ChatIngestStats ChatBridge::ingestUpdates() { return ChatIngest(store_, settings_, clock_).drain(); }
ChatRecordStats ChatBridge::openRecords() { return ChatRecords(store_, settings_, api_.get(), clock_).openRecords(); }
ChatRecordStats ChatBridge::linkTickets() { return ChatRecords(store_, settings_, api_.get(), clock_).linkTickets(); }
ChatRecordStats ChatBridge::followUps(bool force) { return ChatRecords(store_, settings_, api_.get(), clock_).followUps(force); }
int ChatBridge::alerts() { return ChatAlerts(store_, settings_, clock_).run(); }

ChatSendStats ChatBridge::flush() {
    ChatSendStats stats;
    if (api_) {
        if (!sender_) sender_ = std::make_unique<ChatSender>(store_, settings_, *api_, clock_);
        stats = sender_->flush();
    }
    ChatSendStats other = WebhookReplies(store_, settings_, clock_).flush();
    return {stats.sent + other.sent, stats.deferred + other.deferred, stats.failed + other.failed};
}

std::string ChatBridge::healthWarning(std::int64_t hours) {
    if (!polls()) return {};
    std::int64_t last = store::ChatStore(store_.db()).polledAt(kTelegramBot);
    if (last && clock_() - last > hours * 3600)
        return "Telegram: no successful getUpdates for " + std::to_string((clock_() - last) / 3600) +
               " h; Telegram drops updates after 24 h";
    return {};
}

}  // namespace postdesk::bridge
