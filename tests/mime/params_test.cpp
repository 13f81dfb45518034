#include "mime/params.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace postdesk::mime {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

bool hasWarning(const Warnings& w, std::string_view code) {
    for (const auto& x : w.list())
        if (x.code == code) return true;
    return false;
}

struct Case {
    const char* name;
    std::string raw;
    std::string value;
    Params params;
    const char* warning;  // nullptr: no warning at all
};

class ParamsTable : public ::testing::TestWithParam<Case> {};

TEST_P(ParamsTable, ParsesValueAndParams) {
    const Case& c = GetParam();
    Warnings w;
    HeaderParams hp = parseParams(c.raw, w);
    EXPECT_EQ(hp.value, c.value);
    EXPECT_EQ(hp.params, c.params);
    if (c.warning)
        EXPECT_TRUE(hasWarning(w, c.warning)) << c.warning;
    else
        EXPECT_TRUE(w.list().empty()) << w.list().front().code << ": " << w.list().front().detail;
}

INSTANTIATE_TEST_SUITE_P(Params, ParamsTable, ::testing::Values(
    Case{"SimpleContentType", "text/plain; charset=utf-8", "text/plain", {{"charset", "utf-8"}}, nullptr},
    Case{"ValueAndNamesAreLowerCased", "Text/HTML; CharSet=\"UTF-8\"", "text/html", {{"charset", "UTF-8"}}, nullptr},
    Case{"NoParams", "  attachment  ", "attachment", {}, nullptr},
    Case{"EmptyHeader", "", "", {}, nullptr},
    Case{"QuotedBoundaryWithSemicolon", "multipart/mixed; boundary=\"a;b=c\"", "multipart/mixed", {{"boundary", "a;b=c"}}, nullptr},
    Case{"BackslashEscapesInQuotes", R"(attachment; filename="say \"hi\".txt")", "attachment", {{"filename", "say \"hi\".txt"}}, nullptr},
    Case{"CommentsAreSkipped", "text/plain (body) ; charset=us-ascii (Plain text)", "text/plain", {{"charset", "us-ascii"}}, nullptr},
    Case{"FoldedParams", "multipart/alternative;\r\n\tboundary=\"----=_Part_1\"", "multipart/alternative", {{"boundary", "----=_Part_1"}}, nullptr},
    Case{"MissingClosingQuote", "attachment; filename=\"report.pdf", "attachment", {{"filename", "report.pdf"}}, nullptr},
    Case{"UnquotedValueWithSpaces", "attachment; filename=my report.pdf; size=10", "attachment", {{"filename", "my report.pdf"}, {"size", "10"}}, nullptr},
    Case{"MissingSemicolonAfterType", "text/plain charset=utf-8", "text/plain", {{"charset", "utf-8"}}, nullptr},
    Case{"MissingSemicolonBetweenParams", "text/plain; charset=utf-8 format=flowed", "text/plain", {{"charset", "utf-8"}, {"format", "flowed"}}, nullptr},
    Case{"TrailingSemicolon", "text/plain; charset=utf-8;", "text/plain", {{"charset", "utf-8"}}, nullptr},
    Case{"DuplicateFirstWins", "text/plain; charset=utf-8; charset=iso-8859-1", "text/plain", {{"charset", "utf-8"}}, nullptr},
    Case{"Rfc2047InQuotedValue", "attachment; filename=\"=?utf-8?B?0JTQvtC60YPQvNC10L3Rgi5wZGY=?=\"", "attachment", {{"filename", "Документ.pdf"}}, nullptr},
    Case{"Rfc2231CharsetAndPercent", "attachment; filename*=UTF-8''caf%C3%A9.txt", "attachment", {{"filename", "café.txt"}}, nullptr},
    Case{"Rfc2231WithLanguage", "attachment; filename*=iso-8859-1'fr'caf%E9.txt", "attachment", {{"filename", "café.txt"}}, nullptr},
    Case{"Rfc2231Windows1251", "attachment; filename*=windows-1251''%CE%F2%F7%B8%F2.doc", "attachment", {{"filename", "Отчёт.doc"}}, nullptr},
    Case{"Rfc2231QuotedExtendedValue", "attachment; filename*=\"UTF-8''a%20b.txt\"", "attachment", {{"filename", "a b.txt"}}, nullptr},
    Case{"Rfc2231CyrillicFilenameInThreePieces",
         "attachment; filename*0*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%D0;\r\n"
         " filename*1*=%B7%D0%B0%20%D0%BC; filename*2*=%D0%B0%D0%B9.pdf",
         "attachment", {{"filename", "Отчёт за май.pdf"}}, nullptr},
    Case{"Rfc2231PiecesOutOfOrder", "attachment; filename*2=\"c.txt\"; filename*0=\"a\"; filename*1=\"b\"", "attachment", {{"filename", "abc.txt"}}, nullptr},
    Case{"Rfc2231MixedEncodedAndPlain", "attachment; filename*0*=utf-8''%C3%A9t%C3%A9; filename*1=\" 2024.txt\"", "attachment", {{"filename", "été 2024.txt"}}, nullptr},
    Case{"Rfc2231WinsOverPlainFilename", "attachment; filename=\"fallback.txt\"; filename*=utf-8''%E2%82%AC.txt", "attachment", {{"filename", "€.txt"}}, nullptr},
    Case{"Rfc2231WinsEvenWhenFirst", "attachment; filename*=utf-8''%E2%82%AC.txt; filename=\"fallback.txt\"", "attachment", {{"filename", "€.txt"}}, nullptr},
    Case{"Rfc2231DuplicateSectionFirstWins", "a; t*0=x; t*0=y; t*1=z", "a", {{"t", "xz"}}, nullptr},
    Case{"Rfc2231MissingSectionWarns", "a; t*0=x; t*2=z", "a", {{"t", "xz"}}, "bad-parameter"},
    Case{"Rfc2231WithoutCharsetPrefix", "a; t*=caf%C3%A9", "a", {{"t", "café"}}, nullptr},
    Case{"Rfc2231LonePercentIsKept", "a; t*=utf-8''100%", "a", {{"t", "100%"}}, nullptr},
    Case{"Raw8BitFilenameIsSniffed", "attachment; filename=\"caf\xE9.txt\"", "attachment", {{"filename", "café.txt"}}, "undeclared-8bit"},
    Case{"RawUtf8FilenameIsKept", "attachment; filename=\"\xD0\xB4\xD0\xB0.txt\"", "attachment", {{"filename", "да.txt"}}, nullptr},
    Case{"ParamWithoutValueIsSkipped", "text/plain; flowed; charset=utf-8", "text/plain", {{"charset", "utf-8"}}, "bad-parameter"},
    Case{"EmptyNameIsSkipped", "text/plain; =x; charset=utf-8", "text/plain", {{"charset", "utf-8"}}, "bad-parameter"},
    Case{"JunkAfterQuotedValue", "text/plain; charset=\"utf-8\"junk; format=flowed", "text/plain", {{"charset", "utf-8"}, {"format", "flowed"}}, nullptr},
    Case{"BoundaryIsNotDecoded", "multipart/mixed; boundary=\"=?x?Q?y?=\"", "multipart/mixed", {{"boundary", "=?x?Q?y?="}}, nullptr}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Params, GetFindsFirstMatchCaseInsensitively) {
    Warnings w;
    HeaderParams hp = parseParams("text/plain; charset=utf-8; format=flowed", w);
    EXPECT_EQ(hp.get("charset"), "utf-8");
    EXPECT_EQ(hp.get("Format"), "flowed");
    EXPECT_FALSE(hp.get("delsp").has_value());
}

TEST(Params, HostileInputStaysBounded) {
    std::string raw = "text/plain";
    for (int i = 0; i < 5000; ++i) raw += "; x*" + std::to_string(i % 1200) + "*=%41";
    raw += "; name=a" + std::string(1 << 20, ' ') + "b; \"(((((";
    Warnings w;
    HeaderParams hp = parseParams(raw, w);
    EXPECT_EQ(hp.value, "text/plain");
    EXPECT_LE(w.list().size(), Warnings::kMaxWarnings);
}

}  // namespace
}  // namespace postdesk::mime
