// The Bot API client against the in-process fake server (tests/fakes/fake_telegram.h).
#include "gateway/bridge/telegram_api.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "gateway/bridge/telegram_update.h"
#include "tests/fakes/fake_telegram.h"

namespace postdesk::bridge {
namespace {

using net::OutcomeKind;
using test::FakeTelegram;
using Clock = std::chrono::steady_clock;

TelegramSettings settingsFor(const FakeTelegram& fake) {
    TelegramSettings s;
    s.api_base = fake.baseUrl();
    s.token = fake.token();
    s.timeout_ms = 5000;
    s.poll_grace_ms = 3000;
    return s;
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

const char* const kGroupDocument =
    R"({"update_id":10002,"message":{"message_id":53,"date":1741097200,"from":{"id":333,"is_bot":false,"first_name":"Ivan"},"chat":{"id":-1001575342692,"title":"ACME ↔ Support","type":"supergroup"},"document":{"file_id":"BQACAgIAAx0","file_unique_id":"AgADxQ","file_name":"invoice.pdf","mime_type":"application/pdf","file_size":245123},"caption":"here"}})";

std::string textMessage(std::int64_t chatId, std::int64_t messageId, std::string_view text) {
    return R"({"message":{"message_id":)" + std::to_string(messageId) + R"(,"date":1741097000,"from":{"id":333,"is_bot":false,"first_name":"Ivan"},"chat":{"id":)" +
           std::to_string(chatId) + R"(,"type":"private","first_name":"Ivan"},"text":")" + std::string(text) + "\"}}";
}

TEST(TelegramApi, GetMeReturnsTheBot) {
    FakeTelegram fake;
    TelegramApi api(settingsFor(fake));
    auto me = api.getMe();
    ASSERT_TRUE(me.ok()) << me.outcome.message;
    EXPECT_EQ(me.value->id, 7000000001);
    EXPECT_EQ(me.value->username, "bridge_test_bot");
    EXPECT_TRUE(me.value->can_read_all_group_messages);
    fake.setCanReadAllGroupMessages(false);
    EXPECT_FALSE(api.getMe().value->can_read_all_group_messages);
    ASSERT_EQ(fake.calls("getMe").size(), 2u);
    EXPECT_EQ(fake.calls("getMe")[0].http_method, "POST");
}

TEST(TelegramApi, WrongTokenIsConfigAndNeverQuoted) {
    FakeTelegram fake;
    TelegramSettings s = settingsFor(fake);
    s.token = "123:WrongSecretTokenValue";
    TelegramApi api(s);
    auto me = api.getMe();
    ASSERT_FALSE(me.ok());
    EXPECT_EQ(me.outcome.kind, OutcomeKind::Config);
    EXPECT_EQ(me.error.error_code, 401);
    EXPECT_EQ(me.error.description, "Unauthorized");
    EXPECT_EQ(me.outcome.message.find("WrongSecretTokenValue"), std::string::npos) << me.outcome.message;
    EXPECT_EQ(fake.calls().at(0).status, 401);
}

TEST(TelegramApi, NetworkFailureIsTemporaryAndNeverQuotesTheToken) {
    std::string base;
    {
        FakeTelegram gone;  // a port that was just free and is now closed
        base = gone.baseUrl();
    }
    TelegramSettings s;
    s.api_base = base;
    s.token = "123:SecretInTheUrl";
    s.connect_timeout_ms = 2000;
    TelegramApi api(s);
    auto me = api.getMe();
    ASSERT_FALSE(me.ok());
    EXPECT_EQ(me.outcome.kind, OutcomeKind::Temporary) << me.outcome.message;
    EXPECT_EQ(me.error.error_code, 0);
    EXPECT_EQ(me.outcome.message.find("SecretInTheUrl"), std::string::npos) << me.outcome.message;

    s.api_base = "ht!tp://bad host/";  // curl would quote the URL; the message must not
    TelegramApi bad(s);
    auto r = bad.getMe();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.outcome.message.find("SecretInTheUrl"), std::string::npos) << r.outcome.message;
}

TEST(TelegramApi, RedactTokenReplacesEveryOccurrence) {
    EXPECT_EQ(redactToken("GET https://api.telegram.org/bot1:AB/getMe and 1:AB", "1:AB"),
              "GET https://api.telegram.org/bot<token>/getMe and <token>");
    EXPECT_EQ(redactToken("nothing", ""), "nothing");
}

TEST(TelegramApi, UpdatesComeBackVerbatimWithTheirIds) {
    FakeTelegram fake;
    fake.pushUpdate(kGroupDocument);
    std::int64_t next = fake.pushUpdate(textMessage(42, 7, "Привет 😀"));
    EXPECT_EQ(next, 10003);  // sequential after the given id
    TelegramApi api(settingsFor(fake));
    auto r = api.getUpdates({});
    ASSERT_TRUE(r.ok()) << r.outcome.message;
    ASSERT_EQ(r.value->size(), 2u);
    EXPECT_EQ((*r.value)[0].update_id, 10002);
    EXPECT_EQ((*r.value)[0].json, kGroupDocument);
    EXPECT_EQ((*r.value)[1].update_id, 10003);
    EXPECT_EQ((*r.value)[1].json, R"({"update_id":10003,)" + textMessage(42, 7, "Привет 😀").substr(1));
    // The raw text is what the update parser reads.
    std::string error;
    auto ev = parseTelegramUpdate((*r.value)[1].json, error);
    ASSERT_TRUE(ev) << error;
    EXPECT_EQ(ev->text, "Привет 😀");
}

TEST(TelegramApi, OffsetConfirmsAndUnconfirmedUpdatesAreServedAgain) {
    FakeTelegram fake;
    for (int i = 0; i < 3; ++i) fake.pushUpdate(textMessage(42, i + 1, "m"));
    TelegramApi api(settingsFor(fake));
    auto first = api.getUpdates({});
    ASSERT_TRUE(first.ok());
    ASSERT_EQ(first.value->size(), 3u);
    auto again = api.getUpdates({});  // nothing confirmed yet: at-least-once
    ASSERT_EQ(again.value->size(), 3u);
    auto rest = api.getUpdates({.offset = 10001});
    ASSERT_EQ(rest.value->size(), 2u);
    EXPECT_EQ(rest.value->front().update_id, 10001);
    EXPECT_EQ(fake.pendingUpdates(), 2u);  // 10000 is forgotten
    auto none = api.getUpdates({.offset = 10003});
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none.value->empty());
    EXPECT_EQ(fake.pendingUpdates(), 0u);
    EXPECT_EQ(fake.calls("getUpdates").back().params.at("offset"), "10003");
}

