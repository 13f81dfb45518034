#include "gateway/net/imap_settings.h"

namespace postdesk::net {

std::optional<TlsMode> parseTlsMode(std::string_view text) {
    if (text == "implicit") return TlsMode::Implicit;
    if (text == "starttls") return TlsMode::StartTls;
    if (text == "none") return TlsMode::None;
    return std::nullopt;
}

}  // namespace postdesk::net

namespace postdesk::net {

namespace {

struct CurlUrl {
    CURLU* h = curl_url();
    ~CurlUrl() { curl_url_cleanup(h); }
    std::optional<std::string> get(CURLUPart part, unsigned flags = 0) const {
        char* out = nullptr;
        if (curl_url_get(h, part, &out, flags) != CURLUE_OK || !out) return std::nullopt;
        std::string s(out);
        curl_free(out);
        return s;
    }
};

}  // namespace

Result<ImapEndpoint> resolveEndpoint(const ImapSettings& settings) {
    CurlUrl url;
    // Default ports come from the scheme (143/993); CURLU_NON_SUPPORT_SCHEME is not needed.
    if (!url.h || curl_url_set(url.h, CURLUPART_URL, settings.url.c_str(), 0) != CURLUE_OK)
        return Outcome::config("intake.url is not a valid URL");
    auto scheme = url.get(CURLUPART_SCHEME);
    auto host = url.get(CURLUPART_HOST);
    auto port = url.get(CURLUPART_PORT, CURLU_DEFAULT_PORT);
    if (!scheme || (*scheme != "imap" && *scheme != "imaps"))
        return Outcome::config("intake.url must start with imap:// or imaps://");
    if (!host || !port) return Outcome::config("intake.url has no host");
    if (url.get(CURLUPART_USER) || url.get(CURLUPART_PASSWORD))
        return Outcome::config("intake.url must not contain credentials; set user and password");
    if (settings.user.empty()) return Outcome::config("intake.user is empty");

    ImapEndpoint out;
    bool implicit = *scheme == "imaps";
    out.tls = settings.tls.value_or(implicit ? TlsMode::Implicit : TlsMode::StartTls);
    if (implicit != (out.tls == TlsMode::Implicit))
        return Outcome::config(implicit ? "imaps:// needs tls = implicit"
                                        : "imap:// needs tls = starttls or none");
    out.base_url = *scheme + "://" + *host + ":" + *port + "/";
    std::string path = url.get(CURLUPART_PATH, CURLU_URLDECODE).value_or("/");
    if (!path.empty() && path.front() == '/') path.erase(0, 1);
    // RFC 5092 IMAP URLs may carry ";UIDVALIDITY=..." etc. after the mailbox; we take the name.
    path = path.substr(0, path.find(';'));
    out.mailbox = path.empty() ? "INBOX" : path;
    return out;
}

}  // namespace postdesk::net
