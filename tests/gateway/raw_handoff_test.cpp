// RawHandoff (gateway/store/raw_handoff.h): bounded, each row's bytes given once, a put waits for
// room up to its deadline, rows ingest went past are never held, and an inbound row claimed
// through a Store with a hand-off gets its bytes from memory before the spool.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "gateway/store/inbound_queue.h"
#include "gateway/store/raw_handoff.h"
#include "gateway/store/store.h"
#include "tests/gateway/temp_dir.h"

namespace postdesk::store {
namespace {

TEST(RawHandoff, KeepsAtMostItsBoundAndGivesEachRowOnce) {
    RawHandoff h(10);
    std::string a = "12345678", b = "abc", c = "xy";
    EXPECT_TRUE(h.put(1, a));
    EXPECT_TRUE(a.empty()) << "moved in";
    EXPECT_FALSE(h.put(2, b)) << "8 + 3 > 10";
    EXPECT_EQ(b, "abc") << "declined: the caller keeps its bytes";
    EXPECT_TRUE(h.put(3, c));
    EXPECT_EQ(h.room(), 0u);
    EXPECT_EQ(h.take(1), "12345678");
    EXPECT_EQ(h.take(1), std::nullopt);
    EXPECT_EQ(h.take(2), std::nullopt);
    EXPECT_EQ(h.room(), 8u);
}

using namespace std::chrono_literals;

TEST(RawHandoff, APutWaitsForTheRoomATakeMakesUpToItsDeadline) {
    RawHandoff h(10, 5s);
    std::string a = "12345678", b = "abcd";
    ASSERT_TRUE(h.put(1, a));
    int listened = 0;
    h.setListener([&] { ++listened; });
    std::thread consumer([&] {
        std::this_thread::sleep_for(50ms);
        EXPECT_EQ(h.take(1), "12345678");
    });
    auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(h.put(2, b, h.deadline())) << "room came when row 1 was taken";
    EXPECT_GE(std::chrono::steady_clock::now() - start, 40ms);
    consumer.join();
    EXPECT_EQ(listened, 1);
    std::string c = "123456789";
    EXPECT_FALSE(h.put(3, c, std::chrono::steady_clock::now() + 30ms)) << "no room by the deadline";
    EXPECT_EQ(c, "123456789");
    std::string d = "1234567";
    auto again = std::chrono::steady_clock::now();
    EXPECT_FALSE(h.put(4, d, std::chrono::steady_clock::now() + 5s)) << "stalled: no more waiting";
    EXPECT_LT(std::chrono::steady_clock::now() - again, 1s);
    EXPECT_EQ(h.take(2), "abcd");
    EXPECT_TRUE(h.put(5, d, h.deadline())) << "a take ended the stall";
    std::string huge(11, 'x');
    EXPECT_FALSE(h.put(6, huge, std::chrono::steady_clock::now() + 5s)) << "larger than the bound: declined at once";
}

// Ingest may claim a row between intake's commit and its put (then it reads the spool): such a
// put must not leave bytes no one will take, nor may rows another process claimed stay held.
TEST(RawHandoff, RowsIngestWentPastAreNeitherTakenInNorKept) {
    RawHandoff h(100);
    std::string late = "late", held = "held", next = "next";
    EXPECT_EQ(h.take(5), std::nullopt);  // ingest asked for row 5: a miss
    EXPECT_FALSE(h.put(5, late)) << "ingest is past it";
    EXPECT_FALSE(h.put(3, late));
    EXPECT_TRUE(h.put(7, held));
    EXPECT_TRUE(h.put(9, next));
    EXPECT_EQ(h.take(8), std::nullopt);  // row 7 went to someone else
    EXPECT_EQ(h.room(), 96u) << "row 7 dropped, row 9 kept";
    EXPECT_EQ(h.take(7), std::nullopt);
    EXPECT_EQ(h.take(9), "next");
}

TEST(RawHandoff, AClaimTakesTheBytesFromMemoryFirst) {
    postdesk::testing::TempDir temp("pdhandoff");
    const std::filesystem::path& dir = temp.path();
    {
        auto handoff = std::make_shared<RawHandoff>(1 << 20);
        Store intake((dir / "postdesk.db").string()), ingest((dir / "postdesk.db").string());
        intake.setHandoff(handoff);
        ingest.setHandoff(handoff);
        InboundQueue in(intake);
        auto id = in.add(InboundMail{"import", "import", "", std::nullopt, std::nullopt, "k1", "Subject: one\r\n\r\nbody\r\n", "q", {}}, 1);
        ASSERT_TRUE(id);
        // What the hand-off holds wins over the spool: put different bytes there to tell them apart.
        std::string marked = "Subject: from memory\r\n\r\n";
        ASSERT_TRUE(handoff->put(*id, marked));
        auto rows = InboundQueue(ingest).claimBatch(2, 10, 1 << 20);
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(rows[0].raw, "Subject: from memory\r\n\r\n");
        EXPECT_EQ(handoff->room(), std::size_t{1} << 20) << "taken, not copied";
        EXPECT_EQ(InboundQueue(ingest).get(*id)->raw, "Subject: one\r\n\r\nbody\r\n") << "then from the spool";
    }
}

}  // namespace
}  // namespace postdesk::store
