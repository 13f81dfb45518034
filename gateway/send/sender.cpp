#include "gateway/send/sender.h"

#include <Poco/Logger.h>

#include <algorithm>

#include "gateway/intake/imap_intake.h"
#include "gateway/net/imap_client.h"
#include "gateway/store/outbox.h"
#include "gateway/store/ticket_store.h"

namespace postdesk::send {
namespace {

Poco::Logger& log() { return Poco::Logger::get("send"); }

std::string tag(const store::OutboxRow& row) { return "outbox#" + std::to_string(row.id); }

}  // namespace

SmtpSettings smtpSettings(const config::SmtpConfig& c) {
    SmtpSettings s;
    s.url = c.url;
    s.user = c.user;
    s.password = c.password;
    s.ca_file = c.ca_file;
    s.helo = c.helo;
    s.tls = c.tls == config::Tls::Implicit ? SmtpTls::Implicit : c.tls == config::Tls::None ? SmtpTls::None : SmtpTls::StartTls;
    s.connect_timeout_ms = c.connect_timeout * 1000;
    s.timeout_ms = c.timeout * 1000;
    return s;
}

Sender::Sender(store::Store& store, const config::Settings& settings, Clock clock)
    : store_(store), settings_(settings), clock_(std::move(clock)), smtp_(smtpSettings(settings.smtp)) {}

SendStats Sender::flush(int limit) {
    SendStats stats;
    store::Outbox outbox(store_.db());
    std::int64_t lastId = 0;
    for (int n = 0; n < limit; ++n) {
        std::optional<store::OutboxRow> row;
        try {
            row = outbox.claim(clock_(), lastId);
        } catch (const std::exception& e) {  // SQLITE_BUSY under load: the next flush goes on
            log().warning("outbox: %s", std::string(e.what()));
            break;
        }
        if (!row) break;
        lastId = row->id;
        deliverOne(*row, stats);
    }
    copyToSent(stats);
    return stats;
}

void Sender::deliverOne(store::OutboxRow& row, SendStats& stats) {
    store::Outbox outbox(store_.db());
    net::Outcome o = smtp_.send(row.mail_from, row.recipients, row.bytes);
    std::int64_t now = clock_();
    if (o.ok()) {
        outbox.markSent(row.id, now);
        log().information("%s: sent <%s> to %s", tag(row), row.message_id, std::to_string(row.recipients.size()) + " recipient(s)");
        ++stats.sent;
        return;
    }
    const auto& s = settings_.send;
    bool expired = now - row.created_at > s.max_lifetime;
    if (o.kind == net::OutcomeKind::Permanent || expired) {
        std::string why = expired ? "gave up after " + std::to_string(s.max_lifetime) + " s: " + o.message : o.message;
        outbox.fail(row.id, why);
        if (row.ticket) store::TicketStore(store_.db()).addEvent(*row.ticket, "send-failed", row.kind + " <" + row.message_id + ">: " + why, now);
        log().error("%s: failed: %s", tag(row), why);
        ++stats.failed;
        return;
    }
    std::int64_t delay = std::clamp<std::int64_t>(s.retry_floor << std::min<std::int64_t>(row.attempts, 20), s.retry_floor, s.retry_ceiling);
    outbox.defer(row.id, o.message, now + delay);
    log().warning("%s: deferred %ds: %s", tag(row), static_cast<int>(delay), o.message);
    ++stats.deferred;
}

// The copy in the Sent folder makes the answer visible to everyone who shares the mailbox, as a
// delegate's "send on behalf" does.
void Sender::copyToSent(SendStats& stats) {
    store::Outbox outbox(store_.db());
    auto rows = outbox.sentWithoutCopy();
    std::map<std::string, std::unique_ptr<net::ImapClient>> sessions;
    for (const auto& row : rows) {
        auto mb = std::find_if(settings_.mailboxes.begin(), settings_.mailboxes.end(), [&](const auto& m) { return m.name == row.mailbox; });
        if (mb == settings_.mailboxes.end()) {
            outbox.markCopied(row.id);  // the mailbox was removed from the configuration
            continue;
        }
        auto& client = sessions[row.mailbox];
        if (!client) {
            client = std::make_unique<net::ImapClient>();
            if (auto o = client->connect(intake::imapSettings(*mb, 25u << 20)); !o.ok()) {
                log().warning("%s: Sent copy deferred: %s", tag(row), o.message);
                continue;
            }
        }
        if (auto o = client->append(mb->sent_folder, row.bytes, "(\\Seen)"); !o.ok()) {
            log().warning("%s: Sent copy deferred: %s", tag(row), o.message);
            client.reset();
            continue;
        }
        outbox.markCopied(row.id);
        ++stats.copied;
    }
    for (auto& [name, client] : sessions)
        if (client) client->logout();
}

}  // namespace postdesk::send
