// decodeQuotedPrintable() copies literal runs eight bytes at a time and tries "=XX" before the
// soft-break rules: these pin the edges of both against a byte-at-a-time reading of RFC 2045 §6.7.
#include "mime/codecs.h"

#include <gtest/gtest.h>

#include <random>

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

}  // namespace
}  // namespace postdesk::mime
