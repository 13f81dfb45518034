// postdesk::replies::detail — the fixed words placeholders fall back to, per language.
//
// Only "en" and "ru" are written; any other language gets the English words, so a template in a
// language we have no phrases for still renders complete sentences.
#pragma once

#include <array>
#include <string_view>

namespace postdesk::replies::detail {

struct Phrases {
    std::array<std::string_view, 7> weekdays;   // Sunday first, as written mid-sentence
    std::array<std::string_view, 7> day_lines;  // "Have a great Tuesday!" / "Хорошего вторника!"
    std::string_view greeting_named_before;     // "Hi " + name + ","
    std::string_view greeting_named_after;
    std::string_view greeting_anonymous;        // "Hi there," / "Здравствуйте!"
    std::string_view customer_first_name;       // when no first name is known ("there" / "")
    std::string_view unknown_name;
    std::string_view unknown_address;
    std::string_view reply_hint;
    std::string_view your_request;              // subject when the customer gave none
    std::string_view new_ticket;                // ticket number not yet assigned
    std::string_view default_status;
    std::string_view empty_message;
    std::string_view default_queue;
};

const Phrases& phrasesFor(std::string_view language);

}  // namespace postdesk::replies::detail
