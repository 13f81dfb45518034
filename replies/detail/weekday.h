// postdesk::replies::detail — the customer's weekday, from an instant and a UTC offset.
#pragma once

#include <cstdint>

namespace postdesk::replies::detail {

// 0 = Sunday … 6 = Saturday, for the local date at `epochSeconds` in a zone `tzMinutes` east of
// UTC. Floors towards the past, so instants before 1970 work too.
int localWeekday(std::int64_t epochSeconds, int tzMinutes);

}  // namespace postdesk::replies::detail
