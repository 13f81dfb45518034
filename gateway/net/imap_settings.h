// postdesk::net — how to reach and log in to one IMAP mailbox (config keys `intake.*`).
//
// TLS policy: certificates are always verified. `tls` is derived from the URL unless set:
//   imaps://  -> Implicit  (TLS from the first byte, RFC 8314)
//   imap://   -> StartTls  (STARTTLS is required; a server that does not offer it is a Config
//                           error, never a silent fallback to plaintext)
// Plaintext (`None`) happens only when configured explicitly, e.g. for a loopback test server.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/net/outcome.h"

namespace postdesk::net {

enum class TlsMode { Implicit, StartTls, None };

// "implicit" | "starttls" | "none" (config values); nullopt for anything else.
std::optional<TlsMode> parseTlsMode(std::string_view text);

struct ImapSettings {
    std::string url;       // imap://host[:port][/MAILBOX] or imaps://...; no credentials in it
    std::string user;
    std::string password;  // never logged, never part of an Outcome message
    std::optional<TlsMode> tls;  // unset: from the URL scheme (see above)
    std::string ca_file;   // PEM file of trusted CAs; empty: the system trust store
    int connect_timeout_ms = 10000;  // TCP + TLS + greeting + login
    int command_timeout_ms = 30000;  // each command, from sending it to its tagged reply
    std::size_t fetch_batch = 50;    // UIDs per UID FETCH
    std::size_t max_message_bytes = std::size_t{64} << 20;  // larger literals drop the session
    bool use_move = true;  // RFC 6851 MOVE when advertised; false: COPY + \Deleted + EXPUNGE
};

// What connect() derives from the settings after checking them.
struct ImapEndpoint {
    std::string base_url;  // scheme://host:port/ (no path: libcurl must not SELECT anything)
    std::string mailbox;   // URL path, percent-decoded; "INBOX" when empty
    TlsMode tls = TlsMode::StartTls;
};

// Config outcome for: a URL that is not imap:// or imaps://, credentials inside the URL (they
// would leak into logs), a TLS mode that contradicts the scheme, an empty user.
Result<ImapEndpoint> resolveEndpoint(const ImapSettings& settings);

}  // namespace postdesk::net
