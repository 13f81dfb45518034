#include "gateway/bridge/telegram_update.h"

#include <gtest/gtest.h>

#include <string>

namespace postdesk::bridge {
namespace {

using rules::ChatEvent;
using Kind = rules::ChatEvent::Kind;

// The sample updates of shared/research/chat-bridge.md §4.10, verbatim.
const char* const kSamples[] = {
    R"({"update_id":10000,"message":{"message_id":1365,"date":1441645532,"from":{"id":1111111,"is_bot":false,"first_name":"Test","last_name":"Lastname","username":"Test","language_code":"ru"},"chat":{"id":1111111,"first_name":"Test","last_name":"Lastname","username":"Test","type":"private"},"text":"/start","entities":[{"type":"bot_command","offset":0,"length":6}]}})",
    R"({"update_id":10001,"message":{"message_id":52,"date":1741097112,"from":{"id":222,"is_bot":false,"first_name":"Anna"},"chat":{"id":-1001575342692,"title":"ACME ↔ Support","type":"supergroup"},"reply_to_message":{"message_id":50,"date":1741097000,"from":{"id":333,"is_bot":false,"first_name":"Ivan"},"chat":{"id":-1001575342692,"title":"ACME ↔ Support","type":"supergroup"},"text":"Invoice 1042 is wrong"},"text":"/ticket@bridge_test_bot Wrong invoice","entities":[{"type":"bot_command","offset":0,"length":23}]}})",
    R"({"update_id":10002,"message":{"message_id":53,"date":1741097200,"from":{"id":333,"is_bot":false,"first_name":"Ivan"},"chat":{"id":-1001575342692,"title":"ACME ↔ Support","type":"supergroup"},"document":{"file_id":"BQACAgIAAx0","file_unique_id":"AgADxQ","file_name":"invoice.pdf","mime_type":"application/pdf","file_size":245123},"caption":"here"}})",
    R"({"update_id":10003,"message":{"message_id":54,"date":1741097260,"from":{"id":333,"is_bot":false,"first_name":"Ivan"},"chat":{"id":-1001575342692,"title":"ACME ↔ Support","type":"supergroup"},"photo":[{"file_id":"AgAC-s","file_unique_id":"AQADs","width":90,"height":67,"file_size":1200},{"file_id":"AgAC-m","file_unique_id":"AQADm","width":1280,"height":960,"file_size":98000}]}})",
    R"({"update_id":10004,"message":{"message_id":55,"date":1741097300,"from":{"id":333,"is_bot":false,"first_name":"Ivan"},"chat":{"id":-1001575342692,"title":"ACME ↔ Support","type":"supergroup"},"voice":{"file_id":"AwACAgIA","file_unique_id":"AgADvA","duration":7,"mime_type":"audio/ogg","file_size":23000}}})",
    R"({"update_id":10005,"edited_message":{"message_id":50,"date":1741097000,"edit_date":1741097400,"from":{"id":333,"is_bot":false,"first_name":"Ivan"},"chat":{"id":-1001575342692,"title":"ACME ↔ Support","type":"supergroup"},"text":"Invoice 1042 and 1043 are wrong"}})",
    R"({"update_id":10006,"message":{"message_id":77,"message_thread_id":70,"is_topic_message":true,"date":1741097500,"from":{"id":333,"is_bot":false,"first_name":"Ivan"},"chat":{"id":-1004384191085,"title":"ACME Desk","type":"supergroup","is_forum":true},"text":"same problem in topic"}})",
    R"({"update_id":10007,"message":{"message_id":3,"date":1741097600,"from":{"id":222,"is_bot":false,"first_name":"Anna"},"chat":{"id":-5480670982,"title":"Old group","type":"group"},"migrate_to_chat_id":-1004384191085}})",
    R"({"update_id":10008,"my_chat_member":{"chat":{"id":-1001575342692,"title":"ACME ↔ Support","type":"supergroup"},"from":{"id":222,"is_bot":false,"first_name":"Anna"},"date":1741097700,"old_chat_member":{"status":"member","user":{"id":7000000001,"is_bot":true,"first_name":"Bridge"}},"new_chat_member":{"status":"administrator","user":{"id":7000000001,"is_bot":true,"first_name":"Bridge"}}}})",
};

ChatEvent parsed(std::string_view json) {
    std::string error;
    auto ev = parseTelegramUpdate(json, error);
    EXPECT_TRUE(ev) << error << "\n" << json;
    EXPECT_EQ(error, "");
    return ev.value_or(ChatEvent{});
}

TEST(TelegramUpdate, PrivateStartCommand) {
    ChatEvent ev = parsed(kSamples[0]);
    EXPECT_EQ(ev.kind, Kind::Message);
    EXPECT_EQ(ev.source, "telegram");
    EXPECT_EQ(ev.update_id, 10000);
    EXPECT_EQ(ev.chat_id, 1111111);
    EXPECT_EQ(ev.chat_type, "private");
    EXPECT_EQ(ev.chat_title, "Test Lastname");
    EXPECT_EQ(ev.message_id, 1365);
    EXPECT_EQ(ev.date, 1441645532);
    EXPECT_EQ(ev.from, (rules::ChatUser{1111111, false, "Test", "Lastname", "Test"}));
    EXPECT_EQ(ev.text, "/start");
    EXPECT_EQ(ev.command, "/start");
    EXPECT_EQ(ev.command_args, "");
    EXPECT_EQ(ev.thread_key, 0);
    EXPECT_EQ(ev.reply_to, 0);
    EXPECT_TRUE(ev.files.empty());
}

TEST(TelegramUpdate, GroupCommandLosesBotNameAndKeepsReply) {
    ChatEvent ev = parsed(kSamples[1]);
    EXPECT_EQ(ev.kind, Kind::Message);
    EXPECT_EQ(ev.chat_id, -1001575342692);
    EXPECT_EQ(ev.chat_type, "supergroup");
    EXPECT_EQ(ev.chat_title, "ACME ↔ Support");
    EXPECT_EQ(ev.reply_to, 50);
    EXPECT_EQ(ev.from.id, 222);
    EXPECT_EQ(ev.text, "/ticket@bridge_test_bot Wrong invoice");
    EXPECT_EQ(ev.command, "/ticket");
    EXPECT_EQ(ev.command_args, "Wrong invoice");
}

TEST(TelegramUpdate, DocumentWithCaption) {
    ChatEvent ev = parsed(kSamples[2]);
    EXPECT_EQ(ev.text, "here");
    EXPECT_FALSE(ev.command);
    ASSERT_EQ(ev.files.size(), 1u);
    EXPECT_EQ(ev.files[0], (rules::ChatFile{"document", "BQACAgIAAx0", "AgADxQ", "invoice.pdf", "application/pdf", 245123, ""}));
}

TEST(TelegramUpdate, PhotoKeepsOnlyTheLargestSize) {
    ChatEvent ev = parsed(kSamples[3]);
    ASSERT_EQ(ev.files.size(), 1u);
    EXPECT_EQ(ev.files[0], (rules::ChatFile{"photo", "AgAC-m", "AQADm", "", "", 98000, ""}));
    EXPECT_EQ(ev.text, "");
}

TEST(TelegramUpdate, Voice) {
    ChatEvent ev = parsed(kSamples[4]);
    ASSERT_EQ(ev.files.size(), 1u);
    EXPECT_EQ(ev.files[0], (rules::ChatFile{"voice", "AwACAgIA", "AgADvA", "", "audio/ogg", 23000, ""}));
}

TEST(TelegramUpdate, EditedMessageIsAnEditWithItsDate) {
    ChatEvent ev = parsed(kSamples[5]);
    EXPECT_EQ(ev.kind, Kind::Edit);
    EXPECT_EQ(ev.message_id, 50);
    EXPECT_EQ(ev.date, 1741097000);
    EXPECT_EQ(ev.edit_date, 1741097400);
    EXPECT_EQ(ev.text, "Invoice 1042 and 1043 are wrong");
}

TEST(TelegramUpdate, TopicMessageHasThreadKey) {
    ChatEvent ev = parsed(kSamples[6]);
    EXPECT_EQ(ev.thread_key, 70);
    EXPECT_EQ(ev.chat_id, -1004384191085);
    EXPECT_EQ(ev.chat_title, "ACME Desk");
}

TEST(TelegramUpdate, ReplyThreadWithoutTopicHasNoThreadKey) {
    // Ordinary reply threads in supergroups carry message_thread_id too (chat-bridge.md §1.6).
    ChatEvent ev = parsed(R"({"update_id":1,"message":{"message_id":9,"message_thread_id":5,"date":1,
        "chat":{"id":-1001,"title":"G","type":"supergroup"},"from":{"id":1,"first_name":"A"},
        "reply_to_message":{"message_id":5,"date":1,"chat":{"id":-1001,"type":"supergroup"}},"text":"x"}})");
    EXPECT_EQ(ev.thread_key, 0);
    EXPECT_EQ(ev.reply_to, 5);
}

