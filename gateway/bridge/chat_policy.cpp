#include "gateway/bridge/chat_policy.h"

namespace postdesk::bridge {

ChatSettings chatSettingsFor(const config::Settings& s, std::int64_t chatId, const std::string& chatType, const std::string& source) {
    const config::TelegramConfig& t = s.telegram;
    ChatSettings out;
    out.queue = t.queue;
    out.policy.mode = rules::defaultMode(chatType);
    out.policy.idle_window_s = t.idle_minutes * 60LL;
    out.policy.unanswered_s = t.unanswered_minutes * 60LL;
    for (const auto& [userId, agent] : t.agents) out.policy.agents.insert(userId);
    if (source != "telegram") {
        out.queue = s.chat_webhook.queue;
        return out;
    }
    auto o = t.chats.find(chatId);
    if (o == t.chats.end()) return out;
    if (o->second.mode) out.policy.mode = rules::chatModeFromString(*o->second.mode).value_or(out.policy.mode);
    if (o->second.keywords) out.policy.keywords_regex = *o->second.keywords;
    if (o->second.unanswered_minutes) out.policy.unanswered_s = *o->second.unanswered_minutes * 60LL;
    if (o->second.idle_minutes) out.policy.idle_window_s = *o->second.idle_minutes * 60LL;
    if (o->second.queue) out.queue = *o->second.queue;
    return out;
}

std::string intakeAddressFor(const config::Settings& s, const std::string& queue) {
    for (const auto& m : s.mailboxes)
        if (m.queue == queue) return m.address;
    return s.mailboxes.empty() ? "support@" + s.telegram.bridge_domain : s.mailboxes.front().address;
}

}  // namespace postdesk::bridge
