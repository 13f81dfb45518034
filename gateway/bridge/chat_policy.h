// postdesk::bridge — the settings one chat runs under: [telegram] with the chat's own
// [telegram.chat.ID] overrides applied, as the pure core's rules::ChatPolicy plus the queue its
// tickets go to. Pure over the loaded configuration.
#pragma once

#include <cstdint>
#include <string>

#include "gateway/config/config.h"
#include "rules/chat_conversation.h"

namespace postdesk::bridge {

struct ChatSettings {
    rules::ChatPolicy policy;
    std::string queue;
};

// `source` "telegram" takes [telegram] and [telegram.chat.ID]; any other source (the generic
// webhook) takes the same timings and agents but [webhook] queue, and no per-chat overrides.
ChatSettings chatSettingsFor(const config::Settings& settings, std::int64_t chatId, const std::string& chatType,
                             const std::string& source = "telegram");

// The intake address a chat's records are addressed to: the queue's mailbox, else the first one.
std::string intakeAddressFor(const config::Settings& settings, const std::string& queue);

}  // namespace postdesk::bridge