TEST(TelegramUpdate, MigrationServiceMessage) {
    ChatEvent ev = parsed(kSamples[7]);
    EXPECT_EQ(ev.kind, Kind::Migration);
    EXPECT_EQ(ev.chat_id, -5480670982);
    EXPECT_EQ(ev.chat_type, "group");
    EXPECT_EQ(ev.migrate_to_chat_id, -1004384191085);
}

TEST(TelegramUpdate, BotPromotedIsMembership) {
    ChatEvent ev = parsed(kSamples[8]);
    EXPECT_EQ(ev.kind, Kind::Membership);
    EXPECT_EQ(ev.update_id, 10008);
    EXPECT_EQ(ev.chat_id, -1001575342692);
    EXPECT_EQ(ev.member_status, "administrator");
    EXPECT_EQ(ev.from.first_name, "Anna");
    EXPECT_EQ(ev.date, 1741097700);
}

TEST(TelegramUpdate, UnusedKindIsOtherWithItsId) {
    ChatEvent ev = parsed(R"({"update_id":424242,"callback_query":{"id":"1","from":{"id":1,"first_name":"A"},"data":"x"}})");
    EXPECT_EQ(ev.kind, Kind::Other);
    EXPECT_EQ(ev.update_id, 424242);
    EXPECT_EQ(ev.chat_id, 0);
    EXPECT_EQ(parsed(R"({"update_id":7})").kind, Kind::Other);
}

