// postdesk::mime::detail — writing header fields for outgoing mail (compose.h).
//
// Guarantees: every line written is CRLF-terminated, 7-bit, free of control characters, and at
// most 78 columns whenever the value offers a place to fold (RFC 5322 §2.1.1, §2.2.3); an
// encoded-word is at most 75 characters and never splits a UTF-8 character (RFC 2047 §2, §5).
// Callers sanitise text first (sanitizeHeaderText), so nothing here can emit CR or LF from data.
//
// Why not mimetic's Header/Field writer: with mimetic 0.9.8 it writes 8-bit bytes raw (no RFC
// 2047), and folds by replacing the space with a TAB and never splits a long token, so a
// 1,000-character word stays on one line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mime/message.h"

namespace postdesk::mime::detail {

inline constexpr std::size_t kFoldColumn = 78;      // RFC 5322 §2.1.1 SHOULD
inline constexpr std::size_t kMaxEncodedWord = 75;  // RFC 2047 §2

// Replaces every C0 control character (CR, LF, NUL, TAB…) and DEL with a space and every byte
// that is not part of valid UTF-8 with U+FFFD: the one gate between caller data and a header.
std::string sanitizeHeaderText(std::string_view text);

// Accumulates one header field, folding before a word that would pass kFoldColumn.
class HeaderFolder {
public:
    explicit HeaderFolder(std::string_view name);

    // Appends a space then `word` (which must hold no CR or LF), or CRLF SP word when it would not
    // fit and a fresh line helps. That may fold right after the colon (a long field name): RFC
    // 5322 allows FWS there in unstructured text and address lists.
    void word(std::string_view word);
    // Appends `text` to the current line with no chance to fold (e.g. "," after a mailbox).
    void glue(std::string_view text);
    // Columns still free on the current line after a separating space.
    std::size_t room() const;
    // True when a word of `size` characters can be placed within kFoldColumn, folding if need be.
    bool fits(std::size_t size) const { return size <= room() || size + 1 <= kFoldColumn; }
    // The whole field with its final CRLF.
    std::string finish() &&;

private:
    std::string out_;
    std::size_t lineStart_ = 0;
    bool empty_ = true;  // nothing after the colon yet
};

// Unstructured text (Subject, extra headers; RFC 5322 §3.2.5): written as is and folded at its
// spaces when it is printable ASCII that cannot be mistaken for an encoded-word; otherwise as a
// run of UTF-8 encoded-words (B or Q, whichever is shorter) that decode to exactly `text`.
void appendUnstructured(HeaderFolder& folder, std::string_view text);

// A display name (RFC 5322 §3.4 phrase): atoms, a quoted-string, or encoded-words restricted to
// the phrase alphabet of RFC 2047 §5(3).
void appendPhrase(HeaderFolder& folder, std::string_view name);

// True when `address` is a plain ASCII addr-spec we are willing to send to: dot-atom local part,
// dot-atom or [literal] domain, no whitespace, quotes, angle brackets or controls, <= 254 bytes
// (RFC 5321 §4.5.3.1.3). Quoted local parts are refused rather than risked.
bool isSendableAddress(std::string_view address);

// True when `id` can sit between < and > in a msg-id (RFC 5322 §3.6.4): printable ASCII without
// whitespace, angle brackets or quotes, 1..250 bytes.
bool isSendableMessageId(std::string_view id);

// A header field name (RFC 5322 §2.2: printable ASCII except ':', no spaces).
bool isFieldName(std::string_view name);

// "From: …" / "To: a, b" with names encoded; addresses must already be checked.
std::string addressField(std::string_view name, const std::vector<Address>& list);

// `;name="value"` parameters for Content-Type / Content-Disposition. Filenames (RFC 2231 §4,
// with §3 continuations past ~60 characters) as `filename*=utf-8''…`; ASCII-safe ones as a
// quoted-string instead. appendLegacyNameParam writes the RFC 2047-in-quotes form Outlook reads
// from Content-Type `name=` (RFC 2047 §5 forbids it; every major client decodes it anyway).
void appendFilenameParam(HeaderFolder& folder, std::string_view param, std::string_view filename);
void appendLegacyNameParam(HeaderFolder& folder, std::string_view filename);

}  // namespace postdesk::mime::detail
