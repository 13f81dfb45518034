#include "gateway/bridge/telegram_api.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <exception>
#include <sstream>
#include <utility>

namespace postdesk::bridge {

using Poco::JSON::Array;
using Poco::JSON::Object;
using net::Outcome;
using net::OutcomeKind;

std::string redactToken(std::string_view text, std::string_view token) {
    std::string out(text);
    if (token.empty()) return out;
    for (std::size_t at = out.find(token); at != std::string::npos; at = out.find(token, at + 7))
        out.replace(at, token.size(), "<token>");
    return out;
}

namespace {

// ---- the one place Bot API errors are classified ------------------------------------------------

OutcomeKind botErrorKind(long code) {
    if (code == 429 || code >= 500) return OutcomeKind::Temporary;  // flood control, server trouble
    if (code == 409) return OutcomeKind::Temporary;  // another getUpdates or a webhook: back off, alert
    if (code == 401 || code == 404) return OutcomeKind::Config;  // a wrong or revoked token
    return OutcomeKind::Permanent;  // 400, 403: this request fails again as is
}

// ---- small JSON helpers (a wrong type reads as absent) ------------------------------------------

std::string str(const Object::Ptr& o, const std::string& key) {
    if (!o) return {};
    Poco::Dynamic::Var v = o->get(key);
    return v.isString() ? v.extract<std::string>() : std::string();
}

std::int64_t int64(const Object::Ptr& o, const std::string& key) {
    if (!o) return 0;
    Poco::Dynamic::Var v = o->get(key);
    if (!v.isInteger()) return 0;
    try {
        return v.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
        return 0;
    }
}

bool flag(const Object::Ptr& o, const std::string& key) {
    if (!o) return false;
    Poco::Dynamic::Var v = o->get(key);
    return v.isBoolean() && v.extract<bool>();
}

Object::Ptr newObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string toJson(const Object::Ptr& o) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(o, out);
    return out.str();
}

Array::Ptr stringArray(const std::vector<std::string>& items) {
    Array::Ptr a = new Array;
    for (const auto& s : items) a->add(s);
    return a;
}

// ---- slicing the raw updates out of {"ok":true,"result":[…]} ----------------------------------

constexpr std::size_t kNpos = std::string_view::npos;

std::size_t skipSpace(std::string_view s, std::size_t i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
    return i;
}

// `i` at an opening quote; returns the index after the closing one.
std::size_t skipString(std::string_view s, std::size_t i) {
    for (++i; i < s.size(); ++i) {
        if (s[i] == '\\') ++i;
        else if (s[i] == '"') return i + 1;
    }
    return kNpos;
}

// One JSON value starting at `i` (no leading space); returns the index after it.
std::size_t skipValue(std::string_view s, std::size_t i) {
    if (i >= s.size()) return kNpos;
    if (s[i] == '"') return skipString(s, i);
    if (s[i] != '{' && s[i] != '[') {
        while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && skipSpace(s, i) == i) ++i;
        return i;
    }
    int depth = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c == '"') {
            i = skipString(s, i);
            if (i == kNpos) return kNpos;
            continue;
        }
        if (c == '{' || c == '[') ++depth;
        if ((c == '}' || c == ']') && --depth == 0) return i + 1;
        ++i;
    }
    return kNpos;
}

// The elements of the top-level "result" array, as text; nullopt when the body is not shaped so.
// The body has already been parsed by Poco, so this only has to find the boundaries.
std::optional<std::vector<std::string_view>> resultElements(std::string_view s) {
    std::size_t i = skipSpace(s, 0);
    if (i >= s.size() || s[i] != '{') return std::nullopt;
    for (i = skipSpace(s, i + 1); i < s.size() && s[i] == '"';) {
        std::size_t keyEnd = skipString(s, i);
        if (keyEnd == kNpos) return std::nullopt;
        std::string_view key = s.substr(i + 1, keyEnd - i - 2);
        i = skipSpace(s, keyEnd);
        if (i >= s.size() || s[i] != ':') return std::nullopt;
        i = skipSpace(s, i + 1);
        if (key == "result" && i < s.size() && s[i] == '[') {
            std::vector<std::string_view> out;
            for (i = skipSpace(s, i + 1); i < s.size() && s[i] != ']';) {
                std::size_t end = skipValue(s, i);
                if (end == kNpos) return std::nullopt;
                out.push_back(s.substr(i, end - i));
                i = skipSpace(s, end);
                if (i < s.size() && s[i] == ',') i = skipSpace(s, i + 1);
            }
            return out;
        }
        i = skipValue(s, i);
        if (i == kNpos) return std::nullopt;
        i = skipSpace(s, i);
        if (i < s.size() && s[i] == ',') i = skipSpace(s, i + 1);
    }
    return std::nullopt;
}

