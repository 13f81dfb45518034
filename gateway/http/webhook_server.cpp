#include "gateway/http/webhook_server.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <istream>
#include <map>

#include "gateway/bridge/chat_intake.h"
#include "gateway/bridge/telegram_update.h"
#include "gateway/bridge/webhook_auth.h"
#include "gateway/store/store.h"
#include "gateway/util/clock.h"

namespace postdesk::http {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr std::size_t kMaxBody = 1 << 20;

std::string jsonEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\', out += c;
        else if (static_cast<unsigned char>(c) < 0x20) out += ' ';
        else out += c;
    }
    return out;
}

Poco::Logger& log() { return Poco::Logger::get("http"); }

void answer(HTTPServerResponse& res, HTTPResponse::HTTPStatus status, const std::string& json) {
    res.setStatus(status);
    res.setContentType("application/json");
    res.setContentLength(static_cast<std::streamsize>(json.size()));
    res.send() << json;
}

// Reads at most kMaxBody + 1 bytes: enough to tell "too big" without holding a huge body.
std::string readBody(HTTPServerRequest& req) {
    std::string body;
    char buf[8192];
    std::istream& in = req.stream();
    while (body.size() <= kMaxBody && in.read(buf, sizeof buf).gcount() > 0) body.append(buf, static_cast<std::size_t>(in.gcount()));
    return body;
}

class WebhookHandler : public Poco::Net::HTTPRequestHandler {
public:
    WebhookHandler(const config::Settings& s, const std::function<void()>& onStored) : s_(s), onStored_(onStored) {}

    void handleRequest(HTTPServerRequest& req, HTTPServerResponse& res) override {
        const std::string path = req.getURI().substr(0, req.getURI().find('?'));
        const bool telegram = path == "/telegram" && s_.telegram.enabled() && s_.telegram.mode == "webhook";
        const bool generic = path == "/hooks/chat" && !s_.chat_webhook.secret.empty();
        if (!telegram && !generic) return answer(res, HTTPResponse::HTTP_NOT_FOUND, R"({"ok":false,"error":"not found"})");
        if (req.getMethod() != "POST") return answer(res, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, R"({"ok":false,"error":"POST only"})");
        std::string body = readBody(req);
        if (body.size() > kMaxBody) return answer(res, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, R"({"ok":false,"error":"body over 1 MiB"})");
        if (telegram) {
            if (!bridge::secretTokenMatches(s_.telegram.webhook_secret, req.get("X-Telegram-Bot-Api-Secret-Token", "")))
                return answer(res, HTTPResponse::HTTP_UNAUTHORIZED, R"({"ok":false,"error":"bad secret token"})");
        } else {
            auto verdict = bridge::verifySignedWebhook(s_.chat_webhook.secret, req.get("X-Postdesk-Timestamp", ""),
                                                       req.get("X-Postdesk-Signature", ""), body, systemNow(), s_.chat_webhook.max_skew);
            if (verdict == bridge::WebhookVerdict::Malformed)
                return answer(res, HTTPResponse::HTTP_BAD_REQUEST, R"({"ok":false,"error":"malformed signature headers"})");
            if (verdict != bridge::WebhookVerdict::Ok)
                return answer(res, HTTPResponse::HTTP_UNAUTHORIZED,
                              std::string(R"({"ok":false,"error":")") + std::string(bridge::toString(verdict)) + "\"}");
        }
        if (!telegram) {  // the sender can fix a malformed event, so say so (Telegram cannot: store it, quarantined)
            std::string error;
            if (!bridge::parseWebhookEvent(body, error))
                return answer(res, HTTPResponse::HTTP_BAD_REQUEST, R"({"ok":false,"error":")" + jsonEscape(error) + "\"}");
        }
        const std::string bot = telegram ? bridge::kTelegramBot : bridge::kWebhookBot;
        try {
            thread_local std::map<std::string, std::unique_ptr<store::Store>> stores;  // pool threads are shared by servers
            auto& store = stores[s_.store_path];
            if (!store) store = std::make_unique<store::Store>(s_.store_path);
            bool added = bridge::storeWebhookUpdate(*store, bot, bridge::updateKeyOf(bot, body), body, systemNow());
            if (added && onStored_) onStored_();
            answer(res, HTTPResponse::HTTP_OK, added ? R"({"ok":true})" : R"({"ok":true,"duplicate":true})");
        } catch (const std::exception& e) {  // the sender retries; nothing was confirmed
            log().error("%s: not stored: %s", path, std::string(e.what()));
            answer(res, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, R"({"ok":false,"error":"store unavailable"})");
        }
    }

private:
    const config::Settings& s_;
    const std::function<void()>& onStored_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Factory(const config::Settings& s, std::function<void()> onStored) : s_(s), onStored_(std::move(onStored)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override { return new WebhookHandler(s_, onStored_); }

private:
    const config::Settings& s_;
    std::function<void()> onStored_;
};

}  // namespace

WebhookServer::WebhookServer(const config::Settings& settings, std::function<void()> onStored) {
    Poco::Net::SocketAddress address;
    try {
        address = Poco::Net::SocketAddress(settings.http_listen);
    } catch (const Poco::Exception& e) {
        throw config::ConfigError(settings.config_file, "http.listen", "wants HOST:PORT: " + e.displayText());
    }
    try {
        // Not ServerSocket(address): that sets SO_REUSEPORT, and a second postdesk (or anything
        // else) could then listen on the same port and silently get half of the webhooks.
        Poco::Net::ServerSocket socket;
        socket.bind(address, true, false);
        socket.listen(64);
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(4);
        params->setMaxQueued(64);
        server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(settings, std::move(onStored)), socket, params);
        server_->start();
    } catch (const Poco::Exception& e) {
        throw config::ConfigError(settings.config_file, "http.listen", "cannot listen on " + settings.http_listen + ": " + e.displayText());
    }
}

WebhookServer::~WebhookServer() {
    if (server_) server_->stopAll(true);
}

int WebhookServer::port() const { return server_ ? server_->port() : 0; }

}  // namespace postdesk::http
