// postdesk::net — a pure parser for the IMAP4rev1 server responses the gateway uses
// (RFC 3501 §7 and the formal syntax in §9).
//
// Two steps, both on bytes only (no I/O, no clock, no exceptions):
//   frameResponse  finds where the first complete response in a receive buffer ends: through
//                  the CRLF that ends its last line, with every `{n}` literal counted exactly
//                  (a literal may contain CRLF, "{5}" or lines starting with "." or "*");
//   parseResponse  turns that one response into a Response: continuation, untagged or tagged;
//                  status responses (OK/NO/BAD/BYE/PREAUTH) with their [CODE args] and text;
//                  other untagged data as a tree of atoms, strings (quoted or literal), NILs
//                  and parenthesised lists.
// Extractors then read what the client needs: FETCH items (UID, FLAGS, BODY[]), SEARCH
// numbers, [UIDVALIDITY n]/[UIDNEXT n] and capabilities.
//
// Failure: frameResponse reports a literal or line over the caller's limits; parseResponse
// returns nullopt plus a reason for input that does not follow the grammar.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postdesk::net {

struct FrameLimits {
    std::size_t max_literal = std::size_t{64} << 20;  // one message body
    std::size_t max_line = std::size_t{16} << 20;     // e.g. a SEARCH over a huge mailbox
};

struct Frame {
    std::size_t length = 0;  // 0: incomplete, more bytes needed
    bool too_large = false;  // a literal or a line exceeds FrameLimits
    std::size_t at_least = 0;  // when incomplete inside a literal: the buffer needs this many bytes
};

Frame frameResponse(std::string_view buffer, const FrameLimits& limits = {});

struct Value {
    enum class Kind { Atom, String, List, Nil };
    Kind kind = Kind::Atom;
    std::string text;           // Atom (as sent, e.g. "BODY[]", "\\Seen") and String
    std::vector<Value> items;   // List

    bool isAtom(std::string_view upper_name) const;  // case-insensitive atom comparison
};

struct Response {
    enum class Kind { Continuation, Untagged, Tagged };
    Kind kind = Kind::Untagged;
    std::string tag;                   // Tagged only
    std::optional<std::uint32_t> number;  // "* 3 EXISTS", "* 7 FETCH ..."
    std::string name;                  // upper-cased: OK NO BAD BYE PREAUTH FETCH SEARCH ...
    std::string code;                  // status response code name, upper-cased: "UIDNEXT"
    std::string code_args;             // the rest inside the brackets: "4392"
    std::string text;                  // status / continuation text after the code
    std::vector<Value> data;           // values after `name` in untagged data responses

    bool isStatus() const;  // OK, NO, BAD, BYE or PREAUTH
};

std::optional<Response> parseResponse(std::string_view raw, std::string& error);

// "* n FETCH (...)". Items the response did not carry stay empty.
struct FetchItems {
    std::uint32_t seq = 0;
    std::optional<std::uint32_t> uid;
    std::optional<std::vector<std::string>> flags;
    std::optional<std::string> body;  // BODY[] (also RFC822): the whole message, byte-exact
};
std::optional<FetchItems> fetchItems(const Response& response);
// The same, moving the body out of `response` instead of copying it (a mail is up to megabytes).
std::optional<FetchItems> fetchItems(Response&& response);

// Numbers of "* SEARCH n n n"; empty for any other response.
std::vector<std::uint32_t> searchNumbers(const Response& response);

// The number in a status response code such as "[UIDVALIDITY 3857529045]".
std::optional<std::uint32_t> codeNumber(const Response& response, std::string_view code);

// Capabilities of "* CAPABILITY ..." or of a "[CAPABILITY ...]" code, upper-cased.
std::vector<std::string> capabilities(const Response& response);

// "123" -> 123; nullopt for anything else, including values above 2^32-1 (RFC 3501 nz-number).
std::optional<std::uint32_t> parseNumber(std::string_view digits);

}  // namespace postdesk::net
