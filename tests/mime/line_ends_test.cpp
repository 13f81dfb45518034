// crlfToLf() and appendCrlfToLf() work 32 bytes at a time with AVX2 where the CPU has it (16 with
// SSE2 otherwise): these pin both, at every vector level, against the byte-at-a-time rule (a CR
// is dropped only when a LF follows it) and the 8-bit/ESC flags, with CRs and LFs at every offset
// of a block.
#include "mime/detail/cpu_features.h"
#include "mime/detail/line_ends.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace postdesk::mime::detail {
namespace {

std::string reference(std::string_view s, TextScan& scan) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        scan.high = scan.high || static_cast<unsigned char>(s[i]) >= 0x80;
        scan.esc = scan.esc || s[i] == '\x1B';
        if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
        out += s[i];
    }
    return out;
}

void expectSame(const std::string& s) {
    TextScan want;
    const std::string expected = reference(s, want);
    const VectorLevel native = vectorLevel();
    for (auto level : {VectorLevel::Avx512Vbmi, VectorLevel::Avx2, VectorLevel::Scalar}) {
        if (level > native) continue;
        limitVectorLevel(level);
        std::string inPlace = s;
        TextScan a;
        crlfToLf(inPlace, a);
        std::string appended = "pre";
        TextScan b;
        appendCrlfToLf(appended, s, b);
        restoreVectorLevel(native);
        ASSERT_EQ(inPlace, expected) << "level " << static_cast<int>(level);
        ASSERT_EQ(appended, "pre" + expected) << "level " << static_cast<int>(level);
        ASSERT_EQ(a.high, want.high);
        ASSERT_EQ(a.esc, want.esc);
        ASSERT_EQ(b.high, want.high);
        ASSERT_EQ(b.esc, want.esc);
    }
}

TEST(LineEnds, LineEndsAtEveryOffsetOfABlock) {
    const std::string text = "The quick brown fox jumps over the lazy dog; 0123456789 abcdefghijklmnopqrstuvwxyz!";
    for (std::string eol : {"\r\n", "\r", "\n", "\r\r\n", "\r\n\r\n", "\n\r"}) {
        for (std::size_t at = 0; at <= 70; ++at) {
            std::string s = text.substr(0, at) + eol + text + eol + text.substr(0, at % 7);
            expectSame(s);
            expectSame(s.substr(0, at + eol.size()));  // the line end last
        }
    }
}

TEST(LineEnds, LinesOfEveryLengthOneCrlfEach) {
    for (std::size_t width = 0; width <= 80; ++width) {
        std::string s;
        for (int line = 0; line < 12; ++line) s += std::string(width, static_cast<char>('a' + line)) + "\r\n";
        expectSame(s);
    }
}

TEST(LineEnds, RandomBytesWithManyCrAndLf) {
    std::mt19937 rng(11);
    const char kBytes[] = {'\r', '\n', 'a', ' ', '\x1B', '\xD0', '\xBF'};
    for (int round = 0; round < 20000; ++round) {
        std::string s(rng() % 160, 'x');
        int density = 2 + static_cast<int>(rng() % 30);
        for (char& c : s)
            if (static_cast<int>(rng() % static_cast<unsigned>(density)) == 0) c = kBytes[rng() % (round % 3 == 0 ? 7 : 4)];
        expectSame(s);
    }
}

}  // namespace
}  // namespace postdesk::mime::detail
