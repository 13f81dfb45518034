#include "gateway/bridge/webhook_reply.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include <memory>
#include <sstream>

#include "gateway/bridge/chat_intake.h"
#include "gateway/bridge/webhook_auth.h"
#include "gateway/store/chat_store.h"

namespace postdesk::bridge {
namespace {

constexpr int kMaxAttempts = 4;

std::string replyJson(const store::ChatOutboxRow& row) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Object::Ptr chat = new Poco::JSON::Object;
    chat->set("id", row.chat_id);
    j->set("event_id", row.dedupe);
    j->set("source", row.source);
    j->set("chat", chat);
    j->set("thread", row.thread_key);
    j->set("reply_to", row.reply_to);
    j->set("ticket", row.ticket);
    j->set("kind", row.kind);
    j->set("text", row.text);
    std::ostringstream out;
    j->stringify(out);
    return out.str();
}

// The HTTP status of the POST, or 0 when there was no answer (network, timeout); `error` says why.
int post(const std::string& url, const std::string& body, const std::string& secret, std::int64_t now, std::string& error) {
    try {
        Poco::URI uri(url);
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (uri.getScheme() == "https") session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort());
        else session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        session->setTimeout(Poco::Timespan(30, 0));
        Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
        const std::string ts = std::to_string(now);
        req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
        req.set("X-Postdesk-Timestamp", ts);
        req.set("X-Postdesk-Signature", signWebhook(secret, ts, body));
        session->sendRequest(req) << body;
        Poco::Net::HTTPResponse res;
        session->receiveResponse(res);
        error = std::to_string(res.getStatus()) + " " + res.getReason();
        return res.getStatus();
    } catch (const Poco::Exception& e) {
        error = e.displayText();
        return 0;
    }
}

}  // namespace

ChatSendStats WebhookReplies::flush(int limit) {
    ChatSendStats stats;
    store::ChatStore chats(store_.db());
    const std::string& url = settings_.chat_webhook.reply_url;
    for (const auto& row : chats.due(clock_(), limit)) {
        if (row.source == kTelegramBot) continue;
        if (url.empty()) {
            failChatMessage(store_, settings_, row, "no reply route for " + row.source + " chats ([webhook] reply_url is not set)", clock_());
            ++stats.failed;
            continue;
        }
        std::string error;
        int status = post(url, replyJson(row), settings_.chat_webhook.secret, clock_(), error);
        if (status >= 200 && status < 300) {
            store::Transaction tx(store_.db());
            markChatMessageDelivered(chats, row, 0, clock_());
            tx.commit();
            ++stats.sent;
        } else if ((status == 0 || status == 429 || status >= 500) && row.attempts + 1 < kMaxAttempts) {
            chats.defer(row.id, error, clock_() + std::min<std::int64_t>(30LL << row.attempts, 3600));
            Poco::Logger::get("bridge").warning("chat_outbox#%Ld: reply_url: %s; retrying", static_cast<long long>(row.id), error);
            ++stats.deferred;
        } else {
            failChatMessage(store_, settings_, row, "reply_url answered " + error, clock_());
            ++stats.failed;
        }
    }
    return stats;
}

}  // namespace postdesk::bridge
