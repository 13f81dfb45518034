// postdesk::bridge — unanswered chat messages (research §4.8): a customer's message that no agent
// has answered for the chat's threshold gets an alert mail to the queue's agents; at twice the
// threshold an escalated one. Each (conversation, unanswered_since, level) is sent once (the
// chat_alert key), in the same transaction as the outbox mail and the conversation's new level.
// Agent messages in the chat and replies the bot relayed clear unanswered_since (chat_ingest.h,
// chat_sender.h), which ends the streak. Throws DbError from the store.
#pragma once

#include "gateway/config/config.h"
#include "gateway/store/store.h"
#include "gateway/util/clock.h"

namespace postdesk::bridge {

class ChatAlerts {
public:
    ChatAlerts(store::Store& store, const config::Settings& settings, Clock clock = systemNow)
        : store_(store), settings_(settings), clock_(std::move(clock)) {}
    int run();  // alerts queued

private:
    store::Store& store_;
    const config::Settings& settings_;
    Clock clock_;
};

}  // namespace postdesk::bridge
