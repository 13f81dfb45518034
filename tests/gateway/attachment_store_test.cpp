// Attachments (gateway/store/store.h): content-addressed by SHA-256, their bytes in the spool,
// kept once, and still found where a store of an earlier version put them as files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gateway/store/store.h"
#include "mime/digest.h"
#include "tests/gateway/temp_dir.h"

namespace postdesk::store {
namespace {

namespace fs = std::filesystem;

std::uintmax_t spoolBytes(const fs::path& dir) {
    std::uintmax_t total = 0;
    if (fs::exists(dir))
        for (const auto& e : fs::directory_iterator(dir)) total += e.file_size();
    return total;
}

class AttachmentStoreTest : public ::testing::Test {
protected:
    std::string dbPath() const { return (dir_ / "var/postdesk.db").string(); }
    postdesk::testing::TempDir temp_{"pdattach"};
    const fs::path& dir_ = temp_.path();
};

TEST_F(AttachmentStoreTest, BytesAreFoundByTheirSha256AndKeptOnce) {
    std::string bytes = "%PDF-1.4 not really\n";
    std::string sha = mime::sha256Hex(bytes);
    {
        Store store(dbPath());
        EXPECT_FALSE(store.readAttachment(sha));
        store.putAttachment(sha, bytes);
        store.putAttachment(sha, bytes);  // twice in one batch: appended once
        store.syncAttachments();
        EXPECT_EQ(store.readAttachment(sha), bytes);
    }
    std::uintmax_t before = spoolBytes(dir_ / "var/spool");
    EXPECT_GT(before, 0u);
    Store reopened(dbPath());  // another connection, as after a restart
    EXPECT_EQ(reopened.readAttachment(sha), bytes);
    reopened.putAttachment(sha, bytes);  // stored already: nothing appended
    reopened.syncAttachments();
    EXPECT_EQ(spoolBytes(dir_ / "var/spool"), before);
    EXPECT_FALSE(fs::exists(dir_ / "var/attachments")) << "no file per attachment";
}

TEST_F(AttachmentStoreTest, ManyAttachmentsOfOneBatchEachReadBack) {
    Store store(dbPath());
    std::vector<std::string> all;
    for (int i = 0; i < 40; ++i) all.push_back(std::string(static_cast<std::size_t>(1000 + i * 7919), static_cast<char>('a' + i % 26)) + std::to_string(i));
    for (const auto& a : all) store.putAttachment(mime::sha256Hex(a), a);
    store.syncAttachments();
    for (const auto& a : all) EXPECT_EQ(store.readAttachment(mime::sha256Hex(a)), a);
}

// Versions before the spool wrote a file per attachment: one level of 256 directories, and before
// that two levels.
TEST_F(AttachmentStoreTest, FilesOfEarlierLayoutsAreStillReadAndNotStoredAgain) {
    std::string oneLevel = "an attachment stored by version 2";
    std::string twoLevels = "an attachment stored by version 1";
    std::string sha1 = mime::sha256Hex(oneLevel), sha2 = mime::sha256Hex(twoLevels);
    fs::path p1 = dir_ / "var/attachments" / sha1.substr(0, 2) / sha1;
    fs::path p2 = dir_ / "var/attachments" / sha2.substr(0, 2) / sha2.substr(2, 2) / sha2;
    fs::create_directories(p1.parent_path());
    fs::create_directories(p2.parent_path());
    std::ofstream(p1, std::ios::binary) << oneLevel;
    std::ofstream(p2, std::ios::binary) << twoLevels;
    Store store(dbPath());
    EXPECT_EQ(store.readAttachment(sha1), oneLevel);
    EXPECT_EQ(store.readAttachment(sha2), twoLevels);
    store.putAttachment(sha1, oneLevel);  // present already: not written a second time
    store.putAttachment(sha2, twoLevels);
    store.syncAttachments();
    EXPECT_EQ(spoolBytes(dir_ / "var/spool"), 0u);
}

}  // namespace
}  // namespace postdesk::store
