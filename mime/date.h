// postdesk::mime — RFC 5322 §3.3 date-time, as real mail writes it.
//
// Accepts the obsolete forms of RFC 5322 §4.3 and common breakage: no day name, two- or
// four-digit years, missing seconds, named zones (UT, GMT, EST…PDT, military letters, "Z"),
// "+0100 (CET)" comments, '-' separators ("17-Nov-2026"), a missing zone (taken as UTC), extra
// spaces, and the asctime form "Tue Nov 17 06:15:00 2026". Returns nullopt when no date can be
// read. Pure and allocation-free apart from the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace postdesk::mime {

struct DateTime {
    std::int64_t epoch = 0;  // seconds since 1970-01-01T00:00:00Z
    int tz_minutes = 0;      // the writer's offset from UTC (+60 for +0100)
};

std::optional<DateTime> parseDate(std::string_view text);

// "2026-11-17T06:15:00Z"
std::string formatIsoUtc(std::int64_t epoch);

}  // namespace postdesk::mime