// ---- libcurl plumbing ---------------------------------------------------------------------------

struct Sink {
    std::string* out;
    std::size_t cap;
    bool overflow = false;
};

size_t writeCapped(char* data, size_t size, size_t n, void* user) {
    auto* sink = static_cast<Sink*>(user);
    size_t bytes = size * n;
    if (sink->out->size() + bytes > sink->cap) {
        sink->overflow = true;
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    sink->out->append(data, bytes);
    return bytes;
}

// Telegram's file paths are "documents/file_7.pdf"; escape anything else rather than trust it.
std::string escapePath(std::string_view path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                     c == '.' || c == '_' || c == '~' || c == '/';
        if (plain) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

struct Transfer {
    Outcome outcome;  // the transport's verdict; Ok means an HTTP status arrived
    long status = 0;
    std::string body;
};

}  // namespace

// One call's reply after the Bot API envelope has been opened.
struct TelegramApi::Reply {
    Outcome outcome;
    BotApiError error;
    Poco::Dynamic::Var result;  // when outcome is Ok
    std::string body;           // the raw reply (getUpdates slices it)
};

namespace {

Transfer perform(net::CurlHandle& curl, const TelegramSettings& s, const std::string& url, const std::string* postJson,
                 int timeout_ms, std::size_t cap, std::string_view what) {
    Transfer t;
    if (!curl.valid()) curl = net::CurlHandle();
    CURL* h = curl.get();
    if (!h) {
        t.outcome = Outcome::temporary(std::string(what) + ": curl_easy_init failed");
        return t;
    }
    curl_easy_reset(h);  // options from the last call go; the connection cache stays
    char errbuf[CURL_ERROR_SIZE] = {};
    Sink sink{&t.body, cap};
    curl_slist* headers = nullptr;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, writeCapped);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(s.connect_timeout_ms));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(cap));
    if (!s.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, s.ca_file.c_str());
    if (postJson) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, postJson->data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(postJson->size()));
    }
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(headers);
    if (sink.overflow || rc == CURLE_FILESIZE_EXCEEDED) {
        t.outcome = Outcome::permanent(std::string(what) + ": reply larger than " + std::to_string(cap) + " bytes");
    } else if (rc != CURLE_OK) {
        t.outcome = net::classifyCurl(rc, what, errbuf);
        t.outcome.message = redactToken(t.outcome.message, s.token);
    } else {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &t.status);
    }
    return t;
}

// Opens {"ok":…} (https://core.telegram.org/bots/api#making-requests). A body that is not the
// Bot API's JSON (a proxy's HTML error page) is judged by the HTTP status alone.
void openEnvelope(std::string_view what, long status, const std::string& body, const std::string& token,
                  Outcome& outcome, BotApiError& error, Poco::Dynamic::Var& result) {
    Object::Ptr root;
    try {
        Poco::JSON::Parser parser;
        Poco::Dynamic::Var v = parser.parse(body);
        if (v.type() == typeid(Object::Ptr)) root = v.extract<Object::Ptr>();
    } catch (const std::exception&) {
    }
    std::string prefix(what);
    if (!root || !root->get("ok").isBoolean()) {
        OutcomeKind kind = status == 200 ? OutcomeKind::Temporary : botErrorKind(status);
        outcome = {kind, prefix + ": HTTP " + std::to_string(status) + " without a Bot API reply"};
        return;
    }
    if (flag(root, "ok")) {
        result = root->get("result");
        outcome = Outcome::success();
        return;
    }
    error.error_code = static_cast<int>(int64(root, "error_code"));
    if (error.error_code == 0) error.error_code = static_cast<int>(status);
    error.description = redactToken(str(root, "description"), token);
    Object::Ptr params = root->getObject("parameters");
    error.retry_after = int64(params, "retry_after");
    error.migrate_to_chat_id = int64(params, "migrate_to_chat_id");
    std::string message = prefix + ": " + std::to_string(error.error_code) + " " + error.description;
    if (error.retry_after) message += " (retry after " + std::to_string(error.retry_after) + " s)";
    if (error.migrate_to_chat_id) message += " (migrated to " + std::to_string(error.migrate_to_chat_id) + ")";
    outcome = {botErrorKind(error.error_code), std::move(message)};
}

