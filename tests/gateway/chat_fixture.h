// Shared set-up for the chat bridge tests: a fake Telegram Bot API (tests/fakes) that speaks the
// real JSON, a real Dovecot + Postfix (IntakeTest), agents Bob and Carol on the "support" queue,
// Bob's Telegram account configured as an agent, and pass(): what `postdesk poll --once` runs, in
// its order, on an injected clock (now_). Helpers build Telegram Update JSON.
#pragma once

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <set>

#include "gateway/bridge/chat_bridge.h"
#include "gateway/bridge/webhook_auth.h"
#include "gateway/http/webhook_server.h"
#include "gateway/send/sender.h"
#include "gateway/store/chat_store.h"
#include "gateway/store/outbox.h"
#include "tests/fakes/fake_telegram.h"
#include "tests/gateway/intake_fixture.h"

namespace postdesk::testing {

inline constexpr std::int64_t kIvan = 333;      // a customer, in a private chat with the bot
inline constexpr std::int64_t kAnnaTg = 222;    // agent Bob's Telegram account
inline constexpr std::int64_t kGroup = -1001575342692;

inline std::string user(std::int64_t id, const std::string& first, const std::string& last = "") {
    return R"({"id":)" + std::to_string(id) + R"(,"is_bot":false,"first_name":")" + first + "\"" +
           (last.empty() ? "" : R"(,"last_name":")" + last + "\"") + "}";
}

inline std::string privateChat() { return R"({"id":333,"first_name":"Ivan","last_name":"Petrov","type":"private"})"; }
inline std::string groupChat() { return R"({"id":-1001575342692,"title":"ACME Support","type":"supergroup"})"; }
// Any chat: type private | group | supergroup; `extra` adds members (e.g. "\"is_forum\":true").
inline std::string chatJson(std::int64_t id, const std::string& type, const std::string& title, const std::string& extra = "") {
    std::string name = type == "private" ? R"("first_name":")" + title + "\"" : R"("title":")" + title + "\"";
    return "{\"id\":" + std::to_string(id) + "," + name + R"(,"type":")" + type + "\"" + (extra.empty() ? "" : "," + extra) + "}";
}

inline std::string message(const std::string& chat, const std::string& from, std::int64_t id, std::int64_t date, const std::string& body) {
    return R"({"message":{"message_id":)" + std::to_string(id) + R"(,"date":)" + std::to_string(date) + R"(,"from":)" + from +
           R"(,"chat":)" + chat + "," + body + "}}";
}
inline std::string text(const std::string& t) { return R"("text":")" + t + "\""; }

// An edited_message update: the new version of `id` (sent at `date`), edited at `editDate`.
inline std::string edited(const std::string& chat, const std::string& from, std::int64_t id, std::int64_t date, std::int64_t editDate,
                          const std::string& body) {
    return R"({"edited_message":{"message_id":)" + std::to_string(id) + R"(,"date":)" + std::to_string(date) + R"(,"edit_date":)" +
           std::to_string(editDate) + R"(,"from":)" + from + R"(,"chat":)" + chat + "," + body + "}}";
}

// The body of a message that is a bot command (an entity of type bot_command at offset 0; the
// command is ASCII, so its length in UTF-16 units is its byte length).
inline std::string commandBody(const std::string& command, const std::string& args = "") {
    return R"("text":")" + command + (args.empty() ? "" : " " + args) + R"(","entities":[{"type":"bot_command","offset":0,"length":)" +
           std::to_string(command.size()) + "}]";
}
inline std::string replyTo(const std::string& chat, std::int64_t id) {
    return R"("reply_to_message":{"message_id":)" + std::to_string(id) + R"(,"date":1,"chat":)" + chat + "}";
}
inline std::string inTopic(std::int64_t thread) { return R"("message_thread_id":)" + std::to_string(thread) + R"(,"is_topic_message":true)"; }

