// When a chat becomes a ticket (rules/chat_conversation.h, run by gateway/bridge/chat_ingest.h):
// group chats wait for an agent's /ticket (a customer's is refused; a reply-to /ticket starts the
// record at the replied-to message), forum topics are conversations of their own and the bot
// answers in the topic, keywords mode by a per-chat override, a private chat's idle window and a
// closed ticket start new tickets, an edit that changes nothing adds no line to the record, and
// a bot added to a group as a plain member is warned about (privacy mode).
#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <mutex>

#include "tests/gateway/chat_fixture.h"

namespace postdesk::testing {
namespace {

constexpr std::int64_t kOlga = 444;
constexpr std::int64_t kPetr = 555;
constexpr std::int64_t kMinute = 60;

// A message in forum topic `thread`, as Telegram sends it: message_thread_id, is_topic_message and
// a reply_to_message naming the topic's creation message (whose id is the thread id).
std::string topicBody(const std::string& chat, std::int64_t thread, const std::string& body) {
    return inTopic(thread) + R"(,"reply_to_message":{"message_id":)" + std::to_string(thread) + R"(,"date":1,"chat":)" + chat +
           R"(,"message_thread_id":)" + std::to_string(thread) + R"(,"forum_topic_created":{"name":"Topic","icon_color":7322096}},)" + body;
}

class RecordingChannel : public Poco::Channel {
public:
    void log(const Poco::Message& m) override {
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.push_back(m.getText());
    }
    std::vector<std::string> lines() {
        std::lock_guard<std::mutex> lock(mutex_);
        return lines_;
    }

private:
    std::mutex mutex_;
    std::vector<std::string> lines_;
};

class ChatModesTest : public ChatBridgeTest {
protected:
    std::string olgaSays(const std::string& chat, std::int64_t id, std::int64_t date, const std::string& body) {
        return message(chat, user(kOlga, "Olga", "Ivanova"), id, date, body);
    }
    std::string annaSays(const std::string& chat, std::int64_t id, std::int64_t date, const std::string& body) {
        return message(chat, user(kAnnaTg, "Anna"), id, date, body);
    }
    std::vector<store::TicketRow> allTickets() { return tickets().list({}); }
    std::string record(std::int64_t ticket) {
        auto m = tickets().messages(ticket);
        return m.empty() ? "" : m.front().text;
    }
};

TEST_F(ChatModesTest, GroupWaitsForAnAgentsTicketCommandWhichMayStartAtARepliedMessage) {
    const std::string g = groupChat();
    fake_->pushUpdate(olgaSays(g, 10, now_, text("Hello everyone")));
    fake_->pushUpdate(olgaSays(g, 11, now_ + 60, text("Invoice 77 is wrong")));
    pass();
    EXPECT_TRUE(allTickets().empty()) << "a customer's message opened a ticket in command mode";
    EXPECT_TRUE(sentTexts().empty());

    fake_->pushUpdate(olgaSays(g, 12, now_ + 70, commandBody("/ticket", "Open one for me")));
    pass();
    EXPECT_TRUE(allTickets().empty()) << "a customer's /ticket was honoured";
    EXPECT_TRUE(sentTexts().empty());

    fake_->pushUpdate(annaSays(g, 13, now_ + 80, commandBody("/ticket@bridge_test_bot", "Wrong invoice") + "," + replyTo(g, 11)));
    pass();
    auto list = allTickets();
    ASSERT_EQ(list.size(), 1u);
    const std::string& subject = list[0].subject;
    EXPECT_EQ(subject.substr(subject.size() - std::string("Wrong invoice").size()), "Wrong invoice") << subject;
    std::string rec = record(list[0].number);
    EXPECT_NE(rec.find("Invoice 77 is wrong"), std::string::npos) << rec;
    EXPECT_EQ(rec.find("Hello everyone"), std::string::npos) << "the record starts at the replied-to message:\n" << rec;
    auto posted = sentTexts(kGroup);
    ASSERT_EQ(posted.size(), 1u);
    EXPECT_EQ(posted[0], "Ticket #1 created: Wrong invoice. Further messages here are added to it.");

    // A second /ticket in the same conversation opens nothing more.
    fake_->pushUpdate(annaSays(g, 14, now_ + 90, commandBody("/ticket", "Again")));
    pass();
    EXPECT_EQ(allTickets().size(), 1u);
    EXPECT_EQ(sentTexts(kGroup).size(), 1u);
}

TEST_F(ChatModesTest, ForumTopicsAreConversationsOfTheirOwnAndTheBotAnswersInTheTopic) {
    const std::int64_t forumId = -1002000000001;
    const std::string forum = chatJson(forumId, "supergroup", "ACME Forum", R"("is_forum":true)");
    fake_->pushUpdate(olgaSays(forum, 100, now_, topicBody(forum, 5, text("Topic five: the scanner jams"))));
    fake_->pushUpdate(message(forum, user(kPetr, "Petr"), 101, now_ + 1, topicBody(forum, 7, text("Topic seven: a login question"))));
    fake_->pushUpdate(annaSays(forum, 102, now_ + 2, topicBody(forum, 5, commandBody("/ticket", "Scanner jams"))));
    pass();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM conversation WHERE chat_id = " + std::to_string(forumId)), 2);
    EXPECT_EQ(scalar("SELECT COUNT(DISTINCT thread_key) FROM conversation"), 2);
    auto list = allTickets();
    ASSERT_EQ(list.size(), 1u);
    std::string rec = record(list[0].number);
    EXPECT_NE(rec.find("the scanner jams"), std::string::npos) << rec;
    EXPECT_EQ(rec.find("login question"), std::string::npos) << "another topic leaked into the record:\n" << rec;
    auto calls = sendCalls(forumId);
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].params["message_thread_id"], "5") << "the notice went to the chat, not the topic";

