// The HTTP endpoint for chat webhooks (gateway/http/webhook_server.h), in-process on 127.0.0.1
// and a port the kernel picks: Telegram's webhook is let in only with the secret token, the
// generic signed webhook (docs/CHAT_WEBHOOK.md) only with a good HMAC and a fresh timestamp;
// 200 means stored, a redelivery (by webhook or, after a switch, by polling) is stored once, a
// generic chat message becomes a ticket like a Telegram one, and the door refuses what it should
// (413, 405, 404) without storing anything.
#include <Poco/StreamCopier.h>

#include "tests/gateway/chat_fixture.h"

namespace postdesk::testing {
namespace {

constexpr const char* kTelegramSecret = "tg-secret-token-0123456789";
constexpr const char* kWebhookSecret = "generic-webhook-secret-abcdef";

struct HttpAnswer {
    int status = 0;
    std::string body;
};

class ChatWebhookTest : public ChatBridgeTest {
protected:
    void SetUp() override {
        ChatBridgeTest::SetUp();
        if (IsSkipped()) return;
        settings_.telegram.mode = "webhook";
        settings_.telegram.webhook_secret = kTelegramSecret;
        settings_.chat_webhook.secret = kWebhookSecret;
        settings_.chat_webhook.queue = "support";
        settings_.http_listen = "127.0.0.1:0";
        server_ = std::make_unique<http::WebhookServer>(settings_, [this] { ++woken_; });
        ASSERT_GT(server_->port(), 0) << "port 0 did not bind an ephemeral port";
    }
    void TearDown() override {
        server_.reset();
        ChatBridgeTest::TearDown();
    }

    HttpAnswer request(const std::string& method, const std::string& path, const std::string& body,
                       const std::vector<std::pair<std::string, std::string>>& headers) {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server_->port()));
        session.setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        for (const auto& [name, value] : headers) req.set(name, value);
        req.setContentType("application/json");
        if (method == "POST") req.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(req) << (method == "POST" ? body : "");
        Poco::Net::HTTPResponse res;
        std::istream& in = session.receiveResponse(res);
        HttpAnswer a;
        a.status = res.getStatus();
        Poco::StreamCopier::copyToString(in, a.body);
        return a;
    }

    HttpAnswer telegram(const std::string& body, const std::string& secret = kTelegramSecret) {
        std::vector<std::pair<std::string, std::string>> h;
        if (!secret.empty()) h.push_back({"X-Telegram-Bot-Api-Secret-Token", secret});
        return request("POST", "/telegram", body, h);
    }

    HttpAnswer generic(const std::string& body, std::int64_t timestamp = 0, const std::string& secret = kWebhookSecret) {
        std::string ts = std::to_string(timestamp ? timestamp : systemNow());
        return request("POST", "/hooks/chat", body, {{"X-Postdesk-Timestamp", ts}, {"X-Postdesk-Signature", bridge::signWebhook(secret, ts, body)}});
    }

    std::int64_t updates() { return scalar("SELECT COUNT(*) FROM chat_update"); }

    static std::string event(const std::string& eventId, std::int64_t messageId, const std::string& words, std::int64_t date) {
        return R"({"event_id":")" + eventId + R"(","source":"slack","chat":{"id":4917012345,"type":"private","title":"Ivan Petrov"},"thread":0,)"
               R"("message":{"id":)" + std::to_string(messageId) + R"(,"date":)" + std::to_string(date) +
               R"(,"from":{"id":4917012345,"first_name":"Ivan","last_name":"Petrov","username":"ivanp","is_bot":false},"text":")" + words + "\"}}";
    }

    std::unique_ptr<http::WebhookServer> server_;
    std::atomic<int> woken_{0};
};