class ChatBridgeTest : public IntakeTest {
protected:
    void SetUp() override {
        IntakeTest::SetUp();
        if (IsSkipped()) return;
        for (const char* u : {"bob", "carol"}) MailStack::run(stack_->doveadm() + "expunge -u " + std::string(u) + "@example.test mailbox '*' all 2>/dev/null || true");
        settings_.smtp.url = stack_->env("SMTP_URL");
        settings_.smtp.tls = config::Tls::None;
        settings_.send.retry_floor = 0;
        settings_.replies.dir = std::string(POSTDESK_SOURCE_DIR) + "/etc/replies";
        settings_.agents = {{"bob", "Bob Miller", "bob@example.test", {"support"}, {"support"}},
                            {"carol", "Carol Jones", "carol@example.test", {"support"}, {}}};
        fake_ = std::make_unique<test::FakeTelegram>();
        settings_.telegram.token = fake_->token();
        settings_.telegram.api_base = fake_->baseUrl();
        settings_.telegram.queue = "support";
        settings_.telegram.agents = {{kAnnaTg, "bob"}};
        settings_.telegram.digest_minutes = 0;
        settings_.telegram.bridge_domain = "example.test";
        std::vector<replies::TemplateError> errors;
        templates_ = std::make_unique<replies::TemplateSet>(app::loadReplyTemplates(settings_.replies.dir, errors));
        ASSERT_TRUE(errors.empty());
        now_ = systemNow();
    }

    Clock clock() { return [this] { return now_; }; }

    void ingestMail() {
        auto is = app::ingestSettings(settings_);
        is.config = &settings_;
        is.templates = templates_.get();
        ingest::Ingest(*store_, is).drain();
    }

    void deliverMail() {
        send::Sender(*store_, settings_).flush();
        MailStack::run(std::string(POSTDESK_SOURCE_DIR) + "/scripts/mailstack/wait-queue.sh " + stack_->dir() + " 20");
    }

    // What `postdesk poll --once` does, in its order, on the injected clock.
    void pass() {
        bridge::ChatBridge chat(*store_, settings_, clock());
        chat.receive(0);
        chat.ingestUpdates();
        chat.openRecords();
        for (const auto& m : settings_.mailboxes) intake::ImapIntake(*store_, m).pollOnce();
        ingestMail();
        chat.linkTickets();
        if (chat.followUps().follow_ups) ingestMail();
        chat.alerts();
        chat.flush();
        deliverMail();
    }

    std::vector<std::string> sentTexts(std::int64_t chat = 0) {
        std::vector<std::string> out;
        for (const auto& c : fake_->calls("sendMessage"))
            if (c.status == 200 && (chat == 0 || c.params.at("chat_id") == std::to_string(chat))) out.push_back(c.params.at("text"));
        return out;
    }

    std::string replyToken(const std::string& agent) {
        auto mails = mailbox(agent);
        if (mails.empty() || mails.back().parsed.reply_to.empty()) return {};
        return mails.back().parsed.reply_to[0].address;
    }

    void agentMails(const std::string& from, const std::string& to, const std::string& body, const std::string& id) {
        seed("From: Agent <" + from + ">\r\nTo: " + to + "\r\nSubject: Re: [#1] chat\r\nMessage-ID: <" + id + ">\r\n\r\n" + body + "\r\n");
    }

    // Bob answers his latest notification from his mail client: UTF-8 text, `body` as is.
    void bobAnswers(const std::string& body, const std::string& id) {
        std::string token = replyToken("bob");
        ASSERT_FALSE(token.empty()) << "Bob has no notification to answer";
        seed("From: Bob Miller <bob@example.test>\r\nTo: " + token + "\r\nSubject: Re: chat\r\nMessage-ID: <" + id +
             ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n");
    }

    // One integer from the store (COUNT(*) and the like).
    std::int64_t scalar(const std::string& sql) {
        store::Statement s(store_->db(), sql);
        return s.step() ? s.int64(0) : -1;
    }

    std::vector<test::FakeTelegram::Call> sendCalls(std::int64_t chat = 0) {
        std::vector<test::FakeTelegram::Call> out;
        for (auto& c : fake_->calls("sendMessage"))
            if (chat == 0 || c.params.at("chat_id") == std::to_string(chat)) out.push_back(c);
        return out;
    }

    std::unique_ptr<test::FakeTelegram> fake_;
    std::unique_ptr<replies::TemplateSet> templates_;
    std::int64_t now_ = 0;
};

}  // namespace postdesk::testing
