// postdesk — time as a value passed in (STYLE.md §7: backoff tests never sleep).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace postdesk {

// Seconds since the epoch.
using Clock = std::function<std::int64_t()>;

inline std::int64_t systemNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace postdesk
