// decodeQuotedPrintable() copies literal runs eight bytes at a time and tries "=XX" before the
// soft-break rules: these pin the edges of both against a byte-at-a-time reading of RFC 2045 §6.7.
#include "mime/codecs.h"
#include "mime/detail/cpu_features.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace postdesk::mime {
namespace {

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// The plain reading, one byte at a time.
std::size_t referenceDecode(std::string_view in, std::string& out) {
    std::size_t bad = 0;
    for (std::size_t i = 0; i < in.size();) {
        if (in[i] != '=') {
            out += in[i++];
            continue;
        }
        std::size_t q = i + 1;
        while (q < in.size() && (in[q] == ' ' || in[q] == '\t')) ++q;
        if (q == in.size()) break;
        if (in[q] == '\n' || (in[q] == '\r' && q + 1 < in.size() && in[q + 1] == '\n')) {
            i = q + (in[q] == '\r' ? 2 : 1);
            continue;
        }
        if (i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
            out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
            i += 3;
            continue;
        }
        out += '=';
        ++bad;
        ++i;
    }
    return bad;
}

TEST(QuotedPrintable, EdgesOfTheFastPaths) {
    for (std::string in : {"", "=", "=4", "=41", "=4G", "=g1", "=e9", "=\r\n", "=\n", "= \t\r\nx", "=  ",
                           "a=\rb", "=3D41", "1234567=41", "12345678=41", "123456789=41",
                           "abcdefghijklmnop", "abcdefghijklmno=", "abcdefgh=\r\nabcdefgh", "==41", "=\r"}) {
        std::string got = "pre", expected = "pre";
        EXPECT_EQ(decodeQuotedPrintable(in, got), referenceDecode(in, expected)) << in;
        EXPECT_EQ(got, expected) << in;
    }
}

TEST(QuotedPrintable, RandomInputMatchesTheByteAtATimeReading) {
    std::mt19937 rng(7);
    const std::string alphabet = "=====AF09af_gZ \t\r\n\r\nxy\x80\xFF";
    for (int round = 0; round < 2000; ++round) {
        std::string in(rng() % 64, ' ');
        for (char& c : in) c = alphabet[rng() % alphabet.size()];
        std::string got, expected;
        EXPECT_EQ(decodeQuotedPrintable(in, got), referenceDecode(in, expected)) << in;
        EXPECT_EQ(got, expected) << in;
    }
}

// Runs of escapes (decoded ten at a time at the AVX2 level) broken at every place by a literal, a
// malformed or lower-case escape, a soft break or the end, at every vector level.
TEST(QuotedPrintable, EscapeRunsAtEveryVectorLevel) {
    std::mt19937 rng(5);
    const std::vector<std::string> pieces = {"=D0", "=BF", "=d1", "=8f", "=20", "=3D", "a", " ", "=\r\n", "=\n",
                                             "=4G", "=G4", "=", "\r\n", "=0A", "=e9", "==41", "=Fa", "=fA"};
    const detail::VectorLevel native = detail::vectorLevel();
    for (int round = 0; round < 30000; ++round) {
        std::string in;
        std::size_t n = rng() % 60;
        std::size_t kinds = round % 3 == 0 ? 2 : round % 3 == 1 ? 8 : pieces.size();
        for (std::size_t k = 0; k < n; ++k) in += pieces[rng() % kinds];
        std::string expected = "pre";
        std::size_t bad = referenceDecode(in, expected);
        for (auto level : {detail::VectorLevel::Avx512Vbmi, detail::VectorLevel::Avx2, detail::VectorLevel::Scalar}) {
            if (level > native) continue;
            detail::limitVectorLevel(level);
            std::string got = "pre";
            std::size_t gotBad = decodeQuotedPrintable(in, got);
            detail::restoreVectorLevel(native);
            ASSERT_EQ(gotBad, bad) << in;
            ASSERT_EQ(got, expected) << "level " << static_cast<int>(level) << ": " << in;
        }
    }
}

}  // namespace
}  // namespace postdesk::mime
