// postdesk::net — pure helpers that format arguments of IMAP commands (RFC 3501 §9).
//
// They never produce a command that could smuggle a second command: anything containing CR,
// LF or NUL is refused (nullopt), because IMAP strings are line-based.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace postdesk::net {

// A mailbox name as a quoted string. "&" becomes "&-" (modified UTF-7, RFC 3501 §5.1.3).
// nullopt for CR/LF/NUL and for non-ASCII names (their modified UTF-7 form is not implemented).
std::optional<std::string> quoteMailbox(std::string_view name);

// A UID set in compact form: {1,2,3,7,9,10} -> "1:3,7,9:10". Input in any order; duplicates and
// 0 (not a valid UID) are dropped. Empty input gives "".
std::string uidSet(std::span<const std::uint32_t> uids);

// A parenthesised flag list such as "(\\Seen \\Flagged)" or "()": flags are atoms (RFC 3501
// flag-list); anything else is refused.
bool isFlagList(std::string_view flags);

// "+FLAGS", "-FLAGS", "FLAGS", each optionally ".SILENT" (RFC 3501 §6.4.6), case-insensitive.
bool isStoreOperation(std::string_view op);

}  // namespace postdesk::net
