// postdesk::mime — composeMail(): an OutgoingMail to RFC 5322 bytes, for every mail postdesk
// sends (acknowledgments, agent replies, notifications to agents).
//
// Guarantees of a successful result:
// - CRLF line ends only, every byte < 0x80 (no SMTPUTF8 or 8BITMIME needed), header lines folded
//   at <= 78 columns where the value allows it and never longer than 998 (RFC 5322 §2.1.1).
// - No header injection: every control character (CR, LF, NUL, TAB…) in any text field becomes a
//   space before encoding, so a display name, subject, filename or extra header value can never
//   start a new header field. Invalid UTF-8 becomes U+FFFD.
// - Non-ASCII display names, subjects and extra header values are RFC 2047 UTF-8 encoded-words
//   (B or Q, the shorter), <= 75 characters each, never splitting a UTF-8 character.
//   Leading and trailing spaces of those values are not kept.
// - Attachment filenames: RFC 2231 `filename*=utf-8''…` on Content-Disposition, plus an RFC 2047
//   `name="=?utf-8?…?="` on Content-Type for Outlook. Attachment data is always base64, so it
//   arrives byte for byte (a text attachment's line ends are not touched).
// - Text and HTML bodies: 7bit when printable ASCII with lines <= 998 bytes, else
//   quoted-printable, always `charset=utf-8`; each "\n" is a CRLF on the wire and `mime::parse`
//   gives the text back byte for byte (a final line without "\n" included).
// - Structure: text/plain; with html, multipart/alternative (text, html); inline attachments
//   with a Content-ID and html, multipart/related around the alternative; other attachments,
//   multipart/mixed around everything. Boundaries are checked against the encoded parts.
// - Always written: From, Subject, Date, Message-ID, MIME-Version, Content-Type,
//   Content-Transfer-Encoding; To, Cc, Reply-To, In-Reply-To, References when given.
// - Deterministic: the same OutgoingMail gives the same bytes (a resend is identical).
// A line starting with "." is left alone: the SMTP layer dot-stuffs (RFC 5321 §4.5.2), and we
// never emit a bare LF that could hide a "\n.\n" from it.
//
// Failure modes (ComposeResult::error set, no bytes): an address that is not a plain ASCII
// addr-spec (CR/LF, spaces, quotes, angle brackets, no '@', non-ASCII, > 254 bytes); a Message-ID,
// In-Reply-To, Reference or Content-ID that cannot sit in <…>; an extra header whose name is not
// a field name or is one composeMail writes itself (From, Content-Type…); a UTC offset beyond ±24h.
// Never throws for bad data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mime/message.h"

namespace postdesk::mime {

struct OutgoingAttachment {
    std::string filename;      // UTF-8; empty: no filename parameters
    std::string content_type;  // "type/subtype"; application/octet-stream when empty or malformed
    std::string data;          // raw bytes
    bool inline_ = false;      // Content-Disposition: inline (with content_id: in multipart/related)
    std::string content_id;    // without <>; empty when absent
};

struct OutgoingMail {
    Address from;
    std::vector<Address> to, cc;
    std::optional<Address> reply_to;
    std::string subject;
    std::string message_id;                  // without <>, assigned by the caller (stable across retries)
    std::optional<std::string> in_reply_to;  // without <>
    std::vector<std::string> references;     // without <>, oldest first
    std::vector<std::pair<std::string, std::string>> extra_headers;  // e.g. {"Auto-Submitted","auto-replied"}
    std::int64_t date_epoch = 0;             // Date header, written in the offset below
    int tz_minutes = 0;                      // UTC offset of the Date header (+60 for +0100)
    std::string text;                        // UTF-8, "\n" line ends
    std::optional<std::string> html;         // UTF-8; when set: multipart/alternative (text + html)
    std::vector<OutgoingAttachment> attachments;  // when set: multipart/mixed around the body
};

struct ComposeResult {
    std::string bytes;
    std::string error;  // which field was refused and why; empty on success
    bool ok() const { return error.empty(); }
};

ComposeResult composeMail(const OutgoingMail& mail);

// "Re: " + subject, unless it already starts with a reply or forward prefix ("Re:", "RE:",
// "Re[2]:", "AW:", "SV:", "Antw:", "Fwd:", "Fw:", "WG:", "TR:", "RIF:", "Odp:", "VS:"…), which
// is kept as is so threads do not grow "Re: Re: Re:".
std::string replySubject(std::string_view subject);

}  // namespace postdesk::mime
