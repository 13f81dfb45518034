#include "gateway/bridge/webhook_auth.h"

#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include <charconv>
#include <optional>

namespace postdesk::bridge {

namespace {

// Poco 1.11 (Debian 12's libpoco) gives SHA2Engine no BLOCK_SIZE/DIGEST_SIZE, which HMACEngine
// needs; 1.12 adds them (and SHA2Engine256). SHA-256: 64-byte blocks, 32-byte digests (FIPS 180-4).
class Sha256Engine : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

std::string hmacSha256Hex(std::string_view key, std::string_view timestamp, std::string_view body) {
    Poco::HMACEngine<Sha256Engine> hmac(key.empty() ? "" : key.data(), key.size());  // Poco checks for null
    hmac.update(timestamp.data(), timestamp.size());
    hmac.update(".", 1);
    hmac.update(body.data(), body.size());
    return Poco::DigestEngine::digestToHex(hmac.digest());
}

bool isLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// "sha256=" + 64 hex digits (either case) -> the lower-case hex, or "" when malformed.
std::string signatureHex(std::string_view header) {
    constexpr std::string_view kPrefix = "sha256=";
    if (header.size() != kPrefix.size() + 64 || header.substr(0, kPrefix.size()) != kPrefix) return {};
    std::string hex(header.substr(kPrefix.size()));
    for (char& c : hex) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
        if (!isLowerHex(c)) return {};
    }
    return hex;
}

std::optional<std::int64_t> unixSeconds(std::string_view s) {
    std::int64_t v = 0;
    if (s.empty() || s.size() > 12) return std::nullopt;  // digits only: no sign, no space
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s[0] == '-' || s[0] == '+') return std::nullopt;
    return v;
}

}  // namespace

bool secretTokenMatches(std::string_view expected, std::string_view got) {
    // Walk `got` whole, whatever matches: the time depends on got.size() only, which the client
    // already knows. The length difference is folded into the result instead of returned early.
    volatile unsigned char diff = expected.size() == got.size() ? 0 : 1;
    const std::size_t n = expected.size();
    for (std::size_t i = 0; i < got.size(); ++i) {
        unsigned char e = n == 0 ? 0 : static_cast<unsigned char>(expected[i % n]);
        diff = diff | static_cast<unsigned char>(e ^ static_cast<unsigned char>(got[i]));
    }
    return diff == 0 && n != 0;
}

std::string_view toString(WebhookVerdict verdict) {
    switch (verdict) {
        case WebhookVerdict::Ok: return "ok";
        case WebhookVerdict::BadSignature: return "bad signature";
        case WebhookVerdict::StaleTimestamp: return "stale timestamp";
        case WebhookVerdict::Malformed: return "malformed signature headers";
    }
    return "?";
}

WebhookVerdict verifySignedWebhook(std::string_view secret, std::string_view timestampHeader,
                                   std::string_view signatureHeader, std::string_view body, std::int64_t now,
                                   std::int64_t maxSkewSeconds) {
    auto timestamp = unixSeconds(timestampHeader);
    std::string got = signatureHex(signatureHeader);
    if (!timestamp || got.empty()) return WebhookVerdict::Malformed;
    if (secret.empty()) return WebhookVerdict::BadSignature;
    if (!secretTokenMatches(hmacSha256Hex(secret, timestampHeader, body), got)) return WebhookVerdict::BadSignature;
    std::int64_t skew = now > *timestamp ? now - *timestamp : *timestamp - now;
    if (skew > maxSkewSeconds) return WebhookVerdict::StaleTimestamp;
    return WebhookVerdict::Ok;
}

std::string signWebhook(std::string_view secret, std::string_view timestamp, std::string_view body) {
    return "sha256=" + hmacSha256Hex(secret, timestamp, body);
}

}  // namespace postdesk::bridge
