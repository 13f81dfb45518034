// postdesk::net — the result of talking to a mail server, sorted by what the caller does next.
//
//   Ok         it worked.
//   Temporary  the server or the network is not there right now (refused, timeout, dropped
//              connection, server busy): keep the work queued and retry with backoff.
//   Permanent  the server said no to this request and will say it again (mailbox does not
//              exist, message too large, protocol violation): record it, do not retry as is.
//   Config     only an administrator can fix it (login denied, certificate not trusted,
//              malformed URL, TLS required but not offered): report clearly, stop the stage.
//
// Every adapter classifies its library's codes in exactly one place (classifyCurl below,
// classifyImapStatus for tagged IMAP replies) so the retry policy lives in one spot. Messages
// never contain passwords: they are built from curl's error text and server replies only.
#pragma once

#include <curl/curl.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace postdesk::net {

enum class OutcomeKind { Ok, Temporary, Permanent, Config };

std::string_view toString(OutcomeKind kind);

struct Outcome {
    OutcomeKind kind = OutcomeKind::Ok;
    std::string message;

    bool ok() const { return kind == OutcomeKind::Ok; }

    static Outcome success() { return {}; }
    static Outcome temporary(std::string m) { return {OutcomeKind::Temporary, std::move(m)}; }
    static Outcome permanent(std::string m) { return {OutcomeKind::Permanent, std::move(m)}; }
    static Outcome config(std::string m) { return {OutcomeKind::Config, std::move(m)}; }
};

// A value or the Outcome that explains why there is none. Holding a value implies ok().
template <class T>
class Result {
public:
    Result(T value) : value_(std::move(value)) {}
    Result(Outcome outcome) : outcome_(std::move(outcome)) {}

    bool ok() const { return value_.has_value(); }
    const Outcome& outcome() const { return outcome_; }
    T& value() { return *value_; }
    const T& value() const { return *value_; }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }

private:
    std::optional<T> value_;
    Outcome outcome_;
};

// `what` says what was being attempted ("connect to imaps://host:993"); `detail` is curl's
// CURLOPT_ERRORBUFFER text when it has one (more specific than curl_easy_strerror).
Outcome classifyCurl(CURLcode code, std::string_view what, std::string_view detail = {});

// A tagged NO or BAD (RFC 3501 §7.1). `code` is the response code's name without brackets
// ("TRYCREATE", "UNAVAILABLE"; RFC 5530), `text` the human-readable rest.
Outcome classifyImapStatus(std::string_view status, std::string_view code, std::string_view text,
                           std::string_view what);

}  // namespace postdesk::net
