#include "gateway/bridge/telegram_update.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <array>
#include <exception>

#include "mime/ascii.h"

namespace postdesk::bridge {

using rules::ChatEvent;
using rules::ChatFile;
using rules::ChatUser;

// ---- UTF-16 offsets ---------------------------------------------------------------------------

namespace {

struct CodePoint {
    std::size_t bytes = 1;  // UTF-8 bytes it takes
    std::size_t units = 1;  // UTF-16 units it takes
};

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The code point starting at `i`; an invalid or truncated sequence counts as one byte, one unit.
CodePoint codePointAt(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) return {};
    for (std::size_t k = 1; k < len; ++k)
        if (!isContinuation(static_cast<unsigned char>(s[i + k]))) return {};
    return {len, len == 4 ? 2u : 1u};
}

}  // namespace

std::size_t utf16Length(std::string_view utf8) {
    std::size_t units = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        CodePoint cp = codePointAt(utf8, i);
        i += cp.bytes;
        units += cp.units;
    }
    return units;
}

std::optional<std::size_t> utf8OffsetOfUtf16(std::string_view utf8, std::size_t units) {
    std::size_t seen = 0, i = 0;
    while (seen < units && i < utf8.size()) {
        CodePoint cp = codePointAt(utf8, i);
        i += cp.bytes;
        seen += cp.units;
    }
    if (seen != units) return std::nullopt;  // past the end, or inside a surrogate pair
    return i;
}

// ---- JSON field access: a wrong type reads as absent --------------------------------------------

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string str(const Object::Ptr& o, const std::string& key) {
    if (!o) return {};
    Poco::Dynamic::Var v = o->get(key);
    return v.isString() ? v.extract<std::string>() : std::string();
}

