#include "mime/detail/transfer_encode.h"

#include <iterator>
#include <mimetic/codec/base64.h>
#include <mimetic/codec/code.h>

namespace postdesk::mime::detail {
namespace {

constexpr std::size_t kMaxSevenBitLine = 998;  // RFC 5322 §2.1.1, without the CRLF
constexpr std::size_t kQpLine = 76;            // RFC 2045 §6.7 rule 5, including a soft-break '='
constexpr std::size_t kBase64Line = 76;        // RFC 2045 §6.8

bool startsWithFrom(std::string_view line) { return line.substr(0, 5) == "From "; }

// Calls fn(line) for each "\n"-separated line; the last one may be empty.
template <typename Fn>
void forEachLine(std::string_view text, Fn fn) {
    for (;;) {
        std::size_t nl = text.find('\n');
        fn(text.substr(0, nl), nl != std::string_view::npos);
        if (nl == std::string_view::npos) return;
        text.remove_prefix(nl + 1);
    }
}

bool isSevenBitLine(std::string_view line) {
    if (line.size() > kMaxSevenBitLine || startsWithFrom(line)) return false;
    for (unsigned char c : line)
        if (c != '\t' && (c < 0x20 || c > 0x7E)) return false;
    return true;
}

// Writes encoded tokens into lines of at most kQpLine characters, the last being '=' on a soft
// break (RFC 2045 §6.7 rule 5).
class QpWriter {
public:
    // True when the next token will start a physical line.
    bool atLineStart(std::size_t tokenSize) const { return col_ == 0 || col_ + tokenSize > kQpLine - 1; }
    void put(std::string_view token) {
        if (col_ + token.size() > kQpLine - 1) {
            out_ += "=\r\n";
            col_ = 0;
        }
        out_ += token;
        col_ += token.size();
    }
    void hardBreak() {
        out_ += "\r\n";
        col_ = 0;
    }
    std::string take() && { return std::move(out_); }

private:
    std::string out_;
    std::size_t col_ = 0;
};

std::string hexEscape(unsigned char c) {
    static constexpr char kHex[] = "0123456789ABCDEF";  // RFC 2045 §6.7 rule 1: upper case
    return {'=', kHex[c >> 4], kHex[c & 0xF]};
}

void encodeQpLine(QpWriter& w, std::string_view line) {
    for (std::size_t j = 0; j < line.size(); ++j) {
        unsigned char c = static_cast<unsigned char>(line[j]);
        bool blank = c == ' ' || c == '\t';
        // Rule 3: a blank that would end the encoded line must be encoded.
        bool literal = (c >= 33 && c <= 126 && c != '=') || (blank && j + 1 < line.size());
        // A physical line starting "From " is rewritten by mbox writers; =46 keeps it intact.
        if (literal && c == 'F' && w.atLineStart(1) && startsWithFrom(line.substr(j))) literal = false;
        if (literal) w.put(std::string_view(line.data() + j, 1));
        else w.put(hexEscape(c));
    }
}

}  // namespace

const char* toString(TransferEncoding encoding) {
    switch (encoding) {
        case TransferEncoding::SevenBit: return "7bit";
        case TransferEncoding::QuotedPrintable: return "quoted-printable";
        case TransferEncoding::Base64: return "base64";
    }
    return "7bit";
}

TransferEncoding chooseTextEncoding(std::string_view text) {
    bool clean = true;
    forEachLine(text, [&](std::string_view line, bool) { clean = clean && isSevenBitLine(line); });
    return clean ? TransferEncoding::SevenBit : TransferEncoding::QuotedPrintable;
}

std::string sevenBitBody(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    forEachLine(text, [&](std::string_view line, bool more) {
        out += line;
        if (more) out += "\r\n";
    });
    return out;
}

std::string encodeQuotedPrintable(std::string_view text) {
    QpWriter w;
    forEachLine(text, [&](std::string_view line, bool more) {
        encodeQpLine(w, line);
        if (more) w.hardBreak();
    });
    return std::move(w).take();
}

std::string encodeBase64Plain(std::string_view data) {
    mimetic::Base64::Encoder encoder(0);  // 0: no line breaks; see the header for why
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    mimetic::encode(data.begin(), data.end(), encoder, std::back_inserter(out));
    return out;
}

std::string encodeBase64Lines(std::string_view data) {
    std::string flat = encodeBase64Plain(data);
    std::string out;
    out.reserve(flat.size() + flat.size() / kBase64Line * 2 + 2);
    for (std::size_t at = 0; at < flat.size(); at += kBase64Line) {
        out.append(flat, at, kBase64Line);
        out += "\r\n";
    }
    return out;
}

}  // namespace postdesk::mime::detail
