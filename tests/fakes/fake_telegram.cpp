#include "tests/fakes/fake_telegram.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <ctime>
#include <sstream>
#include <stdexcept>

#include "gateway/bridge/telegram_update.h"
#include "mime/ascii.h"

namespace postdesk::test {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string condensed(const Poco::Dynamic::Var& v) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(v, out);
    return out.str();
}

std::string quoted(std::string_view s) { return condensed(Poco::Dynamic::Var(std::string(s))); }

Poco::Dynamic::Var parseJson(std::string_view text) {
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // keep the sender's key order
        return parser.parse(std::string(text));
    } catch (const std::exception&) {
        return {};
    }
}

Object::Ptr parseObject(std::string_view text) {
    Poco::Dynamic::Var v = parseJson(text);
    return v.type() == typeid(Object::Ptr) ? v.extract<Object::Ptr>() : nullptr;
}

std::optional<std::int64_t> toInt(std::string_view s) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

template <class Map>
std::optional<std::int64_t> intParam(const Map& params, const std::string& key) {
    auto it = params.find(key);
    return it == params.end() ? std::nullopt : toInt(it->second);
}

template <class Map>
std::string strParam(const Map& params, const std::string& key) {
    auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
}

bool truthy(const std::string& v) { return v == "true" || v == "1" || v == "True"; }

std::string okJson(const std::string& resultJson) { return "{\"ok\":true,\"result\":" + resultJson + "}"; }

std::string errorJson(int code, std::string_view description, std::string_view parameters = {}) {
    std::string body = "{\"ok\":false,\"error_code\":" + std::to_string(code) + ",\"description\":" + quoted(description);
    if (!parameters.empty()) body += ",\"parameters\":" + std::string(parameters);
    return body + "}";
}

// The update's kind: its one member other than update_id.
std::string updateKind(const Object::Ptr& u) {
    for (const auto& [key, value] : *u)
        if (key != "update_id") return key;
    return {};
}

// A rough check of Telegram's HTML parse mode: every '<' must open or close a tag.
bool htmlEntitiesParse(std::string_view text) {
    for (std::size_t i = text.find('<'); i != std::string_view::npos; i = text.find('<', i + 1)) {
        std::size_t j = i + 1;
        if (j < text.size() && text[j] == '/') ++j;
        if (j >= text.size() || !std::isalpha(static_cast<unsigned char>(text[j]))) return false;
        if (text.find('>', j) == std::string_view::npos) return false;
    }
    return true;
}

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(FakeTelegram& fake) : fake_(fake) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        fake_.handle(request, response);
    }

private:
    FakeTelegram& fake_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(FakeTelegram& fake) : fake_(fake) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(fake_);
    }

private:
    FakeTelegram& fake_;
};

}  // namespace

FakeTelegram::FakeTelegram(std::string token) : token_(std::move(token)) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(16);
    params->setMaxQueued(64);
    params->setKeepAlive(true);
    pool_ = std::make_unique<Poco::ThreadPool>(2, 16);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), *pool_, socket, params);
    server_->start();
}

FakeTelegram::~FakeTelegram() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    updated_.notify_all();
    server_->stopAll(true);  // shuts idle keep-alive connections too
    pool_->joinAll();
}

std::string FakeTelegram::baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

// ---- test controls ------------------------------------------------------------------------------

std::int64_t FakeTelegram::pushUpdate(std::string_view updateJson) {
    Object::Ptr u = parseObject(updateJson);
    if (!u) throw std::invalid_argument("pushUpdate: not a JSON object");
    std::lock_guard lock(mutex_);
    std::string json(updateJson);
    std::int64_t id = 0;
    if (u->has("update_id")) {
        id = u->getValue<Poco::Int64>("update_id");
    } else {
        id = next_update_id_;
        std::size_t brace = json.find('{');
        json.insert(brace + 1, "\"update_id\":" + std::to_string(id) + (u->size() ? "," : ""));
    }
    next_update_id_ = id + 1;
    learnChat(json);
    std::string kind = updateKind(u);
    bool allowed = allowed_updates_.empty()
                       ? kind != "chat_member" && kind != "message_reaction" && kind != "message_reaction_count"
                       : allowed_updates_.count(kind) > 0;
    if (allowed) updates_.push_back({id, std::move(json)});
    updated_.notify_all();
    return id;
}