TEST(TelegramUpdate, ServiceMessagesAreOtherButKeepTheirChat) {
    ChatEvent ev = parsed(R"({"update_id":2,"message":{"message_id":4,"date":5,"chat":{"id":-100777,"title":"G","type":"supergroup"},
        "from":{"id":1,"first_name":"A"},"new_chat_members":[{"id":2,"is_bot":false,"first_name":"B"}]}})");
    EXPECT_EQ(ev.kind, Kind::Other);
    EXPECT_EQ(ev.chat_id, -100777);
    EXPECT_EQ(ev.message_id, 4);
}

TEST(TelegramUpdate, ChannelPostTakesTheSenderChatAsAuthor) {
    ChatEvent ev = parsed(R"({"update_id":3,"channel_post":{"message_id":8,"date":9,
        "sender_chat":{"id":-1002000000001,"title":"News","username":"acme_news","type":"channel"},
        "chat":{"id":-1002000000001,"title":"News","type":"channel"},"text":"hello"}})");
    EXPECT_EQ(ev.kind, Kind::Message);
    EXPECT_EQ(ev.chat_type, "channel");
    EXPECT_EQ(ev.from, (rules::ChatUser{-1002000000001, false, "News", "", "acme_news"}));
    EXPECT_EQ(parsed(R"({"update_id":4,"edited_channel_post":{"message_id":8,"date":9,"edit_date":10,
        "chat":{"id":-1002000000001,"title":"News","type":"channel"},"text":"hello!"}})").kind,
              Kind::Edit);
}

