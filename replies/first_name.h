// postdesk::replies — the first name to greet a sender by, or "" when we cannot tell.
//
// firstName("Doe, John", …) = "John"; "Dr. Anna Schmidt" = "Anna"; "ANNA SCHMIDT" = "Anna";
// "Иванов Иван Иванович" = "Иван" (a last word ending in -ович/-евич/-овна/-евна/-ична marks the
// Russian surname-first order); "Иван Петров" = "Иван".
// Guarantee: a wrong name is worse than none ("Hi Support,"), so any doubt gives "": role and
// company words ("support team", "info", "no-reply", "ООО …"), an e-mail address, digits, a lone
// initial, a Cyrillic surname followed only by initials ("Иванов И.И."). The result is
// capitalised (UTF-8 aware for Latin and Cyrillic) unless it was written in mixed case.
// When the display name is empty, an address of the form first.last@… gives "First".
// Never fails; the result is "" or a name of at least two letters.
#pragma once

#include <string>
#include <string_view>

namespace postdesk::replies {

std::string firstName(std::string_view displayName, std::string_view address);

}  // namespace postdesk::replies
