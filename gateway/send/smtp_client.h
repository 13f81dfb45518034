// postdesk::send — one SMTP submission session with libcurl (smtp:// + STARTTLS, smtps://, AUTH).
//
// Guarantees: certificates are always verified (an extra CA file may be given, never a switch to
// turn verification off); the connection is reused across send() calls (one handle); the bytes
// must be CRLF-only — libcurl dot-stuffs lines after CRLF (RFC 5321 §4.5.2) but not after a bare
// LF (see shared/recipes/mailstack), and mime::composeMail never emits bare LF. Failures come
// back sorted by what the caller does next (net::Outcome): a 4xx reply or a network failure is
// Temporary (defer and retry), a 5xx reply Permanent (the mail failed), a refused login or an
// untrusted certificate Config. No exception escapes; passwords never appear in messages.
#pragma once

#include <string>
#include <vector>

#include "gateway/net/curl_handle.h"
#include "gateway/net/outcome.h"

namespace postdesk::send {

enum class SmtpTls { Implicit, StartTls, None };

struct SmtpSettings {
    std::string url;       // smtp://host:port or smtps://host:port
    std::string user, password;
    SmtpTls tls = SmtpTls::StartTls;
    std::string ca_file;
    std::string helo = "postdesk.localdomain";
    int connect_timeout_ms = 10000;
    int timeout_ms = 60000;  // the whole transaction
};

class SmtpClient {
public:
    explicit SmtpClient(SmtpSettings settings);
    net::Outcome send(const std::string& mailFrom, const std::vector<std::string>& recipients, const std::string& bytes);

private:
    SmtpSettings settings_;
    net::CurlHandle curl_;
};

}  // namespace postdesk::send
