#include "gateway/intake/imap_intake.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <exception>

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
    // A store error escapes as an exception, maybe with a pipelined command still unanswered: the
    // next pass starts from a fresh login, not amid a stale answer.
    struct DropSessionOnThrow {
        bool& open;
        int before = std::uncaught_exceptions();
        ~DropSessionOnThrow() {
            if (std::uncaught_exceptions() > before) open = false;
        }
    } guard{sessionOpen_};
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
    store::InboundQueue queue(store_);
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
    store::InboundQueue queue(store_);
    auto rows = queue.pendingServerActions(mailbox_.name, mailbox_.folder, validity);
    if (rows.empty()) return net::Outcome::success();
    std::vector<std::uint32_t> uids;
    for (const auto& row : rows) uids.push_back(static_cast<std::uint32_t>(row.uid));
    if (auto o = afterCommit(uids); !o.ok()) return o;
    store::Transaction tx(store_.db(), store::Durability::ProcessCrash);  // lost: the move is redone
    for (const auto& row : rows) queue.markServerDone(row.id);
    tx.commit();
    result.server_actions += static_cast<int>(rows.size());
    return net::Outcome::success();
}

// Pipelined (RFC 3501 §5.5): the FETCH of batch k+1 is sent before batch k is stored, and the move
// of batch k after that commit, so the server reads the next mails while we write. The answer to
// the move of batch k-1 is read only after batch k is stored: the server runs that move while we
// write, not while we wait (ImapClient sorts out the interleaved answers). The move of a batch
// is still sent only after its commit. A server without MOVE gets COPY/STORE/EXPUNGE, which
// cannot overlap a FETCH: then nothing is pipelined.
net::Outcome ImapIntake::fetchNew(std::int64_t validity, std::int64_t lastUid, IntakeResult& result) {
    auto uids = client_.uidSearch(static_cast<std::uint32_t>(lastUid + 1));
    if (!uids.ok()) return uids.outcome();
    if (uids->empty()) return net::Outcome::success();
    if (auto o = prepareAfterCommit(); !o.ok()) return o;  // a CREATE must not land amid pipelined answers
    const bool pipeline = mailbox_.after != config::After::Move || client_.canPipelineMove();
    const std::size_t batch = static_cast<std::size_t>(mailbox_.batch_size);
    auto slice = [&](std::size_t at) { return std::span<const std::uint32_t>(uids->data() + at, std::min(batch, uids->size() - at)); };
    net::ImapClient::Pending fetching = client_.startFetch(slice(0));
    Owed owed;  // the previous batch's move/flag, sent and not yet answered
    for (std::size_t at = 0; at < uids->size(); at += batch) {
        std::vector<net::FetchedMail> mails;
        if (auto o = client_.finishFetch(fetching, mails); !o.ok()) return o;
        const bool more = at + batch < uids->size();
        if (pipeline && more) fetching = client_.startFetch(slice(at + batch));
        result.fetched += static_cast<int>(mails.size());
        Owed stored = storeBatch(validity, slice(at).back(), mails, result);  // durable before the server hears anything
        if (auto o = settle(owed, result); !o.ok()) return o;  // the previous batch's move
        owed = std::move(stored);
        if (!owed.uids.empty()) owed.pending = pipeline ? startAfterCommit(owed.uids) : net::ImapClient::Pending(afterCommit(owed.uids));
        if (!pipeline) {
            if (auto o = settle(owed, result); !o.ok()) return o;
            if (more) fetching = client_.startFetch(slice(at + batch));
        }
    }
    return settle(owed, result);
}

