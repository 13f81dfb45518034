#include "gateway/net/outcome.h"

#include <array>

namespace postdesk::net {

std::string_view toString(OutcomeKind kind) {
    switch (kind) {
        case OutcomeKind::Ok: return "ok";
        case OutcomeKind::Temporary: return "temporary";
        case OutcomeKind::Permanent: return "permanent";
        case OutcomeKind::Config: return "config";
    }
    return "?";
}

namespace {

OutcomeKind curlKind(CURLcode code) {
    switch (code) {
        case CURLE_OK:
            return OutcomeKind::Ok;
        // Only an administrator can fix these: credentials, trust, the URL, the TLS policy.
        case CURLE_LOGIN_DENIED:
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_USE_SSL_FAILED:  // STARTTLS required but the server does not offer it
        case CURLE_NOT_BUILT_IN:
        case CURLE_UNKNOWN_OPTION:
        case CURLE_AUTH_ERROR:
            return OutcomeKind::Config;
        // The network or the server is not there right now.
        case CURLE_COULDNT_RESOLVE_HOST:  // DNS outages are usually transient
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_SSL_CONNECT_ERROR:  // handshake cut off; a bad certificate is code 60 instead
        case CURLE_WEIRD_SERVER_REPLY:  // e.g. a greeting of "* BYE too many connections"
        case CURLE_AGAIN:
        case CURLE_OUT_OF_MEMORY:
        case CURLE_PARTIAL_FILE:
            return OutcomeKind::Temporary;
        case CURLE_REMOTE_ACCESS_DENIED:
        case CURLE_REMOTE_FILE_NOT_FOUND:
        case CURLE_QUOTE_ERROR:
        case CURLE_FILESIZE_EXCEEDED:
            return OutcomeKind::Permanent;
        default:
            // An unlisted code is more likely a transient oddity than a standing refusal; the
            // queue's backoff ceiling and poison limit bound the cost of guessing wrong.
            return OutcomeKind::Temporary;
    }
}

}  // namespace

Outcome classifyCurl(CURLcode code, std::string_view what, std::string_view detail) {
    OutcomeKind kind = curlKind(code);
    if (kind == OutcomeKind::Ok) return Outcome::success();
    std::string message(what);
    message += ": ";
    message += detail.empty() ? curl_easy_strerror(code) : detail;
    message += " (curl " + std::to_string(static_cast<int>(code)) + ")";
    return {kind, std::move(message)};
}

Outcome classifyImapStatus(std::string_view status, std::string_view code, std::string_view text,
                           std::string_view what) {
    std::string message(what);
    message += ": ";
    message += status;
    if (!code.empty()) message += " [" + std::string(code) + "]";
    if (!text.empty()) message += " " + std::string(text);
    // RFC 5530 codes for conditions that pass by themselves.
    static constexpr std::array<std::string_view, 5> kTransient = {
        "UNAVAILABLE", "INUSE", "SERVERBUG", "LIMIT", "OVERQUOTA"};
    for (auto c : kTransient)
        if (code == c) return Outcome::temporary(std::move(message));
    // RFC 5530: the credentials or the account are the problem.
    if (code == "AUTHENTICATIONFAILED" || code == "AUTHORIZATIONFAILED" || code == "EXPIRED" ||
        code == "PRIVACYREQUIRED" || code == "NOPERM")
        return Outcome::config(std::move(message));
    // BAD means we sent something the server does not understand: retrying will not help.
    return Outcome::permanent(std::move(message));
}

}  // namespace postdesk::net
