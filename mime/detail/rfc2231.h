// postdesk::mime::detail — RFC 2231 parameter value continuations, charsets and percent-encoding.
//
// Pieces may arrive in any order (§3 does not require order), mix encoded (`name*1*=`) and
// plain (`name*2=`) sections, and repeat a section (the first one wins). A gap in the numbering
// is reported but what is there is still used.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mime/warnings.h"

namespace postdesk::mime::detail {

// One `name[*N][*]=value` occurrence, its name already split.
struct ExtendedPiece {
    int section = -1;      // N, or -1 for `name*=` without a section number
    bool encoded = false;  // trailing `*`: charset'lang' prefix (first piece) and %XX escapes
    std::string value;     // unquoted
};

// Splits a lower-case parameter name: "title*1*" -> base "title", section 1, encoded. Returns
// nullopt for a plain name (no `*`) and for a malformed one.
struct ExtendedName {
    std::string base;
    int section = -1;
    bool encoded = false;
};
std::optional<ExtendedName> splitExtendedName(std::string_view name);

// Joins the pieces of one parameter into a UTF-8 value.
std::string assembleExtended(std::vector<ExtendedPiece> pieces, std::string_view name, Warnings& warnings);

}  // namespace postdesk::mime::detail
