// The spool (gateway/store/spool.h) and the inbound queue on top of it: bytes come back as they
// went in, segments roll over, writers never share a segment, a reference into a missing segment
// is an error, and a store from before the spool (schema version 1, raw blobs) still reads.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <csignal>

#include <filesystem>
#include <string>
#include <system_error>

#include "gateway/store/inbound_queue.h"
#include "gateway/store/spool.h"
#include "gateway/store/store.h"
#include "tests/gateway/temp_dir.h"

namespace postdesk::store {
namespace {

namespace fs = std::filesystem;

class SpoolFiles : public ::testing::Test {
protected:

    static std::string mail(int i, std::size_t size = 1000) {
        std::string m = "Subject: mail " + std::to_string(i) + "\r\n\r\n";
        m.resize(size, static_cast<char>('a' + i % 26));
        return m;
    }
    static int segmentCount(const fs::path& dir) {
        int n = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
        return n;
    }

    postdesk::testing::TempDir temp_{"pdspool"};
    const fs::path& dir_ = temp_.path();
};

// Direct (O_DIRECT, staged and padded) and buffered writes keep the same promises.
class SpoolTest : public SpoolFiles, public ::testing::WithParamInterface<Spool::Io> {};

INSTANTIATE_TEST_SUITE_P(Io, SpoolTest, ::testing::Values(Spool::Io::Direct, Spool::Io::Buffered),
                         [](const auto& info) { return info.param == Spool::Io::Direct ? "direct" : "buffered"; });

TEST_P(SpoolTest, ReadsBackWhatWasAppended) {
    Spool spool(dir_ / "spool", std::int64_t{64} << 20, GetParam());
    std::vector<SpoolRef> refs;
    for (int i = 0; i < 20; ++i) refs.push_back(spool.append(mail(i, 100 + 37 * i)));
    EXPECT_TRUE(spool.dirty());
    spool.sync();
    EXPECT_FALSE(spool.dirty());
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(refs[i].size, static_cast<std::int64_t>(100 + 37 * i));
        EXPECT_EQ(spool.read(refs[i]), mail(i, 100 + 37 * i)) << i;
    }
    Spool other(dir_ / "spool");  // another connection's spool reads the same files
    EXPECT_EQ(other.read(refs[7]), mail(7, 100 + 37 * 7));
}

TEST_P(SpoolTest, StartsANewSegmentWhenOneIsFull) {
    Spool spool(dir_ / "spool", 4096, GetParam());
    std::vector<SpoolRef> refs;
    for (int i = 0; i < 10; ++i) refs.push_back(spool.append(mail(i, 1500)));
    spool.sync();
    EXPECT_EQ(segmentCount(dir_ / "spool"), 5);  // two 1,500-byte mails fit in 4,096
    EXPECT_EQ(refs[0].segment, refs[1].segment);
    EXPECT_NE(refs[1].segment, refs[2].segment);
    EXPECT_EQ(refs[3].offset, 1500);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(spool.read(refs[i]), mail(i, 1500)) << i;
    // A mail larger than a segment gets one of its own.
    SpoolRef big = spool.append(mail(99, 10000));
    spool.sync();
    EXPECT_EQ(big.offset, 0);
    EXPECT_EQ(spool.read(big), mail(99, 10000));
}

TEST_P(SpoolTest, TwoWritersNeverShareASegment) {
    Spool a(dir_ / "spool", std::int64_t{64} << 20, GetParam()), b(dir_ / "spool", std::int64_t{64} << 20, GetParam());
    SpoolRef ra = a.append(mail(1)), rb = b.append(mail(2));
    a.sync();
    b.sync();
    EXPECT_NE(ra.segment, rb.segment);
    EXPECT_EQ(a.read(rb), mail(2));
    EXPECT_EQ(b.read(ra), mail(1));
}

TEST_P(SpoolTest, ManyMailsAcrossFlushesComeBackWhole) {
    Spool spool(dir_ / "spool", std::int64_t{64} << 20, GetParam());
    std::vector<SpoolRef> refs;
    std::vector<std::string> mails;
    for (int i = 0; i < 60; ++i) {
        mails.push_back(mail(i, 1 + (static_cast<std::size_t>(i) * 7919 * 131) % (700 << 10)));  // 1 B .. 700 KiB, unaligned
        refs.push_back(spool.append(mails.back()));
        if (i % 17 == 16) spool.sync();  // syncs between appends pad to the next 4 KiB when direct
    }
    spool.sync();
    for (int i = 0; i < 60; ++i) ASSERT_EQ(spool.read(refs[i]), mails[i]) << i;
    SpoolRef huge = spool.append(mail(1, 9 << 20));  // larger than the staging buffer
    spool.sync();
    EXPECT_EQ(spool.read(huge), mail(1, 9 << 20));
}

TEST_P(SpoolTest, AMissingOrShortSegmentIsAnError) {
    Spool spool(dir_ / "spool", std::int64_t{64} << 20, GetParam());
    SpoolRef ref = spool.append(mail(1));
    spool.sync();
    if (GetParam() == Spool::Io::Buffered) {  // direct: the zero padding follows, up to 4 KiB
        EXPECT_THROW(spool.read(SpoolRef{ref.segment, ref.offset, ref.size + 1}), std::system_error);
    }
    EXPECT_THROW(spool.read(SpoolRef{ref.segment, ref.offset, ref.size + 8192}), std::system_error);
    EXPECT_THROW(spool.read(SpoolRef{"no-such-segment", 0, 10}), std::system_error);
    EXPECT_THROW(spool.read(SpoolRef{"../../etc/passwd", 0, 10}), std::system_error);
}

// tmpfs refused O_DIRECT before Linux 6.6 (EINVAL): the spool then writes through the page cache.
// A write the file system refuses (here: past RLIMIT_FSIZE, EFBIG; a direct one fails on
// DirectWriter's thread): the sync after it must fail, so nothing commits a reference to the lost bytes, and the
// spool goes on in a new segment once writes succeed again.
TEST_P(SpoolTest, AFailedWriteFailsTheSyncAndTheSpoolGoesOn) {
    Spool spool(dir_ / "spool", std::int64_t{64} << 20, GetParam());
    SpoolRef kept = spool.append(mail(0));
    spool.sync();
    rlimit before{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &before), 0);
    auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);  // the write then fails with EFBIG instead
    rlimit small = before;
    small.rlim_cur = 2u << 20;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    try {
        for (int i = 1; i <= 4; ++i) spool.append(mail(i, 1u << 20));  // 4 MiB: past the limit
    } catch (const std::system_error&) {  // a buffered write fails right here, a direct one later
    }
    EXPECT_THROW(spool.sync(), std::system_error);
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &before), 0);
    std::signal(SIGXFSZ, oldHandler);
    SpoolRef later = spool.append(mail(5));
    spool.sync();
    EXPECT_NE(later.segment, kept.segment) << "the failed segment is not appended to again";
    EXPECT_EQ(spool.read(kept), mail(0));
    EXPECT_EQ(spool.read(later), mail(5));
}

