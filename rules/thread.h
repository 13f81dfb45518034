// postdesk::rules — which ticket does a mail belong to? A pure decision, in two steps around one
// store lookup (STYLE.md §3):
//   keys = threadKeys(message, ourAddresses, deliveredTo);   // what to look up
//   hints = store.lookup(keys);                              // gateway/, one query per key kind
//   decision = decideThread(message, keys, hints, policy, now);
//
// Order of evidence (the first that applies wins):
//   1. a signed reply address of ours (reply_token.h) in To/Cc/Delivered-To, verified for the
//      sender — the only evidence that needs no trust in what the sender wrote;
//   2. In-Reply-To/References naming a Message-ID we stored or sent on a ticket;
//   3. a subject tag "[#N]", only when the sender is already a participant of ticket N (a stranger
//      quoting a number gets a new ticket: Zammad#5064);
//   4. otherwise a new ticket.
// A bounce (mime auto = bounce) is attached to the ticket of the mail that bounced (found by its
// original Message-ID or the In-Reply-To chain) and never opens a ticket. A follow-up to a closed
// ticket reopens it within `reopen_days` of closing; later it opens a new ticket linked to the old.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mime/message.h"

namespace postdesk::rules {

struct ThreadKeys {
    std::vector<std::string> tokens;       // reply-token candidates from our plus-addresses
    std::vector<std::string> message_ids;  // In-Reply-To, then References newest first
    std::optional<std::uint64_t> subject_ticket;  // N from "[#N]" in the subject
    std::string sender;                    // lower-case From address
};

// `ourAddresses`: the support addresses of every mailbox ("support@example.test").
// `deliveredTo`: Delivered-To / X-Original-To values (the envelope recipient, plus-detail kept).
ThreadKeys threadKeys(const mime::Message& message, const std::vector<std::string>& ourAddresses);

enum class TicketStatus { New, Open, Pending, Solved, Closed };
const char* toString(TicketStatus status);
std::optional<TicketStatus> ticketStatusFromString(std::string_view s);

// What the store knows of one ticket.
struct TicketHint {
    std::uint64_t number = 0;
    TicketStatus status = TicketStatus::New;
    std::int64_t closed_at = 0;  // epoch seconds of the last close/solve (0 = never)
    bool sender_is_participant = false;
};

struct ThreadHints {
    std::optional<TicketHint> by_token;       // ticket named by a token verified for the sender
    std::optional<TicketHint> by_message_id;  // ticket holding one of keys.message_ids
    std::optional<TicketHint> by_subject;     // ticket keys.subject_ticket, if it exists
    std::optional<TicketHint> by_original;    // for bounces: ticket holding original_message_id
};

struct ThreadPolicy {
    int reopen_days = 14;
};

enum class ThreadAction {
    NewTicket,      // open a ticket
    Append,         // add to `ticket` (reopen it when `reopen` is set)
    NewLinked,      // open a ticket linked to `ticket` (it was closed too long ago)
    AttachBounce,   // add the bounce to `ticket` as an event, no status change
    OrphanBounce,   // a bounce we cannot place: store it, open nothing
};

struct ThreadDecision {
    ThreadAction action = ThreadAction::NewTicket;
    std::uint64_t ticket = 0;  // the ticket appended to / linked from
    bool reopen = false;
    std::string reason;        // for the event log: which evidence decided
};

ThreadDecision decideThread(const mime::Message& message, const ThreadKeys& keys, const ThreadHints& hints,
                            const ThreadPolicy& policy, std::int64_t now);

}  // namespace postdesk::rules
