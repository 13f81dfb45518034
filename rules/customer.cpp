#include "rules/customer.h"

#include "mime/ascii.h"

namespace postdesk::rules {
namespace {

// "Support+1-abc@Example.test" -> ("support", "example.test").
std::pair<std::string, std::string> baseAndDomain(std::string_view address) {
    std::size_t at = address.rfind('@');
    std::string local = mime::asciiLower(address.substr(0, at == std::string_view::npos ? address.size() : at));
    std::string domain = at == std::string_view::npos ? std::string() : mime::asciiLower(address.substr(at + 1));
    return {local.substr(0, local.find('+')), domain};
}

}  // namespace

bool isOurAddress(std::string_view address, const std::vector<std::string>& ours) {
    if (address.empty()) return false;
    auto mine = baseAndDomain(address);
    for (const auto& o : ours)
        if (baseAndDomain(o) == mine) return true;
    return false;
}

const mime::Address& customerOf(const mime::Message& m, const std::vector<std::string>& ours) {
    for (const auto& r : m.reply_to) {
        if (r.address.find('@') == std::string::npos || isOurAddress(r.address, ours)) continue;
        return r;
    }
    if (!m.from.address.empty()) return m.from;
    if (!m.sender.address.empty()) return m.sender;
    return m.from;
}

}  // namespace postdesk::rules
