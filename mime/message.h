// postdesk::mime — the parsed form of one mail.
//
// A Message is a plain value: every string is valid UTF-8 (undecodable bytes became U+FFFD),
// every field has a defined "absent" form, and nothing in it points back into the raw bytes.
// It is produced by mime::parse() (parse.h) and never by anything that touches the network.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postdesk::mime {

struct Address {
    std::string name;     // display name, decoded (RFC 2047 undone); empty when absent
    std::string address;  // addr-spec as written (local@domain); empty only for a broken mailbox
    bool operator==(const Address&) const = default;
};

// A problem the parser tolerated. `code` is a stable identifier (see warnings.h for the list).
struct Warning {
    std::string code;
    std::string detail;
};

// How the mail was sent: by a person, or by a machine that must never be answered.
enum class AutoKind { None, AutoReply, Bounce, List };
const char* toString(AutoKind kind);

struct Attachment {
    std::string filename;      // never empty: derived from Content-ID, subject or type when missing
    std::string content_type;  // lower-case type/subtype
    std::uint64_t size = 0;    // decoded bytes
    bool inline_ = false;      // Content-Disposition: inline, or a multipart/related part with a Content-ID
    std::string content_id;    // without angle brackets; empty when absent
    std::string data;          // the decoded bytes (mime/digest.h hashes them for whoever stores them)
};

// One header field of the top-level entity, in order of appearance.
struct Header {
    std::string name;   // as written (case preserved)
    std::string raw;    // unfolded raw value (bytes as received, may be non-UTF-8)
    std::string value;  // unfolded and decoded to UTF-8 (RFC 2047 undone, 8-bit text sniffed)
};

struct Message {
    std::optional<std::string> message_id;   // without angle brackets
    std::optional<std::string> in_reply_to;  // the first msg-id of In-Reply-To, without brackets
    std::vector<std::string> references;     // msg-ids in order, without brackets
    std::optional<std::string> date;         // UTC ISO 8601 "2026-11-17T06:15:00Z"
    std::optional<std::int64_t> date_epoch;  // seconds since 1970 (UTC) of `date`
    int date_tz_minutes = 0;                 // the sender's UTC offset, for "Have a great Tuesday"
    std::string subject;
    Address from;
    Address sender;                          // Sender:, when present
    std::optional<std::string> return_path;  // "" for a null reverse path "<>"; nullopt when absent
    std::vector<Address> to, cc, reply_to;
    AutoKind auto_kind = AutoKind::None;
    std::string auto_reason;                 // which header or shape decided `auto_kind`
    std::string text;                        // the main body as text (derived from HTML if needed)
    std::optional<std::string> html;         // the main HTML body, when the mail has one
    std::string reply_text;                  // `text` without quoted history and signature
    std::vector<Attachment> attachments;
    std::vector<Header> headers;             // every top-level header field
    std::vector<Warning> warnings;
    // For a bounce: the Message-ID of the mail that bounced (from its message/rfc822 or
    // text/rfc822-headers part), so intake can attach the bounce to that ticket.
    std::optional<std::string> original_message_id;
    std::uint64_t raw_size = 0;
    // Set when a hard limit was crossed (see Limits): intake quarantines such a mail with this
    // code as its reason. The rest of the Message is still a best-effort, bounded result.
    std::optional<std::string> error;

    // First header with this name (ASCII case-insensitive), decoded; nullptr when absent.
    const Header* header(std::string_view name) const;
};

}  // namespace postdesk::mime
