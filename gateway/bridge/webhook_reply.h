// postdesk::bridge — agents' replies to chats that came in through the generic signed webhook
// (docs/CHAT_WEBHOOK.md, "Replies"): each chat outbox row of a non-Telegram source is POSTed as
// signed JSON to [webhook] reply_url, with the same HMAC scheme the sender uses towards us.
//
//   {"event_id":"<dedupe key>","source":"slack","chat":{"id":…},"thread":0,"reply_to":1040,
//    "ticket":12,"kind":"reply","text":"Bob Miller (ticket #12): …"}
//
// Guarantees: 2xx marks the row sent; 429, 5xx and network errors are retried with backoff (at
// most 4 attempts); any other answer, or no reply_url configured, fails the row and mails the
// agent what was not delivered (chat_sender.h failChatMessage). event_id is stable across
// retries, so the receiver can drop a duplicate after an ambiguous timeout.
#pragma once

#include "gateway/bridge/chat_sender.h"
#include "gateway/config/config.h"
#include "gateway/store/store.h"
#include "gateway/util/clock.h"

namespace postdesk::bridge {

class WebhookReplies {
public:
    WebhookReplies(store::Store& store, const config::Settings& settings, Clock clock = systemNow)
        : store_(store), settings_(settings), clock_(std::move(clock)) {}
    ChatSendStats flush(int limit = 200);

private:
    store::Store& store_;
    const config::Settings& settings_;
    Clock clock_;
};

}  // namespace postdesk::bridge
