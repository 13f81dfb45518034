// postdesk::intake — one IMAP mailbox into the inbound queue, exactly once.
//
// One pass (pollOnce):
//   connect if needed -> SELECT -> finish server actions a crash left undone -> UID SEARCH
//   past the cursor -> per batch: UID FETCH BODY.PEEK[] -> the raw bytes appended to the spool
//   and synced -> ONE transaction: inbound rows + cursor -> only then move/flag on the server ->
//   mark each row server-done. Pipelined: the next batch's FETCH is sent before this batch is
//   stored (its move only after the commit).
// Guarantees: no mail is moved or flagged on the server before its raw bytes are committed; a
// kill at any instant loses nothing and files nothing twice (the unique (account, folder,
// uidvalidity, uid) key and the cursor are committed together; a row committed but not yet moved
// is moved on the next pass). Read state is never the queue (FreeScout#3406): a mail already
// read in webmail is imported; fetching never sets \Seen. A mail whose identity
// (mime/identity.h) this mailbox already stored is not stored again (Zammad#1662), only moved or
// flagged; so a UIDVALIDITY change rescans the folder and imports only what is new.
// A mail expunged by another client between SEARCH and FETCH is skipped quietly.
// Fails by returning the IMAP Outcome (Temporary: retry with backoff; Config: an admin must act).
#pragma once

#include <cstdint>
#include <string>

#include "gateway/config/config.h"
#include "gateway/net/imap_client.h"
#include "gateway/store/store.h"
#include "gateway/util/clock.h"

namespace postdesk::intake {

struct IntakeResult {
    net::Outcome outcome;
    int fetched = 0;         // mails fetched this pass
    int stored = 0;          // new inbound rows
    int duplicates = 0;      // already stored (rescan, or a retry after a crash)
    int server_actions = 0;  // moves/flags done
};

class ImapIntake {
public:
    ImapIntake(store::Store& store, config::MailboxSettings mailbox, Clock clock = systemNow);

    IntakeResult pollOnce();
    const config::MailboxSettings& mailbox() const { return mailbox_; }

private:
    IntakeResult pass();
    net::Outcome ensureSession();
    net::Outcome finishServerActions(std::int64_t uidvalidity, IntakeResult& result);
    net::Outcome fetchNew(std::int64_t uidvalidity, std::int64_t lastUid, IntakeResult& result);
    // A committed batch's debt to the server: its move/flag (maybe sent, not yet answered).
    struct Owed {
        std::vector<std::uint32_t> uids;   // every UID of the batch the server must move/flag
        std::vector<std::int64_t> rows;    // the new rows among them, marked server-done after
        net::ImapClient::Pending pending;
    };
    Owed storeBatch(std::int64_t uidvalidity, std::uint32_t lastUid, std::vector<net::FetchedMail>& mails, IntakeResult& result);
    net::Outcome settle(Owed& owed, IntakeResult& result);
    net::Outcome prepareAfterCommit();  // CREATE the processed folder once per session
    net::ImapClient::Pending startAfterCommit(std::span<const std::uint32_t> uids);
    net::Outcome afterCommit(std::span<const std::uint32_t> uids);  // move/flag, one command, waited for

    store::Store& store_;
    config::MailboxSettings mailbox_;
    Clock clock_;
    net::ImapClient client_;
    bool sessionOpen_ = false;
    bool processedFolderReady_ = false;
};

net::ImapSettings imapSettings(const config::MailboxSettings& mailbox, std::size_t maxMessageBytes);

}  // namespace postdesk::intake