void FakeTelegram::setNextUpdateId(std::int64_t id) {
    std::lock_guard lock(mutex_);
    next_update_id_ = id;
}

std::size_t FakeTelegram::pendingUpdates() const {
    std::lock_guard lock(mutex_);
    return updates_.size();
}

void FakeTelegram::addFile(std::string fileId, std::string filePath, std::string bytes, std::int64_t reportedSize) {
    std::lock_guard lock(mutex_);
    std::int64_t size = reportedSize >= 0 ? reportedSize : static_cast<std::int64_t>(bytes.size());
    file_paths_[filePath] = fileId;
    files_[std::move(fileId)] = {std::move(filePath), std::move(bytes), size};
}

void FakeTelegram::injectFault(std::string method, Fault fault) {
    std::lock_guard lock(mutex_);
    faults_[mime::asciiLower(method)].push_back(fault);
}

void FakeTelegram::migrateChat(std::int64_t oldChatId, std::int64_t newChatId) {
    std::lock_guard lock(mutex_);
    migrated_[oldChatId] = newChatId;
}

void FakeTelegram::forgetChat(std::int64_t chatId) {
    std::lock_guard lock(mutex_);
    forgotten_.insert(chatId);
}

void FakeTelegram::setCanReadAllGroupMessages(bool value) {
    std::lock_guard lock(mutex_);
    can_read_all_ = value;
}

std::vector<FakeTelegram::Call> FakeTelegram::calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
}

std::vector<FakeTelegram::Call> FakeTelegram::calls(std::string_view method) const {
    std::lock_guard lock(mutex_);
    std::vector<Call> out;
    for (const auto& c : calls_)
        if (c.method == method) out.push_back(c);
    return out;
}

std::string FakeTelegram::webhookUrl() const {
    std::lock_guard lock(mutex_);
    return webhook_url_;
}

std::string FakeTelegram::webhookSecret() const {
    std::lock_guard lock(mutex_);
    return webhook_secret_;
}

// Remembers the chat object and the message id an update mentions, for sendMessage's replies.
void FakeTelegram::learnChat(std::string_view updateJson) {
    Object::Ptr u = parseObject(updateJson);
    if (!u) return;
    for (const char* key : {"message", "edited_message", "channel_post", "edited_channel_post", "my_chat_member"}) {
        Object::Ptr m = u->getObject(key);
        Object::Ptr chat = m ? m->getObject("chat") : nullptr;
        if (!chat || !chat->get("id").isInteger()) continue;
        Chat& c = chats_[chat->getValue<Poco::Int64>("id")];
        c.json = condensed(chat);
        if (m->get("message_id").isInteger()) c.messages.insert(m->getValue<Poco::Int64>("message_id"));
    }
}

// ---- HTTP ---------------------------------------------------------------------------------------

