// postdesk::bridge — is an incoming webhook request really from who it claims to be?
//
//  - Telegram's webhook echoes the setWebhook secret_token in X-Telegram-Bot-Api-Secret-Token
//    (https://core.telegram.org/bots/api#setwebhook): secretTokenMatches compares it.
//  - The generic chat webhook (docs/CHAT_WEBHOOK.md) signs each request:
//    X-Postdesk-Timestamp: <unix seconds> and
//    X-Postdesk-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>,
//    the scheme Slack uses (https://api.slack.com/authentication/verifying-requests-from-slack).
//
// Guarantees: comparisons of secrets run in time that depends only on the length of what the
// client sent, never on how much of it matched or on the secret's length; the signature is
// checked over the raw body before anything parses it; an empty secret never matches anything
// (a missing configuration must not open the door). No exceptions; pure (`now` is passed in).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace postdesk::bridge {

// Constant-time equality of a shared secret and what the client sent. False when `expected` is
// empty.
bool secretTokenMatches(std::string_view expected, std::string_view got);

enum class WebhookVerdict {
    Ok,
    BadSignature,    // answer 401; the sender has the wrong secret (or is not the sender)
    StaleTimestamp,  // answer 401; signed correctly but too old or too far ahead: a replay?
    Malformed,       // answer 400; a header is missing or not in the documented form
};

std::string_view toString(WebhookVerdict verdict);

// Checks the generic webhook's headers against the raw body. The signature is checked before
// the timestamp, so only a holder of the secret learns about clock skew. `now` in unix seconds.
WebhookVerdict verifySignedWebhook(std::string_view secret, std::string_view timestampHeader,
                                   std::string_view signatureHeader, std::string_view body, std::int64_t now,
                                   std::int64_t maxSkewSeconds = 300);

// The X-Postdesk-Signature value a sender puts on `body` at `timestamp`: "sha256=<64 hex>".
std::string signWebhook(std::string_view secret, std::string_view timestamp, std::string_view body);

}  // namespace postdesk::bridge
