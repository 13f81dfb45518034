// decodeBase64() decodes clean runs two groups at a time with an 8-byte store: these pin it
// against the plain character-at-a-time reading (padding ends the data, blanks and line ends are
// skipped, anything else is counted as garbage).
#include "mime/codecs.h"
#include "mime/detail/cpu_features.h"

#include <gtest/gtest.h>

#include <random>

namespace postdesk::mime {
namespace {

int value(char c) {
    static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (c == '-') return 62;
    if (c == '_') return 63;
    std::size_t at = kAlphabet.find(c);
    return at == std::string::npos ? -1 : static_cast<int>(at);
}

std::size_t referenceDecode(std::string_view in, std::string& out) {
    std::size_t garbage = 0;
    std::uint32_t acc = 0;
    int have = 0;
    for (char c : in) {
        if (c == '=') break;
        int v = value(c);
        if (v < 0) {
            if (c != '\r' && c != '\n' && c != ' ' && c != '\t') ++garbage;
            continue;
        }
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        if (++have == 4) {
            out += static_cast<char>(acc >> 16);
            out += static_cast<char>(acc >> 8);
            out += static_cast<char>(acc);
            acc = 0;
            have = 0;
        }
    }
    if (have == 2) out += static_cast<char>(acc >> 4);
    if (have == 3) {
        out += static_cast<char>(acc >> 10);
        out += static_cast<char>(acc >> 2);
    }
    return garbage + (have == 1);
}

// At every vector level this CPU has (AVX-512 VBMI, AVX2, none), the same bytes and garbage count.
void expectSame(const std::string& in) {
    std::string expected = "pre";
    std::size_t garbage = referenceDecode(in, expected);
    const detail::VectorLevel native = detail::vectorLevel();
    for (auto level : {detail::VectorLevel::Avx512Vbmi, detail::VectorLevel::Avx2, detail::VectorLevel::Scalar}) {
        if (level > native) continue;
        detail::limitVectorLevel(level);
        std::string got = "pre";
        std::size_t gotGarbage = decodeBase64(in, got);
        detail::restoreVectorLevel(native);
        EXPECT_EQ(gotGarbage, garbage) << "level " << static_cast<int>(level) << ": " << in;
        EXPECT_EQ(got, expected) << "level " << static_cast<int>(level) << ": " << in;
    }
}

TEST(Base64, EveryLengthAroundTheEightCharacterSteps) {
    const std::string clean = "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuQUJDREVGR0g";
    for (std::size_t n = 0; n <= clean.size(); ++n) {
        expectSame(clean.substr(0, n));
        expectSame(clean.substr(0, n) + "==");
        expectSame(clean.substr(0, n) + "\r\n" + clean);
        for (std::size_t bad = 0; bad < n; ++bad) {
            std::string s = clean.substr(0, n);
            s[bad] = '*';
            expectSame(s);
            s[bad] = '=';
            expectSame(s);
        }
    }
}

// The 32-character vector step: every byte value in every position of a block, and blocks
// holding only one of the alphabet's edges ('A' 'Z' 'a' 'z' '0' '9' '+' '/' and URL-safe '-' '_').
TEST(Base64, EveryByteInEveryPositionOfAVectorBlock) {
    const std::string block = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY";  // 32 clean characters
    for (int pos = 0; pos < 32; ++pos) {
        for (int b = 0; b < 256; ++b) {
            std::string s = block + block;
            s[static_cast<std::size_t>(pos)] = static_cast<char>(b);
            expectSame(s);
        }
    }
    for (char c : std::string("AZaz09+/-_"))
        expectSame(std::string(64, c));
}

TEST(Base64, WrappedLinesOfRandomBytes) {
    std::mt19937 rng(3);
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t lineLength : {64u, 72u, 76u, 100u}) {
        std::string in;
        for (int k = 0; k < 5000; ++k) {
            in += alphabet[rng() % 64];
            if (in.size() % (lineLength + 2) == lineLength) in += "\r\n";
        }
        expectSame(in);
        expectSame(in.substr(0, in.size() - 3) + "=");
    }
}

// The vector path steps over line ends by decoding a block that overlaps the one before: lines of
// every length (whole groups or not, shorter and longer than a block), CRLF or LF, and a stray
// character now and then must read as the character-at-a-time decoder reads them.
TEST(Base64, LinesOfEveryLengthAndEnding) {
    std::mt19937 rng(7);
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int round = 0; round < 3000; ++round) {
        std::string in;
        std::size_t lines = 1 + rng() % 6;
        for (std::size_t l = 0; l < lines; ++l) {
            std::size_t length = rng() % 3 == 0 ? rng() % 130 : 4 * (rng() % 33);
            for (std::size_t k = 0; k < length; ++k) in += alphabet[rng() % 64];
            if (rng() % 25 == 0 && !in.empty()) in[rng() % in.size()] = " \t*\r-="[rng() % 6];
            in += rng() % 4 == 0 ? "\n" : "\r\n";
        }
        expectSame(in);
    }
}

// Decoding goes through a 16 KiB buffer: groups, line ends and stray characters that straddle
// its refills must not change a byte.
TEST(Base64, InputsLongerThanTheDecodeBuffer) {
    std::mt19937 rng(17);
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int round = 0; round < 40; ++round) {
        std::string in;
        while (in.size() < 60000 + rng() % 40000) {
            std::size_t length = rng() % 8 == 0 ? rng() % 100 : 76;
            for (std::size_t k = 0; k < length; ++k) in += alphabet[rng() % 64];
            if (rng() % 40 == 0) in += " *\t"[rng() % 3];
            in += "\r\n";
        }
        expectSame(in);
    }
}

// Runs of equal lines go through the fixed-width step; one odd line in the run (a stray
// character, another width, LF for CRLF, the padded end) must hand over without losing a byte.
TEST(Base64, UniformLinesWithOneOddity) {
    std::mt19937 rng(23);
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t width = 32; width <= 132; width += 4) {
        for (int oddity = 0; oddity < 6; ++oddity) {
            std::string in;
            std::size_t lines = 12, odd = rng() % lines;
            for (std::size_t l = 0; l < lines; ++l) {
                std::size_t w = width;
                if (l == odd && oddity == 1) w = width - 4;
                if (l == odd && oddity == 2) w = width + 3;
                std::string line;
                for (std::size_t k = 0; k < w; ++k) line += alphabet[rng() % 64];
                if (l == odd && oddity == 0) line[rng() % line.size()] = "*- \t"[rng() % 4];
                if (l == odd && oddity == 4) line.replace(line.size() - 2, 2, "==");
                in += line + (l == odd && oddity == 3 ? "\n" : "\r\n");
            }
            if (oddity == 5) in.pop_back();  // no final LF
            expectSame(in);
        }
    }
}

TEST(Base64, RandomInputMatchesTheCharacterAtATimeReading) {
    std::mt19937 rng(11);
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
    for (int round = 0; round < 2000; ++round) {
        std::string in(rng() % 120, 'A');
        for (char& c : in) {
            unsigned r = rng() % 100;
            c = r < 94 ? alphabet[rng() % alphabet.size()] : "\r\n \t=*\x80"[r - 94];
        }
        expectSame(in);
    }
}

}  // namespace
}  // namespace postdesk::mime