TEST(TelegramApi, NegativeOffsetKeepsTheLastUpdatesAndLimitCaps) {
    FakeTelegram fake;
    for (int i = 0; i < 5; ++i) fake.pushUpdate(textMessage(42, i + 1, "m"));
    TelegramApi api(settingsFor(fake));
    auto limited = api.getUpdates({.limit = 2});
    ASSERT_EQ(limited.value->size(), 2u);
    EXPECT_EQ(limited.value->back().update_id, 10001);
    auto last = api.getUpdates({.offset = -2});
    ASSERT_EQ(last.value->size(), 2u);
    EXPECT_EQ(last.value->front().update_id, 10003);
    EXPECT_EQ(fake.pendingUpdates(), 2u);
}

TEST(TelegramApi, RandomIdJumpIsServedInOrder) {
    FakeTelegram fake;
    fake.pushUpdate(textMessage(42, 1, "a"));
    fake.setNextUpdateId(733000000);  // after an idle week the next id is random
    fake.pushUpdate(textMessage(42, 2, "b"));
    TelegramApi api(settingsFor(fake));
    auto r = api.getUpdates({});
    ASSERT_EQ(r.value->size(), 2u);
    EXPECT_EQ(r.value->back().update_id, 733000000);
}

TEST(TelegramApi, AllowedUpdatesAreSentAndFilterLaterUpdates) {
    FakeTelegram fake;
    TelegramApi api(settingsFor(fake));
    std::vector<std::string> kinds = {"message", "edited_message", "my_chat_member"};
    ASSERT_TRUE(api.getUpdates({.allowed_updates = kinds}).ok());
    EXPECT_EQ(fake.calls("getUpdates").at(0).params.at("allowed_updates"),
              R"(["message","edited_message","my_chat_member"])");
    fake.pushUpdate(R"({"callback_query":{"id":"1","from":{"id":1,"first_name":"A"}}})");
    fake.pushUpdate(textMessage(42, 1, "kept"));
    auto r = api.getUpdates({});
    ASSERT_EQ(r.value->size(), 1u);
    EXPECT_NE(r.value->front().json.find("kept"), std::string::npos);
}

