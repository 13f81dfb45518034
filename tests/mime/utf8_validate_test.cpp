// firstInvalidUtf8() validates 32 bytes at a time with AVX2 where the CPU has it: these pin it, at
// every vector level, against the plain sequence-at-a-time reading of RFC 3629 (the first byte
// that starts no valid sequence), on every kind of error at every offset of a vector block.
#include "mime/detail/cpu_features.h"
#include "mime/detail/utf8.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace postdesk::mime::detail {
namespace {

std::size_t reference(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t n = utf8SequenceLength(s, i);
        if (n == 0) return i;
        i += n;
    }
    return s.size();
}

void expectSame(const std::string& s) {
    const std::size_t expected = reference(s);
    const VectorLevel native = vectorLevel();
    for (auto level : {VectorLevel::Avx512Vbmi, VectorLevel::Avx2, VectorLevel::Scalar}) {
        if (level > native) continue;
        limitVectorLevel(level);
        std::size_t got = firstInvalidUtf8(s);
        restoreVectorLevel(native);
        ASSERT_EQ(got, expected) << "level " << static_cast<int>(level) << ", " << s.size() << " bytes";
    }
}

// Valid characters of every length, and the byte sequences RFC 3629 forbids.
const std::vector<std::string> kValid = {"a", "\xC3\xA9", "\xD0\xBF", "\xE2\x82\xAC", "\xE0\xA0\x80", "\xED\x9F\xBF",
                                         "\xEF\xBF\xBD", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\xC2\x80", "\x7F"};
const std::vector<std::string> kInvalid = {
    "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xC2", "\xC2\x41", "\xE0\x80\x80", "\xE0\x9F\xBF", "\xED\xA0\x80",
    "\xED\xBF\xBF", "\xE2\x82", "\xE2\x82\x41", "\xE2\x41\xAC", "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF",
    "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xF8\x88\x80\x80\x80", "\xFF", "\xFE", "\xF0\x90\x80",
    "\xF0\x90\x80\x41", "\xC3\xA9\xA9", "\xE2\x82\xAC\x80"};

TEST(Utf8Validate, EveryErrorAtEveryOffsetOfTwoBlocks) {
    const std::string ascii(100, 'x');
    const std::string cyrillic = [] {
        std::string s;
        while (s.size() < 100) s += "\xD0\xBF";
        return s;
    }();
    for (const std::string& filler : {ascii, cyrillic}) {
        for (const std::string& bad : kInvalid) {
            for (std::size_t at = 0; at <= 70; ++at) {
                std::string s = filler.substr(0, at) + bad + filler;
                expectSame(s);
                expectSame(s.substr(0, at + bad.size()));  // the error at the very end
            }
        }
    }
}

TEST(Utf8Validate, ValidCharactersAcrossBlockEdges) {
    for (const std::string& c : kValid) {
        for (std::size_t at = 0; at <= 70; ++at) {
            std::string s = std::string(at, 'x') + c + std::string(70, 'y');
            expectSame(s);
            s = std::string(at, 'x') + c;
            expectSame(s);
            expectSame(s + "\xE2\x82");  // cut off after a character that crossed an edge
        }
    }
}

TEST(Utf8Validate, RandomMixesOfValidAndInvalidPieces) {
    std::mt19937 rng(7);
    for (int round = 0; round < 20000; ++round) {
        std::string s;
        std::size_t pieces = rng() % 120;
        bool allowBad = rng() % 2 == 0;
        for (std::size_t k = 0; k < pieces; ++k) {
            if (allowBad && rng() % 40 == 0) s += kInvalid[rng() % kInvalid.size()];
            else if (rng() % 3 == 0) s += std::string(rng() % 40, 'a');
            else s += kValid[rng() % kValid.size()];
        }
        expectSame(s);
    }
    for (int round = 0; round < 5000; ++round) {  // raw random bytes, mostly high
        std::string s(rng() % 200, '\0');
        for (char& c : s) c = static_cast<char>(rng() % 3 == 0 ? rng() % 128 : 128 + rng() % 128);
        expectSame(s);
    }
}

}  // namespace
}  // namespace postdesk::mime::detail
