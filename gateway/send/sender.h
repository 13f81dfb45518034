// postdesk::send — the sender stage: outbox rows to SMTP, then a copy into the Sent folder.
//
//   claim a due row -> SMTP (one connection reused for the flush) -> sent | deferred | failed
//   -> for sent rows of a mailbox: IMAP APPEND to its Sent folder -> mark copied
// Guarantees: the Message-ID is the one assigned at enqueue (the bytes never change), so a
// retry resends the same mail; 4xx and network failures defer the row with a capped exponential
// backoff stored in the row (Postfix qmgr); 5xx fails it, visibly on the ticket (an event) and
// in the log; a row older than `max_lifetime` fails instead of retrying forever. A Sent copy that
// cannot be appended now is appended on a later flush. Never throws.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "gateway/config/config.h"
#include "gateway/send/smtp_client.h"
#include "gateway/store/outbox.h"
#include "gateway/store/store.h"
#include "gateway/util/clock.h"

namespace postdesk::send {

struct SendStats {
    int sent = 0, deferred = 0, failed = 0, copied = 0;
};

class Sender {
public:
    Sender(store::Store& store, const config::Settings& settings, Clock clock = systemNow);
    SendStats flush(int limit = 1 << 30);

private:
    void deliverOne(store::OutboxRow& row, SendStats& stats);
    void copyToSent(SendStats& stats);

    store::Store& store_;
    const config::Settings& settings_;
    Clock clock_;
    SmtpClient smtp_;
};

SmtpSettings smtpSettings(const config::SmtpConfig& smtp);

}  // namespace postdesk::send
