// postdesk::replies — may we send an automatic acknowledgment? One pure policy, one reason.
//
// decideAck answers from facts the shell gathered (the parsed mail's auto kind, the sender, the
// envelope Return-Path, whether the sender is one of our addresses, and how many acknowledgments
// this sender got lately). The first rule that applies wins; its reason is for the log:
//   "our own address"                          a mail from ourselves (our own loop)
//   "auto-reply (Auto-Submitted: auto-replied)" mime says a machine answered (RFC 3834)
//   "bounce (…)", "list (List-Id)"             delivery reports and mailing lists
//   "null Return-Path"                         RFC 3834 §2: never answer an empty envelope sender
//   "sender mailer-daemon", "sender no-reply"  the local part says nobody reads replies
//   "already acknowledged"                     one acknowledgment per ticket (Help Scout)
//   "5 acknowledgments to this sender in the last hour" / "… in the last day"
//                                              caps for what slips through (OTRS: 40 a day)
//   "first message of a new ticket"            send
// Guarantee: two autoresponders answering each other die out — our acknowledgment carries
// Auto-Submitted, so a second round is refused, and a peer that strips it still meets the caps.
// Never fails.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mime/message.h"

namespace postdesk::replies {

struct AckFacts {
    mime::AutoKind auto_kind = mime::AutoKind::None;
    std::string auto_reason;                 // mime's reason ("Auto-Submitted: auto-replied")
    std::string sender;                      // lower-case From address
    std::optional<std::string> return_path;  // envelope sender; "" or "<>" is the null sender
    bool sender_is_ours = false;
    bool ticket_already_acked = false;
    int acks_to_sender_last_hour = 0;
    int acks_to_sender_last_day = 0;
};

struct AckPolicy {
    int per_hour = 5;
    int per_day = 40;
};

struct AckDecision {
    bool send = false;
    std::string reason;
};

AckDecision decideAck(const AckFacts& facts, const AckPolicy& policy);

// The local part of `address` says no one reads replies: noreply, no-reply, no_reply, donotreply,
// do-not-reply, mailer-daemon, postmaster, bounce(s) (also with +detail), or noreply…/no-reply….
bool isNoReplyAddress(std::string_view address);

}  // namespace postdesk::replies