TEST(TelegramUpdate, AnimationIsNotAlsoADocument) {
    ChatEvent ev = parsed(R"({"update_id":5,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private","first_name":"A"},
        "animation":{"file_id":"CgAn","file_unique_id":"u1","file_name":"a.mp4","mime_type":"video/mp4","file_size":10},
        "document":{"file_id":"CgAn","file_unique_id":"u1","file_name":"a.mp4","mime_type":"video/mp4","file_size":10},
        "sticker":{"file_id":"CAAs","file_unique_id":"u2","file_size":20},"media_group_id":"13579"}})");
    ASSERT_EQ(ev.files.size(), 2u);
    EXPECT_EQ(ev.files[0].kind, "sticker");
    EXPECT_EQ(ev.files[1].kind, "animation");
    EXPECT_EQ(ev.media_group_id, "13579");
    EXPECT_EQ(ev.chat_title, "A");
}

TEST(TelegramUpdate, IdsUseAll52Bits) {
    ChatEvent ev = parsed(R"({"update_id":900000000,"message":{"message_id":2147483648,"date":1,
        "from":{"id":4503599627370495,"is_bot":false,"first_name":"Big"},
        "chat":{"id":-1009007199254740,"type":"supergroup","title":"T"},"text":"x"}})");
    EXPECT_EQ(ev.from.id, 4503599627370495);
    EXPECT_EQ(ev.chat_id, -1009007199254740);
    EXPECT_EQ(ev.message_id, 2147483648);
}

TEST(TelegramUpdate, CommandIsLowerCasedAndArgsTrimmed) {
    ChatEvent ev = parsed(R"({"update_id":6,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},
        "text":"/Ticket@Bridge_Test_Bot   Printer  is broken \n","entities":[{"type":"bot_command","offset":0,"length":23}]}})");
    EXPECT_EQ(ev.command, "/ticket");
    EXPECT_EQ(ev.command_args, "Printer  is broken");
}

TEST(TelegramUpdate, CommandArgsKeepEmojiAndCyrillic) {
    ChatEvent ev = parsed(R"({"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},
        "text":"/ticket 😀 Счёт неверный","entities":[{"type":"bot_command","offset":0,"length":7}]}})");
    EXPECT_EQ(ev.command, "/ticket");
    EXPECT_EQ(ev.command_args, "😀 Счёт неверный");
}

TEST(TelegramUpdate, CommandNotAtOffsetZeroIsNoCommand) {
    // "😀 /ticket": the command starts at UTF-16 offset 3 (the emoji is a surrogate pair).
    ChatEvent ev = parsed(R"({"update_id":8,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},
        "text":"😀 /ticket","entities":[{"type":"bot_command","offset":3,"length":7}]}})");
    EXPECT_FALSE(ev.command);
}

TEST(TelegramUpdate, CommandInACaption) {
    ChatEvent ev = parsed(R"({"update_id":9,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},
        "document":{"file_id":"d","file_unique_id":"u"},"caption":"/ticket Scan","caption_entities":[{"type":"bot_command","offset":0,"length":7}]}})");
    EXPECT_EQ(ev.command, "/ticket");
    EXPECT_EQ(ev.command_args, "Scan");
}

TEST(TelegramUpdate, EntityLengthBeyondTheTextIsIgnored) {
    ChatEvent ev = parsed(R"({"update_id":10,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},
        "text":"/t","entities":[{"type":"bot_command","offset":0,"length":100}]}})");
    EXPECT_FALSE(ev.command);
    EXPECT_EQ(ev.text, "/t");
}