void FakeTelegram::handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    Poco::URI uri(request.getURI());
    Params params;
    for (const auto& [k, v] : uri.getQueryParameters()) params[k] = v;
    const std::string type = request.getContentType();
    if (type.rfind("application/json", 0) == 0) {
        if (Object::Ptr o = parseObject(body))
            for (const auto& [k, v] : *o) params[k] = v.isString() ? v.extract<std::string>() : condensed(v);
    } else if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
        Poco::Net::HTMLForm form;
        form.read(body);
        for (const auto& [k, v] : form) params[k] = v;
    } else if (type.rfind("multipart/form-data", 0) == 0) {
        std::istringstream in(body);
        Poco::Net::HTMLForm form(request, in);  // uploaded files are discarded
        for (const auto& [k, v] : form) params[k] = v;
    }

    // /bot<token>/<method> or /file/bot<token>/<path>
    const std::string path = uri.getPath();
    bool isFile = path.rfind("/file/bot", 0) == 0;
    std::size_t tokenAt = isFile ? 9 : path.rfind("/bot", 0) == 0 ? 4 : std::string::npos;
    Reply reply{404, errorJson(404, "Not Found")};
    std::string method = isFile ? "file" : "";
    std::unique_lock lock(mutex_);
    if (tokenAt != std::string::npos) {
        std::size_t slash = path.find('/', tokenAt);
        std::string token = path.substr(tokenAt, slash == std::string::npos ? std::string::npos : slash - tokenAt);
        std::string rest = slash == std::string::npos ? std::string() : path.substr(slash + 1);
        if (token != token_) {
            reply = {401, errorJson(401, "Unauthorized")};
        } else if (isFile) {
            params["file_path"] = rest;
            auto it = file_paths_.find(rest);
            if (it != file_paths_.end()) reply = {200, files_[it->second].bytes, "application/octet-stream"};
        } else {
            method = rest;
            if (auto fault = takeFault(mime::asciiLower(method))) reply = *fault;
            else reply = dispatch(mime::asciiLower(method), params, lock);
        }
    }
    calls_.push_back({method, request.getMethod(), params, reply.status});
    lock.unlock();

    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType(reply.content_type);
    response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    response.send() << reply.body;
}

std::optional<FakeTelegram::Reply> FakeTelegram::takeFault(const std::string& method) {
    auto it = faults_.find(method);
    if (it == faults_.end() || it->second.empty()) return std::nullopt;
    Fault f = it->second.front();
    if (--it->second.front().times <= 0) it->second.erase(it->second.begin());
    switch (f.kind) {
        case FaultKind::TooManyRequests:
            return Reply{429,
                         errorJson(429, "Too Many Requests: retry after " + std::to_string(f.retry_after),
                                   "{\"retry_after\":" + std::to_string(f.retry_after) + "}")};
        case FaultKind::Blocked:
            return Reply{403, errorJson(403, "Forbidden: bot was blocked by the user")};
        case FaultKind::Migrated:
            return Reply{400, errorJson(400, "Bad Request: group chat was upgraded to a supergroup chat",
                                        "{\"migrate_to_chat_id\":" + std::to_string(f.migrate_to_chat_id) + "}")};
        case FaultKind::BadGateway:
            return Reply{502, errorJson(502, "Bad Gateway")};
    }
    return std::nullopt;
}

FakeTelegram::Reply FakeTelegram::dispatch(const std::string& method, const Params& params,
                                           std::unique_lock<std::mutex>& lock) {
    if (method == "getme") return getMe();
    if (method == "getupdates") return getUpdates(params, lock);
    if (method == "sendmessage") return sendMessage(params);
    if (method == "getfile") return getFile(params);
    if (method == "setwebhook") return setWebhook(params);
    if (method == "deletewebhook") return deleteWebhook(params);
    if (method == "getwebhookinfo") return getWebhookInfo();
    return {404, errorJson(404, "Not Found")};
}

// ---- methods ------------------------------------------------------------------------------------

FakeTelegram::Reply FakeTelegram::getMe() const {
    return {200, okJson("{\"id\":" + std::to_string(kBotId) +
                        ",\"is_bot\":true,\"first_name\":\"Bridge\",\"username\":\"bridge_test_bot\","
                        "\"can_join_groups\":true,\"can_read_all_group_messages\":" +
                        (can_read_all_ ? "true" : "false") + ",\"supports_inline_queries\":false}")};
}

void FakeTelegram::forgetBelow(std::int64_t offset) {
    std::erase_if(updates_, [&](const Update& u) { return u.id < offset; });
}

