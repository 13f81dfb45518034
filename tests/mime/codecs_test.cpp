#include "mime/codecs.h"

#include <gtest/gtest.h>

namespace postdesk::mime {
namespace {

std::string b64(std::string_view in, std::size_t* garbage = nullptr) {
    std::string out;
    std::size_t g = decodeBase64(in, out);
    if (garbage) *garbage = g;
    return out;
}

std::string qp(std::string_view in, std::size_t* bad = nullptr) {
    std::string out;
    std::size_t b = decodeQuotedPrintable(in, out);
    if (bad) *bad = b;
    return out;
}

TEST(Base64, DecodesLinesWithCrlfAndPadding) {
    EXPECT_EQ(b64("SGVsbG8s\r\nIHdvcmxk\r\nIQ=="), "Hello, world!");
    EXPECT_EQ(b64("SGVsbG8gd29ybGQ="), "Hello world");
    EXPECT_EQ(b64(""), "");
}

TEST(Base64, SkipsGarbageAndCountsIt) {
    std::size_t garbage = 0;
    EXPECT_EQ(b64("SGVs*bG8=", &garbage), "Hello");
    EXPECT_EQ(garbage, 1u);
    EXPECT_EQ(b64("  SGVs bG8 \n", &garbage), "Hello");
    EXPECT_EQ(garbage, 0u);
}

TEST(Base64, TruncatedFinalQuantumKeepsWholeBytes) {
    EXPECT_EQ(b64("SGVsbG8"), "Hello");   // missing '='
    EXPECT_EQ(b64("SGVsbA"), "Hell");     // missing '=='
}

TEST(Base64, StopsAtPaddingLikeOtherDecoders) {
    EXPECT_EQ(b64("SGk=\r\nthis is not base64 anymore"), "Hi");
}

TEST(Base64, LongInputMatchesByteForByte) {
    std::string raw;
    for (int i = 0; i < 5000; ++i) raw.push_back(static_cast<char>(i * 7 + 3));
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string enc;
    for (std::size_t i = 0; i < raw.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(raw[i]) << 16;
        if (i + 1 < raw.size()) v |= static_cast<unsigned char>(raw[i + 1]) << 8;
        if (i + 2 < raw.size()) v |= static_cast<unsigned char>(raw[i + 2]);
        enc += alphabet[v >> 18 & 63];
        enc += alphabet[v >> 12 & 63];
        enc += i + 1 < raw.size() ? alphabet[v >> 6 & 63] : '=';
        enc += i + 2 < raw.size() ? alphabet[v & 63] : '=';
        if ((i / 3 + 1) % 19 == 0) enc += "\r\n";
    }
    EXPECT_EQ(b64(enc), raw);
}

TEST(QuotedPrintable, DecodesEscapesAndSoftBreaks) {
    EXPECT_EQ(qp("Gr=C3=BC=C3=9Fe=\r\n aus Berlin"), "Grüße aus Berlin");
    EXPECT_EQ(qp("a=  \r\nb"), "ab");  // soft break with trailing blanks
    EXPECT_EQ(qp("line1\r\nline2\n"), "line1\r\nline2\n");
    EXPECT_EQ(qp("end="), "end");
}

TEST(QuotedPrintable, KeepsMalformedEscapesLiterally) {
    std::size_t bad = 0;
    EXPECT_EQ(qp("100% =ZZ off =4", &bad), "100% =ZZ off =4");
    EXPECT_EQ(bad, 2u);
    EXPECT_EQ(qp("lower =c3=a9"), "lower \xc3\xa9");
}

TEST(QEncoding, UnderscoreIsSpace) {
    std::string out;
    decodeQEncoding("J=C3=B6rg_M=FCller", out);
    EXPECT_EQ(out, "J\xc3\xb6rg M\xfc" "ller");
}

TEST(Uuencode, FindsAndDecodesBlocks) {
    std::string text = "Hello\r\n\r\nbegin 644 cat.txt\r\n#0V%T\r\n`\r\nend\r\nBye\r\n";
    auto files = findUuencoded(text);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].name, "cat.txt");
    EXPECT_EQ(files[0].data, "Cat");
    EXPECT_EQ(text.substr(files[0].begin, files[0].end - files[0].begin), "begin 644 cat.txt\r\n#0V%T\r\n`\r\nend\r\n");
}

TEST(Uuencode, DecodesABareTransferEncodedBody) {
    // Content-Transfer-Encoding: x-uuencode without a "begin" line (Zammad mail078).
    EXPECT_EQ(decodeUuLines(",2&5L;&\\@6F%M;6%D\r\n`\r\n"), "Hello Zammad");
    EXPECT_EQ(decodeUuLines("begin 644 cat.txt\n#0V%T\n`\nend\nnot data\n"), "Cat");
}

TEST(Uuencode, IgnoresProseThatStartsWithBegin) {
    EXPECT_TRUE(findUuencoded("begin 644 is my favourite number\nno end here\n").empty());
    EXPECT_TRUE(findUuencoded("begin the work now\n").empty());
}

}  // namespace
}  // namespace postdesk::mime
