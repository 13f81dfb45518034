// postdesk::bridge — chat ingest: stored chat updates -> chat entries and conversations.
//
// For each `received` chat_update, in one transaction: parse it (telegram_update.h), ask the pure
// core what it means (rules::decideChatEvent), write the entry, the conversation and its
// unanswered state, and mark the update done. A message or edit already recorded (a redelivery,
// a webhook/polling switch) changes nothing, and neither does an edit that shows no visible
// change (the same text and files as the version before it: Telegram sends those too). An update
// that does not parse is quarantined with its error and raw JSON; the next one goes on.
// Migrations re-key the chat; the bot's membership
// is noted (and a bot that cannot read a group is logged: research §1.6).
// Opening records and follow-ups are composed later (chat_records.h), outside this transaction,
// because they may fetch files from the network. Throws DbError (the stage loop retries).
#pragma once

#include "gateway/config/config.h"
#include "gateway/store/store.h"
#include "gateway/util/clock.h"

namespace postdesk::bridge {

struct ChatIngestStats {
    int entries = 0;      // messages and edits recorded
    int duplicates = 0;
    int tickets = 0;      // conversations that asked for a ticket
    int quarantined = 0;
    int other = 0;        // updates with nothing to record
};

class ChatIngest {
public:
    ChatIngest(store::Store& store, const config::Settings& settings, Clock clock = systemNow)
        : store_(store), settings_(settings), clock_(std::move(clock)) {}
    ChatIngestStats drain(int limit = 1000);

private:
    store::Store& store_;
    const config::Settings& settings_;
    Clock clock_;
};

}  // namespace postdesk::bridge