TEST(TelegramApi, LongPollReturnsAsSoonAsAnUpdateArrives) {
    FakeTelegram fake;
    TelegramApi api(settingsFor(fake));
    auto start = Clock::now();
    auto poll = std::async(std::launch::async, [&] { return api.getUpdates({.timeout_s = 10}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    fake.pushUpdate(textMessage(42, 1, "wake up"));
    auto r = poll.get();
    ASSERT_TRUE(r.ok()) << r.outcome.message;
    ASSERT_EQ(r.value->size(), 1u);
    EXPECT_LT(secondsSince(start), 3.0);  // far below the 10 s poll: the push woke it
    EXPECT_GE(secondsSince(start), 0.19);
}

TEST(TelegramApi, LongPollTimesOutWithAnEmptyResult) {
    FakeTelegram fake;
    TelegramApi api(settingsFor(fake));
    auto start = Clock::now();
    auto r = api.getUpdates({.timeout_s = 1});
    ASSERT_TRUE(r.ok()) << r.outcome.message;
    EXPECT_TRUE(r.value->empty());
    EXPECT_GE(secondsSince(start), 0.95);
    EXPECT_LT(secondsSince(start), 3.0);
}

TEST(TelegramApi, ASecondPollerTerminatesTheFirstWith409) {
    FakeTelegram fake;
    TelegramApi first(settingsFor(fake)), second(settingsFor(fake));
    auto poll = std::async(std::launch::async, [&] { return first.getUpdates({.timeout_s = 10}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto r2 = second.getUpdates({});
    EXPECT_TRUE(r2.ok()) << r2.outcome.message;
    auto r1 = poll.get();
    ASSERT_FALSE(r1.ok());
    EXPECT_EQ(r1.error.error_code, 409);
    EXPECT_EQ(r1.outcome.kind, OutcomeKind::Temporary);
    EXPECT_NE(r1.error.description.find("terminated by other getUpdates request"), std::string::npos);
}

TEST(TelegramApi, StoppingTheServerEndsALongPollQuickly) {
    auto fake = std::make_unique<FakeTelegram>();
    TelegramApi api(settingsFor(*fake));
    auto poll = std::async(std::launch::async, [&] { return api.getUpdates({.timeout_s = 30}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto start = Clock::now();
    fake.reset();
    EXPECT_LT(secondsSince(start), 3.0);
    auto r = poll.get();  // an empty result or a dropped connection, but no 30 s wait
    EXPECT_LT(secondsSince(start), 3.0);
    if (!r.ok()) {
        EXPECT_EQ(r.outcome.kind, OutcomeKind::Temporary) << r.outcome.message;
    }
}

TEST(TelegramApi, WebhookBlocksPollingUntilDeleted) {
    FakeTelegram fake;
    TelegramApi api(settingsFor(fake));
    fake.pushUpdate(textMessage(42, 1, "pending"));
    auto set = api.setWebhook({.url = "https://desk.example.net/telegram", .secret_token = "Abc_123-x",
                               .allowed_updates = {"message"}});
    ASSERT_TRUE(set.ok()) << set.outcome.message;
    EXPECT_EQ(fake.webhookSecret(), "Abc_123-x");
    auto info = api.getWebhookInfo();
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info.value->url, "https://desk.example.net/telegram");
    EXPECT_EQ(info.value->pending_update_count, 1);
    auto blocked = api.getUpdates({});
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error.error_code, 409);
    ASSERT_TRUE(api.deleteWebhook(false).ok());
    EXPECT_EQ(api.getWebhookInfo().value->url, "");
    auto r = api.getUpdates({});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value->size(), 1u);
}

TEST(TelegramApi, SendMessageReturnsTheNewIdAndSendsReplyParameters) {
    FakeTelegram fake;
    fake.pushUpdate(kGroupDocument);  // the fake now knows message 53 in this chat
    TelegramApi api(settingsFor(fake));
    auto sent = api.sendMessage({.chat_id = -1001575342692, .text = "Ticket #12 created: Wrong invoice",
                                 .message_thread_id = 70, .reply_to_message_id = 53});
    ASSERT_TRUE(sent.ok()) << sent.outcome.message;
    auto again = api.sendMessage({.chat_id = -1001575342692, .text = "second"});
    ASSERT_TRUE(again.ok());
    EXPECT_GT(*again.value, *sent.value);
    auto calls = fake.calls("sendMessage");
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].params.at("chat_id"), "-1001575342692");
    EXPECT_EQ(calls[0].params.at("text"), "Ticket #12 created: Wrong invoice");
    EXPECT_EQ(calls[0].params.at("message_thread_id"), "70");
    EXPECT_EQ(calls[0].params.at("reply_parameters"), R"({"message_id":53,"allow_sending_without_reply":true})");
    EXPECT_EQ(calls[1].params.count("reply_parameters"), 0u);
    EXPECT_EQ(calls[1].params.count("parse_mode"), 0u);  // plain text: no "can't parse entities"
}

TEST(TelegramApi, ReplyToAMissingMessageStillSends) {
    FakeTelegram fake;
    TelegramApi api(settingsFor(fake));
    auto sent = api.sendMessage({.chat_id = 42, .text = "hi", .reply_to_message_id = 999});
    EXPECT_TRUE(sent.ok()) << sent.outcome.message;
}

TEST(TelegramApi, FloodControlIsTemporaryWithRetryAfter) {
    FakeTelegram fake;
    fake.injectFault("sendMessage", {.kind = FakeTelegram::FaultKind::TooManyRequests, .retry_after = 35});
    TelegramApi api(settingsFor(fake));
    auto r = api.sendMessage({.chat_id = 42, .text = "hi"});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.outcome.kind, OutcomeKind::Temporary);
    EXPECT_EQ(r.error.error_code, 429);
    EXPECT_EQ(r.error.retry_after, 35);
    EXPECT_EQ(r.error.description, "Too Many Requests: retry after 35");
    EXPECT_EQ(fake.calls("sendMessage").at(0).status, 429);  // HTTP status == error_code
    EXPECT_TRUE(api.sendMessage({.chat_id = 42, .text = "hi"}).ok());  // one call only
}

TEST(TelegramApi, BlockedBotIsPermanent) {
    FakeTelegram fake;
    fake.injectFault("sendMessage", {.kind = FakeTelegram::FaultKind::Blocked, .times = 2});
    TelegramApi api(settingsFor(fake));
    for (int i = 0; i < 2; ++i) {
        auto r = api.sendMessage({.chat_id = 42, .text = "hi"});
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.outcome.kind, OutcomeKind::Permanent);
        EXPECT_EQ(r.error.error_code, 403);
        EXPECT_EQ(r.error.description, "Forbidden: bot was blocked by the user");
    }
    EXPECT_TRUE(api.sendMessage({.chat_id = 42, .text = "hi"}).ok());
}

TEST(TelegramApi, MigratedGroupReportsTheNewChatId) {
    FakeTelegram fake;
    fake.injectFault("sendMessage", {.kind = FakeTelegram::FaultKind::Migrated, .migrate_to_chat_id = -1001328066276});
    fake.migrateChat(-5480670982, -1004384191085);
    TelegramApi api(settingsFor(fake));
    auto r = api.sendMessage({.chat_id = -5480670982, .text = "hi"});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.outcome.kind, OutcomeKind::Permanent);
    EXPECT_EQ(r.error.error_code, 400);
    EXPECT_EQ(r.error.migrate_to_chat_id, -1001328066276);
    auto standing = api.sendMessage({.chat_id = -5480670982, .text = "hi"});
    EXPECT_EQ(standing.error.migrate_to_chat_id, -1004384191085);
    EXPECT_EQ(standing.error.description, "Bad Request: group chat was upgraded to a supergroup chat");
    EXPECT_TRUE(api.sendMessage({.chat_id = -1004384191085, .text = "hi"}).ok());
}

TEST(TelegramApi, BadGatewayIsTemporary) {
    FakeTelegram fake;
    fake.injectFault("getUpdates", {.kind = FakeTelegram::FaultKind::BadGateway});
    TelegramApi api(settingsFor(fake));
    auto r = api.getUpdates({});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.outcome.kind, OutcomeKind::Temporary);
    EXPECT_EQ(r.error.error_code, 502);
}

