// Test support — a fake Telegram Bot API server, in-process, on 127.0.0.1 and an ephemeral port.
//
// Speaks the real API's JSON (shared/research/chat-bridge.md §1, §4.10): every reply is
// {"ok":true,"result":…} or {"ok":false,"error_code":N,"description":…[,"parameters":{…}]} with
// the HTTP status equal to error_code. Parameters are read from the query string, form bodies
// (application/x-www-form-urlencoded or multipart/form-data) and JSON bodies; an object-valued
// parameter (reply_parameters, allowed_updates) may arrive as JSON text in a form field.
//
//   /bot<T>/getMe                 the bot (id 7000000001, @bridge_test_bot)
//   /bot<T>/getUpdates            offset confirms (ids < offset are forgotten; negative keeps the
//                                 last -offset), limit 1..100, timeout holds the call until an
//                                 update is pushed; a newer getUpdates terminates a waiting one
//                                 with 409 (as Telegram does), and a set webhook gives 409
//   /bot<T>/setWebhook, deleteWebhook, getWebhookInfo (pending_update_count)
//   /bot<T>/sendMessage           chat_id, text 1..4096 UTF-16 units, reply_parameters; returns
//                                 a full Message with a fresh message_id and records the call
//   /bot<T>/getFile               files added with addFile; > 20 MB: 400 "file is too big"
//   /file/bot<T>/<path>           the bytes
//   wrong token: 401 Unauthorized; unknown method or path: 404 Not Found
//
// Test controls are C++ calls (thread-safe). The destructor stops the server promptly, waking
// any long poll. Nothing here talks to the internet.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Net
}  // namespace Poco

namespace postdesk::test {

class FakeTelegram {
public:
    static constexpr std::int64_t kBotId = 7000000001;
    static constexpr std::int64_t kMaxDownloadBytes = 20 * 1024 * 1024;

    explicit FakeTelegram(std::string token = "7000000001:AAFakeTokenForTests_0123456789abcdef");
    ~FakeTelegram();
    FakeTelegram(const FakeTelegram&) = delete;
    FakeTelegram& operator=(const FakeTelegram&) = delete;

    std::string baseUrl() const;  // "http://127.0.0.1:PORT", the client's api_base
    const std::string& token() const { return token_; }

    // ---- updates ----
    // Queues an Update (a JSON object). Without "update_id" it gets the next sequential id,
    // inserted as the first member; with one, later ids continue after it. Returns the id.
    // Updates of a kind excluded by the last allowed_updates are dropped, as Telegram does.
    std::int64_t pushUpdate(std::string_view updateJson);
    void setNextUpdateId(std::int64_t id);  // e.g. the random jump after an idle week
    std::size_t pendingUpdates() const;

    // ---- files ----
    // `reportedSize` (when >= 0) is the file_size getFile reports instead of bytes.size(), so a
    // test can have a 25 MB file without allocating it.
    void addFile(std::string fileId, std::string filePath, std::string bytes, std::int64_t reportedSize = -1);

    // ---- faults: the next `times` calls of `method` ("sendMessage", "getUpdates", …) fail ----
    enum class FaultKind {
        TooManyRequests,  // 429 "Too Many Requests: retry after N", parameters.retry_after
        Blocked,          // 403 "Forbidden: bot was blocked by the user"
        Migrated,         // 400 "Bad Request: group chat was upgraded to a supergroup chat"
        BadGateway,       // 502 "Bad Gateway"
    };
    struct Fault {
        FaultKind kind = FaultKind::TooManyRequests;
        int times = 1;
        std::int64_t retry_after = 35;
        std::int64_t migrate_to_chat_id = -1001328066276;
    };
    void injectFault(std::string method, Fault fault);
    // Every later sendMessage to `oldChatId` fails with 400 + migrate_to_chat_id (the group is gone).
    void migrateChat(std::int64_t oldChatId, std::int64_t newChatId);
    // sendMessage to this chat answers 400 "Bad Request: chat not found".
    void forgetChat(std::int64_t chatId);
    void setCanReadAllGroupMessages(bool value);

    // ---- what the client did ----
    struct Call {
        std::string method;   // "sendMessage"; "file" for downloads
        std::string http_method;
        std::map<std::string, std::string> params;  // strings as such, other JSON values as JSON text
        int status = 0;       // what the fake answered
    };
    std::vector<Call> calls() const;
    std::vector<Call> calls(std::string_view method) const;
    std::string webhookUrl() const;
    std::string webhookSecret() const;

    // Internal: the request handler's entry point.
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

private:
    struct Reply {
        int status = 200;
        std::string body;
        std::string content_type = "application/json";
    };
    using Params = std::map<std::string, std::string>;

    Reply dispatch(const std::string& method, const Params& params, std::unique_lock<std::mutex>& lock);
    Reply getUpdates(const Params& params, std::unique_lock<std::mutex>& lock);
    Reply sendMessage(const Params& params);
    Reply getFile(const Params& params);
    Reply setWebhook(const Params& params);
    Reply deleteWebhook(const Params& params);
    Reply getWebhookInfo() const;
    Reply getMe() const;
    std::optional<Reply> takeFault(const std::string& method);
    void forgetBelow(std::int64_t offset);
    void learnChat(std::string_view updateJson);

    struct Update {
        std::int64_t id = 0;
        std::string json;
    };
    struct File {
        std::string path, bytes;
        std::int64_t size = 0;
    };
    struct Chat {
        std::string json;  // the Chat object as last seen in an update
        std::set<std::int64_t> messages;  // message ids known in the chat
    };

    std::string token_;
    mutable std::mutex mutex_;
    std::condition_variable updated_;  // an update was pushed, a poll was superseded, or stop
    bool stopping_ = false;
    std::vector<Update> updates_;
    std::int64_t next_update_id_ = 10000;
    std::uint64_t poll_generation_ = 0;  // bumped by each getUpdates: an older waiter ends with 409
    std::set<std::string> allowed_updates_;  // empty: all but chat_member and reactions
    std::map<std::string, File> files_;             // by file_id
    std::map<std::string, std::string> file_paths_;  // path -> file_id
    std::map<std::string, std::vector<Fault>> faults_;
    std::map<std::int64_t, std::int64_t> migrated_;
    std::set<std::int64_t> forgotten_;
    std::map<std::int64_t, Chat> chats_;
    std::int64_t next_message_id_ = 100000;
    bool can_read_all_ = true;
    std::string webhook_url_, webhook_secret_;
    std::int64_t webhook_max_connections_ = 40;
    std::vector<Call> calls_;

    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::uint16_t port_ = 0;
};

}  // namespace postdesk::test
