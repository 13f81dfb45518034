#include "mime/message.h"

#include "mime/detail/header_block.h"

namespace postdesk::mime {

const char* toString(AutoKind kind) {
    switch (kind) {
        case AutoKind::None: return "none";
        case AutoKind::AutoReply: return "auto-reply";
        case AutoKind::Bounce: return "bounce";
        case AutoKind::List: return "list";
    }
    return "none";
}

const Header* Message::header(std::string_view name) const {
    for (const auto& h : headers)
        if (detail::iequals(h.name, name)) return &h;
    return nullptr;
}

}  // namespace postdesk::mime
