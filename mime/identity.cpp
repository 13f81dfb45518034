#include "mime/identity.h"

#include "mime/address.h"
#include "mime/detail/header_block.h"
#include "mime/digest.h"

namespace postdesk::mime {

std::string mailIdentity(std::string_view raw) {
    Limits limits;
    Warnings w;
    detail::HeaderBlock hb = detail::splitHeader(raw.substr(0, limits.max_header_block_bytes), limits, w);
    const detail::Field* id = detail::findField(hb.fields, "Message-ID");
    std::vector<std::string> ids = id ? parseMessageIds(id->value) : std::vector<std::string>{};
    if (ids.empty()) return "sha256:" + sha256Hex(raw);
    std::string from;
    if (const detail::Field* f = detail::findField(hb.fields, "From")) from = parseMailbox(f->value, w).address;
    for (auto& c : from)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return "mid:" + ids.front() + "|" + from;
}

}  // namespace postdesk::mime