// ONE transaction: the new inbound rows and the cursor. Returns what the server is now owed.
// The new mails' bytes go to the spool and are synced first, outside the write lock that ingest
// also needs; the transaction then only writes rows. After the commit the bytes go to ingest in
// memory when the process has a hand-off (they are not read back from the disk then), waiting
// up to the hand-off's patience for ingest to make room (raw_handoff.h).
ImapIntake::Owed ImapIntake::storeBatch(std::int64_t validity, std::uint32_t lastUid, std::vector<net::FetchedMail>& mails,
                                        IntakeResult& result) {
    store::InboundQueue queue(store_);
    Owed owed;
    std::vector<std::uint32_t> seen;  // already stored: only the server action is owed
    std::vector<store::InboundMail> fresh;
    fresh.reserve(mails.size());
    store::RawHandoff* handoff = store_.handoff();
    const std::size_t keep = handoff ? handoff->maxBytes() : 0;  // larger mails are freed once spooled
    for (auto& mail : mails) {
        std::string key = mime::mailIdentity(mail.bytes);
        if (queue.hasDedupeKey(mailbox_.name, mailbox_.folder, key)) {
            seen.push_back(mail.uid);
            continue;
        }
        store::InboundMail in{"imap", mailbox_.name, mailbox_.folder, validity, mail.uid, std::move(key), std::move(mail.bytes), mailbox_.queue, {}};
        in.spooled = store_.spool().append(in.raw);
        if (in.raw.size() > keep) std::string().swap(in.raw);  // spooled: ingest reads it from there
        fresh.push_back(std::move(in));
    }
    store_.spool().sync();
    store::Transaction tx(store_.db());
    std::vector<std::pair<std::int64_t, std::size_t>> added;  // row id, index in `fresh`
    for (std::size_t i = 0; i < fresh.size(); ++i) {
        if (auto id = queue.add(fresh[i], clock_())) {
            added.emplace_back(*id, i);
            owed.rows.push_back(*id);
            owed.uids.push_back(static_cast<std::uint32_t>(*fresh[i].uid));
        } else {
            seen.push_back(static_cast<std::uint32_t>(*fresh[i].uid));
        }
    }
    queue.setCursor(mailbox_.name, mailbox_.folder, {validity, lastUid});
    tx.commit();
    if (handoff) {  // committed: ingest may take them from here
        auto until = handoff->deadline();
        for (auto [id, i] : added) {
            if (!fresh[i].raw.empty()) handoff->put(id, fresh[i].raw, until);
            std::string().swap(fresh[i].raw);  // declined: read from the spool
        }
    }
    result.stored += static_cast<int>(owed.rows.size());
    result.duplicates += static_cast<int>(seen.size());
    owed.uids.insert(owed.uids.end(), seen.begin(), seen.end());
    std::sort(owed.uids.begin(), owed.uids.end());
    return owed;
}

// Reads the answer to a batch's move/flag; on success its rows are server-done. On failure they
// stay pending and the next pass redoes the action (finishServerActions).
net::Outcome ImapIntake::settle(Owed& owed, IntakeResult& result) {
    if (owed.uids.empty()) return net::Outcome::success();
    net::Outcome o = client_.finish(owed.pending, "imap after commit");
    if (!o.ok()) return o;
    store::InboundQueue queue(store_);
    store::Transaction tx(store_.db(), store::Durability::ProcessCrash);  // lost: the move is redone
    for (auto id : owed.rows) queue.markServerDone(id);
    tx.commit();
    result.server_actions += static_cast<int>(owed.uids.size());
    owed = Owed{};
    return net::Outcome::success();
}

net::Outcome ImapIntake::prepareAfterCommit() {
    if (mailbox_.after != config::After::Move || processedFolderReady_) return net::Outcome::success();
    if (auto o = client_.create(mailbox_.processed_folder); !o.ok()) return o;
    processedFolderReady_ = true;
    return net::Outcome::success();
}

net::ImapClient::Pending ImapIntake::startAfterCommit(std::span<const std::uint32_t> uids) {
    switch (mailbox_.after) {
        case config::After::Keep: return {};  // BODY.PEEK left \Seen as it was
        case config::After::Flag: return client_.startStore(uids, "+FLAGS.SILENT", "(\\Seen)");
        case config::After::Move: return client_.startMove(uids, mailbox_.processed_folder);
    }
    return {};
}

net::Outcome ImapIntake::afterCommit(std::span<const std::uint32_t> uids) {
    switch (mailbox_.after) {
        case config::After::Keep:
            return net::Outcome::success();  // BODY.PEEK left \Seen as it was
        case config::After::Flag:
            return client_.uidStore(uids, "+FLAGS.SILENT", "(\\Seen)");
        case config::After::Move:
            if (auto o = prepareAfterCommit(); !o.ok()) return o;
            return client_.uidMove(uids, mailbox_.processed_folder);
    }
    return net::Outcome::success();
}

}  // namespace postdesk::intake