FakeTelegram::Reply FakeTelegram::getUpdates(const Params& params, std::unique_lock<std::mutex>& lock) {
    if (!webhook_url_.empty())
        return {409, errorJson(409, "Conflict: can't use getUpdates method while webhook is active; use "
                                    "deleteWebhook to delete the webhook first")};
    std::int64_t offset = intParam(params, "offset").value_or(0);
    std::int64_t limit = std::clamp<std::int64_t>(intParam(params, "limit").value_or(100), 1, 100);
    std::int64_t timeout = std::max<std::int64_t>(intParam(params, "timeout").value_or(0), 0);
    if (params.count("allowed_updates")) {
        Poco::Dynamic::Var v = parseJson(strParam(params, "allowed_updates"));
        if (v.type() == typeid(Array::Ptr)) {
            allowed_updates_.clear();
            for (const auto& kind : *v.extract<Array::Ptr>()) allowed_updates_.insert(kind.toString());
        }
    }
    if (offset > 0) forgetBelow(offset);
    if (offset < 0 && static_cast<std::size_t>(-offset) < updates_.size())
        updates_.erase(updates_.begin(), updates_.end() - static_cast<std::ptrdiff_t>(-offset));

    // A newer getUpdates ends an older waiting one with 409, as Telegram does.
    std::uint64_t generation = ++poll_generation_;
    updated_.notify_all();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
    updated_.wait_until(lock, deadline,
                        [&] { return !updates_.empty() || stopping_ || generation != poll_generation_; });
    if (generation != poll_generation_)
        return {409, errorJson(409, "Conflict: terminated by other getUpdates request; make sure that only one "
                                    "bot instance is running")};
    std::string result = "[";
    for (std::size_t i = 0; i < updates_.size() && static_cast<std::int64_t>(i) < limit; ++i)
        result += (i ? "," : "") + updates_[i].json;
    return {200, okJson(result + "]")};
}

FakeTelegram::Reply FakeTelegram::sendMessage(const Params& params) {
    std::string chatParam = strParam(params, "chat_id");
    if (chatParam.empty()) return {400, errorJson(400, "Bad Request: chat_id is empty")};
    auto chatId = toInt(chatParam);
    if (!chatId || *chatId == 0 || forgotten_.count(*chatId)) return {400, errorJson(400, "Bad Request: chat not found")};
    if (auto m = migrated_.find(*chatId); m != migrated_.end())
        return {400, errorJson(400, "Bad Request: group chat was upgraded to a supergroup chat",
                               "{\"migrate_to_chat_id\":" + std::to_string(m->second) + "}")};
    std::string text = strParam(params, "text");
    if (text.empty()) return {400, errorJson(400, "Bad Request: message text is empty")};
    if (bridge::utf16Length(text) > 4096) return {400, errorJson(400, "Bad Request: message is too long")};
    std::string parseMode = strParam(params, "parse_mode");
    if (!parseMode.empty() && parseMode != "HTML" && parseMode != "MarkdownV2" && parseMode != "Markdown")
        return {400, errorJson(400, "Bad Request: unsupported parse_mode")};
    if (parseMode == "HTML" && !htmlEntitiesParse(text))
        return {400, errorJson(400, "Bad Request: can't parse entities: Unsupported start tag")};

    // reply_parameters (Bot API 7.0), or the legacy reply_to_message_id.
    std::int64_t replyTo = intParam(params, "reply_to_message_id").value_or(0);
    bool withoutReply = truthy(strParam(params, "allow_sending_without_reply"));
    if (Object::Ptr rp = parseObject(strParam(params, "reply_parameters"))) {
        replyTo = rp->get("message_id").isInteger() ? rp->getValue<Poco::Int64>("message_id") : 0;
        withoutReply = rp->get("allow_sending_without_reply").isBoolean() && rp->getValue<bool>("allow_sending_without_reply");
    }
    Chat& chat = chats_[*chatId];
    bool replyKnown = replyTo != 0 && chat.messages.count(replyTo);
    if (replyTo != 0 && !replyKnown && !withoutReply)
        return {400, errorJson(400, "Bad Request: message to be replied not found")};

    if (chat.json.empty()) {
        std::string id = std::to_string(*chatId);
        chat.json = *chatId > 0 ? "{\"id\":" + id + ",\"first_name\":\"User\",\"type\":\"private\"}"
                    : *chatId <= -1000000000000 ? "{\"id\":" + id + ",\"title\":\"Group\",\"type\":\"supergroup\"}"
                                                 : "{\"id\":" + id + ",\"title\":\"Group\",\"type\":\"group\"}";
    }
    std::int64_t messageId = next_message_id_++;
    chat.messages.insert(messageId);
    std::string message = "{\"message_id\":" + std::to_string(messageId) + ",\"from\":{\"id\":" +
                          std::to_string(kBotId) +
                          ",\"is_bot\":true,\"first_name\":\"Bridge\",\"username\":\"bridge_test_bot\"},\"chat\":" +
                          chat.json + ",\"date\":" + std::to_string(std::time(nullptr));
    if (auto thread = intParam(params, "message_thread_id"); thread && *thread)
        message += ",\"message_thread_id\":" + std::to_string(*thread) + ",\"is_topic_message\":true";
    if (replyKnown)
        message += ",\"reply_to_message\":{\"message_id\":" + std::to_string(replyTo) + ",\"chat\":" + chat.json + "}";
    message += ",\"text\":" + quoted(text) + "}";
    return {200, okJson(message)};
}