std::optional<std::int64_t> optInt(const Object::Ptr& o, const std::string& key) {
    if (!o) return std::nullopt;
    Poco::Dynamic::Var v = o->get(key);
    if (!v.isInteger()) return std::nullopt;
    try {
        return v.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {  // an unsigned value beyond int64
        return std::nullopt;
    }
}

std::int64_t int64(const Object::Ptr& o, const std::string& key) { return optInt(o, key).value_or(0); }

bool flag(const Object::Ptr& o, const std::string& key) {
    if (!o) return false;
    Poco::Dynamic::Var v = o->get(key);
    return v.isBoolean() && v.extract<bool>();
}

Object::Ptr obj(const Object::Ptr& o, const std::string& key) { return o ? o->getObject(key) : nullptr; }

Object::Ptr parseObject(std::string_view json, std::string& error) {
    try {
        Poco::JSON::Parser parser;
        Poco::Dynamic::Var v = parser.parse(std::string(json));
        if (v.type() == typeid(Object::Ptr)) {
            if (auto o = v.extract<Object::Ptr>()) return o;
        }
        error = "not a JSON object";
    } catch (const Poco::Exception& e) {
        error = "malformed JSON: " + e.displayText();
    } catch (const std::exception& e) {
        error = std::string("malformed JSON: ") + e.what();
    }
    return nullptr;
}

std::string trimmed(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n\f\v";
    std::size_t b = s.find_first_not_of(kSpace);
    if (b == std::string_view::npos) return {};
    std::size_t e = s.find_last_not_of(kSpace);
    return std::string(s.substr(b, e - b + 1));
}

// "/Ticket@Bridge_Bot" -> "/ticket"; bot usernames are case-insensitive ASCII.
void setCommand(ChatEvent& ev, std::size_t commandBytes) {
    std::string_view cmd = std::string_view(ev.text).substr(0, commandBytes);
    cmd = cmd.substr(0, cmd.find('@'));
    ev.command = mime::asciiLower(cmd);
    ev.command_args = trimmed(std::string_view(ev.text).substr(commandBytes));
}

// A bot_command entity at offset 0 (https://core.telegram.org/bots/api#messageentity).
void findCommand(ChatEvent& ev, const Array::Ptr& entities) {
    if (!entities) return;
    for (std::size_t i = 0; i < entities->size(); ++i) {
        Object::Ptr e = entities->getObject(static_cast<unsigned>(i));
        if (str(e, "type") != "bot_command" || optInt(e, "offset") != 0) continue;
        auto len = optInt(e, "length");
        if (!len || *len < 2) return;
        auto end = utf8OffsetOfUtf16(ev.text, static_cast<std::size_t>(*len));
        if (!end || ev.text[0] != '/') return;  // offsets that do not fit the text: no command
        setCommand(ev, *end);
        return;
    }
}

ChatUser userFrom(const Object::Ptr& u) {
    ChatUser user;
    user.id = int64(u, "id");
    user.is_bot = flag(u, "is_bot");
    user.first_name = str(u, "first_name");
    user.last_name = str(u, "last_name");
    user.username = str(u, "username");
    return user;
}

// Channel posts and anonymous admins carry sender_chat instead of from.
ChatUser userFromChat(const Object::Ptr& chat) {
    ChatUser user;
    user.id = int64(chat, "id");
    user.first_name = str(chat, "title");
    user.username = str(chat, "username");
    return user;
}

void readChat(ChatEvent& ev, const Object::Ptr& chat) {
    ev.chat_id = int64(chat, "id");
    ev.chat_type = str(chat, "type");
    ev.chat_title = str(chat, "title");
    if (ev.chat_title.empty())
        ev.chat_title = trimmed(str(chat, "first_name") + " " + str(chat, "last_name"));
}

ChatFile fileFrom(std::string kind, const Object::Ptr& f) {
    ChatFile file;
    file.kind = std::move(kind);
    file.file_id = str(f, "file_id");
    file.file_unique_id = str(f, "file_unique_id");
    file.file_name = str(f, "file_name");
    file.mime_type = str(f, "mime_type");
    file.file_size = int64(f, "file_size");
    return file;
}

void readFiles(ChatEvent& ev, const Object::Ptr& m) {
    if (Array::Ptr sizes = m->getArray("photo"); sizes && sizes->size() > 0) {
        // PhotoSize[] in ascending size: the last is the largest.
        if (auto largest = sizes->getObject(static_cast<unsigned>(sizes->size() - 1)))
            ev.files.push_back(fileFrom("photo", largest));
    }
    // An animation also sets `document` for old clients; keep only the animation.
    static constexpr std::array<const char*, 7> kKinds = {"document", "voice",   "audio",    "video",
                                                          "video_note", "sticker", "animation"};
    for (const char* kind : kKinds) {
        if (std::string_view(kind) == "document" && m->has("animation")) continue;
        if (auto f = obj(m, kind)) ev.files.push_back(fileFrom(kind, f));
    }
}

bool isServiceMessage(const Object::Ptr& m) {
    static constexpr std::array<const char*, 17> kService = {
        "new_chat_members",      "left_chat_member",        "new_chat_title",
        "new_chat_photo",        "delete_chat_photo",       "group_chat_created",
        "supergroup_chat_created", "channel_chat_created",  "migrate_from_chat_id",
        "pinned_message",        "forum_topic_created",     "forum_topic_edited",
        "forum_topic_closed",    "forum_topic_reopened",    "message_auto_delete_timer_changed",
        "video_chat_started",    "write_access_allowed"};
    for (const char* key : kService)
        if (m->has(key)) return true;
    return false;
}

void readMessage(ChatEvent& ev, const Object::Ptr& m) {
    readChat(ev, obj(m, "chat"));
    ev.message_id = int64(m, "message_id");
    ev.date = int64(m, "date");
    ev.edit_date = int64(m, "edit_date");
    ev.reply_to = int64(obj(m, "reply_to_message"), "message_id");
    if (flag(m, "is_topic_message")) ev.thread_key = int64(m, "message_thread_id");
    if (auto from = obj(m, "from"))
        ev.from = userFrom(from);
    else if (auto senderChat = obj(m, "sender_chat"))
        ev.from = userFromChat(senderChat);
    ev.media_group_id = str(m, "media_group_id");
    readFiles(ev, m);
    if (m->has("text")) {
        ev.text = str(m, "text");
        findCommand(ev, m->getArray("entities"));
    } else {
        ev.text = str(m, "caption");
        findCommand(ev, m->getArray("caption_entities"));
    }
    if (auto to = optInt(m, "migrate_to_chat_id")) {
        ev.kind = ChatEvent::Kind::Migration;
        ev.migrate_to_chat_id = *to;
    } else if (isServiceMessage(m) && ev.kind == ChatEvent::Kind::Message) {
        ev.kind = ChatEvent::Kind::Other;
    }
}

void readMembership(ChatEvent& ev, const Object::Ptr& u) {
    ev.kind = ChatEvent::Kind::Membership;
    readChat(ev, obj(u, "chat"));
    ev.from = userFrom(obj(u, "from"));
    ev.date = int64(u, "date");
    ev.member_status = str(obj(u, "new_chat_member"), "status");
}

}  // namespace