    fake_->pushUpdate(annaSays(forum, 103, now_ + 3, topicBody(forum, 7, commandBody("/ticket"))));
    pass();
    ASSERT_EQ(allTickets().size(), 2u);
    calls = sendCalls(forumId);
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[1].params["message_thread_id"], "7");
    EXPECT_NE(record(2).find("login question"), std::string::npos) << record(2);

    // Bob answers ticket 1 by mail: into topic 5.
    std::int64_t bobsBefore = static_cast<std::int64_t>(mailbox("bob").size());
    ASSERT_GE(bobsBefore, 2);
    std::string token;
    for (const auto& m : mailbox("bob"))
        if (m.parsed.subject.find("Scanner jams") != std::string::npos && !m.parsed.reply_to.empty()) token = m.parsed.reply_to[0].address;
    ASSERT_FALSE(token.empty());
    agentMails("bob@example.test", token, "Please try the other tray.", "bob-topic@example.test");
    pass();
    calls = sendCalls(forumId);
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[2].params["message_thread_id"], "5");
    EXPECT_EQ(calls[2].params["text"], "Bob Miller (ticket #1): Please try the other tray.");
}

TEST_F(ChatModesTest, KeywordsModeByPerChatOverride) {
    const std::int64_t shopId = -1003000000003;
    const std::string shop = chatJson(shopId, "supergroup", "Shop");
    config::ChatOverride o;
    o.mode = "keywords";
    o.keywords = "refund|invoice";
    settings_.telegram.chats[shopId] = o;
    fake_->pushUpdate(olgaSays(shop, 1, now_, text("Hello, anybody here?")));
    pass();
    EXPECT_TRUE(allTickets().empty());
    fake_->pushUpdate(olgaSays(shop, 2, now_ + 30, text("I need a REFUND for order 5")));
    pass();
    auto list = allTickets();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_NE(list[0].subject.find("I need a REFUND for order 5"), std::string::npos) << list[0].subject;
    EXPECT_EQ(sentTexts(shopId).size(), 1u);
    // The default group (no override) still waits for /ticket.
    fake_->pushUpdate(olgaSays(groupChat(), 3, now_ + 40, text("I need a refund too")));
    pass();
    EXPECT_EQ(allTickets().size(), 1u);
}

TEST_F(ChatModesTest, PrivateChatStartsANewTicketAfterTheIdleWindow) {
    settings_.telegram.idle_minutes = 60;
    const std::int64_t t0 = now_;
    auto ivan = [&](std::int64_t id, std::int64_t date, const std::string& words) {
        fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), id, date, text(words)));
        now_ = date;
        pass();
    };
    ivan(1, t0, "The first problem");
    ivan(2, t0 + 30 * kMinute, "More about the first problem");
    ASSERT_EQ(allTickets().size(), 1u) << "within the idle window";
    EXPECT_NE(tickets().messages(1).back().text.find("More about the first problem"), std::string::npos);
    ivan(3, t0 + 90 * kMinute, "Exactly one hour later");  // 60 min after #2: not more than the window
    EXPECT_EQ(allTickets().size(), 1u);
    ivan(4, t0 + 151 * kMinute, "A new problem, 61 minutes later");
    auto list = allTickets();
    ASSERT_EQ(list.size(), 2u) << "the idle window did not start a new conversation";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM conversation"), 2);
    EXPECT_NE(record(2).find("A new problem"), std::string::npos);
    EXPECT_EQ(record(2).find("The first problem"), std::string::npos);
    auto posted = sentTexts(kIvan);
    ASSERT_EQ(posted.size(), 2u);
    EXPECT_EQ(posted[1].rfind("Ticket #2 created: A new problem, 61 minutes later.", 0), 0u) << posted[1];
}

