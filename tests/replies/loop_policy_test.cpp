#include "replies/loop_policy.h"

#include <algorithm>
#include <deque>

#include <gtest/gtest.h>

namespace postdesk::replies {
namespace {

AckFacts human(const char* sender = "anna@example.org") {
    AckFacts f;
    f.sender = sender;
    f.return_path = sender;
    return f;
}

TEST(LoopPolicy, FirstMessageOfANewTicketIsAcknowledged) {
    const auto d = decideAck(human(), AckPolicy{});
    EXPECT_TRUE(d.send);
    EXPECT_EQ(d.reason, "first message of a new ticket");
}

TEST(LoopPolicy, EachRuleSaysWhy) {
    const struct {
        const char* name;
        AckFacts facts;
        const char* reason;
    } cases[] = {
        {"ours", [] { auto f = human(); f.sender_is_ours = true; return f; }(), "our own address"},
        {"auto-reply", [] { auto f = human(); f.auto_kind = mime::AutoKind::AutoReply; f.auto_reason = "Auto-Submitted: auto-replied"; return f; }(),
         "auto-reply (Auto-Submitted: auto-replied)"},
        {"bounce", [] { auto f = human(); f.auto_kind = mime::AutoKind::Bounce; return f; }(), "bounce"},
        {"list", [] { auto f = human(); f.auto_kind = mime::AutoKind::List; f.auto_reason = "List-Id"; return f; }(), "list (List-Id)"},
        {"null return-path", [] { auto f = human(); f.return_path = "<>"; return f; }(), "null Return-Path"},
        {"empty return-path", [] { auto f = human(); f.return_path = ""; return f; }(), "null Return-Path"},
        {"mailer-daemon", human("MAILER-DAEMON@mx.example.org"), "sender mailer-daemon"},
        {"no-reply", human("no-reply@shop.example"), "sender no-reply"},
        {"no sender", [] { auto f = human(""); f.return_path.reset(); return f; }(), "no sender address"},
        {"acked", [] { auto f = human(); f.ticket_already_acked = true; return f; }(), "already acknowledged"},
        {"hour cap", [] { auto f = human(); f.acks_to_sender_last_hour = 5; return f; }(),
         "5 acknowledgments to this sender in the last hour"},
        {"day cap", [] { auto f = human(); f.acks_to_sender_last_day = 40; return f; }(),
         "40 acknowledgments to this sender in the last day"},
    };
    for (const auto& c : cases) {
        const auto d = decideAck(c.facts, AckPolicy{});
        EXPECT_FALSE(d.send) << c.name;
        EXPECT_EQ(d.reason, c.reason) << c.name;
    }
}

TEST(LoopPolicy, OwnAddressWinsOverEverythingElse) {
    auto f = human("noreply@example.org");
    f.sender_is_ours = true;
    f.auto_kind = mime::AutoKind::AutoReply;
    EXPECT_EQ(decideAck(f, AckPolicy{}).reason, "our own address");
}

TEST(LoopPolicy, NoReplySenders) {
    for (const char* a : {"noreply@x.org", "no-reply@x.org", "no_reply@x.org", "donotreply@x.org", "do-not-reply@x.org",
                          "mailer-daemon@x.org", "postmaster@x.org", "bounce@x.org", "bounces@x.org",
                          "bounces+1234-anna=example.org@lists.x.org", "noreply-billing@x.org", "no-reply.alerts@x.org",
                          "NoReply@X.org"}) {
        EXPECT_TRUE(isNoReplyAddress(a)) << a;
    }
    for (const char* a : {"anna@x.org", "reply@x.org", "norelpy@x.org", "support@x.org", "bouncer@x.org", "info@noreply.org"}) {
        EXPECT_FALSE(isNoReplyAddress(a)) << a;
    }
}

TEST(LoopPolicy, CapsAreConfigurable) {
    auto f = human();
    f.acks_to_sender_last_hour = 1;
    EXPECT_TRUE(decideAck(f, AckPolicy{}).send);
    EXPECT_FALSE(decideAck(f, AckPolicy{.per_hour = 1, .per_day = 40}).send);
}

// A gateway as the loop sees it: it answers each mail that decideAck allows, and keeps the
// times of its acknowledgments to count the last hour and day (the shell's job in production).
struct Bot {
    std::string address;
    bool strips_auto_submitted = false;  // a careless peer: its replies look human
    std::deque<std::int64_t> acks;

    int since(std::int64_t now, std::int64_t window) const {
        return static_cast<int>(std::count_if(acks.begin(), acks.end(), [&](auto t) { return t > now - window; }));
    }

    // Receives a mail; returns whether it answers.
    bool receive(const std::string& from, bool autoSubmitted, std::int64_t now) {
        AckFacts f;
        f.sender = from;
        f.return_path = from;
        f.auto_kind = autoSubmitted ? mime::AutoKind::AutoReply : mime::AutoKind::None;
        f.auto_reason = autoSubmitted ? "Auto-Submitted: auto-replied" : "";
        f.acks_to_sender_last_hour = since(now, 3600);
        f.acks_to_sender_last_day = since(now, 86400);
        // Worst case: threading never recognises the other bot's mail, so every mail is a new ticket.
        if (!decideAck(f, AckPolicy{}).send) return false;
        acks.push_back(now);
        return true;
    }
};

// Two autoresponders, each answering the other within a minute, for a simulated day.
int simulateDay(Bot& a, Bot& b) {
    std::int64_t now = 1'800'000'000;
    const std::int64_t end = now + 86400;
    Bot* receiver = &a;
    Bot* sender = &b;
    bool autoSubmitted = false;  // the first mail is a human-looking one
    while (now < end && receiver->receive(sender->address, autoSubmitted, now)) {
        autoSubmitted = !receiver->strips_auto_submitted;
        std::swap(receiver, sender);
        now += 60;
    }
    return static_cast<int>(a.acks.size() + b.acks.size());
}

TEST(LoopPolicy, TwoAutorespondersDieOut) {
    Bot a{"support@a.example", false, {}};
    Bot b{"help@b.example", false, {}};
    EXPECT_EQ(simulateDay(a, b), 1);  // the first ack carries Auto-Submitted: nobody answers it
}

TEST(LoopPolicy, PeerThatStripsAutoSubmittedMeetsTheCaps) {
    Bot a{"support@a.example", false, {}};
    Bot b{"help@b.example", true, {}};  // b's acks look human to a
    a.strips_auto_submitted = true;  // and a's look human to b: the worst pairing
    const int sent = simulateDay(a, b);
    EXPECT_LE(static_cast<int>(a.acks.size()), AckPolicy{}.per_hour);
    EXPECT_LE(static_cast<int>(b.acks.size()), AckPolicy{}.per_hour);
    EXPECT_LE(sent, 2 * AckPolicy{}.per_day);
    EXPECT_GT(sent, 1);
}

}  // namespace
}  // namespace postdesk::replies
