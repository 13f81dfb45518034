// Unanswered chat messages (gateway/bridge/chat_alerts.h) on the injected clock: a customer's
// message that no agent answers raises an alert mail to the queue's agents at the threshold (it
// arrives in their Dovecot mailboxes with X-Chat-Alert: unanswered) and an escalated one at twice
// the threshold, each once; an agent's chat message or a relayed email reply ends the waiting
// streak, and the customer's next message starts a new one; [telegram.chat.ID]
// unanswered_minutes overrides the threshold for one chat.
#include "tests/gateway/chat_fixture.h"

namespace postdesk::testing {
namespace {

constexpr std::int64_t kOlga = 444;  // a customer in the group
constexpr std::int64_t kMinute = 60;

class ChatAlertsTest : public ChatBridgeTest {
protected:
    void SetUp() override {
        ChatBridgeTest::SetUp();
        t0_ = now_;
    }

    void passAt(std::int64_t t) {
        now_ = t;
        pass();
    }

    std::int64_t alertsQueued(const std::string& level = "") {
        std::int64_t n = 0;
        for (const auto& o : store::Outbox(store_->db()).list(""))
            if (o.kind == "alert" && (level.empty() || o.bytes.find("X-Chat-Alert: " + level) != std::string::npos)) ++n;
        return n;
    }

    // Alert mails Dovecot delivered to `agent` with X-Chat-Alert: `level`.
    std::vector<Delivered> alertMails(const std::string& agent, const std::string& level) {
        std::vector<Delivered> out;
        for (auto& m : mailbox(agent))
            if (m.bytes.find("X-Chat-Alert: " + level) != std::string::npos) out.push_back(m);
        return out;
    }

    void customerWrites(const std::string& chat, std::int64_t id, std::int64_t date, const std::string& words) {
        fake_->pushUpdate(message(chat, user(kOlga, "Olga", "Ivanova"), id, date, text(words)));
    }

    std::int64_t t0_ = 0;
};

TEST_F(ChatAlertsTest, UnansweredCustomerIsAlertedAtTheThresholdAndEscalatedAtTwiceEachOnce) {
    customerWrites(groupChat(), 50, t0_, "Our printer is down");
    passAt(t0_);
    EXPECT_TRUE(tickets().list({}).empty()) << "command mode: no ticket without /ticket";
    passAt(t0_ + 14 * kMinute);
    EXPECT_EQ(alertsQueued(), 0) << "alerted before the threshold";

    passAt(t0_ + 15 * kMinute);
    EXPECT_EQ(alertsQueued("unanswered"), 1);
    for (const char* agent : {"bob", "carol"}) {
        auto mails = alertMails(agent, "unanswered");
        ASSERT_EQ(mails.size(), 1u) << agent;
        EXPECT_NE(mails[0].parsed.text.find("Our printer is down"), std::string::npos) << mails[0].parsed.text;
        EXPECT_NE(mails[0].bytes.find("Auto-Submitted: auto-generated"), std::string::npos);
    }

    passAt(t0_ + 16 * kMinute);
    passAt(t0_ + 29 * kMinute);
    EXPECT_EQ(alertsQueued(), 1) << "the same alert again";

    passAt(t0_ + 30 * kMinute);
    EXPECT_EQ(alertsQueued("escalated"), 1);
    EXPECT_EQ(alertMails("bob", "escalated").size(), 1u);
    EXPECT_EQ(alertMails("carol", "escalated").size(), 1u);

    passAt(t0_ + 31 * kMinute);
    passAt(t0_ + 90 * kMinute);
    EXPECT_EQ(alertsQueued(), 2) << "an alert level sent twice";
    EXPECT_EQ(alertMails("bob", "unanswered").size(), 1u);
    EXPECT_EQ(alertMails("bob", "escalated").size(), 1u);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_alert"), 2);
}

TEST_F(ChatAlertsTest, AgentsChatMessageEndsTheStreakAndTheCustomersNextMessageStartsANewOne) {
    customerWrites(groupChat(), 50, t0_, "Our printer is down");
    passAt(t0_);
    fake_->pushUpdate(message(groupChat(), user(kAnnaTg, "Anna"), 51, t0_ + 10 * kMinute, text("Looking into it, Olga")));
    passAt(t0_ + 10 * kMinute);
    EXPECT_EQ(scalar("SELECT unanswered_since FROM conversation"), 0);
    passAt(t0_ + 15 * kMinute);
    passAt(t0_ + 40 * kMinute);
    EXPECT_EQ(alertsQueued(), 0) << "alerted although an agent answered in the chat";

    // A command is not customer text: a non-agent's /ticket starts no streak.
    fake_->pushUpdate(message(groupChat(), user(kOlga, "Olga", "Ivanova"), 52, t0_ + 41 * kMinute, commandBody("/ticket", "please")));
    passAt(t0_ + 41 * kMinute);
    passAt(t0_ + 57 * kMinute);
    EXPECT_EQ(alertsQueued(), 0) << "a command counted as a waiting customer";

    customerWrites(groupChat(), 53, t0_ + 60 * kMinute, "Still broken");
    passAt(t0_ + 60 * kMinute);
    passAt(t0_ + 74 * kMinute);
    EXPECT_EQ(alertsQueued(), 0);
    passAt(t0_ + 75 * kMinute);
    EXPECT_EQ(alertsQueued("unanswered"), 1) << "a new streak alerts again";
    auto mails = alertMails("bob", "unanswered");
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_NE(mails[0].parsed.text.find("Still broken"), std::string::npos) << mails[0].parsed.text;
}

TEST_F(ChatAlertsTest, RelayedEmailReplyEndsTheStreak) {
    fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1365, t0_, text("Invoice 1042 is wrong")));
    passAt(t0_);
    ASSERT_EQ(tickets().list({}).size(), 1u);
    bobAnswers("We are correcting it.", "bob-answer@example.test");
    passAt(t0_ + 5 * kMinute);
    ASSERT_EQ(sentTexts(kIvan).back(), "Bob Miller (ticket #1): We are correcting it.");
    EXPECT_EQ(scalar("SELECT unanswered_since FROM conversation"), 0);
    passAt(t0_ + 15 * kMinute);
    passAt(t0_ + 31 * kMinute);
    EXPECT_EQ(alertsQueued(), 0) << "alerted although the agent's mail reply reached the chat";

    fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1366, t0_ + 32 * kMinute, text("When exactly?")));
    passAt(t0_ + 32 * kMinute);
    passAt(t0_ + 47 * kMinute);
    EXPECT_EQ(alertsQueued("unanswered"), 1);
    auto mails = alertMails("carol", "unanswered");
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_NE(mails[0].parsed.text.find("When exactly?"), std::string::npos) << mails[0].parsed.text;
    EXPECT_NE(mails[0].parsed.text.find("#1"), std::string::npos) << "the alert names the ticket: " << mails[0].parsed.text;
    EXPECT_TRUE(tickets().hasEvent(1, "chat-unanswered"));
}

TEST_F(ChatAlertsTest, PerChatOverrideSetsTheThreshold) {
    const std::string hurried = groupChat();  // [telegram.chat.-1001575342692] unanswered_minutes = 5
    const std::string other = chatJson(-1001000000777, "supergroup", "Other customers");
    config::ChatOverride o;
    o.unanswered_minutes = 5;
    settings_.telegram.chats[kGroup] = o;
    customerWrites(hurried, 50, t0_, "Urgent: the line is down");
    customerWrites(other, 70, t0_, "A question when you have time");
    passAt(t0_);
    passAt(t0_ + 4 * kMinute);
    EXPECT_EQ(alertsQueued(), 0);
    passAt(t0_ + 5 * kMinute);
    EXPECT_EQ(alertsQueued("unanswered"), 1) << "the overridden chat alerts at 5 min, the other not yet";
    passAt(t0_ + 10 * kMinute);
    EXPECT_EQ(alertsQueued("escalated"), 1);
    passAt(t0_ + 15 * kMinute);
    EXPECT_EQ(alertsQueued("unanswered"), 2) << "the other chat keeps the 15 min default";
    EXPECT_EQ(alertsQueued("escalated"), 1);
    auto mails = alertMails("bob", "unanswered");
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_NE(mails[0].parsed.text.find("Urgent: the line is down"), std::string::npos);
    EXPECT_NE(mails[1].parsed.text.find("A question when you have time"), std::string::npos);
}

}  // namespace
}  // namespace postdesk::testing
