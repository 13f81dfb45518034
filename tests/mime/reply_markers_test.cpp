// Edge cases of the cheap rejections in front of the splitter recognisers: a line is skipped
// without the phrase search only when no attribution form could match it.
#include "mime/detail/reply_markers.h"

#include <gtest/gtest.h>

namespace postdesk::mime::detail {
namespace {

struct Case {
    const char* name;
    Lines lines;
    std::size_t spans;   // Splitter::lines at line 0
    std::size_t column;  // Splitter::column at line 0
};

class SplitterAtLineZero : public ::testing::TestWithParam<Case> {};

TEST_P(SplitterAtLineZero, IsFoundExactlyWhenAFormMatches) {
    Splitter s = findSplitter(GetParam().lines, 0);
    EXPECT_EQ(s.lines, GetParam().spans);
    EXPECT_EQ(s.column, GetParam().column);
}

const Case kCases[] = {
    {"AddressWithoutDigitOnOneLine", {"ann@x.org wrote:", "> q"}, 1, 0},
    {"AngleAddressWithoutDigit", {"Ann <ann@x.org> wrote:", "> q"}, 1, 0},
    {"NameOnlyWithoutDigitOrAddressIsText", {"Ann wrote:", "> q"}, 0, 0},
    {"OpenerWithoutDigitIsText", {"On Monday Ann wrote:", "> q"}, 0, 0},
    {"DigitAndCloserThenColon", {"Ann (5) wrote:", "> q"}, 1, 0},
    {"CloserNotLastIsText", {"I sent 5 items:", "a"}, 0, 0},
    {"OpenerDigitCloserWithoutColon", {"On 5 Jan 2026, Ann wrote", "> q"}, 1, 0},
    {"DateAndAddressEndingInColon", {"2014-10-17 10:07 GMT+04:00 Ann <a@x.ru>:", "> q"}, 1, 0},
    {"DateAndAddressEndingInAngleBeforeQuote", {"2014-10-17 Ann <a@x.ru>", "", "> q"}, 1, 0},
    {"DateAndAddressEndingInAngleBeforeTextIsText", {"2014-10-17 Ann <a@x.ru>", "", "text"}, 0, 0},
    {"AndroidDashedWrote", {"---- Ann wrote ----", "old"}, 1, 0},
    {"AttributionWrappedAfterDigitLine", {"On 5 Jan 2026 Ann Example", "<ann@x.org> wrote:", "> q"}, 2, 0},
    {"MidLineAttributionKeepsTheReplyPart", {"Thanks! On 5 Jan 2026, Ann <a@x.org> wrote:", "> q"}, 1, 8},
    {"ProseWithAtSignIsText", {"mail me at ann@x.org please", "bye"}, 0, 0},
};

INSTANTIATE_TEST_SUITE_P(ReplyMarkers, SplitterAtLineZero, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ReplyMarkers, ForwardMarkerNeedsLeadingDashOrTrailingColon) {
    EXPECT_TRUE(isForwardMarker("Begin forwarded message:"));
    EXPECT_TRUE(isForwardMarker("  -------- Forwarded Message --------"));
    EXPECT_TRUE(isForwardMarker("-- Пересылаемое сообщение --"));
    EXPECT_FALSE(isForwardMarker("The forwarded message is below"));
    EXPECT_FALSE(isForwardMarker("Forwarded message: see below."));
}

}  // namespace
}  // namespace postdesk::mime::detail
