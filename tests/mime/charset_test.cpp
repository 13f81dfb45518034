#include "mime/charset.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <optional>

namespace postdesk::mime {
namespace {

bool hasWarning(const Warnings& w, std::string_view code) {
    for (const auto& x : w.list())
        if (x.code == code) return true;
    return false;
}

std::optional<std::string> readShared(const std::string& rel) {
    std::ifstream in(std::string(POSTDESK_SHARED_DIR) + "/corpus/" + rel, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Case {
    const char* name;
    std::string bytes;
    const char* charset;
    std::string expected;
    const char* warning;  // nullptr: no warning at all
};

class CharsetTable : public ::testing::TestWithParam<Case> {};

TEST_P(CharsetTable, ConvertsToExpectedUtf8) {
    const Case& c = GetParam();
    Warnings w;
    std::string out = toUtf8(c.bytes, c.charset, w);
    EXPECT_EQ(out, c.expected);
    EXPECT_TRUE(isValidUtf8(out));
    if (c.warning)
        EXPECT_TRUE(hasWarning(w, c.warning)) << c.warning;
    else
        EXPECT_TRUE(w.list().empty()) << w.list().front().code;
}

// "Привет, как дела? Это тест" in windows-1251 and koi8-r.
const std::string kRuCp1251 = "\xCF\xF0\xE8\xE2\xE5\xF2, \xEA\xE0\xEA \xE4\xE5\xEB\xE0? \xDD\xF2\xEE \xF2\xE5\xF1\xF2";
const std::string kRuKoi8 = "\xF0\xD2\xC9\xD7\xC5\xD4, \xCB\xC1\xCB \xC4\xC5\xCC\xC1? \xFC\xD4\xCF \xD4\xC5\xD3\xD4";
const std::string kRuUtf8 = "Привет, как дела? Это тест";

INSTANTIATE_TEST_SUITE_P(Charset, CharsetTable, ::testing::Values(
    Case{"AsciiDeclaredUtf8IsCopied", "Hello, world", "utf-8", "Hello, world", nullptr},
    Case{"AsciiUndeclaredIsCopied", "Hello", "", "Hello", nullptr},
    Case{"Utf8IsCopied", "caf\xC3\xA9", "UTF-8", "café", nullptr},
    Case{"Utf8LabelledUsAsciiIsAccepted", "caf\xC3\xA9", "us-ascii", "café", nullptr},
    Case{"Utf8UndeclaredIsAccepted", "caf\xC3\xA9", "", "café", nullptr},
    Case{"Latin1IsDecoded", "caf\xE9", "iso-8859-1", "café", nullptr},
    Case{"Latin1LabelGetsWindows1252Quotes", "\x93hi\x94 \x80", "latin1", "“hi” €", nullptr},
    Case{"Windows1252ViaCpAlias", "\x80", "cp1252", "€", nullptr},
    Case{"Windows1251Declared", kRuCp1251, "windows-1251", kRuUtf8, nullptr},
    Case{"Koi8rDeclared", kRuKoi8, "KOI8-R", kRuUtf8, nullptr},
    Case{"Windows1251WithoutDeclarationIsSniffed", kRuCp1251, "", kRuUtf8, "undeclared-8bit"},
    Case{"Koi8rWithoutDeclarationIsSniffed", kRuKoi8, "", kRuUtf8, "undeclared-8bit"},
    Case{"ShortWindows1251WithoutDeclaration", "\xCF\xF0\xE8\xE2\xE5\xF2", "", "Привет", "undeclared-8bit"},
    Case{"ShortKoi8rWithoutDeclaration", "\xF0\xD2\xC9\xD7\xC5\xD4", "", "Привет", "undeclared-8bit"},
    Case{"ShortWesternFallsBackToWindows1252", "caf\xE9", "", "café", "undeclared-8bit"},
    Case{"UsAsciiWith8BitIsSniffed", "Gr\xFC\xDF" "e", "us-ascii", "Grüße", "charset-mismatch"},
    // "中文" is 0xD6D0 0xCEC4 in GB2312; 0x8140 (丂) exists only in GBK.
    Case{"Gb2312ThatIsReallyGbkDecodes", "\xD6\xD0\xCE\xC4\x81\x40", "gb2312", "中文丂", nullptr},
    Case{"XGbkAlias", "\xD6\xD0\xCE\xC4", "x-gbk", "中文", nullptr},
    Case{"KsC56011987IsCp949", "\xC7\xD1\xB1\xB9", "ks_c_5601-1987", "한국", nullptr},
    Case{"Iso88598iIsIso88598", "\xF9\xEC\xE5\xED", "iso-8859-8-i", "שלום", nullptr},
    Case{"Utf8WithoutDashIsUtf8", "\xC3\xA9", "utf8", "é", nullptr},
    Case{"Utf7Decodes", "Hi Mom -+Jjo--!", "unicode-1-1-utf-7", "Hi Mom -☺-!", nullptr},
    Case{"Utf7AsciiIsNotFastPathed", "1 +- 1", "utf-7", "1 + 1", nullptr},
    Case{"MacRomanAlias", "\x8E", "x-mac-roman", "é", nullptr},
    Case{"Iso2022JpDeclared", "\x1B$B$3$s$K$A$O\x1B(B", "iso-2022-jp", "こんにちは", nullptr},
    Case{"Iso2022JpWithoutCharsetIsDetected", "\x1B$B$3$s$K$A$O\x1B(B", "", "こんにちは", "undeclared-8bit"},
    Case{"Iso2022JpLabelledUsAsciiIsDetected", "\x1B$B$3$s$K$A$O\x1B(B", "us-ascii", "こんにちは", "charset-mismatch"},
    Case{"Utf8LabelledLatin1IsUtf8", "caf\xC3\xA9", "iso-8859-1", "café", "charset-mismatch"},
    Case{"WronglyDeclaredUtf8IsSniffed", kRuCp1251, "utf-8", kRuUtf8, "charset-mismatch"},
    // Starts like UTF-8 ("\xD0\x9F" is П) but is not: the declared windows-1251 holds.
    Case{"Windows1251StartingLikeUtf8", "\xD0\x9F\xF0\xE8", "windows-1251", "Рџри", nullptr},
    Case{"DamagedUtf8KeepsGoodPart", "caf\xC3\xA9 na\xEFve \xC3\xA0", "utf-8", "café na\xEF\xBF\xBDve à", "invalid-bytes"},
    Case{"RawShiftJisWordIsJapanese", "\x83\x63\x81\x5B\x83\x8B", "", "ツール", "undeclared-8bit"},
    Case{"TwoAccentsInARowStayWestern", "Gr\xFC\xDF dich, caf\xE9", "", "Grüß dich, café", "undeclared-8bit"},
    Case{"OneEuroSignOutweighsTwoStrayBytes", "100 \xE2\x82\xAC and \xFF\xFE", "utf-8", "100 € and \xEF\xBF\xBD\xEF\xBF\xBD", "invalid-bytes"},
    Case{"UnknownCharsetIsSniffed", "caf\xC3\xA9", "x-no-such-charset", "café", "unknown-charset"},
    Case{"UnknownLabelIsUndeclared", "caf\xE9", "unknown-8bit", "café", "undeclared-8bit"},
    Case{"QuotedAndPaddedLabel", "caf\xE9", " \"ISO-8859-1\" ", "café", nullptr},
    Case{"Utf16WithBom", std::string("\xFF\xFEh\0i\0", 6), "utf-16", "hi", nullptr},
    Case{"EmptyInput", "", "koi8-r", "", nullptr}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Charset, InvalidBytesBecomeReplacementCharacters) {
    Warnings w;
    // 0x81 is undefined in CP1252 and Shift_JIS lead 0x82 is cut off: nothing converts cleanly.
    std::string out = toUtf8("a\x81" "b", "windows-1252", w);
    EXPECT_TRUE(isValidUtf8(out));
    EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);
    EXPECT_EQ(out.front(), 'a');
    EXPECT_EQ(out.back(), 'b');
    EXPECT_FALSE(w.list().empty());
}

TEST(Charset, NoTextIsDroppedFromGarbage) {
    Warnings w;
    std::string garbage;
    for (int i = 0; i < 256; ++i) garbage.push_back(static_cast<char>(i));
    for (const char* cs : {"", "utf-8", "us-ascii", "shift_jis", "gb2312", "iso-2022-jp", "utf-16", "euc-kr"}) {
        std::string out = toUtf8(garbage, cs, w);
        EXPECT_TRUE(isValidUtf8(out)) << cs;
        if (std::string_view(cs) != "utf-16") {
            EXPECT_NE(out.find("xyz"), std::string::npos) << cs;
        }
    }
}

TEST(Charset, AppendKeepsExistingText) {
    Warnings w;
    std::string out = "x";
    appendUtf8(out, "caf\xE9", "latin1", w);
    EXPECT_EQ(out, "xcafé");
}

struct Utf8Case {
    std::string bytes;
    bool valid;
};

TEST(Charset, Utf8ValidationIsStrict) {
    const Utf8Case cases[] = {
        {"", true}, {"abc", true}, {"\xC3\xA9", true}, {"\xE2\x82\xAC", true}, {"\xF0\x9F\x98\x80", true},
        {"\xC0\xAF", false},          // overlong '/'
        {"\xE0\x80\xAF", false},      // overlong
        {"\xED\xA0\x80", false},      // surrogate
        {"\xF4\x90\x80\x80", false},  // above U+10FFFF
        {"\xC3", false},              // truncated
        {"\x80", false},              // lone continuation
        {"abcdefgh\xFF", false},      // after the 8-byte ASCII skip
        // the inline two-byte path: its lead range edges, a missing or wrong second byte
        {"\xC2\x80\xDF\xBF", true}, {"\xC1\xBF", false}, {"ab\xD0", false}, {"\xD0\xD0\x9F", false},
        {"\xD0\x9F\xD1\x80\xD0", false}, {"\xE0\xA0\x80\xD0\x9F", true},
    };
    for (const auto& c : cases) EXPECT_EQ(isValidUtf8(c.bytes), c.valid) << c.bytes;
}

TEST(Charset, PlainAsciiRejectsHighBytesAndEscape) {
    EXPECT_TRUE(isPlainAscii(""));
    EXPECT_TRUE(isPlainAscii("0123456789abcdefghij"));
    EXPECT_FALSE(isPlainAscii("0123456789abcdef\x1B"));
    EXPECT_FALSE(isPlainAscii("0123456\x1B" "89abcdef"));
    EXPECT_FALSE(isPlainAscii("01234567\x80"));
    EXPECT_FALSE(isPlainAscii("\xC3\xA9"));
}

struct SharedCase {
    const char* file;
    const char* charset;  // declared; "" to test sniffing
};

TEST(Charset, SharedCorpusTextsMatchTheirUtf8Versions) {
    const SharedCase cases[] = {
        {"cyrillic.cp1251.txt", ""}, {"cyrillic.koi8-r.txt", ""}, {"cyrillic.iso-8859-5.txt", ""},
        {"cyrillic.cp1251.txt", "windows-1251"}, {"japanese.iso-2022-jp.txt", ""},
        {"japanese.shift-jis.txt", ""}, {"japanese.shift-jis.txt", "shift_jis"},
    };
    if (!readShared("gmime/charsets/cyrillic.utf-8.txt")) GTEST_SKIP() << "shared corpus absent";
    for (const auto& c : cases) {
        std::string file = c.file;
        std::string lang = file.substr(0, file.find('.'));
        auto bytes = readShared("gmime/charsets/" + file);
        auto utf8 = readShared("gmime/charsets/" + lang + ".utf-8.txt");
        ASSERT_TRUE(bytes && utf8) << file;
        Warnings w;
        EXPECT_EQ(toUtf8(*bytes, c.charset, w), *utf8) << file << " as '" << c.charset << "'";
    }
}

// The Big5 file lacks the kanji Big5 has no code for, so it is compared by shape, not equality.
TEST(Charset, Big5WithoutDeclarationIsSniffed) {
    auto bytes = readShared("gmime/charsets/chinese.big5.txt");
    if (!bytes) GTEST_SKIP() << "shared corpus absent";
    Warnings w;
    std::string out = toUtf8(*bytes, "", w);
    EXPECT_TRUE(out.starts_with("基換年大田胞中強活味。")) << out.substr(0, 40);
    EXPECT_EQ(out.find("\xEF\xBF\xBD"), std::string::npos);
    EXPECT_TRUE(hasWarning(w, "undeclared-8bit"));
}

TEST(Charset, FrenchWindows1252FromCorpus) {
    auto bytes = readShared("gmime/charsets/french-fable.cp1252.txt");
    if (!bytes) GTEST_SKIP() << "shared corpus absent";
    Warnings w;
    std::string out = toUtf8(*bytes, "", w);
    EXPECT_TRUE(isValidUtf8(out));
    EXPECT_EQ(out.find("\xEF\xBF\xBD"), std::string::npos);
    EXPECT_NE(out.find("é"), std::string::npos);
}

}  // namespace
}  // namespace postdesk::mime
