#include "mime/date.h"

#include <gtest/gtest.h>

namespace postdesk::mime {
namespace {

struct DateCase {
    const char* input;
    const char* iso;  // nullptr: unparseable
    int tz;
};

class DateParse : public ::testing::TestWithParam<DateCase> {};

TEST_P(DateParse, ReadsTheFormsMailUses) {
    const auto& c = GetParam();
    auto dt = parseDate(c.input);
    if (!c.iso) {
        EXPECT_FALSE(dt) << c.input;
        return;
    }
    ASSERT_TRUE(dt) << c.input;
    EXPECT_EQ(formatIsoUtc(dt->epoch), c.iso) << c.input;
    EXPECT_EQ(dt->tz_minutes, c.tz) << c.input;
}

INSTANTIATE_TEST_SUITE_P(
    Date, DateParse,
    ::testing::Values(DateCase{"Tue, 17 Nov 2026 06:15:00 +0000", "2026-11-17T06:15:00Z", 0},
                      DateCase{"Tue, 17 Nov 2026 09:15:00 +0300", "2026-11-17T06:15:00Z", 180},
                      DateCase{"17 Nov 2026 01:15 -0500", "2026-11-17T06:15:00Z", -300},
                      DateCase{"Tue, 17 Nov 2026 06:15:00 GMT", "2026-11-17T06:15:00Z", 0},
                      DateCase{"Mon, 16 Nov 2026 22:15:00 PST", "2026-11-17T06:15:00Z", -480},
                      DateCase{"Tue, 17 Nov 26 06:15:00 +0000", "2026-11-17T06:15:00Z", 0},
                      DateCase{"Tue, 17 Nov 1997 06:15:00 +0000 (UTC)", "1997-11-17T06:15:00Z", 0},
                      DateCase{"17-Nov-2026 07:15:00 +0100 (CET)", "2026-11-17T06:15:00Z", 60},
                      DateCase{"Tue Nov 17 06:15:00 2026", "2026-11-17T06:15:00Z", 0},
                      DateCase{"Thu, 1 Jan 1970 00:00:00 +0000", "1970-01-01T00:00:00Z", 0},
                      DateCase{"Sat, 29 Feb 2020 23:59:59 -0000", "2020-02-29T23:59:59Z", 0},
                      DateCase{"Tue,  17  Nov  2026  06:15:00  +0000", "2026-11-17T06:15:00Z", 0},
                      DateCase{"gestern", nullptr, 0}, DateCase{"", nullptr, 0},
                      DateCase{"Tue, 17 Nov 2026", nullptr, 0}));

}  // namespace
}  // namespace postdesk::mime
