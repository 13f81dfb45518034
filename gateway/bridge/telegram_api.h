// postdesk::bridge — a small Telegram Bot API client over libcurl
// (https://core.telegram.org/bots/api; facts used are in shared/research/chat-bridge.md §1).
//
// Calls go to <api_base>/bot<token>/<method> as JSON POSTs; files come from
// <api_base>/file/bot<token>/<file_path>. The base is configurable so tests use a local fake.
//
// Guarantees:
//  - No exception escapes; every call returns a BotResult: a value, or an Outcome sorted by what
//    the caller does next, plus Telegram's own error fields when it answered {"ok":false,…}:
//      Temporary  network errors, timeouts, 429 (wait error.retry_after), 5xx, 409 (another
//                 poller or a webhook is active; back off and alert)
//      Config     401 and 404 (the token is wrong or revoked: only an administrator can fix it)
//      Permanent  400 and 403 and other 4xx (this request will fail again: chat not found, bot
//                 blocked, message too long; 400 may carry error.migrate_to_chat_id)
//    Telegram reports these in the body, with the HTTP status equal to error_code.
//  - The token never appears in an Outcome message or a BotApiError: URLs are not quoted, and any
//    text that reaches a message passes through redactToken.
//  - getUpdates returns each update's JSON text exactly as the server sent it (sliced, not
//    re-serialised), so the raw update can be stored verbatim.
//  - Replies are read up to a cap (reply_max_bytes; downloads: max_bytes), never unbounded.
// Not thread-safe: one client per thread (it keeps one libcurl handle and its connection).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/net/curl_handle.h"
#include "gateway/net/outcome.h"

namespace postdesk::bridge {

struct TelegramSettings {
    std::string api_base = "https://api.telegram.org";
    std::string token;  // "123456:ABC…" as BotFather gives it
    std::string ca_file;                  // extra CA bundle; verification is never switched off
    int connect_timeout_ms = 10000;
    int timeout_ms = 30000;               // a whole call, except getUpdates and downloads
    int poll_grace_ms = 15000;            // getUpdates waits timeout_s plus this
    int download_timeout_ms = 120000;     // one file (at most 20 MB from Telegram)
    std::size_t reply_max_bytes = 16 << 20;  // an API reply (100 updates fit easily)
};

// Telegram's answer when ok is false (https://core.telegram.org/bots/api#making-requests).
struct BotApiError {
    int error_code = 0;  // == the HTTP status; 0 when Telegram did not answer (network, timeout)
    std::string description;
    std::int64_t retry_after = 0;         // seconds to wait (429 flood control), 0 when absent
    std::int64_t migrate_to_chat_id = 0;  // the group became this supergroup, 0 when absent
};

template <class T>
struct BotResult {
    net::Outcome outcome;  // Ok exactly when value is set
    BotApiError error;     // set when Telegram answered ok:false
    std::optional<T> value;
    bool ok() const { return value.has_value(); }
};

struct BotUser {
    std::int64_t id = 0;
    std::string first_name, username;
    bool can_join_groups = false;
    bool can_read_all_group_messages = false;  // privacy mode off: the bot sees every group message
};

struct RawUpdate {
    std::int64_t update_id = 0;
    std::string json;  // the Update object, byte for byte as received
};

struct GetUpdatesRequest {
    std::int64_t offset = 0;  // highest confirmed update_id + 1; 0 = from the earliest unconfirmed
    int limit = 100;          // 1..100
    int timeout_s = 0;        // long poll; 0 = return at once
    // Omitted (nullopt) keeps the server's previous setting; an empty list means all except
    // chat_member and reactions.
    std::optional<std::vector<std::string>> allowed_updates = std::nullopt;
};

struct OutgoingMessage {
    std::int64_t chat_id = 0;
    std::string text;                     // plain text (no parse_mode), 1..4096 UTF-16 units
    std::int64_t message_thread_id = 0;   // forum topic; 0 = none
    std::int64_t reply_to_message_id = 0; // sent as reply_parameters with allow_sending_without_reply
};

struct BotFile {
    std::string file_id, file_unique_id;
    std::string file_path;       // for downloadFile; "" when Telegram cannot serve it
    std::int64_t file_size = 0;  // 0 when unknown
};

struct WebhookInfo {
    std::string url;  // "" when no webhook is set (polling works)
    std::int64_t pending_update_count = 0;
    std::int64_t last_error_date = 0;  // unix seconds, 0 when none
    std::string last_error_message;
};

struct WebhookRegistration {
    std::string url;
    std::string secret_token;  // echoed in X-Telegram-Bot-Api-Secret-Token
    int max_connections = 4;   // small: SQLite has one writer
    std::vector<std::string> allowed_updates;
    bool drop_pending_updates = false;
};

class TelegramApi {
public:
    explicit TelegramApi(TelegramSettings settings);
    TelegramApi(const TelegramApi&) = delete;
    TelegramApi& operator=(const TelegramApi&) = delete;

    BotResult<BotUser> getMe();
    BotResult<std::vector<RawUpdate>> getUpdates(const GetUpdatesRequest& request);
    // The sent message's message_id.
    BotResult<std::int64_t> sendMessage(const OutgoingMessage& message);
    BotResult<BotFile> getFile(std::string_view file_id);
    // The file's bytes; more than max_bytes is a Permanent failure (nothing partial is returned).
    BotResult<std::string> downloadFile(std::string_view file_path, std::size_t max_bytes);
    BotResult<WebhookInfo> getWebhookInfo();
    BotResult<bool> setWebhook(const WebhookRegistration& registration);
    BotResult<bool> deleteWebhook(bool drop_pending_updates);

private:
    struct Reply;
    Reply post(std::string_view method, const std::string& json, int timeout_ms);

    TelegramSettings settings_;
    net::CurlHandle curl_;
};

// `text` with every occurrence of `token` replaced by "<token>"; for anything that might quote a
// URL (curl's error text, a proxy's error page) before it is logged.
std::string redactToken(std::string_view text, std::string_view token);

}  // namespace postdesk::bridge
