// postdesk::http — the HTTP endpoint for chat webhooks ([http] listen = 127.0.0.1:PORT):
//
//   POST /telegram     Telegram's webhook ([telegram] mode = webhook). The header
//                      X-Telegram-Bot-Api-Secret-Token must equal [telegram] webhook_secret.
//   POST /hooks/chat   the generic signed chat webhook (docs/CHAT_WEBHOOK.md), [webhook] secret.
//
// Guarantees: the secret or the HMAC signature is checked (constant time) before the body is
// looked at; the raw body is committed to chat_update BEFORE the answer, so a 200 means stored.
// Answers: 200 stored (or already stored: a redelivery); 400 malformed headers; 401 wrong secret,
// bad signature or stale timestamp; 404 unknown path or a disabled endpoint; 405 not POST; 413
// body over 1 MiB; 503 the store failed (Telegram and well-behaved senders retry). An authentic
// Telegram body that does not parse is stored anyway (quarantined by chat ingest, raw kept) and
// answered 200: Telegram cannot fix it and would only retry. An authentic generic event that does
// not parse is answered 400 with the reason: its sender can fix it. `onStored` is called after each new update (to wake the bridge).
// Runs Poco's HTTPServer with a few threads; each thread opens its own store connection.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "gateway/config/config.h"

namespace Poco::Net {
class HTTPServer;
}

namespace postdesk::http {

class WebhookServer {
public:
    // Throws config::ConfigError when `listen` is not HOST:PORT, or the port cannot be bound.
    WebhookServer(const config::Settings& settings, std::function<void()> onStored);
    ~WebhookServer();
    WebhookServer(const WebhookServer&) = delete;
    WebhookServer& operator=(const WebhookServer&) = delete;
    int port() const;

private:
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace postdesk::http
