// findBytes() is memmem with a vector pre-filter: it must give std::string_view::find's answer
// for every haystack, needle and start, including matches that straddle the 32-byte steps, sit in
// the scalar tail, or end exactly at the last byte.
#include "mime/detail/find_bytes.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace postdesk::mime::detail {
namespace {

struct Case {
    const char* name;
    std::string haystack, needle;
    std::size_t from;
};

TEST(FindBytes, AgreesWithFindOnHandPickedCases) {
    const std::string b64 = std::string(200, 'Q') + "\r\n";
    const Case cases[] = {
        {"EmptyNeedle", "abc", "", 1},
        {"EmptyHaystack", "", "--b", 0},
        {"NeedleLongerThanHaystack", "--", "--b", 0},
        {"AtStart", "--b\r\nx", "--b", 0},
        {"AtEnd", std::string(100, 'x') + "--b", "--b", 0},
        {"LastByteOfBlock", std::string(29, 'x') + "--b" + std::string(64, 'y'), "--b", 0},
        {"StraddlesBlocks", std::string(31, 'x') + "--boundary" + std::string(64, 'y'), "--boundary", 0},
        {"FirstAndLastMatchButMiddleNot", std::string(40, 'x') + "--xxxb--b" + std::string(40, 'x'), "--b", 0},
        {"ManyFalseCandidates", std::string(300, '-') + "--a-b", "--a-b", 0},
        {"FromPastFirstMatch", "--b" + std::string(70, 'x') + "--b", "--b", 1},
        {"FromAtEnd", "--b", "--b", 3},
        {"FromPastEnd", "--b", "--b", 4},
        {"AfterBase64Lines", b64 + b64 + b64 + "--=_Part_1_2\r\n", "--=_Part_1_2", 0},
        {"TwoByteNeedle", std::string(50, 'a') + "ab", "ab", 0},
        {"OneByteNeedle", std::string(50, 'a') + "b", "b", 0},
        {"Missing", b64 + b64, "--b", 0},
    };
    for (const auto& c : cases) {
        std::string_view h = c.haystack;
        std::size_t want = c.from > h.size() ? std::string_view::npos : h.find(c.needle, c.from);
        EXPECT_EQ(findBytes(h, c.needle, c.from), want) << c.name;
    }
}

TEST(FindBytes, AgreesWithFindOnRandomInputs) {
    std::mt19937 rng(20261122);
    auto byte = [&](int alphabet) { return static_cast<char>('a' + rng() % static_cast<unsigned>(alphabet)); };
    for (int round = 0; round < 20000; ++round) {
        int alphabet = 2 + static_cast<int>(rng() % 3);  // few letters: many partial matches
        std::string h(rng() % 200, 'x'), n(1 + rng() % 12, 'x');
        for (auto& c : h) c = byte(alphabet);
        for (auto& c : n) c = byte(alphabet);
        std::size_t from = rng() % (h.size() + 2);
        std::size_t want = from > h.size() ? std::string_view::npos : std::string_view(h).find(n, from);
        ASSERT_EQ(findBytes(h, n, from), want) << "haystack " << h << " needle " << n << " from " << from;
    }
}

}  // namespace
}  // namespace postdesk::mime::detail
