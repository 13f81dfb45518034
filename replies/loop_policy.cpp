#include "replies/loop_policy.h"

#include <algorithm>

#include "replies/detail/utf8.h"

namespace postdesk::replies {

namespace {

constexpr std::string_view kNoReplyLocalParts[] = {"noreply",       "no-reply",      "no_reply", "donotreply",
                                                   "do-not-reply",  "do_not_reply",  "mailer-daemon",
                                                   "mailerdaemon",  "postmaster",    "bounce",   "bounces"};

std::string localPart(std::string_view address) {
    const auto at = address.rfind('@');
    return detail::toLowerUtf8(address.substr(0, at == std::string_view::npos ? address.size() : at));
}

// "bounces+123=example.org" is a list's VERP address: the part before '+' names the mailbox.
std::string_view withoutDetail(std::string_view local) { return local.substr(0, local.find('+')); }

std::string withReason(std::string_view label, const std::string& reason) {
    return reason.empty() ? std::string(label) : std::string(label) + " (" + reason + ")";
}

std::optional<std::string> autoKindReason(const AckFacts& f) {
    switch (f.auto_kind) {
        case mime::AutoKind::AutoReply: return withReason("auto-reply", f.auto_reason);
        case mime::AutoKind::Bounce: return withReason("bounce", f.auto_reason);
        case mime::AutoKind::List: return withReason("list", f.auto_reason);
        case mime::AutoKind::None: break;
    }
    return std::nullopt;
}

bool isNullReturnPath(const std::optional<std::string>& returnPath) {
    if (!returnPath) return false;
    std::string_view p = *returnPath;
    while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
    while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
    return p.empty() || p == "<>";
}

std::optional<std::string> senderReason(const std::string& sender) {
    if (sender.empty()) return "no sender address";
    if (isNoReplyAddress(sender)) return "sender " + localPart(sender);
    return std::nullopt;
}

std::optional<std::string> rateReason(const AckFacts& f, const AckPolicy& policy) {
    if (f.acks_to_sender_last_hour >= policy.per_hour) {
        return std::to_string(f.acks_to_sender_last_hour) + " acknowledgments to this sender in the last hour";
    }
    if (f.acks_to_sender_last_day >= policy.per_day) {
        return std::to_string(f.acks_to_sender_last_day) + " acknowledgments to this sender in the last day";
    }
    return std::nullopt;
}

}  // namespace

bool isNoReplyAddress(std::string_view address) {
    const std::string local = localPart(address);
    const std::string_view mailbox = withoutDetail(local);
    const bool listed = std::find(std::begin(kNoReplyLocalParts), std::end(kNoReplyLocalParts), mailbox) !=
                        std::end(kNoReplyLocalParts);
    return listed || local.starts_with("noreply") || local.starts_with("no-reply");
}

AckDecision decideAck(const AckFacts& facts, const AckPolicy& policy) {
    if (facts.sender_is_ours) return {false, "our own address"};
    if (auto reason = autoKindReason(facts)) return {false, *reason};
    if (isNullReturnPath(facts.return_path)) return {false, "null Return-Path"};
    if (auto reason = senderReason(facts.sender)) return {false, *reason};
    if (facts.ticket_already_acked) return {false, "already acknowledged"};
    if (auto reason = rateReason(facts, policy)) return {false, *reason};
    return {true, "first message of a new ticket"};
}

}  // namespace postdesk::replies
