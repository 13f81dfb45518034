// postdesk::bridge — the chat bridge's stages in the order one pass runs them (STYLE.md §1):
//
//   receive()        Telegram getUpdates -> chat_update            (poll mode; webhooks store directly)
//   ingestUpdates()  chat_update -> entries, conversations          (chat_ingest.h)
//   openRecords()    conversations that want a ticket -> inbound     (chat_records.h)
//     ... mail ingest files the records as tickets ...
//   linkTickets()    filed records -> conversation.ticket + notice   (chat_records.h)
//   followUps()      later chat lines -> a threaded digest in inbound
//   alerts()         unanswered customers -> alert mails in outbox   (chat_alerts.h)
//   flush()          chat_outbox -> sendMessage                      (chat_sender.h)
//
// `poll --once` runs them once around the mail intake; `serve` runs receive() in its own thread
// (long poll) and the rest in a loop. Each stage commits its own work, so any order of crashes
// leaves every update either still `received` or fully recorded. Throws DbError from the store.
#pragma once

#include <memory>
#include <string>

#include "gateway/bridge/chat_ingest.h"
#include "gateway/bridge/chat_intake.h"
#include "gateway/bridge/chat_records.h"
#include "gateway/bridge/chat_sender.h"
#include "gateway/bridge/telegram_api.h"
#include "gateway/config/config.h"
#include "gateway/store/store.h"
#include "gateway/util/clock.h"

namespace postdesk::bridge {

class ChatBridge {
public:
    ChatBridge(store::Store& store, const config::Settings& settings, Clock clock = systemNow);

    bool enabled() const;      // a Telegram bot or the generic webhook is configured
    bool polls() const;        // Telegram in poll mode
    ChatReceiveResult receive(int timeoutSeconds);
    ChatIngestStats ingestUpdates();
    ChatRecordStats openRecords();
    ChatRecordStats linkTickets();
    ChatRecordStats followUps(bool force = false);
    int alerts();
    ChatSendStats flush();
    // Warns when polling has not succeeded for `hours` (Telegram keeps updates 24 h only).
    std::string healthWarning(std::int64_t hours = 6);

private:
    store::Store& store_;
    const config::Settings& settings_;
    Clock clock_;
    std::unique_ptr<TelegramApi> api_;  // null without [telegram] token
    std::unique_ptr<ChatSender> sender_;  // kept: its per-chat pacing spans flushes
};

TelegramSettings telegramSettings(const config::TelegramConfig& config);

}  // namespace postdesk::bridge
