#include "rules/sieve_input.h"

#include "mime/ascii.h"

namespace postdesk::rules {

SieveInput sieveInputFor(const mime::Message& m) {
    SieveInput in;
    in.headers = m.headers;
    in.envelope_from = m.return_path.value_or(m.from.address);
    for (const auto& h : m.headers) {
        if (mime::asciiLower(h.name) == "delivered-to") {
            in.envelope_to = h.value;
            break;
        }
    }
    if (in.envelope_to.empty() && !m.to.empty()) in.envelope_to = m.to.front().address;
    in.size = m.raw_size;
    in.auto_kind = mime::toString(m.auto_kind);
    return in;
}

}  // namespace postdesk::rules