TEST_F(SpoolFiles, WorksOnTmpfs) {
    if (!fs::is_directory("/dev/shm")) GTEST_SKIP() << "no tmpfs at /dev/shm";
    char tmpl[] = "/dev/shm/pdspool.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    fs::path shm = tmpl;
    {
        Spool spool(shm / "spool", std::int64_t{64} << 20, Spool::Io::Direct);
        SpoolRef ref = spool.append(mail(3));
        spool.sync();
        EXPECT_EQ(spool.read(ref), mail(3));
        EXPECT_EQ(segmentCount(shm / "spool"), 1) << "a refused O_DIRECT file is not left behind";
    }
    fs::remove_all(shm);
}

TEST_F(SpoolFiles, InboundRowsKeepTheirBytesInTheSpool) {
    Store store((dir_ / "var/postdesk.db").string());
    InboundQueue queue(store);
    InboundMail in{"import", "import", "f", std::nullopt, std::nullopt, "sha256:1", mail(1, 5000), "q", {}};
    auto id = queue.add(in, 100);
    ASSERT_TRUE(id);
    EXPECT_FALSE(store.spool().dirty()) << "the commit (autocommit here) synced the spool first";
    EXPECT_FALSE(queue.add(in, 101)) << "a duplicate";
    auto row = queue.get(*id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->raw, mail(1, 5000));
    EXPECT_EQ(row->size, 5000);
    auto claimed = queue.claimBatch(200, 10, 1 << 20);
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].raw, mail(1, 5000));
    EXPECT_EQ(segmentCount(dir_ / "var/spool"), 1);
    EXPECT_FALSE(fs::exists(dir_ / "var/attachments")) << "nothing else is written";
}