TEST(TelegramApi, UnknownChatIsPermanent) {
    FakeTelegram fake;
    fake.forgetChat(77);
    TelegramApi api(settingsFor(fake));
    auto r = api.sendMessage({.chat_id = 77, .text = "hi"});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.outcome.kind, OutcomeKind::Permanent);
    EXPECT_EQ(r.error.description, "Bad Request: chat not found");
}

TEST(TelegramApi, TextLimitIs4096Utf16Units) {
    FakeTelegram fake;
    TelegramApi api(settingsFor(fake));
    std::string cyrillic;
    for (int i = 0; i < 4096; ++i) cyrillic += "я";  // 4096 units, 8192 bytes
    EXPECT_TRUE(api.sendMessage({.chat_id = 42, .text = cyrillic}).ok());
    std::string emoji;
    for (int i = 0; i < 2048; ++i) emoji += "😀";  // 4096 units
    EXPECT_TRUE(api.sendMessage({.chat_id = 42, .text = emoji}).ok());
    for (const std::string& tooLong : {cyrillic + "a", emoji + "😀"}) {
        auto r = api.sendMessage({.chat_id = 42, .text = tooLong});
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.outcome.kind, OutcomeKind::Permanent);
        EXPECT_EQ(r.error.error_code, 400);
        EXPECT_EQ(r.error.description, "Bad Request: message is too long");
    }
    auto empty = api.sendMessage({.chat_id = 42, .text = ""});
    EXPECT_EQ(empty.error.description, "Bad Request: message text is empty");
}

