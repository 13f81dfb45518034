// The chat outbox as Telegram exercises it (gateway/bridge/chat_sender.h): flood control (429 with
// retry_after, on the injected clock), long replies split at 4096 UTF-16 units, a group that
// becomes a supergroup in the middle of a reply, a bot blocked by the customer (403: the agent
// gets the text back by mail, in Dovecot), 5xx retried with backoff then failed, and the pacing
// of 1 message per second per chat and 20 per minute per group.
#include <atomic>
#include <chrono>
#include <thread>

#include "gateway/bridge/telegram_update.h"
#include "tests/gateway/chat_fixture.h"

namespace postdesk::testing {
namespace {

using Fault = test::FakeTelegram::Fault;
using FaultKind = test::FakeTelegram::FaultKind;

class ChatSenderTest : public ChatBridgeTest {
protected:
    // Ivan writes; one pass files the ticket and posts its notice.
    void openPrivateTicket(const std::string& words = "Invoice 1042 is wrong") {
        fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1365, now_, text(words)));
        pass();
        ASSERT_EQ(tickets().list({}).size(), 1u);
    }

    // Only the chat outbox stage, on the injected clock.
    bridge::ChatSendStats flushAt(std::int64_t t) {
        now_ = t;
        return bridge::ChatBridge(*store_, settings_, clock()).flush();
    }

    void queueNotice(std::int64_t chat, const std::string& words) {
        store::ChatOutboxMessage m;
        m.chat_id = chat;
        m.kind = "notice";
        m.dedupe = "test:" + std::to_string(++queued_);
        m.text = words;
        ASSERT_TRUE(store::ChatStore(store_->db()).enqueue(m, now_));
    }

    std::vector<store::ChatOutboxRow> rows(const std::string& kind) {
        std::vector<store::ChatOutboxRow> out;
        for (auto& r : store::ChatStore(store_->db()).listOutbox())
            if (r.kind == kind) out.push_back(r);
        return out;
    }

    int queued_ = 0;
};