FakeTelegram::Reply FakeTelegram::getFile(const Params& params) {
    auto it = files_.find(strParam(params, "file_id"));
    if (it == files_.end()) return {400, errorJson(400, "Bad Request: invalid file_id")};
    const File& f = it->second;
    if (f.size > kMaxDownloadBytes) return {400, errorJson(400, "Bad Request: file is too big")};
    return {200, okJson("{\"file_id\":" + quoted(it->first) + ",\"file_unique_id\":" + quoted("U" + it->first) +
                        ",\"file_size\":" + std::to_string(f.size) + ",\"file_path\":" + quoted(f.path) + "}")};
}

FakeTelegram::Reply FakeTelegram::setWebhook(const Params& params) {
    std::string url = strParam(params, "url");
    std::string secret = strParam(params, "secret_token");
    for (char c : secret)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
            return {400, errorJson(400, "Bad Request: secret token contains unallowed characters")};
    if (truthy(strParam(params, "drop_pending_updates"))) updates_.clear();
    webhook_url_ = url;
    webhook_secret_ = secret;
    webhook_max_connections_ = intParam(params, "max_connections").value_or(40);
    return {200, std::string("{\"ok\":true,\"result\":true,\"description\":\"Webhook was ") +
                     (url.empty() ? "deleted" : "set") + "\"}"};
}

FakeTelegram::Reply FakeTelegram::deleteWebhook(const Params& params) {
    bool had = !webhook_url_.empty();
    if (truthy(strParam(params, "drop_pending_updates"))) updates_.clear();
    webhook_url_.clear();
    webhook_secret_.clear();
    return {200, std::string("{\"ok\":true,\"result\":true,\"description\":\"Webhook ") +
                     (had ? "was deleted" : "is already deleted") + "\"}"};
}

FakeTelegram::Reply FakeTelegram::getWebhookInfo() const {
    std::string info = "{\"url\":" + quoted(webhook_url_) +
                       ",\"has_custom_certificate\":false,\"pending_update_count\":" + std::to_string(updates_.size());
    if (!webhook_url_.empty()) info += ",\"max_connections\":" + std::to_string(webhook_max_connections_);
    return {200, okJson(info + "}")};
}

}  // namespace postdesk::test