TEST(TelegramApi, GetFileThenDownloadTheBytes) {
    FakeTelegram fake;
    std::string bytes("%PDF-1.4\0\x01\xff binary", 20);
    fake.addFile("BQACAgIAAx0", "documents/file_7.pdf", bytes);
    TelegramApi api(settingsFor(fake));
    auto file = api.getFile("BQACAgIAAx0");
    ASSERT_TRUE(file.ok()) << file.outcome.message;
    EXPECT_EQ(file.value->file_path, "documents/file_7.pdf");
    EXPECT_EQ(file.value->file_size, 20);
    auto data = api.downloadFile(file.value->file_path, 1024);
    ASSERT_TRUE(data.ok()) << data.outcome.message;
    EXPECT_EQ(*data.value, bytes);
    auto capped = api.downloadFile(file.value->file_path, 10);
    ASSERT_FALSE(capped.ok());
    EXPECT_EQ(capped.outcome.kind, OutcomeKind::Permanent);
    auto missing = api.downloadFile("documents/file_8.pdf", 1024);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.outcome.kind, OutcomeKind::Permanent);  // an expired link, not a bad token
    EXPECT_EQ(missing.outcome.message.find(fake.token()), std::string::npos);
}

TEST(TelegramApi, FilesOver20MBAreTooBig) {
    FakeTelegram fake;
    fake.addFile("big", "videos/file_9.mp4", "x", 25 * 1024 * 1024);
    TelegramApi api(settingsFor(fake));
    auto r = api.getFile("big");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.outcome.kind, OutcomeKind::Permanent);
    EXPECT_EQ(r.error.description, "Bad Request: file is too big");
    auto unknown = api.getFile("nope");
    EXPECT_EQ(unknown.error.error_code, 400);
}

}  // namespace
}  // namespace postdesk::bridge

