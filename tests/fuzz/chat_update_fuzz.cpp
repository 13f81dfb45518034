// libFuzzer target for the chat update parsers (gateway/bridge/telegram_update.h): any bytes as a
// Telegram Update or a generic webhook event must give an event or an error — never a crash, a
// sanitizer report or a hang — because both arrive from the network (the webhook body is
// authenticated, but Telegram's JSON is trusted input only as far as its shape goes). The first
// byte picks the parser.
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/bridge/telegram_update.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view json(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::string error;
    auto event = (data[0] & 1) ? postdesk::bridge::parseWebhookEvent(json, error) : postdesk::bridge::parseTelegramUpdate(json, error);
    if (event && event->command && event->command->empty()) __builtin_trap();  // a command is at least "/"
    postdesk::bridge::utf16Length(json);
    for (std::size_t units = 0; units < 8; ++units) postdesk::bridge::utf8OffsetOfUtf16(json, units);
    return 0;
}
