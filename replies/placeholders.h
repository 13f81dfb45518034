// postdesk::replies — the placeholder vocabulary templates may use, and the values behind it.
//
// Guarantee: every placeholder in placeholders() except customer.raw_first_name always has a
// non-empty value, so a template renders complete sentences even when we know nothing about the
// customer ("Hi there,", never "Hi ,"). The one exception, customer.first_name in Russian, is
// empty by design (Russian has no "there"): Russian templates greet with {{greeting}}.
// customer.raw_first_name is the unguarded name for Mustache sections; lint warns where it is used.
// Values are plain text and are rendered without HTML escaping (templates are text/plain).
// Words come from the language passed in, which is the template's language, so a Russian template
// gets "вторник" even for a customer whose language we guessed as English. Never fails.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include <kainjow/mustache.hpp>

namespace postdesk::replies {

// What the caller knows when it renders a reply. Any field may be empty.
struct ReplyContext {
    std::string customer_name;     // display name as written in From ("Doe, John")
    std::string customer_address;  // lower-case address
    std::uint64_t ticket_number = 0;  // 0: not yet numbered
    std::string ticket_subject;    // the customer's subject as received ("Re: [#12] Printer")
    std::string ticket_status;     // "open", "pending", … (agent notifications)
    std::string agent_name;        // who signs: the queue's lead for acknowledgments
    std::string queue;             // queue id; selects ack.<queue>.<lang>.mustache
    std::string queue_name;        // display name for signatures; "" → derived from `queue`
    std::string language;          // "en", "ru"; selects templates
    int tz_minutes = 0;            // customer's UTC offset (+03:00 → 180)
    std::int64_t now = 0;          // epoch seconds
    std::string message_text;      // the customer's reply text (agent notifications)
};

struct Placeholder {
    std::string_view name;     // dotted, as written in a template: "customer.first_name"
    std::string_view meaning;  // one line for docs and lint messages
    bool has_fallback = true;
};

std::span<const Placeholder> placeholders();
const Placeholder* findPlaceholder(std::string_view name);

// Every placeholder's value for this context, by dotted name, in `language`.
std::map<std::string, std::string> placeholderValues(const ReplyContext& context, std::string_view language);

// The same values nested for kainjow ("customer" → {"first_name" → …}); an empty value is `false`
// so that a section on it is skipped and an inverted section taken.
kainjow::mustache::data placeholderData(const ReplyContext& context, std::string_view language);

}  // namespace postdesk::replies
