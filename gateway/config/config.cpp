#include "gateway/config/config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/URI.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace postdesk::config {
namespace {

using Ini = Poco::AutoPtr<Poco::Util::IniFileConfiguration>;
namespace fs = std::filesystem;

class Reader {
public:
    Reader(const std::string& file, Ini ini) : file_(file), ini_(std::move(ini)) {}

    std::string str(const std::string& key, const std::string& def) const { return ini_->getString(key, def); }

    int integer(const std::string& key, int def, int min, int max) const {
        if (!ini_->hasProperty(key)) return def;
        std::string v = ini_->getString(key);
        try {
            std::size_t used = 0;
            long n = std::stol(v, &used);
            if (used == v.size() && n >= min && n <= max) return static_cast<int>(n);
        } catch (const std::exception&) {
        }
        throw ConfigError(file_, key, "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", got '" + v + "'");
    }

    std::string required(const std::string& key) const {
        std::string v = ini_->getString(key, "");
        if (v.empty()) throw ConfigError(file_, key, "is required");
        return v;
    }

    // A path relative to the config file's directory.
    std::string path(const std::string& key, const std::string& def) const {
        std::string v = str(key, def);
        if (v.empty() || fs::path(v).is_absolute()) return v;
        return (fs::path(file_).parent_path() / v).lexically_normal().string();
    }

    std::string secret(const std::string& key, const std::string& fileKey) const {
        std::string v = str(key, "");
        if (!v.empty()) return v;
        std::string f = path(fileKey, "");
        if (f.empty()) return {};
        std::ifstream in(f);
        if (!in) throw ConfigError(file_, fileKey, "cannot read " + f);
        std::string line;
        std::getline(in, line);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        return line;
    }

    // Names under a section prefix: [mailbox.a] and [mailbox.b] -> {"a", "b"}.
    std::vector<std::string> subsections(const std::string& prefix) const {
        Poco::Util::AbstractConfiguration::Keys keys;
        ini_->keys(prefix, keys);
        return keys;
    }

    const std::string& file() const { return file_; }

private:
    std::string file_;
    Ini ini_;
};

After parseAfter(const Reader& r, const std::string& key) {
    std::string v = r.str(key, "move");
    if (v == "move") return After::Move;
    if (v == "flag") return After::Flag;
    if (v == "keep") return After::Keep;
    throw ConfigError(r.file(), key, "must be move, flag or keep, not '" + v + "'");
}

MailboxSettings readMailbox(const Reader& r, const std::string& name) {
    const std::string s = "mailbox." + name + ".";
    MailboxSettings m;
    m.name = name;
    m.url = r.required(s + "url");
    Poco::URI uri;
    try {
        uri = Poco::URI(m.url);
    } catch (const Poco::Exception& e) {
        throw ConfigError(r.file(), s + "url", "is not a URL: " + e.message());
    }
    if (uri.getScheme() != "imap" && uri.getScheme() != "imaps")
        throw ConfigError(r.file(), s + "url", "must start with imap:// or imaps://");
    if (uri.getHost().empty()) throw ConfigError(r.file(), s + "url", "has no host");
    std::string folder = uri.getPath();
    while (!folder.empty() && folder.front() == '/') folder.erase(0, 1);
    if (!folder.empty()) m.folder = folder;
    m.user = r.required(s + "user");
    m.password = r.secret(s + "password", s + "password_file");
    if (m.password.empty()) throw ConfigError(r.file(), s + "password", "or password_file is required");
    m.address = r.required(s + "address");
    if (m.address.find('@') == std::string::npos) throw ConfigError(r.file(), s + "address", "is not a mail address");
    m.queue = r.str(s + "queue", name);
    m.after = parseAfter(r, s + "after");
    m.processed_folder = r.str(s + "processed_folder", "Processed");
    m.poll_interval = r.integer(s + "poll_interval", 60, 1, 86400);
    m.batch_size = r.integer(s + "batch_size", 50, 1, 50);
    m.connect_timeout = r.integer(s + "connect_timeout", 10, 1, 600);
    m.command_timeout = r.integer(s + "command_timeout", 60, 1, 3600);
    m.ca_file = r.path(s + "ca_file", "");
    m.sent_folder = r.str(s + "sent_folder", "Sent");
    std::string tls = r.str(s + "tls", uri.getScheme() == "imaps" ? "implicit" : "starttls");
    if (tls == "implicit") m.tls = Tls::Implicit;
    else if (tls == "starttls") m.tls = Tls::StartTls;
    else if (tls == "none") m.tls = Tls::None;
    else throw ConfigError(r.file(), s + "tls", "must be implicit, starttls or none");
    if (uri.getScheme() == "imaps" && m.tls != Tls::Implicit) throw ConfigError(r.file(), s + "tls", "imaps:// always uses implicit TLS");
    if (uri.getScheme() == "imap" && m.tls == Tls::Implicit) throw ConfigError(r.file(), s + "tls", "use an imaps:// URL for implicit TLS");
    return m;
}

std::vector<std::string> mailboxNames(const Reader& r) { return r.subsections("mailbox"); }

std::vector<std::string> commaList(const std::string& v) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= v.size()) {
        std::size_t comma = v.find(',', start);
        if (comma == std::string::npos) comma = v.size();
        std::string item = v.substr(start, comma - start);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) out.push_back(item);
        start = comma + 1;
    }
    return out;
}