// Watches the fake from another thread and notes when each sendMessage call arrived.
class CallTimes {
public:
    explicit CallTimes(test::FakeTelegram& fake) : fake_(fake), thread_([this] { run(); }) {}
    ~CallTimes() { stop(); }
    void stop() {
        done_ = true;
        if (thread_.joinable()) thread_.join();
        sample();  // a call that came in after the last look
    }
    std::vector<std::chrono::steady_clock::time_point> times;  // read after stop()

private:
    void run() {
        while (!done_) {
            sample();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
    void sample() {
        std::size_t n = fake_.calls("sendMessage").size();
        while (times.size() < n) times.push_back(std::chrono::steady_clock::now());
    }
    test::FakeTelegram& fake_;
    std::atomic<bool> done_{false};
    std::thread thread_;
};

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Letters, spaces, line breaks and emoji (2 UTF-16 units each): exactly `chars` code points.
std::string longReply(std::size_t chars) {
    static const std::vector<std::string> words = {"invoice", "corrected", "accounting", "😀", "refund", "tomorrow", "Ivan", "ÄÖÜ"};
    std::string out;
    std::size_t n = 0, line = 0;
    for (std::size_t i = 0; n < chars; ++i) {
        const std::string& w = words[i % words.size()];
        std::size_t len = w == "😀" ? 1 : w == "ÄÖÜ" ? 3 : w.size();
        if (n + len + 1 > chars) {  // pad with single letters up to the exact length
            while (n < chars) out += 'x', ++n;
            break;
        }
        if (n > 0) {
            out += line > 60 ? "\n" : " ";
            line = line > 60 ? 0 : line;
            ++n;
        }
        out += w;
        n += len;
        line += len + 1;
    }
    return out;
}

std::size_t codePoints(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string squeezed(const std::string& s) {  // whitespace runs as one space, trimmed
    std::string out;
    for (char c : s) {
        bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
        if (space) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

TEST_F(ChatSenderTest, FloodControlWaitsRetryAfterOnTheInjectedClock) {
    fake_->injectFault("sendMessage", Fault{FaultKind::TooManyRequests, 1, 35});
    const std::int64_t t0 = now_;
    openPrivateTicket();
    auto calls = sendCalls(kIvan);
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].status, 429);
    auto notice = rows("notice");
    ASSERT_EQ(notice.size(), 1u);
    EXPECT_EQ(notice[0].state, "deferred");
    EXPECT_EQ(notice[0].next_attempt_at, t0 + 35);
    EXPECT_NE(notice[0].last_error.find("Too Many Requests"), std::string::npos) << notice[0].last_error;

    flushAt(t0 + 1);
    flushAt(t0 + 34);
    EXPECT_EQ(sendCalls(kIvan).size(), 1u) << "sent again before retry_after had passed";

    EXPECT_EQ(flushAt(t0 + 35).sent, 1);
    calls = sendCalls(kIvan);
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[1].status, 200);
    EXPECT_EQ(rows("notice")[0].state, "sent");
    flushAt(t0 + 100);
    EXPECT_EQ(sendCalls(kIvan).size(), 2u);
}

TEST_F(ChatSenderTest, FloodControlDoesNotUseUpTheDeliveryAttempts) {
    // A busy group is told to wait again and again; that is not a failed delivery. One 502 after
    // three 429s must still be retried, not fail the reply.
    openPrivateTicket();
    bobAnswers("We are on it.", "bob-flood@example.test");
    for (int i = 0; i < 3; ++i) fake_->injectFault("sendMessage", Fault{FaultKind::TooManyRequests, 1, 5});
    fake_->injectFault("sendMessage", Fault{FaultKind::BadGateway, 1});
    pass();  // the reply: 429
    for (int i = 0; i < 3; ++i) flushAt(now_ + 5);  // 429, 429, 502
    auto reply = rows("reply");
    ASSERT_EQ(reply.size(), 1u);
    EXPECT_EQ(reply[0].state, "deferred") << reply[0].last_error;
    flushAt(reply[0].next_attempt_at);
    EXPECT_EQ(rows("reply")[0].state, "sent");
    EXPECT_EQ(sentTexts(kIvan).back(), "Bob Miller (ticket #1): We are on it.");
}

TEST_F(ChatSenderTest, ReplyOf4097CharactersBecomesTwoMessagesWithinTelegramsLimit) {
    openPrivateTicket();
    const std::string body = longReply(4097);
    ASSERT_EQ(codePoints(body), 4097u);
    std::string mailBody = body;
    for (std::size_t p = 0; (p = mailBody.find('\n', p)) != std::string::npos; p += 2) mailBody.replace(p, 1, "\r\n");
    bobAnswers(mailBody, "bob-long@example.test");
    pass();

    auto texts = sentTexts(kIvan);
    ASSERT_EQ(texts.size(), 3u) << "notice + 2 parts";
    std::string joined;
    const std::string prefix = "Bob Miller (ticket #1): ";
    for (std::size_t i = 1; i < texts.size(); ++i) {
        EXPECT_LE(bridge::utf16Length(texts[i]), 4096u) << "part " << i;
        ASSERT_EQ(texts[i].rfind(prefix, 0), 0u) << texts[i].substr(0, 60);
        joined += texts[i].substr(prefix.size()) + " ";
    }
    EXPECT_EQ(squeezed(joined), squeezed(body)) << "the parts do not give the reply back";
    for (const auto& r : rows("reply")) EXPECT_EQ(r.state, "sent");
}

TEST_F(ChatSenderTest, GroupBecomesSupergroupInTheMiddleOfAReply) {
    const std::int64_t oldGroup = -4012345678, superGroup = -1004012345678;
    const std::string group = chatJson(oldGroup, "group", "ACME Buyers");
    fake_->pushUpdate(message(group, user(444, "Olga"), 10, now_, text("The printer is broken")));
    fake_->pushUpdate(message(group, user(kAnnaTg, "Anna"), 11, now_ + 1, commandBody("/ticket", "Printer broken")));
    pass();
    ASSERT_EQ(tickets().list({}).size(), 1u);
    ASSERT_EQ(sentTexts(oldGroup).size(), 1u) << "the ticket notice";

    // A reply of three parts; Telegram upgrades the group while the bot is sending it.
    bobAnswers(longReply(9000), "bob-migrating@example.test");
    std::thread upgrade([&] {
        for (int i = 0; i < 30000 && sentTexts(oldGroup).size() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        fake_->migrateChat(oldGroup, superGroup);
    });
    pass();
    upgrade.join();

    EXPECT_EQ(sentTexts(oldGroup).size(), 2u) << "notice and part 1 before the upgrade";
    auto parts = sentTexts(superGroup);
    ASSERT_EQ(parts.size(), 2u) << "parts 2 and 3 delivered to the supergroup";
    int refused = 0;
    for (const auto& c : sendCalls(oldGroup)) refused += c.status == 400;
    EXPECT_EQ(refused, 1) << "the old id was tried again after Telegram named the new one";
    auto reply = rows("reply");
    ASSERT_EQ(reply.size(), 3u);
    for (const auto& r : reply) EXPECT_EQ(r.state, "sent");
    EXPECT_EQ(reply[0].chat_id, oldGroup) << "part 1 went to the group";
    EXPECT_EQ(reply[1].chat_id, superGroup);
    EXPECT_EQ(reply[2].chat_id, superGroup);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM conversation WHERE chat_id = " + std::to_string(superGroup)), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM conversation WHERE chat_id = " + std::to_string(oldGroup)), 0);

    // Telegram's service message in the old group, then the customer writes in the supergroup:
    // the same conversation and ticket.
    fake_->pushUpdate(R"({"message":{"message_id":12,"date":)" + std::to_string(now_ + 5) + R"(,"from":)" + user(444, "Olga") +
                      R"(,"chat":)" + group + R"(,"migrate_to_chat_id":)" + std::to_string(superGroup) + "}}");
    fake_->pushUpdate(message(chatJson(superGroup, "supergroup", "ACME Buyers"), user(444, "Olga"), 1, now_ + 10, text("Thanks, any news?")));
    pass();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM conversation"), 1);
    EXPECT_EQ(tickets().list({}).size(), 1u);
    auto messages = tickets().messages(1);
    EXPECT_NE(messages.back().text.find("Thanks, any news?"), std::string::npos) << messages.back().text;

    // Bob answers again: straight to the supergroup.
    const std::size_t oldCalls = sendCalls(oldGroup).size();
    bobAnswers("No news yet, sorry.", "bob-after-migration@example.test");
    pass();
    EXPECT_EQ(sendCalls(oldGroup).size(), oldCalls);
    EXPECT_EQ(sentTexts(superGroup).back(), "Bob Miller (ticket #1): No news yet, sorry.");
}

TEST_F(ChatSenderTest, BlockedBotMarksTheChatInactiveAndMailsTheTextBackToTheAgent) {
    openPrivateTicket();
    bobAnswers("Your refund is on its way.", "bob-blocked@example.test");
    fake_->injectFault("sendMessage", Fault{FaultKind::Blocked, 5});
    pass();

    EXPECT_EQ(scalar("SELECT active FROM chat WHERE source = 'telegram' AND chat_id = 333"), 0);
    auto reply = rows("reply");
    ASSERT_EQ(reply.size(), 1u);
    EXPECT_EQ(reply[0].state, "failed");
    EXPECT_NE(reply[0].last_error.find("blocked"), std::string::npos) << reply[0].last_error;
    EXPECT_TRUE(tickets().hasEvent(1, "chat-failed"));

    // In Bob's mailbox: what Ivan never saw, and why.
    bool found = false;
    for (const auto& m : mailbox("bob")) {
        if (m.parsed.subject.find("Not delivered") == std::string::npos) continue;
        found = true;
        EXPECT_EQ(m.parsed.subject, "Not delivered to telegram: ticket #1");
        EXPECT_NE(m.parsed.text.find("Your refund is on its way."), std::string::npos) << m.parsed.text;
        EXPECT_NE(m.parsed.text.find("blocked"), std::string::npos) << m.parsed.text;
    }
    EXPECT_TRUE(found) << "no 'Not delivered' mail reached Bob";
    pass();
    int notDelivered = 0;
    for (const auto& m : mailbox("bob")) notDelivered += m.parsed.subject.find("Not delivered") != std::string::npos;
    EXPECT_EQ(notDelivered, 1) << "mailed once";
}

// A long reply to a blocked chat: its later parts fail with the first, and the agent gets one
// mail holding all of it, not one fragment per part.
TEST_F(ChatSenderTest, BlockedMultiPartReplyIsMailedBackOnceWhole) {
    openPrivateTicket();
    std::string longText = std::string(3000, 'a') + "\r\n\r\n" + std::string(3000, 'b') + " END";
    bobAnswers(longText, "bob-blocked-long@example.test");
    fake_->injectFault("sendMessage", Fault{FaultKind::Blocked, 5});
    pass();
    auto reply = rows("reply");
    ASSERT_EQ(reply.size(), 2u);
    for (const auto& r : reply) EXPECT_EQ(r.state, "failed");
    EXPECT_EQ(sendCalls(kIvan).size(), 2u);  // the notice and the first part; the second never tried
    int notDelivered = 0;
    for (const auto& m : mailbox("bob")) {
        if (m.parsed.subject.find("Not delivered") == std::string::npos) continue;
        ++notDelivered;
        EXPECT_NE(m.parsed.text.find("aaaa"), std::string::npos);
        EXPECT_NE(m.parsed.text.find("bbbb END"), std::string::npos);
    }
    EXPECT_EQ(notDelivered, 1);
}

TEST_F(ChatSenderTest, BadGatewayIsRetriedWithBackoffThenFailsAfterFourAttempts) {
    openPrivateTicket();
    bobAnswers("The fix is deployed.", "bob-502@example.test");
    fake_->injectFault("sendMessage", Fault{FaultKind::BadGateway, 10});
    const std::int64_t t0 = now_;
    pass();
    ASSERT_EQ(sendCalls(kIvan).size(), 2u);  // the notice, then the reply's first attempt
    std::int64_t due = rows("reply")[0].next_attempt_at;
    EXPECT_EQ(due, t0 + 30);
    std::vector<std::int64_t> waits{30};
    for (int attempt = 2; attempt <= 4; ++attempt) {
        flushAt(due - 1);
        EXPECT_EQ(sendCalls(kIvan).size(), static_cast<std::size_t>(attempt)) << "attempt " << attempt << " came early";
        flushAt(due);
        ASSERT_EQ(sendCalls(kIvan).size(), static_cast<std::size_t>(attempt + 1)) << "attempt " << attempt;
        auto r = rows("reply")[0];
        if (attempt < 4) {
            EXPECT_EQ(r.state, "deferred");
            waits.push_back(r.next_attempt_at - due);
            due = r.next_attempt_at;
        } else {
            EXPECT_EQ(r.state, "failed");
            EXPECT_EQ(r.attempts, 4);
            EXPECT_NE(r.last_error.find("Bad Gateway"), std::string::npos) << r.last_error;
        }
    }
    EXPECT_EQ(waits, (std::vector<std::int64_t>{30, 60, 120})) << "backoff doubles";
    flushAt(now_ + 7200);
    EXPECT_EQ(sendCalls(kIvan).size(), 5u) << "a failed row is not tried again";
    bool explained = false;
    for (const auto& o : store::Outbox(store_->db()).list(""))
        if (o.kind == "explain" && o.recipients == std::vector<std::string>{"bob@example.test"}) explained = true;
    EXPECT_TRUE(explained) << "Bob is not told that his reply was not delivered";
}

TEST_F(ChatSenderTest, OneMessagePerSecondIntoOneChatOthersNotHeldUp) {
    const std::int64_t other = 444;
    queueNotice(kIvan, "one");
    queueNotice(other, "to someone else");
    queueNotice(kIvan, "two");
    queueNotice(kIvan, "three");
    CallTimes times(*fake_);
    auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(flushAt(now_).sent, 4);
    times.stop();
    auto calls = fake_->calls("sendMessage");
    ASSERT_EQ(calls.size(), 4u);
    ASSERT_EQ(times.times.size(), 4u);
    std::vector<std::string> order;
    for (const auto& c : calls) order.push_back(c.params.at("text"));
    EXPECT_EQ(order, (std::vector<std::string>{"one", "to someone else", "two", "three"}));
    EXPECT_LT(seconds(times.times[1] - started), 0.5) << "another chat waited for this chat's pacing";
    EXPECT_GE(seconds(times.times[2] - times.times[0]), 0.95);
    EXPECT_GE(seconds(times.times[3] - times.times[2]), 0.95);
    EXPECT_LT(seconds(times.times[3] - started), 3.5);
}

TEST_F(ChatSenderTest, TwentyMessagesPerMinuteIntoOneGroup) {
    const std::int64_t otherGroup = -1009999;
    for (int i = 1; i <= 21; ++i) queueNotice(kGroup, "message " + std::to_string(i));
    queueNotice(otherGroup, "elsewhere");
    bridge::TelegramApi api(bridge::telegramSettings(settings_.telegram));
    std::vector<std::chrono::milliseconds> sleeps;  // the pacing, without waiting 20 s for it
    bridge::ChatSender sender(*store_, settings_, api, clock(), [&](std::chrono::milliseconds d) { sleeps.push_back(d); });
    const std::int64_t t0 = now_;

    auto s = sender.flush();
    EXPECT_EQ(s.sent, 21);  // 20 into the group, 1 elsewhere
    EXPECT_EQ(s.deferred, 1);
    EXPECT_EQ(sentTexts(kGroup).size(), 20u);
    EXPECT_EQ(sentTexts(otherGroup).size(), 1u);
    ASSERT_EQ(sleeps.size(), 19u) << "one pause between consecutive messages into the group";
    for (auto d : sleeps) EXPECT_GE(d.count(), 900);
    auto last = store::ChatStore(store_->db()).listOutbox("deferred");
    ASSERT_EQ(last.size(), 1u);
    EXPECT_EQ(last[0].text, "message 21");
    EXPECT_EQ(last[0].next_attempt_at, t0 + 60);

    now_ = t0 + 59;
    sender.flush();
    EXPECT_EQ(sentTexts(kGroup).size(), 20u);
    now_ = t0 + 60;
    EXPECT_EQ(sender.flush().sent, 1);
    EXPECT_EQ(sentTexts(kGroup).back(), "message 21");
    EXPECT_EQ(store::ChatStore(store_->db()).listOutbox("sent").size(), 22u);
    EXPECT_EQ(last[0].attempts, 0) << "waiting for the window is not a delivery attempt";
}

}  // namespace
}  // namespace postdesk::testing
