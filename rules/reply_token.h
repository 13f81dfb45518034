// postdesk::rules — signed reply addresses ("support+1042-k3j5x2p7q9m4a8c6@example.test").
//
// A token names a ticket and is bound by an HMAC-SHA256 (key from [security] token_key) to the
// one address it was issued to, so a reply from that address can be filed on the ticket without
// trusting anything the sender wrote, while the same token used by anyone else is worthless
// (Zammad#5064: a stranger appends to any ticket by quoting its number). Agent tokens (issue 4)
// also carry the agent id and an expiry day.
//
// Format of the local-part detail: "<ticket>-<mac>" where mac is the first 16 base32 characters
// (80 bits) of HMAC-SHA256(key, "postdesk-reply:v1:<ticket>:<lower-case recipient>"). Lower-case
// only, since some MTAs fold local parts. Pure; never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace postdesk::rules {

std::string signReplyToken(std::uint64_t ticket, std::string_view recipient, std::string_view key);

// The ticket a token names when it was issued to `sender`; nullopt when malformed or forged.
std::optional<std::uint64_t> verifyReplyToken(std::string_view token, std::string_view sender, std::string_view key);

// "support+TOKEN@example.test" -> "TOKEN" when the address is one of ours (base address given
// as "support@example.test"); nullopt otherwise.
std::optional<std::string> tokenFromAddress(std::string_view address, std::string_view ourAddress);

// "support@example.test" + token -> "support+TOKEN@example.test".
std::string replyAddress(std::string_view ourAddress, std::string_view token);

// Agent tokens: the Reply-To of a notification mailed to an agent. "a<ticket>-<expiry day>-<mac>",
// the MAC over ticket, expiry (days since 1970) and the agent's lower-case address, so a reply is
// accepted only from the agent it was issued to and only until it expires.
std::string signAgentToken(std::uint64_t ticket, std::string_view agentAddress, std::int64_t expiresDay, std::string_view key);
bool isAgentToken(std::string_view token);

enum class AgentTokenCheck { Valid, Malformed, Forged, Expired };
struct AgentTokenResult {
    AgentTokenCheck check = AgentTokenCheck::Malformed;
    std::uint64_t ticket = 0;  // as written in the token (trusted only when Valid)
};
// `today` in days since 1970. Forged covers a wrong MAC and a token issued to someone else.
AgentTokenResult verifyAgentToken(std::string_view token, std::string_view sender, std::string_view key, std::int64_t today);

// HMAC-SHA256 truncated and base32 (lower case) encoded: shared by all signed values.
std::string macBase32(std::string_view key, std::string_view message, std::size_t chars);

// Constant-time comparison (a timing side channel would let a sender guess a MAC byte by byte).
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace postdesk::rules
