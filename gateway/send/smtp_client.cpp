#include "gateway/send/smtp_client.h"

#include <algorithm>
#include <cstring>
#include <memory>

namespace postdesk::send {
namespace {

struct Upload {
    const std::string* bytes;
    std::size_t pos = 0;
};

std::size_t readCallback(char* buffer, std::size_t size, std::size_t n, void* user) {
    auto* up = static_cast<Upload*>(user);
    std::size_t room = size * n, left = up->bytes->size() - up->pos, k = std::min(room, left);
    std::memcpy(buffer, up->bytes->data() + up->pos, k);
    up->pos += k;
    return k;
}

// smtp://host:port -> smtp://host:port/HELO: libcurl takes the EHLO name from the URL path.
std::string urlWithHelo(const SmtpSettings& s) {
    std::string url = s.url;
    std::size_t scheme = url.find("://");
    std::size_t slash = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
    if (slash != std::string::npos) url.resize(slash);
    return url + "/" + s.helo;
}

struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

SmtpClient::SmtpClient(SmtpSettings settings) : settings_(std::move(settings)) {}

net::Outcome SmtpClient::send(const std::string& mailFrom, const std::vector<std::string>& recipients, const std::string& bytes) {
    if (!curl_.valid()) curl_ = net::CurlHandle();
    CURL* h = curl_.get();
    if (!h) return net::Outcome::temporary("smtp: cannot create a curl handle");
    std::unique_ptr<curl_slist, SlistDeleter> rcpt;
    for (const auto& r : recipients) rcpt.reset(curl_slist_append(rcpt.release(), ("<" + r + ">").c_str()));
    Upload upload{&bytes};
    char error[CURL_ERROR_SIZE] = "";
    std::string url = urlWithHelo(settings_), from = "<" + mailFrom + ">";
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, readCallback);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout_ms));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout_ms));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USE_SSL, settings_.tls == SmtpTls::None ? CURLUSESSL_NONE : CURLUSESSL_ALL);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!settings_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_file.c_str());
    if (!settings_.user.empty()) {
        curl_easy_setopt(h, CURLOPT_USERNAME, settings_.user.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    CURLcode rc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    if (rc == CURLE_OK) return net::Outcome::success();
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    std::string what = "smtp to " + settings_.url;
    std::string detail = error[0] ? std::string(error) : std::string(curl_easy_strerror(rc));
    curl_ = net::CurlHandle();  // the session state is unknown after a failure: start afresh
    // The server's reply decides when it gave one (RFC 5321 §4.2.1); otherwise the transport did.
    if (code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED) return net::Outcome::permanent(what + ": " + std::to_string(code) + " " + detail);
    if (code >= 400 && code < 500) return net::Outcome::temporary(what + ": " + std::to_string(code) + " " + detail);
    return net::classifyCurl(rc, what, detail);
}

}  // namespace postdesk::send
