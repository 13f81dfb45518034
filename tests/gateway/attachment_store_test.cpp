// Attachment files (gateway/store/store.h): content-addressed under attachments/ab/<sha256>,
// written once, and still found where a store of the earlier two-level layout put them.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gateway/store/store.h"
#include "mime/digest.h"

namespace postdesk::store {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class AttachmentStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/pdattach.XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

TEST_F(AttachmentStoreTest, FilesAreNamedByTheirSha256OneLevelDeep) {
    Store store((dir_ / "var/postdesk.db").string());
    std::string bytes = "%PDF-1.4 not really\n";
    std::string sha = mime::sha256Hex(bytes);
    store.putAttachment(sha, bytes);
    store.syncAttachments();
    fs::path expected = dir_ / "var/attachments" / sha.substr(0, 2) / sha;
    EXPECT_EQ(store.attachmentPath(sha), expected);
    EXPECT_EQ(slurp(expected), bytes);
    store.putAttachment(sha, bytes);  // the same content again: nothing new
    int files = 0;
    for ([[maybe_unused]] const auto& e : fs::recursive_directory_iterator(dir_ / "var/attachments"))
        if (e.is_regular_file()) ++files;
    EXPECT_EQ(files, 1);
}

TEST_F(AttachmentStoreTest, AFileOfTheTwoLevelLayoutIsStillFound) {
    std::string bytes = "an attachment stored by an earlier version";
    std::string sha = mime::sha256Hex(bytes);
    fs::path old = dir_ / "var/attachments" / sha.substr(0, 2) / sha.substr(2, 2) / sha;
    fs::create_directories(old.parent_path());
    std::ofstream(old, std::ios::binary) << bytes;
    Store store((dir_ / "var/postdesk.db").string());
    EXPECT_EQ(store.attachmentPath(sha), old);
    store.putAttachment(sha, bytes);  // present already: not written a second time
    EXPECT_FALSE(fs::exists(dir_ / "var/attachments" / sha.substr(0, 2) / sha));
}

}  // namespace
}  // namespace postdesk::store