Object::Ptr resultObject(const Poco::Dynamic::Var& v) {
    return v.type() == typeid(Object::Ptr) ? v.extract<Object::Ptr>() : nullptr;
}

}  // namespace

TelegramApi::TelegramApi(TelegramSettings settings) : settings_(std::move(settings)) {}

TelegramApi::Reply TelegramApi::post(std::string_view method, const std::string& json, int timeout_ms) {
    std::string what = "telegram " + std::string(method);
    std::string url = settings_.api_base + "/bot" + settings_.token + "/" + std::string(method);
    Reply r;
    Transfer t = perform(curl_, settings_, url, &json, timeout_ms, settings_.reply_max_bytes, what);
    if (!t.outcome.ok()) {
        r.outcome = std::move(t.outcome);
        return r;
    }
    try {
        openEnvelope(what, t.status, t.body, settings_.token, r.outcome, r.error, r.result);
    } catch (const std::exception& e) {  // Poco's Var conversions; not expected after the checks
        r.outcome = Outcome::temporary(what + ": " + e.what());
    }
    r.body = std::move(t.body);
    return r;
}

namespace {

// A Reply that failed becomes a BotResult<T> carrying its outcome and error.
template <class T>
BotResult<T> fromFailure(Outcome outcome, BotApiError error) {
    BotResult<T> out;
    out.outcome = std::move(outcome);
    out.error = std::move(error);
    return out;
}

template <class T>
BotResult<T> fromValue(T value) {
    BotResult<T> out;
    out.value = std::move(value);
    return out;
}

// ok:true but the result is not what the method returns: a changed API, or not Telegram at all.
// Permanent, so a send that may have happened is not repeated blindly.
template <class T>
BotResult<T> unexpected(std::string_view method) {
    return fromFailure<T>(Outcome::permanent("telegram " + std::string(method) + ": unexpected result"), {});
}

}  // namespace

BotResult<BotUser> TelegramApi::getMe() {
    Reply r = post("getMe", "{}", settings_.timeout_ms);
    if (!r.outcome.ok()) return fromFailure<BotUser>(std::move(r.outcome), std::move(r.error));
    Object::Ptr u = resultObject(r.result);
    if (!u || int64(u, "id") == 0) return unexpected<BotUser>("getMe");
    BotUser user;
    user.id = int64(u, "id");
    user.first_name = str(u, "first_name");
    user.username = str(u, "username");
    user.can_join_groups = flag(u, "can_join_groups");
    user.can_read_all_group_messages = flag(u, "can_read_all_group_messages");
    return fromValue(std::move(user));
}

BotResult<std::vector<RawUpdate>> TelegramApi::getUpdates(const GetUpdatesRequest& request) {
    Object::Ptr q = newObject();
    if (request.offset != 0) q->set("offset", Poco::Int64(request.offset));
    q->set("limit", request.limit);
    q->set("timeout", request.timeout_s);
    if (request.allowed_updates) q->set("allowed_updates", stringArray(*request.allowed_updates));
    int timeout = request.timeout_s * 1000 + settings_.poll_grace_ms;
    Reply r = post("getUpdates", toJson(q), timeout);
    using Updates = std::vector<RawUpdate>;
    if (!r.outcome.ok()) return fromFailure<Updates>(std::move(r.outcome), std::move(r.error));
    Array::Ptr parsed = r.result.type() == typeid(Array::Ptr) ? r.result.extract<Array::Ptr>() : nullptr;
    auto slices = resultElements(r.body);
    if (!parsed || !slices || slices->size() != parsed->size()) return unexpected<Updates>("getUpdates");
    Updates updates;
    for (std::size_t i = 0; i < slices->size(); ++i) {
        // An element without update_id keeps 0: it cannot be confirmed, and never seen from Telegram.
        updates.push_back({int64(parsed->getObject(static_cast<unsigned>(i)), "update_id"), std::string((*slices)[i])});
    }
    return fromValue(std::move(updates));
}

