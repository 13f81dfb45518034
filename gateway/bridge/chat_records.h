// postdesk::bridge — the formal email record of each chat conversation (research §4.6), filed
// through the same inbound queue as any mail, so rules, threading, agent notifications and the
// ticket all work as for email.
//
//   openRecords()  conversations that asked for a ticket -> the opening record, queued in inbound
//   linkTickets()  records ingest has filed -> conversation.ticket, and the bot's "Ticket #N
//                  created" notice queued for the chat
//   followUps()    later messages and edits on a ticketed conversation -> one threaded digest mail
//                  per conversation, at most every digest_minutes (never one mail per line)
//
// Guarantees: a record's Message-ID is deterministic (tg.<chat>.<conversation>.<seq>@<bridge
// domain>), and the record, the entries it covers (marked recorded) and the conversation's new
// state are committed in one transaction, so a crash re-composes the same mail and inbound's
// dedupe key files it once. Files are fetched (getFile, <= 20 MB) before that transaction and
// cached in chat_file + the attachment store; one that cannot be fetched is named in the
// transcript as not retrievable, never silently dropped. Throws DbError from the store.
#pragma once

#include "gateway/bridge/telegram_api.h"
#include "gateway/config/config.h"
#include "gateway/store/chat_store.h"
#include "gateway/store/store.h"
#include "gateway/util/clock.h"
#include "replies/chat_record.h"

namespace postdesk::bridge {

inline constexpr std::int64_t kTelegramMaxDownload = 20 << 20;  // "bots can download files of up to 20MB"

struct ChatRecordStats {
    int opened = 0;     // opening records queued
    int linked = 0;     // conversations linked to their ticket
    int follow_ups = 0; // digests queued
    int failed = 0;     // records that could not be composed (logged; retried next pass)
};

class ChatRecords {
public:
    // `api` may be null (no Telegram bot configured): files are then listed as not retrievable.
    ChatRecords(store::Store& store, const config::Settings& settings, TelegramApi* api, Clock clock = systemNow)
        : store_(store), settings_(settings), api_(api), clock_(std::move(clock)) {}

    ChatRecordStats openRecords();
    ChatRecordStats linkTickets();
    // `force`: ignore digest_minutes (a final flush).
    ChatRecordStats followUps(bool force = false);

private:
    replies::ChatTranscript transcriptOf(const store::ConversationRow& c, const std::vector<store::ChatEntryRow>& entries);
    void fetchFiles(const std::string& source, const std::vector<rules::ChatFile>& files, replies::ChatTranscript& t);
    bool queueRecord(store::ConversationRow c, const std::vector<store::ChatEntryRow>& entries, bool followUp);

    store::Store& store_;
    const config::Settings& settings_;
    TelegramApi* api_;
    Clock clock_;
};

}  // namespace postdesk::bridge
