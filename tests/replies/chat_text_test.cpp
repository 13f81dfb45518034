#include "replies/chat_text.h"

#include <gtest/gtest.h>

#include "mime/detail/utf8.h"
#include "mime/parse.h"

namespace postdesk::replies {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

bool validUtf8(const std::string& s) { return mime::detail::firstInvalidUtf8(s) == s.size(); }

// The chunks without their prefixes, joined with nothing between them, and all whitespace removed.
std::string squeezed(const std::vector<std::string>& chunks, const std::string& prefix) {
    std::string out;
    for (const auto& c : chunks) {
        EXPECT_EQ(c.rfind(prefix, 0), 0u) << c.substr(0, 40);
        for (char ch : c.substr(prefix.size()))
            if (ch != ' ' && ch != '\n') out += ch;
    }
    return out;
}

std::string squeezed(const std::string& s) {
    std::string out;
    for (char ch : s)
        if (ch != ' ' && ch != '\n') out += ch;
    return out;
}

TEST(ChatText, Utf16LengthCountsAstralCharactersTwice) {
    EXPECT_EQ(utf16Length("abc"), 3u);
    EXPECT_EQ(utf16Length("жжж"), 3u);
    EXPECT_EQ(utf16Length("😀"), 2u);
    EXPECT_EQ(utf16Length("a😀b"), 4u);
}

TEST(ChatText, ShortReplyIsOneMessageWithTheAgentPrefix) {
    auto chunks = chatMessagesFromReply("Anna", 1234, "  Hello, we fixed it.\n\n");
    ASSERT_EQ(chunks.size(), 1u);
    EXPECT_EQ(chunks[0], "Anna (ticket #1234): Hello, we fixed it.");
}

TEST(ChatText, BlankReplyGivesNoMessages) {
    EXPECT_TRUE(chatMessagesFromReply("Anna", 1, " \n\r\n\t").empty());
}

TEST(ChatText, ReplyOfFourThousandNinetySevenCharactersIsTwoMessages) {
    std::string reply;
    while (reply.size() < 4097) reply += "word ";
    reply.resize(4097);
    auto chunks = chatMessagesFromReply("Anna", 1234, reply);
    ASSERT_EQ(chunks.size(), 2u);
    for (const auto& c : chunks) {
        EXPECT_LE(utf16Length(c), kTelegramMaxText);
        EXPECT_EQ(c.rfind("Anna (ticket #1234): ", 0), 0u);
        EXPECT_NE(c.back(), ' ');
    }
    EXPECT_EQ(squeezed(chunks, "Anna (ticket #1234): "), squeezed(reply));
    // The cut is at a space: no word is split.
    EXPECT_EQ(chunks[0].substr(chunks[0].size() - 4), "word");
}

TEST(ChatText, EmojiCountTwoUnitsAndAreNeverSplit) {
    std::string reply;
    for (int i = 0; i < 3000; ++i) reply += "😀";  // 6000 UTF-16 units, no spaces
    auto chunks = chatMessagesFromReply("Anna", 7, reply);
    ASSERT_EQ(chunks.size(), 2u);
    std::size_t emoji = 0;
    for (const auto& c : chunks) {
        EXPECT_LE(utf16Length(c), kTelegramMaxText);
        EXPECT_TRUE(validUtf8(c));
        emoji += (c.size() - std::string("Anna (ticket #7): ").size()) / 4;
    }
    EXPECT_EQ(emoji, 3000u);
    // A first chunk filled to the limit: 4096 - 18 prefix units = 4078 → 2039 emoji.
    EXPECT_EQ(utf16Length(chunks[0]), 18u + 2 * 2039);
}

TEST(ChatText, NoChunkOverTheLimitForMixedText) {
    std::string reply;
    for (int i = 0; i < 400; ++i) reply += "Привет 👋🏽 мир, line " + std::to_string(i) + (i % 7 ? "\n" : "\n\n");
    for (std::size_t limit : {64u, 100u, 333u, 4096u}) {
        auto chunks = chatMessagesFromReply("Анна", 55, reply, limit);
        ASSERT_FALSE(chunks.empty());
        for (const auto& c : chunks) {
            EXPECT_LE(utf16Length(c), limit) << limit;
            EXPECT_TRUE(validUtf8(c));
            EXPECT_FALSE(c.empty());
        }
        EXPECT_EQ(squeezed(chunks, "Анна (ticket #55): "), squeezed(reply)) << limit;
    }
}

TEST(ChatText, PrefersParagraphThenLineBreaks) {
    std::string para(60, 'a'), line(60, 'b');
    auto chunks = chatMessagesFromReply("A", 0, para + "\n\n" + line + "\n" + line, 150);
    ASSERT_EQ(chunks.size(), 2u);
    EXPECT_EQ(chunks[0], "A: " + para);
    EXPECT_EQ(chunks[1], "A: " + line + "\n" + line);
}

TEST(ChatText, SkinToneModifierStaysWithItsEmoji) {
    // 9 units of budget after "A: " at limit 12: "xxxxxxx" + "👋🏽" would need 11.
    auto chunks = chatMessagesFromReply("A", 0, "xxxxxxx👋🏽", 12);
    ASSERT_EQ(chunks.size(), 2u);
    EXPECT_EQ(chunks[0], "A: xxxxxxx");
    EXPECT_EQ(chunks[1], "A: 👋🏽");
}

TEST(ChatText, TicketCreatedNotice) {
    EXPECT_EQ(ticketCreatedNotice(1234, "Refund for order 77"),
              "Ticket #1234 created: Refund for order 77. Further messages here are added to it.");
    EXPECT_EQ(ticketCreatedNotice(5, "Done.\n"), "Ticket #5 created: Done. Further messages here are added to it.");
    EXPECT_EQ(ticketCreatedNotice(5, "a\nb"), "Ticket #5 created: a b. Further messages here are added to it.");
}

UnansweredAlertMail alert(int level) {
    UnansweredAlertMail a;
    a.from = {"postdesk", "postdesk@support.example"};
    a.to = {{"Anna", "anna@support.example"}};
    a.message_id = "alert.7.1799999000." + std::to_string(level) + "@support.example";
    a.chat_id = -1001234567890;
    a.chat_title = "Acme support";
    a.ticket = 42;
    a.customer.id = 333;
    a.customer.first_name = "Ivan";
    a.customer.last_name = "Petrov";
    a.customer.username = "ivanp";
    a.chat_message_id = 1365;
    a.text = std::string(250, 'x') + " tail";
    a.unanswered_since = kNow - 17 * 60;
    a.level = level;
    return a;
}

TEST(ChatAlert, UnansweredMailNamesChatCustomerWaitAndQuote) {
    auto r = composeUnansweredAlert(alert(1), kNow);
    ASSERT_TRUE(r.ok()) << r.error;
    auto m = mime::parse(r.bytes);
    EXPECT_EQ(m.subject, "[Telegram] Unanswered for 17 min: Acme support — Ivan Petrov");
    ASSERT_NE(m.header("X-Chat-Alert"), nullptr);
    EXPECT_EQ(m.header("X-Chat-Alert")->value, "unanswered");
    EXPECT_EQ(m.header("Auto-Submitted")->value, "auto-generated");
    EXPECT_EQ(m.header("X-Chat-Id")->value, "-1001234567890");
    EXPECT_NE(m.text.find("Ivan Petrov (@ivanp, id 333)"), std::string::npos) << m.text;
    EXPECT_NE(m.text.find("#1365"), std::string::npos);
    EXPECT_NE(m.text.find("Ticket:    #42"), std::string::npos);
    EXPECT_NE(m.text.find("> " + std::string(200, 'x') + "…"), std::string::npos);
    EXPECT_EQ(m.text.find("tail"), std::string::npos);
}

TEST(ChatAlert, EscalatedMailSaysSo) {
    auto r = composeUnansweredAlert(alert(2), kNow + 15 * 60);
    ASSERT_TRUE(r.ok()) << r.error;
    auto m = mime::parse(r.bytes);
    EXPECT_EQ(m.subject, "[Telegram] Escalated, unanswered for 32 min: Acme support — Ivan Petrov");
    EXPECT_EQ(m.header("X-Chat-Alert")->value, "escalated");
    EXPECT_FALSE(composeUnansweredAlert(alert(3), kNow).ok());
}

}  // namespace
}  // namespace postdesk::replies
