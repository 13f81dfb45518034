#include "mime/encoded_word.h"

#include <gtest/gtest.h>

#include "mime/charset.h"

namespace postdesk::mime {
namespace {

bool hasWarning(const Warnings& w, std::string_view code) {
    for (const auto& x : w.list())
        if (x.code == code) return true;
    return false;
}

struct Case {
    const char* name;
    std::string raw;
    std::string expected;
    const char* warning;  // nullptr: no warning at all
};

class EncodedWordTable : public ::testing::TestWithParam<Case> {};

TEST_P(EncodedWordTable, DecodesToExpectedText) {
    const Case& c = GetParam();
    Warnings w;
    std::string out = decodeHeaderText(c.raw, w);
    EXPECT_EQ(out, c.expected);
    EXPECT_TRUE(isValidUtf8(out));
    if (c.warning)
        EXPECT_TRUE(hasWarning(w, c.warning)) << c.warning;
    else
        EXPECT_TRUE(w.list().empty()) << w.list().front().code;
}

INSTANTIATE_TEST_SUITE_P(EncodedWord, EncodedWordTable, ::testing::Values(
    Case{"PlainTextIsUnchanged", "Hello world", "Hello world", nullptr},
    Case{"EqualsAndQuestionMarksAloneAreText", "a = b? c=d ?= e?", "a = b? c=d ?= e?", nullptr},
    Case{"FoldedAsciiIsUnchanged", "v=1; a=rsa-sha256;\r\n\tb=AbC+/=", "v=1; a=rsa-sha256;\r\n\tb=AbC+/=", nullptr},
    Case{"QWordDecodes", "=?utf-8?Q?caf=C3=A9?=", "café", nullptr},
    Case{"BWordDecodes", "=?UTF-8?B?Y2Fmw6k=?=", "café", nullptr},
    Case{"LowerCaseEncodingLetters", "=?utf-8?b?Y2Fmw6k=?= =?utf-8?q?_ok?=", "café ok", nullptr},
    Case{"UnderscoreIsSpaceInQ", "=?iso-8859-1?Q?a_b?=", "a b", nullptr},
    Case{"MissingBase64PaddingIsTolerated", "=?utf-8?B?Y2Fmw6k?=", "café", nullptr},
    Case{"WhitespaceBetweenWordsIsDropped", "=?iso-8859-1?Q?a?= =?iso-8859-1?Q?b?=", "ab", nullptr},
    Case{"FoldingBetweenWordsIsDropped", "=?iso-8859-1?Q?a?=\r\n\t =?iso-8859-1?Q?b?=", "ab", nullptr},
    Case{"WhitespaceBeforeTextIsKept", "=?utf-8?Q?a?= b =?utf-8?Q?c?=", "a b c", nullptr},
    Case{"TextAroundWordsIsKept", "Re: [#12] =?utf-8?Q?Gr=C3=BC=C3=9Fe?= again", "Re: [#12] Grüße again", nullptr},
    Case{"WordGluedToTextIsDecoded", "foo=?utf-8?Q?bar?=baz", "foobarbaz", nullptr},
    Case{"CharsetWithLanguageRfc2231", "=?utf-8*en?Q?hello?=", "hello", nullptr},
    Case{"CharsetWithLanguageJoinsSameCharset", "=?UTF-8*en?B?0J/R?= =?utf-8?B?gNC40LLQtdGC?=", "Привет", nullptr},
    Case{"SplitMidCharacterSurvives", "=?utf-8?B?0J/R?= =?utf-8?B?gNC40LLQtdGC?=", "Привет", nullptr},
    Case{"SplitMidCharacterInQ", "=?utf-8?Q?caf=C3?= =?utf-8?Q?=A9?=", "café", nullptr},
    Case{"DifferentCharsetsConvertSeparately", "=?iso-8859-1?Q?caf=E9?= =?utf-8?Q?=C3=A9?=", "caféé", nullptr},
    // FreeScout#3312: ISO-2022-JP words, each with its own escape sequences.
    Case{"Iso2022JpWord", "=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=", "こんにちは", nullptr},
    Case{"Iso2022JpWordsJoined", "=?iso-2022-jp?B?GyRCRnxLXBsoQg==?=\r\n =?iso-2022-jp?B?GyRCOGwbKEI=?=", "日本語", nullptr},
    Case{"Gb2312WordThatIsGbk", "=?gb2312?B?1tDOxIFA?=", "中文丂", nullptr},
    Case{"Koi8rWord", "=?koi8-r?Q?=F0=D2=C9=D7=C5=D4?=", "Привет", nullptr},
    Case{"Windows1251Word", "=?windows-1251?B?z/Do4uXy?=", "Привет", nullptr},
    Case{"EmptyWord", "a =?utf-8?Q?" "?= b", "a  b", nullptr},
    Case{"QuestionMarkEqualsThatIsNoWord", "what =? no ?= way", "what =? no ?= way", nullptr},
    Case{"UnclosedWordIsLiteral", "=?utf-8?Q?broken", "=?utf-8?Q?broken", "bad-encoded-word"},
    Case{"BadBase64IsLiteral", "x =?utf-8?B?@@@@?= y", "x =?utf-8?B?@@@@?= y", "bad-encoded-word"},
    // Spaces inside a Q word: against RFC 2047, decoded as Python, GMime and Zammad do.
    Case{"SpaceInsideQWordIsDecoded", "=?us-ascii?Q?ABC / 123 / West?=", "ABC / 123 / West", "space-in-encoded-word"},
    Case{"LeadingSpaceInsideQWordIsKept", "=?UTF-8?Q? Personal=C3=A4nderung?=", " Personaländerung", "space-in-encoded-word"},
    Case{"SpacedWordNeverSwallowsTheNextWord", "=?utf-8?Q?a b =?utf-8?Q?c?=", "=?utf-8?Q?a b c", "bad-encoded-word"},
    Case{"SpaceInsideBWordIsLiteral", "=?utf-8?B?YSBi YQ==?=", "=?utf-8?B?YSBi YQ==?=", "bad-encoded-word"},
    Case{"TabInsideQWordIsLiteral", "=?utf-8?Q?a b\tc?=", "=?utf-8?Q?a b\tc?=", "bad-encoded-word"},
    Case{"SpacedWordNeedsItsClose", "=?utf-8?Q?a b? c", "=?utf-8?Q?a b? c", "bad-encoded-word"},
    Case{"UnknownEncodingLetterIsNoWord", "=?utf-8?X?abc?=", "=?utf-8?X?abc?=", nullptr},
    Case{"RawUtf8IsKept", "Caf\xC3\xA9 ouvert", "Café ouvert", nullptr},
    Case{"Raw8BitIsSniffed", "Caf\xE9 ouvert", "Café ouvert", "undeclared-8bit"},
    Case{"RawIso2022JpIsDetected", "\x1B$B$3$s$K$A$O\x1B(B", "こんにちは", "undeclared-8bit"},
    Case{"UnknownCharsetWord", "=?x-bogus?Q?abc?=", "abc", nullptr},
    Case{"UnknownCharsetWord8Bit", "=?x-bogus?Q?caf=C3=A9?=", "café", "unknown-charset"},
    Case{"InvalidBytesInWordBecomeReplacement", "=?utf-8?Q?caf=C3=A9=FF?=", "café\xEF\xBF\xBD", "invalid-bytes"},
    Case{"Latin1LabelledUtf8WordIsSniffed", "=?utf-8?Q?caf=E9?=", "café", "charset-mismatch"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(EncodedWord, LongHeaderIsLinear) {
    std::string raw;
    for (int i = 0; i < 20000; ++i) raw += "=?utf-8?Q?a?= ";
    for (int i = 0; i < 20000; ++i) raw += "=?";
    Warnings w;
    std::string out = decodeHeaderText(raw, w);
    EXPECT_TRUE(out.starts_with("aaaa"));
}

TEST(EncodedWord, SpacedUnclosedHeadsStayLinear) {
    std::string raw;
    for (int i = 0; i < 100000; ++i) raw += "=?x?Q?a b ";
    Warnings w;
    EXPECT_EQ(decodeHeaderText(raw, w), raw);
}

TEST(EncodedWord, UnclosedHeadsStayLinear) {
    std::string raw;
    for (int i = 0; i < 100000; ++i) raw += "=?x?Q?a";
    Warnings w;
    EXPECT_EQ(decodeHeaderText(raw, w), raw);  // would take minutes if each head rescanned the rest
    EXPECT_TRUE(w.list().size() <= Warnings::kMaxWarnings);
}

// The plain-ASCII shortcut reads sixteen bytes at a time and the last ones as an overlapping
// block: a word or an 8-bit byte at any offset of any length must still take the decoding path.
TEST(EncodedWord, WordOrEightBitByteAtEveryOffsetIsSeen) {
    for (std::size_t n = 0; n <= 40; ++n) {
        for (std::size_t k = 0; k <= n; ++k) {
            std::string plain(n, 'a');
            Warnings w;
            EXPECT_EQ(decodeHeaderText(plain, w), plain);
            std::string word = plain;
            word.insert(k, " =?utf-8?q?=C3=A9?= ");
            std::string decoded = decodeHeaderText(word, w);
            EXPECT_NE(decoded.find("\xC3\xA9"), std::string::npos) << n << " " << k;
            EXPECT_EQ(decoded.find("=?"), std::string::npos) << n << " " << k;
            std::string high = plain;
            high.insert(k, "\xE9");
            std::string converted = decodeHeaderText(high, w);
            EXPECT_TRUE(isValidUtf8(converted)) << n << " " << k;
            EXPECT_NE(converted, high) << n << " " << k;
        }
    }
}

}  // namespace
}  // namespace postdesk::mime
