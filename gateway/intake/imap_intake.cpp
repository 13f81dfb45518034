#include "gateway/intake/imap_intake.h"

#include <Poco/Logger.h>

#include <algorithm>

#include "gateway/store/inbound_queue.h"
#include "mime/identity.h"

namespace postdesk::intake {
namespace {

Poco::Logger& log() { return Poco::Logger::get("intake"); }

net::TlsMode tlsMode(config::Tls tls) {
    switch (tls) {
        case config::Tls::Implicit: return net::TlsMode::Implicit;
        case config::Tls::StartTls: return net::TlsMode::StartTls;
        case config::Tls::None: return net::TlsMode::None;
    }
    return net::TlsMode::StartTls;
}

}  // namespace

net::ImapSettings imapSettings(const config::MailboxSettings& m, std::size_t maxMessageBytes) {
    net::ImapSettings s;
    s.url = m.url;
    s.user = m.user;
    s.password = m.password;
    s.tls = tlsMode(m.tls);
    s.ca_file = m.ca_file;
    s.connect_timeout_ms = m.connect_timeout * 1000;
    s.command_timeout_ms = m.command_timeout * 1000;
    s.fetch_batch = static_cast<std::size_t>(m.batch_size);
    // Larger than the parser's limit, so an oversized mail is stored and quarantined with its
    // bytes instead of breaking the session on every pass.
    s.max_message_bytes = std::max<std::size_t>(maxMessageBytes * 4, std::size_t{128} << 20);
    return s;
}

ImapIntake::ImapIntake(store::Store& store, config::MailboxSettings mailbox, Clock clock)
    : store_(store), mailbox_(std::move(mailbox)), clock_(std::move(clock)) {}

net::Outcome ImapIntake::ensureSession() {
    if (sessionOpen_) return net::Outcome::success();
    processedFolderReady_ = false;
    net::Outcome o = client_.connect(imapSettings(mailbox_, 25u << 20));
    sessionOpen_ = o.ok();
    return o;
}

IntakeResult ImapIntake::pollOnce() {
    IntakeResult result = pass();
    if (!result.outcome.ok()) sessionOpen_ = false;  // start the next pass from a fresh login
    return result;
}

IntakeResult ImapIntake::pass() {
    IntakeResult result;
    if (result.outcome = ensureSession(); !result.outcome.ok()) return result;
    auto status = client_.select(mailbox_.folder);
    if (!status.ok()) {
        result.outcome = status.outcome();
        return result;
    }
    store::InboundQueue queue(store_.db());
    std::int64_t validity = status->uidvalidity;
    auto cursor = queue.cursor(mailbox_.name, mailbox_.folder);
    bool rescan = cursor && cursor->uidvalidity != validity;
    if (rescan)
        log().warning("mailbox %s: UIDVALIDITY of %s changed from %s to %s: rescanning, importing only new mail",
                      mailbox_.name, mailbox_.folder, std::to_string(cursor->uidvalidity), std::to_string(validity));
    std::int64_t lastUid = cursor && !rescan ? cursor->last_uid : 0;
    if (rescan) queue.setCursor(mailbox_.name, mailbox_.folder, {validity, 0});  // log the change once
    if (result.outcome = finishServerActions(validity, result); !result.outcome.ok()) return result;
    result.outcome = fetchNew(validity, lastUid, result);
    return result;
}

net::Outcome ImapIntake::finishServerActions(std::int64_t validity, IntakeResult& result) {
    store::InboundQueue queue(store_.db());
    auto rows = queue.pendingServerActions(mailbox_.name, mailbox_.folder, validity);
    if (rows.empty()) return net::Outcome::success();
    std::vector<std::uint32_t> uids;
    for (const auto& row : rows) uids.push_back(static_cast<std::uint32_t>(row.uid));
    if (auto o = afterCommit(uids); !o.ok()) return o;
    store::Transaction tx(store_.db());
    for (const auto& row : rows) queue.markServerDone(row.id);
    tx.commit();
    result.server_actions += static_cast<int>(rows.size());
    return net::Outcome::success();
}

net::Outcome ImapIntake::fetchNew(std::int64_t validity, std::int64_t lastUid, IntakeResult& result) {
    auto uids = client_.uidSearch(static_cast<std::uint32_t>(lastUid + 1));
    if (!uids.ok()) return uids.outcome();
    store::InboundQueue queue(store_.db());
    const std::size_t batch = static_cast<std::size_t>(mailbox_.batch_size);
    for (std::size_t at = 0; at < uids->size(); at += batch) {
        std::span<const std::uint32_t> ids(uids->data() + at, std::min(batch, uids->size() - at));
        auto mails = client_.uidFetch(ids);
        if (!mails.ok()) return mails.outcome();
        result.fetched += static_cast<int>(mails->size());
        std::vector<std::pair<std::int64_t, std::uint32_t>> added;  // (row id, uid)
        std::vector<std::uint32_t> seen;  // already stored: only the server action is owed
        {
            store::Transaction tx(store_.db());
            for (auto& mail : mails.value()) {
                std::string key = mime::mailIdentity(mail.bytes);
                if (queue.hasDedupeKey(mailbox_.name, mailbox_.folder, key)) {
                    seen.push_back(mail.uid);
                    continue;
                }
                store::InboundMail in{"imap", mailbox_.name, mailbox_.folder, validity, mail.uid, std::move(key), std::move(mail.bytes), mailbox_.queue};
                if (auto id = queue.add(in, clock_())) added.emplace_back(*id, mail.uid);
                else seen.push_back(mail.uid);
            }
            queue.setCursor(mailbox_.name, mailbox_.folder, {validity, ids.back()});
            tx.commit();  // durable before the server hears anything
        }
        result.stored += static_cast<int>(added.size());
        result.duplicates += static_cast<int>(seen.size());
        std::vector<std::uint32_t> owed = seen;
        for (auto [id, uid] : added) owed.push_back(uid);
        if (owed.empty()) continue;
        std::sort(owed.begin(), owed.end());
        if (auto o = afterCommit(owed); !o.ok()) return o;  // the rows stay pending: redone next pass
        store::Transaction tx(store_.db());
        for (auto [id, uid] : added) queue.markServerDone(id);
        tx.commit();
        result.server_actions += static_cast<int>(owed.size());
    }
    return net::Outcome::success();
}

net::Outcome ImapIntake::afterCommit(std::span<const std::uint32_t> uids) {
    switch (mailbox_.after) {
        case config::After::Keep:
            return net::Outcome::success();  // BODY.PEEK left \Seen as it was
        case config::After::Flag:
            return client_.uidStore(uids, "+FLAGS.SILENT", "(\\Seen)");
        case config::After::Move:
            if (!processedFolderReady_) {
                if (auto o = client_.create(mailbox_.processed_folder); !o.ok()) return o;
                processedFolderReady_ = true;
            }
            return client_.uidMove(uids, mailbox_.processed_folder);
    }
    return net::Outcome::success();
}

}  // namespace postdesk::intake