// ---- the fake itself: parameters the way other clients send them ----

namespace postdesk::bridge {
namespace {

struct RawReply {
    long status = 0;
    std::string body;
};

size_t collect(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}

RawReply rawRequest(const std::string& url, const char* contentType = nullptr, const std::string* body = nullptr) {
    net::CurlHandle curl;
    RawReply reply;
    curl_slist* headers = nullptr;
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 5000L);
    if (body) {
        headers = curl_slist_append(headers, (std::string("Content-Type: ") + contentType).c_str());
        curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body->c_str());
    }
    curl_easy_perform(curl.get());
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply.status);
    curl_slist_free_all(headers);
    return reply;
}

TEST(FakeTelegram, AcceptsQueryFormAndJsonParameters) {
    FakeTelegram fake;
    std::string bot = fake.baseUrl() + "/bot" + fake.token();
    RawReply q = rawRequest(bot + "/sendMessage?chat_id=42&text=via%20query");
    EXPECT_EQ(q.status, 200) << q.body;
    std::string form = "chat_id=42&text=via+form&reply_parameters=%7B%22message_id%22%3A5%7D";
    RawReply f = rawRequest(bot + "/sendMessage", "application/x-www-form-urlencoded", &form);
    EXPECT_EQ(f.status, 400);  // message 5 is unknown and the reply was not allowed without it
    EXPECT_EQ(f.body, R"({"ok":false,"error_code":400,"description":"Bad Request: message to be replied not found"})");
    std::string json = R"({"chat_id":42,"text":"via json"})";
    RawReply j = rawRequest(bot + "/sendMessage", "application/json", &json);
    EXPECT_EQ(j.status, 200) << j.body;
    EXPECT_NE(j.body.find(R"("text":"via json")"), std::string::npos);
    auto calls = fake.calls("sendMessage");
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[0].params.at("text"), "via query");
    EXPECT_EQ(calls[0].http_method, "GET");
    EXPECT_EQ(calls[1].params.at("text"), "via form");
    EXPECT_EQ(calls[2].params.at("chat_id"), "42");
}

TEST(FakeTelegram, UnknownMethodOrPathIsNotFoundAndWrongTokenUnauthorized) {
    FakeTelegram fake;
    RawReply m = rawRequest(fake.baseUrl() + "/bot" + fake.token() + "/sendTelepathy");
    EXPECT_EQ(m.status, 404);
    EXPECT_EQ(m.body, R"({"ok":false,"error_code":404,"description":"Not Found"})");
    EXPECT_EQ(rawRequest(fake.baseUrl() + "/favicon.ico").status, 404);
    RawReply t = rawRequest(fake.baseUrl() + "/bot1:nope/getMe");
    EXPECT_EQ(t.status, 401);
    EXPECT_EQ(t.body, R"({"ok":false,"error_code":401,"description":"Unauthorized"})");
    RawReply me = rawRequest(fake.baseUrl() + "/bot" + fake.token() + "/GETME");  // methods ignore case
    EXPECT_EQ(me.status, 200);
}

}  // namespace
}  // namespace postdesk::bridge