std::optional<ChatEvent> parseTelegramUpdate(std::string_view json, std::string& error) {
    error.clear();
    Object::Ptr root = parseObject(json, error);
    if (!root) return std::nullopt;
    auto updateId = optInt(root, "update_id");
    if (!updateId) {
        error = "update without an integer update_id";
        return std::nullopt;
    }
    ChatEvent ev;
    ev.update_id = *updateId;
    static constexpr std::array<std::pair<const char*, ChatEvent::Kind>, 4> kMessages = {{
        {"message", ChatEvent::Kind::Message},
        {"channel_post", ChatEvent::Kind::Message},
        {"edited_message", ChatEvent::Kind::Edit},
        {"edited_channel_post", ChatEvent::Kind::Edit},
    }};
    for (const auto& [key, kind] : kMessages) {
        if (auto m = obj(root, key)) {
            ev.kind = kind;
            readMessage(ev, m);
            return ev;
        }
    }
    if (auto member = obj(root, "my_chat_member")) readMembership(ev, member);
    return ev;  // Kind::Other unless it was my_chat_member
}

// ---- the generic signed webhook (docs/CHAT_WEBHOOK.md) ------------------------------------------

namespace {

bool isSourceName(std::string_view s) {
    if (s.empty() || s.size() > 32) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
    return true;
}

// No entities here: a command is a leading "/word" ending at white space.
void findPlainCommand(ChatEvent& ev) {
    if (ev.text.size() < 2 || ev.text[0] != '/') return;
    std::size_t end = ev.text.find_first_of(" \t\r\n");
    setCommand(ev, end == std::string::npos ? ev.text.size() : end);
}

void readWebhookFiles(ChatEvent& ev, const Array::Ptr& files) {
    if (!files) return;
    for (std::size_t i = 0; i < files->size(); ++i) {
        Object::Ptr f = files->getObject(static_cast<unsigned>(i));
        if (!f) continue;
        std::string kind = str(f, "kind");
        ChatFile file = fileFrom(kind.empty() ? "document" : kind, f);
        file.url = str(f, "url");
        if (file.file_unique_id.empty()) file.file_unique_id = file.file_id;
        ev.files.push_back(std::move(file));
    }
}

}  // namespace

std::optional<ChatEvent> parseWebhookEvent(std::string_view json, std::string& error) {
    error.clear();
    Object::Ptr root = parseObject(json, error);
    if (!root) return std::nullopt;
    Object::Ptr chat = obj(root, "chat"), m = obj(root, "message");
    ChatEvent ev;
    ev.event_id = str(root, "event_id");
    ev.source = str(root, "source");
    if (ev.event_id.empty() || ev.event_id.size() > 200) error = "event_id missing or longer than 200 bytes";
    else if (!isSourceName(ev.source) || ev.source == "telegram") error = "source must match [a-z0-9_-]{1,32} and not be \"telegram\"";
    else if (!chat || !optInt(chat, "id")) error = "chat.id missing or not an integer";
    else if (!m || !optInt(m, "id")) error = "message.id missing or not an integer";
    if (!error.empty()) return std::nullopt;

    ev.update_id = 0;
    readChat(ev, chat);
    ev.thread_key = int64(root, "thread");
    ev.message_id = int64(m, "id");
    ev.date = int64(m, "date");
    ev.reply_to = int64(m, "reply_to");
    ev.edit_date = int64(m, "edit_date");
    ev.kind = ev.edit_date != 0 ? ChatEvent::Kind::Edit : ChatEvent::Kind::Message;
    ev.from = userFrom(obj(m, "from"));
    ev.text = str(m, "text");
    ev.media_group_id = str(m, "media_group_id");
    findPlainCommand(ev);
    readWebhookFiles(ev, m->getArray("files"));
    return ev;
}

}  // namespace postdesk::bridge
