#include "rules/reply_token.h"
#include "mime/ascii.h"

#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace postdesk::rules {
namespace {

// Poco 1.11's SHA2Engine lacks the BLOCK_SIZE/DIGEST_SIZE constants HMACEngine needs.
class Sha256Engine : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

std::string tokenMessage(std::uint64_t ticket, std::string_view recipient) {
    return "postdesk-reply:v1:" + std::to_string(ticket) + ":" + mime::asciiLower(recipient);
}

constexpr std::size_t kMacChars = 16;

}  // namespace

std::string macBase32(std::string_view key, std::string_view message, std::size_t chars) {
    Poco::HMACEngine<Sha256Engine> hmac{std::string(key)};
    hmac.update(message.data(), static_cast<unsigned>(message.size()));
    const auto& digest = hmac.digest();
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char byte : digest) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5 && out.size() < chars) {
            out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

std::string signReplyToken(std::uint64_t ticket, std::string_view recipient, std::string_view key) {
    return std::to_string(ticket) + "-" + macBase32(key, tokenMessage(ticket, recipient), kMacChars);
}

std::optional<std::uint64_t> verifyReplyToken(std::string_view token, std::string_view sender, std::string_view key) {
    std::size_t dash = token.find('-');
    if (dash == 0 || dash == std::string_view::npos || dash > 18) return std::nullopt;
    std::uint64_t ticket = 0;
    for (char c : token.substr(0, dash)) {
        if (c < '0' || c > '9') return std::nullopt;
        ticket = ticket * 10 + static_cast<std::uint64_t>(c - '0');
    }
    std::string expected = macBase32(key, tokenMessage(ticket, sender), kMacChars);
    if (!constantTimeEquals(mime::asciiLower(token.substr(dash + 1)), expected)) return std::nullopt;
    return ticket;
}

namespace {

std::string agentMessage(std::uint64_t ticket, std::int64_t expiresDay, std::string_view agent) {
    return "postdesk-agent:v1:" + std::to_string(ticket) + ":" + std::to_string(expiresDay) + ":" + mime::asciiLower(agent);
}

bool parseNumber(std::string_view s, std::uint64_t& out) {
    if (s.empty() || s.size() > 18) return false;
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return true;
}

}  // namespace

std::string signAgentToken(std::uint64_t ticket, std::string_view agentAddress, std::int64_t expiresDay, std::string_view key) {
    return "a" + std::to_string(ticket) + "-" + std::to_string(expiresDay) + "-" +
           macBase32(key, agentMessage(ticket, expiresDay, agentAddress), kMacChars);
}

bool isAgentToken(std::string_view token) { return token.size() > 1 && (token[0] == 'a' || token[0] == 'A') && token[1] >= '0' && token[1] <= '9'; }

AgentTokenResult verifyAgentToken(std::string_view token, std::string_view sender, std::string_view key, std::int64_t today) {
    AgentTokenResult r;
    if (!isAgentToken(token)) return r;
    std::size_t d1 = token.find('-'), d2 = d1 == std::string_view::npos ? d1 : token.find('-', d1 + 1);
    std::uint64_t ticket = 0, expires = 0;
    if (d2 == std::string_view::npos || !parseNumber(token.substr(1, d1 - 1), ticket) ||
        !parseNumber(token.substr(d1 + 1, d2 - d1 - 1), expires))
        return r;
    r.ticket = ticket;
    std::string expected = macBase32(key, agentMessage(ticket, static_cast<std::int64_t>(expires), sender), kMacChars);
    if (!constantTimeEquals(mime::asciiLower(token.substr(d2 + 1)), expected)) {
        r.check = AgentTokenCheck::Forged;
        return r;
    }
    r.check = static_cast<std::int64_t>(expires) < today ? AgentTokenCheck::Expired : AgentTokenCheck::Valid;
    return r;
}

std::optional<std::string> tokenFromAddress(std::string_view address, std::string_view ourAddress) {
    std::size_t at = address.rfind('@'), ourAt = ourAddress.rfind('@');
    if (at == std::string_view::npos || ourAt == std::string_view::npos) return std::nullopt;
    if (mime::asciiLower(address.substr(at)) != mime::asciiLower(ourAddress.substr(ourAt))) return std::nullopt;
    std::string_view local = address.substr(0, at), ourLocal = ourAddress.substr(0, ourAt);
    if (local.size() <= ourLocal.size() + 1 || local[ourLocal.size()] != '+') return std::nullopt;
    if (mime::asciiLower(local.substr(0, ourLocal.size())) != mime::asciiLower(ourLocal)) return std::nullopt;
    return std::string(local.substr(ourLocal.size() + 1));
}

std::string replyAddress(std::string_view ourAddress, std::string_view token) {
    std::size_t at = ourAddress.rfind('@');
    if (at == std::string_view::npos) return std::string(ourAddress);
    return std::string(ourAddress.substr(0, at)) + "+" + std::string(token) + std::string(ourAddress.substr(at));
}

}  // namespace postdesk::rules