SmtpConfig readSmtp(const Reader& r) {
    SmtpConfig c;
    c.url = r.str("smtp.url", "");
    if (c.url.empty()) return c;
    if (c.url.rfind("smtp://", 0) != 0 && c.url.rfind("smtps://", 0) != 0)
        throw ConfigError(r.file(), "smtp.url", "must start with smtp:// or smtps://");
    bool implicit = c.url.rfind("smtps://", 0) == 0;
    c.user = r.str("smtp.user", "");
    c.password = r.secret("smtp.password", "smtp.password_file");
    if (!c.user.empty() && c.password.empty()) throw ConfigError(r.file(), "smtp.password", "or password_file is required with smtp.user");
    std::string tls = r.str("smtp.tls", implicit ? "implicit" : "starttls");
    if (tls == "implicit" && implicit) c.tls = Tls::Implicit;
    else if (tls == "starttls" && !implicit) c.tls = Tls::StartTls;
    else if (tls == "none" && !implicit) c.tls = Tls::None;
    else throw ConfigError(r.file(), "smtp.tls", "must be starttls or none for smtp://, implicit for smtps://");
    c.ca_file = r.path("smtp.ca_file", "");
    c.helo = r.str("smtp.helo", "postdesk.localdomain");
    c.connect_timeout = r.integer("smtp.connect_timeout", 10, 1, 600);
    c.timeout = r.integer("smtp.timeout", 60, 1, 3600);
    return c;
}

AgentConfig readAgent(const Reader& r, const std::string& id) {
    const std::string s = "agent." + id + ".";
    AgentConfig a;
    a.id = id;
    a.name = r.required(s + "name");
    a.address = r.required(s + "address");
    if (a.address.find('@') == std::string::npos) throw ConfigError(r.file(), s + "address", "is not a mail address");
    a.queues = commaList(r.str(s + "queues", ""));
    a.lead = commaList(r.str(s + "lead", ""));
    return a;
}

