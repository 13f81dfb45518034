// postdesk::ingest — the stage between the inbound queue and the tickets:
//   claim rows -> parse (mime) -> thread (rules) -> store + mark done, in ONE transaction.
// Rows are filed in small groups per transaction (group commit); a group that fails is retried
// row by row so one poison mail never holds back the others.
//
// Guarantees: a row is either done (its message stored exactly once, attachments synced to disk
// before the filing transaction begins) or still queued; a crash at any instant leaves no half-filed message (the transaction rolls
// back and the row goes back to `received` at start-up). A mail the parser refuses (over the size
// limit) is quarantined at once with the parser's reason; one whose ingest fails
// `max_attempts` times is quarantined as `ingest-failed`; in both cases its raw bytes stay and
// `postdesk quarantine reprocess ID` puts it back. Other rows keep flowing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gateway/config/config.h"
#include "gateway/store/inbound_queue.h"
#include "replies/templates.h"
#include "rules/rule_plan.h"
#include "rules/sieve_ast.h"
#include "gateway/store/ticket_store.h"
#include "gateway/store/store.h"
#include "gateway/util/clock.h"
#include "mime/limits.h"
#include "mime/message.h"
#include "rules/thread.h"

namespace postdesk::ingest {

struct IngestSettings {
    mime::Limits limits;
    rules::ThreadPolicy thread;
    std::vector<std::string> our_addresses;  // every mailbox's support address
    std::string token_key;                   // HMAC key for reply tokens
    int max_attempts = 5;
    std::int64_t retry_floor_seconds = 30;
    std::int64_t retry_ceiling_seconds = 3600;
    // Replies (acknowledgments, notifications, agent replies); off when either is null.
    const config::Settings* config = nullptr;
    const replies::TemplateSet* templates = nullptr;
    // Sieve rules (rules/sieve_*.h), in file-name order; none when null or empty.
    const std::vector<rules::SieveScript>* rules = nullptr;
    int batch_rows = 64;                      // rows filed per transaction (group commit)
    // Raw bytes parsed and held per batch; bounds RSS (the raw mails plus their decoded parts, about
    // twice this, held while intake holds its own batch). In the ingest benchmark 16 MiB gave a
    // peak of 75-80 MiB, 8 MiB 68-72 MiB, 4 MiB 60-62 MiB at the same speed (median 1,105 mails/s
    // of five runs against 1,110 of seven).
    std::int64_t batch_bytes = 4 << 20;
};

struct IngestStats {
    int filed = 0;        // new messages stored
    int duplicates = 0;   // rows whose message was already stored
    int deferred = 0;
    int quarantined = 0;
};

class Ingest {
public:
    Ingest(store::Store& store, IngestSettings settings, Clock clock = systemNow);

    // Processes due rows until none is left (or `limit` rows were handled).
    IngestStats drain(int limit = 1 << 30);

    // Hot reload: the sets used from the next batch on (a batch never mixes two sets). The
    // caller keeps them alive while they are in use; nullptr switches rules or replies off.
    void setRules(const std::vector<rules::SieveScript>* rules) { settings_.rules = rules; }
    void setTemplates(const replies::TemplateSet* templates) { settings_.templates = templates; }

private:
    enum class Result { Filed, Duplicate, Quarantined };
    std::vector<std::vector<std::string>> storeAttachments(const std::vector<mime::Message>& parsed, std::size_t from, std::size_t to);
    void fileBatch(const std::vector<store::InboundRow>& rows, const std::vector<mime::Message>& parsed,
                   const std::vector<std::vector<std::string>>& digests, std::size_t from, std::size_t to, IngestStats& stats);
    rules::RulePlan runRules(store::TicketStore& tickets, const mime::Message& m, const mime::Address& customer,
                             const rules::ThreadDecision& d, std::vector<std::string>& logLines, const store::InboundRow& row);
    Result fileRow(const store::InboundRow& row, const mime::Message& m, const std::vector<std::string>& digests,
                   std::vector<std::string>& logLines);
    void failRow(const store::InboundRow& row, const std::string& error, IngestStats& stats);

    store::Store& store_;
    IngestSettings settings_;
    Clock clock_;
};

}  // namespace postdesk::ingest
