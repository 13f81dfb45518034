// postdesk::rules — one chat update, normalised (Telegram first; the generic signed webhook maps
// onto the same shape). Plain values only: the gateway's adapters fill it from the wire JSON, the
// pure chat core (conversation grouping, unanswered alerts, the transcript record) reads it.
//
// Ids are int64: Telegram's User.id, Chat.id and migrate_to_chat_id may use up to 52 bits.
// Times are unix seconds, UTC. Text is UTF-8 as received (never re-encoded or trimmed here).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace postdesk::rules {

struct ChatUser {
    std::int64_t id = 0;
    bool is_bot = false;
    std::string first_name, last_name, username;  // username without '@'
    bool operator==(const ChatUser&) const = default;
};

// A file attached to a chat message. For Telegram photos only the largest size is kept.
struct ChatFile {
    std::string kind;            // photo | document | voice | audio | video | video_note | sticker | animation
    std::string file_id;         // what getFile takes (per bot)
    std::string file_unique_id;  // stable across bots and time; never downloadable
    std::string file_name;       // from the message (getFile may lose it); "" when absent
    std::string mime_type;       // "" when absent
    std::int64_t file_size = 0;  // 0 when unknown
    std::string url;             // generic webhook: where to fetch it; "" for Telegram (use getFile)
    bool operator==(const ChatFile&) const = default;
};

struct ChatEvent {
    enum class Kind {
        Message,     // a new message (text, caption, files) — also channel posts
        Edit,        // a new version of message_id (may carry no visible change)
        Membership,  // the bot's own status in the chat changed (my_chat_member)
        Migration,   // a group became a supergroup: chat_id -> migrate_to_chat_id
        Other,       // an update kind the bridge does not use; stored, otherwise ignored
    };
    Kind kind = Kind::Other;
    std::string source = "telegram";  // telegram | the generic webhook's "source"
    std::int64_t update_id = 0;       // Telegram update_id; 0 for the generic webhook
    std::string event_id;             // the generic webhook's event id; "" for Telegram

    std::int64_t chat_id = 0;
    std::string chat_type;   // private | group | supergroup | channel
    std::string chat_title;  // title, or the private chat's "First Last"
    std::int64_t thread_key = 0;  // forum topic (message_thread_id when is_topic_message), else 0

    std::int64_t message_id = 0;
    std::int64_t reply_to = 0;  // reply_to_message.message_id, 0 when none
    ChatUser from;              // for channel posts / anonymous admins: the sender_chat as a user
    std::int64_t date = 0;
    std::int64_t edit_date = 0;  // Edit only

    std::string text;  // text, or caption when the message has files
    // A bot command at offset 0 (entities of type "bot_command", offsets in UTF-16 units):
    // "/ticket" (lower case, "@botname" removed) and the rest of the text, trimmed.
    std::optional<std::string> command;
    std::string command_args;
    std::vector<ChatFile> files;
    std::string media_group_id;  // albums: several messages share it

    std::int64_t migrate_to_chat_id = 0;  // Migration
    std::string member_status;            // Membership: creator | administrator | member | restricted | left | kicked

    bool operator==(const ChatEvent&) const = default;
};

}  // namespace postdesk::rules
