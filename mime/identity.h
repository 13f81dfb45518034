// postdesk::mime — the identity of a raw mail, for dedupe before (and without) a full parse.
//
// "mid:<Message-ID>|<lower-case From address>" when the mail has a Message-ID, else
// "sha256:<hex of the raw bytes>". Keyed on the sender too, so a stranger who reuses someone
// else's Message-ID cannot make a real mail disappear as a "duplicate". Reads only the header
// block (bounded by Limits); never throws.
#pragma once

#include <string>
#include <string_view>

namespace postdesk::mime {

std::string mailIdentity(std::string_view raw);

}  // namespace postdesk::mime