TEST(TelegramUpdate, EscapedSurrogatePairsBecomeUtf8) {
    ChatEvent ev = parsed(R"({"update_id":11,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},
        "text":"\ud83d\ude00 \u0421"}})");
    EXPECT_EQ(ev.text, "\xF0\x9F\x98\x80 \xD0\xA1");
}

TEST(TelegramUpdate, WrongTypedOptionalFieldsReadAsAbsent) {
    ChatEvent ev = parsed(R"({"update_id":12,"message":{"message_id":"1","date":null,"chat":{"id":5,"type":7},
        "from":[],"text":42,"photo":{},"entities":"x"}})");
    EXPECT_EQ(ev.kind, Kind::Message);
    EXPECT_EQ(ev.message_id, 0);
    EXPECT_EQ(ev.chat_id, 5);
    EXPECT_EQ(ev.chat_type, "");
    EXPECT_EQ(ev.text, "");
    EXPECT_TRUE(ev.files.empty());
}

TEST(TelegramUpdate, MalformedInputIsAnErrorNeverAThrow) {
    const std::string cases[] = {
        "",
        "{",
        "[]",
        "null",
        "42",
        R"({"message":{"message_id":1}})",
        R"({"update_id":"10000"})",
        R"({"update_id":1.5})",
        R"({"update_id":18446744073709551615})",
        R"({"update_id":1} trailing)",
        std::string(100000, '[') + std::string(100000, ']'),
        std::string("{\"update_id\":1,\"message\":{\"text\":\"\xff\xfe\"}"),
    };
    for (const auto& json : cases) {
        std::string error;
        std::optional<ChatEvent> ev;
        EXPECT_NO_THROW(ev = parseTelegramUpdate(json, error)) << json.substr(0, 60);
        EXPECT_FALSE(ev) << json.substr(0, 60);
        EXPECT_NE(error, "") << json.substr(0, 60);
    }
}

// ---- UTF-16 offsets ----

TEST(Utf16Offsets, LengthCountsSurrogatePairsAsTwo) {
    EXPECT_EQ(utf16Length(""), 0u);
    EXPECT_EQ(utf16Length("abc"), 3u);
    EXPECT_EQ(utf16Length("Счёт"), 4u);  // 8 bytes
    EXPECT_EQ(utf16Length("😀"), 2u);     // 4 bytes
    EXPECT_EQ(utf16Length("↔"), 1u);      // 3 bytes
    EXPECT_EQ(utf16Length("\xff\xfe"), 2u);  // invalid bytes: one each
}

TEST(Utf16Offsets, EmojiAndCyrillicBeforeAnOffset) {
    EXPECT_EQ(utf8OffsetOfUtf16("😀 /ticket", 3), 5u);
    EXPECT_EQ(utf8OffsetOfUtf16("Счёт /x", 5), 9u);
    EXPECT_EQ(utf8OffsetOfUtf16("a↔b", 2), 4u);
    EXPECT_EQ(utf8OffsetOfUtf16("abc", 0), 0u);
    EXPECT_EQ(utf8OffsetOfUtf16("abc", 3), 3u);
}

TEST(Utf16Offsets, PastTheEndOrInsideAPairIsNone) {
    EXPECT_FALSE(utf8OffsetOfUtf16("abc", 4));
    EXPECT_FALSE(utf8OffsetOfUtf16("😀", 1));
    EXPECT_EQ(utf8OffsetOfUtf16("😀", 2), 4u);
    EXPECT_EQ(utf8OffsetOfUtf16("\xF0\x9F", 1), 1u);  // a truncated sequence: one unit per byte
}

// ---- the generic webhook (docs/CHAT_WEBHOOK.md) ----