TEST_F(ChatModesTest, ClosedTicketsChatStartsANewTicketOnTheNextMessage) {
    fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1, now_, text("The printer is broken")));
    pass();
    ASSERT_EQ(allTickets().size(), 1u);
    tickets().setStatus(1, rules::TicketStatus::Closed, now_ + 60);
    fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 2, now_ + 120, text("Now the scanner is broken")));
    pass();
    auto list = allTickets();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(tickets().get(1)->status, "closed") << "the closed ticket was reopened";
    EXPECT_EQ(tickets().messages(1).size(), 1u) << "the new message was appended to the closed ticket";
    EXPECT_NE(record(2).find("Now the scanner is broken"), std::string::npos);
    EXPECT_EQ(sentTexts(kIvan).back(), "Ticket #2 created: Now the scanner is broken. Further messages here are added to it.");
}

TEST_F(ChatModesTest, EditWithoutVisibleChangeAddsNothingToTheRecord) {
    const std::int64_t t0 = now_;
    const std::string ivan = user(kIvan, "Ivan", "Petrov");
    fake_->pushUpdate(message(privateChat(), ivan, 1365, t0, text("Invoice 1042 is wrong")));
    pass();
    ASSERT_EQ(tickets().messages(1).size(), 1u);

    // Telegram sends edited_message for changes the bridge cannot see (research §1.2).
    fake_->pushUpdate(edited(privateChat(), ivan, 1365, t0, t0 + 100, text("Invoice 1042 is wrong")));
    pass();
    EXPECT_EQ(tickets().messages(1).size(), 1u) << "a no-op edit became a follow-up: " << tickets().messages(1).back().text;
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_entry"), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_update WHERE state = 'done'"), 2) << "the update is still stored and done";

    // A real edit is appended; the same text again (a second no-op) is not; going back to the
    // first text is a change again.
    fake_->pushUpdate(edited(privateChat(), ivan, 1365, t0, t0 + 200, text("Invoice 1043 is wrong")));
    pass();
    auto messages = tickets().messages(1);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_NE(messages[1].text.find("Invoice 1043 is wrong"), std::string::npos) << messages[1].text;
    fake_->pushUpdate(edited(privateChat(), ivan, 1365, t0, t0 + 300, text("Invoice 1043 is wrong")));
    pass();
    EXPECT_EQ(tickets().messages(1).size(), 2u);
    fake_->pushUpdate(edited(privateChat(), ivan, 1365, t0, t0 + 400, text("Invoice 1042 is wrong")));
    pass();
    messages = tickets().messages(1);
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_NE(messages[2].text.find("Invoice 1042 is wrong"), std::string::npos) << messages[2].text;
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_entry"), 3);

    // A caption-only message whose file is replaced is a visible change even with the same caption.
    const std::string doc1 = R"("caption":"the scan","document":{"file_id":"F1","file_unique_id":"U1","file_name":"a.pdf","file_size":5})";
    const std::string doc2 = R"("caption":"the scan","document":{"file_id":"F2","file_unique_id":"U2","file_name":"b.pdf","file_size":5})";
    fake_->addFile("F1", "documents/a.pdf", "aaaaa");
    fake_->addFile("F2", "documents/b.pdf", "bbbbb");
    fake_->pushUpdate(message(privateChat(), ivan, 1366, t0 + 500, doc1));
    pass();
    fake_->pushUpdate(edited(privateChat(), ivan, 1366, t0 + 500, t0 + 600, doc2));
    pass();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_entry WHERE message_id = 1366"), 2) << "a replaced file was taken for a no-op edit";
}

TEST_F(ChatModesTest, BotAddedToAGroupAsAPlainMemberWarnsAboutPrivacyMode) {
    Poco::AutoPtr<RecordingChannel> recorder(new RecordingChannel);
    Poco::Logger& bridgeLog = Poco::Logger::get("bridge");
    Poco::Channel::Ptr previous = bridgeLog.getChannel();
    int previousLevel = bridgeLog.getLevel();
    bridgeLog.setChannel(recorder);
    bridgeLog.setLevel(Poco::Message::PRIO_WARNING);
    const std::string bot = R"({"id":7000000001,"is_bot":true,"first_name":"Bridge","username":"bridge_test_bot"})";
    fake_->pushUpdate(R"({"my_chat_member":{"chat":)" + groupChat() + R"(,"from":)" + user(kAnnaTg, "Anna") + R"(,"date":)" +
                      std::to_string(now_) + R"(,"old_chat_member":{"user":)" + bot + R"(,"status":"left"},"new_chat_member":{"user":)" + bot +
                      R"(,"status":"member"}}})");
    pass();
    bridgeLog.setChannel(previous);
    bridgeLog.setLevel(previousLevel);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat WHERE bot_status = 'member' AND chat_id = " + std::to_string(kGroup)), 1);
    bool warned = false;
    for (const auto& line : recorder->lines()) warned = warned || line.find("privacy mode") != std::string::npos;
    EXPECT_TRUE(warned) << "no privacy-mode warning logged";
    EXPECT_TRUE(allTickets().empty());
}

}  // namespace
}  // namespace postdesk::testing
