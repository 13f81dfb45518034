// libFuzzer target for mime::parse: any bytes must parse without a crash, a sanitizer report,
// a hang or unbounded memory, and every string in the result must be valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mime/charset.h"
#include "mime/parse.h"

namespace {

void requireUtf8(std::string_view s) {
    if (!postdesk::mime::isValidUtf8(s)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    postdesk::mime::Limits limits;
    limits.max_parts = 200;  // smaller bounds keep each run fast; the logic is the same
    limits.max_depth = 50;
    auto m = postdesk::mime::parse(std::string_view(reinterpret_cast<const char*>(data), size), limits);
    requireUtf8(m.subject);
    requireUtf8(m.text);
    requireUtf8(m.reply_text);
    requireUtf8(m.from.name);
    if (m.html) requireUtf8(*m.html);
    for (const auto& a : m.to) requireUtf8(a.name);
    for (const auto& a : m.attachments) {
        requireUtf8(a.filename);
        requireUtf8(a.content_id);
        requireUtf8(a.content_type);
    }
    for (const auto& h : m.headers) requireUtf8(h.value);
    return 0;
}
