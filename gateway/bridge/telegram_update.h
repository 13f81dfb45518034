// postdesk::bridge — chat updates from the wire (a Telegram Update, or the generic signed
// webhook's event) turned into one rules::ChatEvent.
//
// Guarantees:
//  - Never throws, never crashes on any input (fuzzable): malformed JSON, a missing update_id /
//    event_id, or a value of the wrong type where an id is required returns nullopt and says why
//    in `error`. A wrong-typed optional field reads as absent.
//  - Ids are int64 (Telegram ids reach 52 bits; supergroups are -100…). Text is kept byte for
//    byte as received (after JSON unescaping); nothing is trimmed except command_args.
//  - Bot commands are found with Telegram's entity offsets, which count UTF-16 code units
//    (https://core.telegram.org/bots/api#messageentity), converted here to UTF-8 byte offsets.
// Update kinds the bridge does not use come back as Kind::Other with their update_id, so the
// caller can store them and confirm the offset. Service messages (members joined or left, a
// title changed, a topic created, the supergroup side of a migration …) are Kind::Other too,
// with the chat and message fields filled.
// Pure: no I/O, no clock; the webhook's signature is checked separately (webhook_auth.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "rules/chat_event.h"

namespace postdesk::bridge {

// One Telegram Update object (as getUpdates returns in its result array, or a webhook POSTs).
std::optional<rules::ChatEvent> parseTelegramUpdate(std::string_view json, std::string& error);

// One event of the generic signed chat webhook; the shape is docs/CHAT_WEBHOOK.md. The event's
// `source` becomes ChatEvent::source ("telegram" is reserved and rejected), `event_id` is
// required, `message.edit_date` makes it an Edit. A text starting with "/word" is a command.
std::optional<rules::ChatEvent> parseWebhookEvent(std::string_view json, std::string& error);

// UTF-16 helpers for Telegram's lengths and offsets. Invalid UTF-8 counts one unit per byte.
// The number of UTF-16 code units the UTF-8 text takes (what Telegram's 4096 limit counts).
std::size_t utf16Length(std::string_view utf8);
// The byte offset in `utf8` that lies `units` UTF-16 code units from its start; nullopt when that
// is past the end or splits a surrogate pair (an offset no client would send).
std::optional<std::size_t> utf8OffsetOfUtf16(std::string_view utf8, std::size_t units);

}  // namespace postdesk::bridge