BotResult<std::int64_t> TelegramApi::sendMessage(const OutgoingMessage& message) {
    Object::Ptr q = newObject();
    q->set("chat_id", Poco::Int64(message.chat_id));
    if (message.message_thread_id) q->set("message_thread_id", Poco::Int64(message.message_thread_id));
    q->set("text", message.text);
    if (message.reply_to_message_id) {
        // Bot API 7.0 replaced reply_to_message_id with reply_parameters.
        Object::Ptr reply = newObject();
        reply->set("message_id", Poco::Int64(message.reply_to_message_id));
        reply->set("allow_sending_without_reply", true);
        q->set("reply_parameters", reply);
    }
    Reply r = post("sendMessage", toJson(q), settings_.timeout_ms);
    if (!r.outcome.ok()) return fromFailure<std::int64_t>(std::move(r.outcome), std::move(r.error));
    std::int64_t id = int64(resultObject(r.result), "message_id");
    if (id == 0) return unexpected<std::int64_t>("sendMessage");
    return fromValue(id);
}

BotResult<BotFile> TelegramApi::getFile(std::string_view file_id) {
    Object::Ptr q = newObject();
    q->set("file_id", std::string(file_id));
    Reply r = post("getFile", toJson(q), settings_.timeout_ms);
    if (!r.outcome.ok()) return fromFailure<BotFile>(std::move(r.outcome), std::move(r.error));
    Object::Ptr f = resultObject(r.result);
    if (!f) return unexpected<BotFile>("getFile");
    BotFile file;
    file.file_id = str(f, "file_id");
    file.file_unique_id = str(f, "file_unique_id");
    file.file_path = str(f, "file_path");
    file.file_size = int64(f, "file_size");
    return fromValue(std::move(file));
}

BotResult<std::string> TelegramApi::downloadFile(std::string_view file_path, std::size_t max_bytes) {
    const std::string what = "telegram file download";
    std::string url = settings_.api_base + "/file/bot" + settings_.token + "/" + escapePath(file_path);
    Transfer t = perform(curl_, settings_, url, nullptr, settings_.download_timeout_ms, max_bytes, what);
    if (!t.outcome.ok()) return fromFailure<std::string>(std::move(t.outcome), {});
    if (t.status == 200) return fromValue(std::move(t.body));
    // Errors come as the usual {"ok":false,…} (404 once the link has expired).
    Outcome outcome;
    BotApiError error;
    Poco::Dynamic::Var ignored;
    try {
        openEnvelope(what, t.status, t.body, settings_.token, outcome, error, ignored);
    } catch (const std::exception&) {
    }
    if (outcome.ok()) outcome = {botErrorKind(t.status), what + ": HTTP " + std::to_string(t.status)};
    // The file path is Telegram's, so a 404 here is the link, not the token (getFile worked).
    if (t.status == 404) outcome.kind = OutcomeKind::Permanent;
    return fromFailure<std::string>(std::move(outcome), std::move(error));
}

BotResult<WebhookInfo> TelegramApi::getWebhookInfo() {
    Reply r = post("getWebhookInfo", "{}", settings_.timeout_ms);
    if (!r.outcome.ok()) return fromFailure<WebhookInfo>(std::move(r.outcome), std::move(r.error));
    Object::Ptr w = resultObject(r.result);
    if (!w) return unexpected<WebhookInfo>("getWebhookInfo");
    WebhookInfo info;
    info.url = str(w, "url");
    info.pending_update_count = int64(w, "pending_update_count");
    info.last_error_date = int64(w, "last_error_date");
    info.last_error_message = redactToken(str(w, "last_error_message"), settings_.token);
    return fromValue(std::move(info));
}

BotResult<bool> TelegramApi::setWebhook(const WebhookRegistration& registration) {
    Object::Ptr q = newObject();
    q->set("url", registration.url);
    if (!registration.secret_token.empty()) q->set("secret_token", registration.secret_token);
    q->set("max_connections", registration.max_connections);
    q->set("allowed_updates", stringArray(registration.allowed_updates));
    q->set("drop_pending_updates", registration.drop_pending_updates);
    Reply r = post("setWebhook", toJson(q), settings_.timeout_ms);
    if (!r.outcome.ok()) return fromFailure<bool>(std::move(r.outcome), std::move(r.error));
    return fromValue(true);
}

BotResult<bool> TelegramApi::deleteWebhook(bool drop_pending_updates) {
    Object::Ptr q = newObject();
    q->set("drop_pending_updates", drop_pending_updates);
    Reply r = post("deleteWebhook", toJson(q), settings_.timeout_ms);
    if (!r.outcome.ok()) return fromFailure<bool>(std::move(r.outcome), std::move(r.error));
    return fromValue(true);
}

}  // namespace postdesk::bridge
