// The chat bridge end to end, without the internet: a fake Telegram Bot API (tests/fakes) that
// speaks the real JSON, and a real Dovecot + Postfix. Chat messages become a ticket with a formal
// record, the bot posts the ticket number, agents are notified by mail and answer from their mail
// client, and the answer reaches the chat with sendMessage; unanswered customers raise alerts on
// an injected clock; Telegram's errors (429, 403, migration) and webhooks are handled; nothing is
// filed twice.
#include "tests/gateway/chat_fixture.h"

namespace postdesk::testing {
namespace {

TEST_F(ChatBridgeTest, ChatBecomesATicketWithARecordAndAgentsAnswerFromMail) {
    fake_->addFile("BQAC-inv", "documents/file_7.pdf", "%PDF-1.4 invoice bytes");
    fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1365, now_, text("Invoice 1042 is wrong")));
    fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1366, now_ + 5,
                              R"("caption":"here it is","document":{"file_id":"BQAC-inv","file_unique_id":"AgAD-inv","file_name":"invoice.pdf","mime_type":"application/pdf","file_size":22})"));
    fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1367, now_ + 6,
                              R"("video":{"file_id":"BAAD-big","file_unique_id":"AgAD-big","file_name":"screen.mp4","mime_type":"video/mp4","file_size":36000000,"duration":60,"width":1,"height":1})"));
    pass();

    // One ticket, its record filed like any mail: transcript, the PDF, transcript.json.
    auto list = tickets().list({});
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].queue, "support");
    EXPECT_EQ(list[0].customer_address, "chat+tg-333@example.test");
    auto messages = tickets().messages(list[0].number);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_NE(messages[0].text.find("Ivan Petrov (customer, id 333) #1365: Invoice 1042 is wrong"), std::string::npos) << messages[0].text;
    EXPECT_NE(messages[0].text.find("screen.mp4"), std::string::npos);
    EXPECT_NE(messages[0].text.find("not retrievable"), std::string::npos) << messages[0].text;
    std::set<std::string> names;
    for (const auto& a : tickets().attachments(messages[0].id)) names.insert(a.filename);
    EXPECT_EQ(names, (std::set<std::string>{"invoice.pdf", "transcript.json"}));
    EXPECT_TRUE(tickets().hasEvent(list[0].number, "chat-linked"));

    // The bot posted the ticket number into the chat; no acknowledgment mail went anywhere.
    auto posted = sentTexts(kIvan);
    ASSERT_EQ(posted.size(), 1u);
    EXPECT_EQ(posted[0], "Ticket #1 created: Invoice 1042 is wrong. Further messages here are added to it.");
    for (const auto& o : store::Outbox(store_->db()).list("")) EXPECT_NE(o.kind, "ack");

    // The agents got the record by mail, in Dovecot, and Bob answers from his mail client.
    auto bobs = mailbox("bob");
    ASSERT_EQ(bobs.size(), 1u);
    EXPECT_NE(bobs[0].parsed.text.find("Invoice 1042 is wrong"), std::string::npos);
    std::string token = replyToken("bob");
    ASSERT_FALSE(token.empty());
    agentMails("bob@example.test", token,
               "Thanks Ivan, we are fixing the invoice.\r\n\r\nOn Mon, Nov 16, 2026 at 10:00 AM Ivan wrote:\r\n> Invoice 1042 is wrong",
               "bob-answer@example.test");
    pass();
    posted = sentTexts(kIvan);
    ASSERT_EQ(posted.size(), 2u);
    EXPECT_EQ(posted[1], "Bob Miller (ticket #1): Thanks Ivan, we are fixing the invoice.");
    EXPECT_EQ(mailbox("bob").size(), 1u + 0u);  // no mail to the chat address bounced back
    for (const auto& o : store::Outbox(store_->db()).list(""))
        for (const auto& r : o.recipients) EXPECT_EQ(r.find("chat+"), std::string::npos) << "mail sent to a chat address";

    // An internal note never reaches the chat.
    agentMails("bob@example.test", token, "#note called the accounting team", "bob-note@example.test");
    pass();
    EXPECT_EQ(sentTexts(kIvan).size(), 2u);

    // Later chat lines and an edit are appended to the ticket as one threaded follow-up.
    fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1368, now_ + 60, text("Thank you!")));
    fake_->pushUpdate(R"({"edited_message":{"message_id":1365,"date":)" + std::to_string(now_) + R"(,"edit_date":)" +
                      std::to_string(now_ + 70) + R"(,"from":)" + user(kIvan, "Ivan", "Petrov") + R"(,"chat":)" + privateChat() +
                      R"(,"text":"Invoice 1042 and 1043 are wrong"}})");
    pass();
    messages = tickets().messages(1);
    const auto& followUp = messages.back();
    EXPECT_EQ(followUp.direction, "in");
    EXPECT_NE(followUp.text.find("Thank you!"), std::string::npos) << followUp.text;
    EXPECT_NE(followUp.text.find("Invoice 1042 and 1043 are wrong"), std::string::npos) << followUp.text;
    EXPECT_EQ(tickets().list({}).size(), 1u);

    // The same messages again under new update ids (a webhook/polling switch): nothing twice.
    store::ChatStore chats(store_->db());
    std::int64_t updates = chats.countUpdates("done");
    for (std::int64_t id = 1365; id <= 1368; ++id)
        fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), id, now_, text("again")));
    pass();
    EXPECT_EQ(tickets().messages(1).size(), messages.size());
    EXPECT_EQ(sentTexts(kIvan).size(), 2u);
    EXPECT_GE(chats.countUpdates("done"), updates);
}

}  // namespace
}  // namespace postdesk::testing