// claimBatch reads the bytes after its claim committed (outside the write lock); when a read fails
// the batch goes back to `received`, as a rolled-back claim would, and the error reaches the caller.
TEST_F(SpoolFiles, AClaimWhoseBytesCannotBeReadPutsTheBatchBack) {
    Store store((dir_ / "var/postdesk.db").string());
    InboundQueue queue(store);
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(queue.add({"import", "import", "f", std::nullopt, std::nullopt, "sha256:" + std::to_string(i), mail(i), "q", {}}, 100));
    for (const auto& e : fs::directory_iterator(dir_ / "var/spool")) fs::remove(e.path());
    EXPECT_THROW(queue.claimBatch(200, 10, 1 << 20), std::system_error);
    EXPECT_EQ(queue.count("received"), 3);
    EXPECT_EQ(queue.count("active"), 0);
}

TEST_F(SpoolFiles, AStoreFromBeforeTheSpoolStillReadsItsBlobs) {
    fs::create_directories(dir_ / "var");
    std::string path = (dir_ / "var/postdesk.db").string();
    {
        // The version-1 inbound tables as they were, with one row and its blob.
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        const char* v1 =
            "CREATE TABLE inbound (id INTEGER PRIMARY KEY, source TEXT NOT NULL, account TEXT NOT NULL, folder TEXT NOT NULL DEFAULT '', "
            "uidvalidity INTEGER, uid INTEGER, dedupe_key TEXT NOT NULL, size INTEGER NOT NULL, queue TEXT NOT NULL DEFAULT '', "
            "state TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received','active','deferred','quarantined','done')), "
            "attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, last_error TEXT, reason TEXT, "
            "server_done INTEGER NOT NULL DEFAULT 0, received_at INTEGER NOT NULL, message INTEGER, UNIQUE (account, folder, uidvalidity, uid));"
            "CREATE TABLE inbound_raw (inbound INTEGER PRIMARY KEY REFERENCES inbound (id), raw BLOB NOT NULL);"
            "INSERT INTO inbound (source, account, dedupe_key, size, received_at) VALUES ('import', 'import', 'sha256:old', 11, 1);"
            "INSERT INTO inbound_raw VALUES (1, 'Subject: x\n');"
            "PRAGMA user_version = 1;";
        ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
        sqlite3_close(db);
    }
    Store store(path);
    InboundQueue queue(store);
    auto old = queue.get(1);
    ASSERT_TRUE(old);
    EXPECT_EQ(old->raw, "Subject: x\n");
    InboundMail in{"import", "import", "", std::nullopt, std::nullopt, "sha256:new", mail(2), "q", {}};
    auto id = queue.add(in, 100);
    ASSERT_TRUE(id);
    EXPECT_EQ(queue.get(*id)->raw, mail(2));
    auto rows = queue.claimBatch(200, 10, 1 << 20);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].raw, "Subject: x\n");
    EXPECT_EQ(rows[1].raw, mail(2));
    Statement version(store.db(), "PRAGMA user_version");
    ASSERT_TRUE(version.step());
    EXPECT_EQ(version.int64(0), 3);
}

}  // namespace
}  // namespace postdesk::store