const char* const kWebhookSample = R"({"event_id":"8f0c2d6e-2b1c-4b7e-9a0e-3f4b1c2d3e4f",
 "source":"slack",
 "chat":{"id":4917012345,"type":"private","title":"Ivan Petrov"},
 "thread":0,
 "message":{"id":1042,"date":1741097111,"reply_to":1040,
            "from":{"id":4917012345,"first_name":"Ivan","last_name":"Petrov","username":"ivanp","is_bot":false},
            "text":"Invoice 1042 is wrong",
            "files":[{"kind":"document","file_id":"a1","file_name":"invoice.pdf",
                      "mime_type":"application/pdf","file_size":245123,
                      "url":"https://files.example.net/a1?sig=x"}]}})";

TEST(WebhookEvent, DocumentedSampleParses) {
    std::string error;
    auto ev = parseWebhookEvent(kWebhookSample, error);
    ASSERT_TRUE(ev) << error;
    EXPECT_EQ(ev->kind, Kind::Message);
    EXPECT_EQ(ev->source, "slack");
    EXPECT_EQ(ev->event_id, "8f0c2d6e-2b1c-4b7e-9a0e-3f4b1c2d3e4f");
    EXPECT_EQ(ev->update_id, 0);
    EXPECT_EQ(ev->chat_id, 4917012345);
    EXPECT_EQ(ev->chat_type, "private");
    EXPECT_EQ(ev->chat_title, "Ivan Petrov");
    EXPECT_EQ(ev->message_id, 1042);
    EXPECT_EQ(ev->reply_to, 1040);
    EXPECT_EQ(ev->date, 1741097111);
    EXPECT_EQ(ev->from, (rules::ChatUser{4917012345, false, "Ivan", "Petrov", "ivanp"}));
    EXPECT_EQ(ev->text, "Invoice 1042 is wrong");
    EXPECT_FALSE(ev->command);
    ASSERT_EQ(ev->files.size(), 1u);
    EXPECT_EQ(ev->files[0], (rules::ChatFile{"document", "a1", "a1", "invoice.pdf", "application/pdf", 245123,
                                             "https://files.example.net/a1?sig=x"}));
}

TEST(WebhookEvent, EditDateMakesAnEditAndThreadIsKept) {
    std::string error;
    auto ev = parseWebhookEvent(R"({"event_id":"e2","source":"vk","chat":{"id":-5,"type":"group"},"thread":77,
        "message":{"id":3,"date":10,"edit_date":20,"text":"/Ticket@desk  Printer "}})", error);
    ASSERT_TRUE(ev) << error;
    EXPECT_EQ(ev->kind, Kind::Edit);
    EXPECT_EQ(ev->edit_date, 20);
    EXPECT_EQ(ev->thread_key, 77);
    EXPECT_EQ(ev->command, "/ticket");
    EXPECT_EQ(ev->command_args, "Printer");
}

TEST(WebhookEvent, RequiredFieldsAndReservedSource) {
    const char* cases[] = {
        R"({"source":"slack","chat":{"id":1},"message":{"id":1}})",
        R"({"event_id":"","source":"slack","chat":{"id":1},"message":{"id":1}})",
        R"({"event_id":"e","chat":{"id":1},"message":{"id":1}})",
        R"({"event_id":"e","source":"telegram","chat":{"id":1},"message":{"id":1}})",
        R"({"event_id":"e","source":"Slack!","chat":{"id":1},"message":{"id":1}})",
        R"({"event_id":"e","source":"slack","chat":{"id":"C024BE91L"},"message":{"id":1}})",
        R"({"event_id":"e","source":"slack","chat":{"id":1},"message":{"id":"wamid.x"}})",
        R"({"event_id":"e","source":"slack","chat":{"id":1}})",
        R"(not json)",
    };
    for (const char* json : cases) {
        std::string error;
        EXPECT_FALSE(parseWebhookEvent(json, error)) << json;
        EXPECT_NE(error, "") << json;
    }
}

}  // namespace
}  // namespace postdesk::bridge