TEST_F(ChatWebhookTest, TelegramWebhookNeedsTheSecretTokenAndStoresEachUpdateOnce) {
    const std::string update = R"({"update_id":900001,)" + message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1365, now_, text("Hello from the webhook")).substr(1);
    EXPECT_EQ(telegram(update, "").status, 401) << "no secret header";
    EXPECT_EQ(telegram(update, "tg-secret-token-0123456788").status, 401) << "wrong secret";
    EXPECT_EQ(telegram(update, std::string(kTelegramSecret) + "x").status, 401) << "secret with a suffix";
    EXPECT_EQ(updates(), 0) << "stored without the secret";
    EXPECT_EQ(woken_, 0);

    HttpAnswer ok = telegram(update);
    EXPECT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(updates(), 1) << "200 was answered before the update was stored";
    EXPECT_EQ(woken_, 1);
    HttpAnswer again = telegram(update);
    EXPECT_EQ(again.status, 200);
    EXPECT_NE(again.body.find("duplicate"), std::string::npos) << again.body;
    EXPECT_EQ(updates(), 1);

    // The operator switches to polling; Telegram serves the same update again.
    settings_.telegram.mode = "poll";
    fake_->pushUpdate(update);
    bridge::ChatBridge chat(*store_, settings_, clock());
    auto r = chat.receive(0);
    EXPECT_EQ(r.received, 1);
    EXPECT_EQ(r.stored, 0);
    // ... and the same message under a new update id (an idle-week jump): one entry still.
    fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1365, now_, text("Hello from the webhook")));
    EXPECT_EQ(chat.receive(0).stored, 1);
    pass();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_entry"), 1);
    ASSERT_EQ(tickets().list({}).size(), 1u);
    EXPECT_NE(tickets().messages(1)[0].text.find("Hello from the webhook"), std::string::npos);
}

TEST_F(ChatWebhookTest, GenericWebhookChecksSignatureAndTimestampAndStoresEachEventOnce) {
    const std::string body = event("ev-1", 1042, "Invoice 1042 is wrong", now_);
    EXPECT_EQ(generic(body, 0, "not-the-secret").status, 401) << "bad signature";
    EXPECT_EQ(generic(body, systemNow() - 301).status, 401) << "stale timestamp";
    EXPECT_EQ(generic(body, systemNow() + 301).status, 401) << "timestamp from the future";
    std::string ts = std::to_string(systemNow());
    EXPECT_EQ(request("POST", "/hooks/chat", body, {{"X-Postdesk-Timestamp", ts}}).status, 400) << "no signature header";
    EXPECT_EQ(request("POST", "/hooks/chat", body, {{"X-Postdesk-Signature", bridge::signWebhook(kWebhookSecret, ts, body)}}).status, 400)
        << "no timestamp header";
    EXPECT_EQ(request("POST", "/hooks/chat", body, {{"X-Postdesk-Timestamp", "yesterday"}, {"X-Postdesk-Signature", bridge::signWebhook(kWebhookSecret, "yesterday", body)}})
                  .status,
              400)
        << "a timestamp that is not digits";
    EXPECT_EQ(request("POST", "/hooks/chat", body, {{"X-Postdesk-Timestamp", ts}, {"X-Postdesk-Signature", "md5=abc"}}).status, 400);
    // The signature covers the exact bytes: one more space is another body.
    EXPECT_EQ(request("POST", "/hooks/chat", body + " ", {{"X-Postdesk-Timestamp", ts}, {"X-Postdesk-Signature", bridge::signWebhook(kWebhookSecret, ts, body)}})
                  .status,
              401);
    EXPECT_EQ(updates(), 0);

    HttpAnswer ok = generic(body);
    EXPECT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(updates(), 1);
    HttpAnswer again = generic(body);  // re-signed later: same event_id
    EXPECT_EQ(again.status, 200);
    EXPECT_NE(again.body.find("duplicate"), std::string::npos) << again.body;
    EXPECT_EQ(updates(), 1);
    // The sender retries under a new event id: the message is still recorded once.
    EXPECT_EQ(generic(event("ev-1-retry", 1042, "Invoice 1042 is wrong", now_)).status, 200);
    pass();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_entry"), 1);
}

