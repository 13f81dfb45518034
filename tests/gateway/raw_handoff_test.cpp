// RawHandoff (gateway/store/raw_handoff.h): bounded, each row's bytes given once, and an inbound
// row claimed through a Store with a hand-off gets its bytes from memory before the spool.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "gateway/store/inbound_queue.h"
#include "gateway/store/raw_handoff.h"
#include "gateway/store/store.h"

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

TEST(RawHandoff, AClaimTakesTheBytesFromMemoryFirst) {
    char tmpl[] = "/tmp/pdhandoff.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    std::filesystem::path dir = tmpl;
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
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace postdesk::store
