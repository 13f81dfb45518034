// postdesk::rules::detail — what the Sieve `address` and `envelope` tests see of one address
// (RFC 5228 §2.7.4), shaped to agree with Pigeonhole.
//
// The input is an addr-spec as mime::parseAddressList writes it. It is valid when the local part
// is a dot-atom or obsolete word-and-dot run of ASCII atext, or a quoted string, and the domain is
// dot-separated non-empty labels (atext or 8-bit, as Pigeonhole accepts) or a [literal]. RFC 5228
// §2.7.4: an address that is not syntactically valid is not matched by :localpart or :domain;
// the evaluator skips it, and a header with no valid address at all offers its raw value to :all
// (what Pigeonhole does). :all is local "@" domain with the local part quoted when it is not a
// dot-atom (`"joe."@ex.com`); :localpart is unquoted. Pure; never throws.
#pragma once

#include <string>
#include <string_view>

namespace postdesk::rules::detail {

// One string for the three parts: `all`, with :localpart and :domain views into it (the
// unquoted local part is kept apart only when `all` quotes it).
struct SieveAddress {
    bool valid = false;
    std::string all;
    std::size_t at = 0;         // position of the '@' in `all`
    bool quoted = false;        // `all` quotes the local part
    std::string unquoted;       // the local part, when quoted

    std::string_view localpart() const { return quoted ? std::string_view(unquoted) : std::string_view(all).substr(0, at); }
    std::string_view domain() const { return std::string_view(all).substr(at + 1); }
};

SieveAddress sieveAddress(std::string_view addrSpec);

}  // namespace postdesk::rules::detail
