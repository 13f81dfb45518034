// postdesk::replies — the subject line of what we send about a ticket.
//
// ticketSubject(42, "Re: [#42] Printer", "en") = "[#42] Printer": one tag in front, whatever
// reply prefixes ("Re:", "RE[2]:", "AW:", "SV:", "Отв:", "Ответ:") and earlier "[#N]" tags the
// customer's client piled up are removed, so the thread keeps one stable subject. An empty
// subject becomes "Your request" / "Ваш запрос"; number 0 (not yet assigned) leaves out the tag.
// Never fails.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace postdesk::replies {

// The subject without reply prefixes and "[#N]" tags, whitespace collapsed; may be "".
std::string cleanSubject(std::string_view subject);
std::string ticketSubject(std::uint64_t ticketNumber, std::string_view subject, std::string_view language);

}  // namespace postdesk::replies
