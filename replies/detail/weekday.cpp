#include "replies/detail/weekday.h"

namespace postdesk::replies::detail {

int localWeekday(std::int64_t epochSeconds, int tzMinutes) {
    constexpr std::int64_t kDay = 86400;
    constexpr int kThursday = 4;  // 1970-01-01
    const std::int64_t local = epochSeconds + std::int64_t{tzMinutes} * 60;
    std::int64_t days = local / kDay;
    if (local % kDay < 0) --days;
    const auto weekday = (kThursday + days % 7 + 7) % 7;
    return static_cast<int>(weekday);
}

}  // namespace postdesk::replies::detail
