// postdesk::config — the INI configuration (etc/postdesk.ini documents every key with its
// default), read through Poco::Util::IniFileConfiguration into plain settings structs.
//
// Guarantees: load() either returns complete, validated settings or throws ConfigError naming
// the file, the key and what is wrong (the CLI prints it and exits 78, EX_CONFIG). Relative paths
// are resolved against the config file's directory. Secrets may come from *_file keys so the INI
// itself can live in git.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mime/limits.h"
#include "rules/thread.h"

namespace postdesk::config {

class ConfigError : public std::runtime_error {
public:
    ConfigError(const std::string& file, const std::string& key, const std::string& what)
        : std::runtime_error(file + ": " + (key.empty() ? "" : "[" + key + "] ") + what) {}
};

enum class After { Move, Flag, Keep };
enum class Tls { Implicit, StartTls, None };

struct MailboxSettings {
    std::string name;              // [mailbox.NAME]
    std::string url;               // imap://host:port/FOLDER or imaps://...
    std::string folder = "INBOX";  // from the URL path
    std::string user, password;
    std::string address;           // the support address this mailbox serves
    std::string queue;             // default: NAME
    After after = After::Move;
    std::string processed_folder = "Processed";
    int poll_interval = 60;        // seconds
    Tls tls = Tls::StartTls;       // imaps:// -> Implicit; imap:// -> StartTls unless tls = none
    std::string ca_file;           // extra CA bundle (certificates are always verified)
    int batch_size = 50;           // mails per UID FETCH
    int connect_timeout = 10;      // seconds
    int command_timeout = 60;      // seconds
    std::string sent_folder = "Sent";  // where copies of what postdesk sends for this mailbox go
};

struct SmtpConfig {
    std::string url;               // smtp://host:port (STARTTLS unless tls = none) or smtps://host:port
    std::string user, password;    // AUTH when user is set
    Tls tls = Tls::StartTls;
    std::string ca_file;
    std::string helo = "postdesk.localdomain";
    int connect_timeout = 10;
    int timeout = 60;
};

struct SendConfig {
    std::int64_t retry_floor = 60;        // seconds; backoff doubles per attempt from here...
    std::int64_t retry_ceiling = 3600;    // ...up to here
    std::int64_t max_lifetime = 5 * 86400;// then the mail fails (Postfix maximal_queue_lifetime)
};

struct AgentConfig {
    std::string id;                   // [agent.ID]
    std::string name;                 // "Anna Schmidt": signs replies, shown as "Anna Schmidt, Support"
    std::string address;              // the agent's own mail address (replies come from here)
    std::vector<std::string> queues;  // queues whose notifications this agent gets
    std::vector<std::string> lead;    // queues whose acknowledgments this agent signs
};

struct RepliesConfig {
    std::string dir = "replies";      // templates (relative to the config file's directory)
    int ack_per_hour = 5;             // acknowledgments to one sender, at most
    int ack_per_day = 40;
    int agent_token_days = 30;        // how long a notification's reply address stays valid
    std::string display_suffix = "Support";  // "<agent name>, Support" <support@...>
};

// [telegram.chat.ID]: one chat's own settings; unset fields follow [telegram].
struct ChatOverride {
    std::optional<std::string> mode;  // every | command | keywords
    std::optional<std::string> keywords;
    std::optional<int> unanswered_minutes;
    std::optional<int> idle_minutes;
    std::optional<std::string> queue;
};

// [telegram]: the Telegram bridge (docs/CHAT_BRIDGE.md). Off while `token` is empty.
struct TelegramConfig {
    std::string token;                           // or token_file; never logged
    std::string api_base = "https://api.telegram.org";
    std::string ca_file;
    std::string mode = "poll";                   // poll (getUpdates) | webhook (POST /telegram)
    std::string queue;                           // default: the first mailbox's queue
    std::map<std::int64_t, std::string> agents;  // Telegram user id -> [agent.ID]
    int unanswered_minutes = 15;                 // 0: no unanswered alerts
    int idle_minutes = 240;                      // a longer silence starts a new conversation
    int digest_minutes = 10;                     // later chat messages go to the ticket at most this often
    int poll_timeout = 10;                       // getUpdates long poll in `serve` (seconds; also the longest stop delay)
    std::string bridge_domain;                   // chat+tg-ID@domain; default: the queue mailbox's domain
    std::string webhook_secret;                  // X-Telegram-Bot-Api-Secret-Token (webhook mode)
    std::map<std::int64_t, ChatOverride> chats;
    bool enabled() const { return !token.empty(); }
};

// [webhook]: the generic signed chat webhook (docs/CHAT_WEBHOOK.md). Off while `secret` is empty.
struct ChatWebhookConfig {
    std::string secret;   // or secret_file: the HMAC-SHA256 key
    std::string queue;    // default: [telegram] queue
    int max_skew = 300;   // seconds a timestamp may be off
    std::string reply_url;  // where agents' replies to such chats are POSTed (signed alike); "" = none
};

struct Settings {
    std::string config_file;
    std::string store_path = "var/postdesk.db";
    std::string token_key;         // resolved: configured, from file, or generated beside the db
    std::string token_key_file;
    std::vector<MailboxSettings> mailboxes;
    SmtpConfig smtp;
    SendConfig send;
    std::vector<AgentConfig> agents;
    RepliesConfig replies;
    std::string rules_dir = "rules";  // *.sieve, evaluated in file-name order on every new mail
    int reload_interval = 2;
    TelegramConfig telegram;
    ChatWebhookConfig chat_webhook;
    std::string http_listen;          // [http] listen = 127.0.0.1:PORT for the webhooks; "" = none          // seconds between checks of rules/ and replies/ for changes; 0 = never
    mime::Limits limits;
    rules::ThreadPolicy thread;
    int ingest_max_attempts = 5;
    std::string log_level = "information";
    std::string log_file;          // empty: console
    bool log_syslog = false;
};

// Reads and validates `path`. The token key is not generated here (see resolveTokenKey).
Settings load(const std::string& path);

// The config path from --config, else $POSTDESK_CONFIG, else etc/postdesk.ini.
std::string configPath(const std::string& fromArgs);

// Fills settings.token_key: [security] token_key, else token_key_file, else DATA/token.key,
// generated (32 random bytes, hex, mode 0600) on first use.
void resolveTokenKey(Settings& settings);

}  // namespace postdesk::config