std::int64_t chatIdOf(const Reader& r, const std::string& key, const std::string& text) {
    try {
        std::size_t used = 0;
        long long v = std::stoll(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw ConfigError(r.file(), key, "'" + text + "' is not a numeric Telegram id");
}

void checkMode(const Reader& r, const std::string& key, const std::string& mode) {
    if (mode != "every" && mode != "command" && mode != "keywords") throw ConfigError(r.file(), key, "must be every, command or keywords");
}

TelegramConfig readTelegram(const Reader& r, const Settings& s) {
    TelegramConfig t;
    t.token = r.secret("telegram.token", "telegram.token_file");
    if (t.token.empty()) return t;
    t.api_base = r.str("telegram.api_base", t.api_base);
    while (!t.api_base.empty() && t.api_base.back() == '/') t.api_base.pop_back();
    if (t.api_base.rfind("https://", 0) != 0 && t.api_base.rfind("http://", 0) != 0)
        throw ConfigError(r.file(), "telegram.api_base", "must start with https:// or http://");
    t.ca_file = r.path("telegram.ca_file", "");
    t.mode = r.str("telegram.mode", "poll");
    if (t.mode != "poll" && t.mode != "webhook") throw ConfigError(r.file(), "telegram.mode", "must be poll or webhook");
    t.queue = r.str("telegram.queue", s.mailboxes.empty() ? "chat" : s.mailboxes.front().queue);
    for (const auto& item : commaList(r.str("telegram.agents", ""))) {
        auto colon = item.find(':');
        if (colon == std::string::npos) throw ConfigError(r.file(), "telegram.agents", "wants TELEGRAM_ID:AGENT items, got '" + item + "'");
        std::string agent = item.substr(colon + 1);
        bool known = std::any_of(s.agents.begin(), s.agents.end(), [&](const AgentConfig& a) { return a.id == agent; });
        if (!known) throw ConfigError(r.file(), "telegram.agents", "no [agent." + agent + "] section");
        t.agents[chatIdOf(r, "telegram.agents", item.substr(0, colon))] = agent;
    }
    t.unanswered_minutes = r.integer("telegram.unanswered_minutes", 15, 0, 7 * 24 * 60);
    t.idle_minutes = r.integer("telegram.idle_minutes", 240, 1, 30 * 24 * 60);
    t.digest_minutes = r.integer("telegram.digest_minutes", 10, 0, 24 * 60);
    t.poll_timeout = r.integer("telegram.poll_timeout", 10, 0, 50);
    t.bridge_domain = r.str("telegram.bridge_domain", "");
    if (t.bridge_domain.empty()) {
        for (const auto& m : s.mailboxes)
            if (m.queue == t.queue || t.bridge_domain.empty()) t.bridge_domain = m.address.substr(m.address.find('@') + 1);
        if (t.bridge_domain.empty()) t.bridge_domain = "chat.invalid";
    }
    t.webhook_secret = r.secret("telegram.webhook_secret", "telegram.webhook_secret_file");
    if (t.mode == "webhook" && t.webhook_secret.size() < 16)
        throw ConfigError(r.file(), "telegram.webhook_secret", "needs at least 16 characters in webhook mode");
    for (const auto& id : r.subsections("telegram.chat")) {
        const std::string p = "telegram.chat." + id + ".";
        ChatOverride o;
        if (auto v = r.str(p + "mode", ""); !v.empty()) {
            checkMode(r, p + "mode", v);
            o.mode = v;
        }
        if (auto v = r.str(p + "keywords", ""); !v.empty()) o.keywords = v;
        if (auto v = r.str(p + "queue", ""); !v.empty()) o.queue = v;
        if (!r.str(p + "unanswered_minutes", "").empty()) o.unanswered_minutes = r.integer(p + "unanswered_minutes", 15, 0, 7 * 24 * 60);
        if (!r.str(p + "idle_minutes", "").empty()) o.idle_minutes = r.integer(p + "idle_minutes", 240, 1, 30 * 24 * 60);
        t.chats[chatIdOf(r, p + "mode", id)] = o;
    }
    return t;
}

}  // namespace

std::string configPath(const std::string& fromArgs) {
    if (!fromArgs.empty()) return fromArgs;
    if (const char* env = std::getenv("POSTDESK_CONFIG"); env && *env) return env;
    return "etc/postdesk.ini";
}

Settings load(const std::string& path) {
    if (!fs::exists(path)) throw ConfigError(path, "", "no such file");
    Ini ini;
    try {
        ini = new Poco::Util::IniFileConfiguration(path);
    } catch (const Poco::Exception& e) {
        throw ConfigError(path, "", "cannot read: " + e.displayText());
    }
    Reader r(path, ini);
    Settings s;
    s.config_file = path;
    s.store_path = r.path("store.path", "var/postdesk.db");
    s.token_key = r.secret("security.token_key", "security.token_key_file");
    s.token_key_file = r.path("security.token_key_file", "");
    s.limits.max_raw_bytes = static_cast<std::size_t>(r.integer("limits.max_raw_mb", 25, 1, 1024)) << 20;
    s.limits.max_depth = static_cast<std::size_t>(r.integer("limits.max_depth", 100, 2, 1000));
    s.limits.max_parts = static_cast<std::size_t>(r.integer("limits.max_parts", 1000, 1, 100000));
    s.thread.reopen_days = r.integer("ingest.reopen_days", 14, 0, 3650);
    s.ingest_max_attempts = r.integer("ingest.max_attempts", 5, 1, 100);
    s.log_level = r.str("log.level", "information");
    s.log_file = r.path("log.file", "");
    s.log_syslog = r.str("log.syslog", "false") == "true";
    for (const auto& name : mailboxNames(r)) s.mailboxes.push_back(readMailbox(r, name));
    s.smtp = readSmtp(r);
    s.send.retry_floor = r.integer("send.retry_floor", 60, 0, 86400);
    s.send.retry_ceiling = r.integer("send.retry_ceiling", 3600, 1, 7 * 86400);
    s.send.max_lifetime = r.integer("send.max_lifetime", 5 * 86400, 60, 30 * 86400);
    for (const auto& id : r.subsections("agent")) s.agents.push_back(readAgent(r, id));
    s.replies.dir = r.path("replies.dir", "replies");
    s.rules_dir = r.path("rules.dir", "rules");
    s.reload_interval = r.integer("rules.reload_interval", 2, 0, 3600);
    s.replies.ack_per_hour = r.integer("replies.ack_per_hour", 5, 0, 1000);
    s.replies.ack_per_day = r.integer("replies.ack_per_day", 40, 0, 10000);
    s.replies.agent_token_days = r.integer("replies.agent_token_days", 30, 1, 3650);
    s.replies.display_suffix = r.str("replies.display_suffix", "Support");
    s.telegram = readTelegram(r, s);
    s.chat_webhook.secret = r.secret("webhook.secret", "webhook.secret_file");
    s.chat_webhook.queue = r.str("webhook.queue", s.telegram.queue.empty() ? (s.mailboxes.empty() ? "chat" : s.mailboxes.front().queue)
                                                                         : s.telegram.queue);
    s.chat_webhook.max_skew = r.integer("webhook.max_skew", 300, 1, 86400);
    s.chat_webhook.reply_url = r.str("webhook.reply_url", "");
    if (!s.chat_webhook.reply_url.empty() && s.chat_webhook.reply_url.rfind("https://", 0) != 0 && s.chat_webhook.reply_url.rfind("http://", 0) != 0)
        throw ConfigError(path, "webhook.reply_url", "must start with https:// or http://");
    s.http_listen = r.str("http.listen", "");
    return s;
}

void resolveTokenKey(Settings& s) {
    if (!s.token_key.empty()) {
        if (s.token_key.size() < 16) throw ConfigError(s.config_file, "security.token_key", "must be at least 16 characters");
        return;
    }
    fs::path keyFile = fs::path(s.store_path).parent_path() / "token.key";
    if (fs::exists(keyFile)) {
        std::ifstream in(keyFile);
        std::getline(in, s.token_key);
        if (s.token_key.size() >= 16) return;
    }
    fs::create_directories(keyFile.parent_path().empty() ? fs::path(".") : keyFile.parent_path());
    std::random_device rd;
    std::ostringstream hex;
    for (int i = 0; i < 32; ++i) hex << "0123456789abcdef"[rd() & 15] << "0123456789abcdef"[rd() & 15];
    s.token_key = hex.str();
    fs::path tmp = keyFile;
    tmp += ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);  // never readable by others
    if (fd < 0) throw ConfigError(s.config_file, "security.token_key", "cannot create " + keyFile.string());
    std::string line = s.token_key + "\n";
    bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw ConfigError(s.config_file, "security.token_key", "cannot write " + keyFile.string());
    fs::rename(tmp, keyFile);
}

}  // namespace postdesk::config