TEST_F(ChatWebhookTest, GenericChatMessageBecomesATicketLikeATelegramOne) {
    ASSERT_EQ(generic(event("ev-10", 1042, "Invoice 1042 is wrong", now_)).status, 200);
    ASSERT_EQ(generic(event("ev-11", 1043, "It says 120 EUR, it should be 100", now_ + 5)).status, 200);
    pass();
    auto list = tickets().list({});
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].queue, "support");
    EXPECT_EQ(list[0].customer_address, "chat+slack-4917012345@example.test");
    auto messages = tickets().messages(list[0].number);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_NE(messages[0].text.find("Invoice 1042 is wrong"), std::string::npos) << messages[0].text;
    EXPECT_NE(messages[0].text.find("it should be 100"), std::string::npos) << messages[0].text;
    auto bobs = mailbox("bob");
    ASSERT_EQ(bobs.size(), 1u) << "the agents were not notified";
    EXPECT_NE(bobs[0].parsed.text.find("Invoice 1042 is wrong"), std::string::npos);
    EXPECT_TRUE(fake_->calls("sendMessage").empty()) << "a generic chat's notice went to Telegram";

    // A later message in the same chat is a threaded follow-up on the same ticket.
    ASSERT_EQ(generic(event("ev-12", 1044, "Thanks", now_ + 60)).status, 200);
    pass();
    EXPECT_EQ(tickets().list({}).size(), 1u);
    EXPECT_NE(tickets().messages(1).back().text.find("Thanks"), std::string::npos);
}

TEST_F(ChatWebhookTest, TheDoorRefusesWhatItShouldAndStoresNothing) {
    std::string big(1024 * 1024 + 1024, ' ');
    big.replace(0, 2, "{}");
    EXPECT_EQ(telegram(big).status, 413);
    EXPECT_EQ(generic(big).status, 413);
    EXPECT_EQ(request("GET", "/telegram", "", {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}}).status, 405);
    EXPECT_EQ(request("GET", "/hooks/chat", "", {}).status, 405);
    EXPECT_EQ(request("POST", "/", "{}", {}).status, 404);
    EXPECT_EQ(request("POST", "/telegram/extra", "{}", {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}}).status, 404);
    EXPECT_EQ(request("POST", "/bot" + fake_->token() + "/getMe", "{}", {}).status, 404);
    // An authentic generic event the sender can fix is refused with the reason (docs/CHAT_WEBHOOK.md).
    HttpAnswer bad = generic(R"({"source":"slack","chat":{"id":1},"message":{"id":2}})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("event_id"), std::string::npos) << bad.body;
    EXPECT_EQ(updates(), 0);

    // Telegram with the secret but a body that does not parse: kept and quarantined with its error
    // (Telegram cannot fix it; a non-2xx only makes it retry).
    HttpAnswer odd = telegram(R"({"update_id":"not a number","message":{}})");
    EXPECT_EQ(odd.status, 200) << odd.body;
    EXPECT_EQ(telegram("this is not JSON").status, 200);
    EXPECT_EQ(updates(), 2);
    bridge::ChatBridge(*store_, settings_, clock()).ingestUpdates();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_update WHERE state = 'quarantined' AND error != ''"), 2);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_update WHERE raw = 'this is not JSON'"), 1) << "the raw body was not kept";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_entry"), 0);
}

TEST_F(ChatWebhookTest, ListenMustBeHostAndPort) {
    config::Settings bad = settings_;
    bad.http_listen = "8080";
    EXPECT_THROW(http::WebhookServer(bad, {}), config::ConfigError);
    bad.http_listen = "127.0.0.1:" + std::to_string(server_->port());  // taken
    EXPECT_THROW(http::WebhookServer(bad, {}), config::ConfigError);
}

}  // namespace
}  // namespace postdesk::testing
