// DirectWriter (gateway/store/direct_writer.h): writes happen in order on its thread, drain()
// waits for them and reports the first failure of its period once.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gateway/store/direct_writer.h"
#include "tests/gateway/temp_dir.h"

namespace postdesk::store {
namespace {

namespace fs = std::filesystem;

class DirectWriterTest : public ::testing::Test {
protected:
    std::string slurp(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    postdesk::testing::TempDir temp_{"pdwriter"};
    const fs::path& dir_ = temp_.path();
};

TEST_F(DirectWriterTest, WritesEveryBufferWhereItWasToldInOrder) {
    int fd = ::open((dir_ / "f").c_str(), O_WRONLY | O_CREAT, 0600);
    ASSERT_GE(fd, 0);
    {
        DirectWriter writer(2);
        for (int i = 0; i < 6; ++i) {  // more buffers than the writer has: buffer() waits for one
            char* b = writer.buffer();
            std::memset(b, 'a' + i, 4096);
            writer.write(fd, b, 4096, std::int64_t{4096} * (i % 3));  // 3..5 overwrite 0..2, in order
        }
        EXPECT_EQ(writer.drain(), 0);
    }
    ::close(fd);
    EXPECT_EQ(slurp(dir_ / "f"), std::string(4096, 'd') + std::string(4096, 'e') + std::string(4096, 'f'));
}

TEST_F(DirectWriterTest, AFailedWriteIsReportedOnceByTheNextDrain) {
    int readOnly = ::open((dir_ / "ro").c_str(), O_RDONLY | O_CREAT, 0600);
    int fd = ::open((dir_ / "f").c_str(), O_WRONLY | O_CREAT, 0600);
    ASSERT_GE(readOnly, 0);
    ASSERT_GE(fd, 0);
    DirectWriter writer(2);
    writer.write(readOnly, writer.buffer(), 4096, 0);
    char* skipped = writer.buffer();
    std::memset(skipped, 'x', 4096);
    writer.write(fd, skipped, 4096, 0);  // after a failure in the same period: not attempted
    EXPECT_EQ(writer.drain(), EBADF);
    EXPECT_EQ(fs::file_size(dir_ / "f"), 0u);
    char* b = writer.buffer();
    std::memset(b, 'y', 4096);
    writer.write(fd, b, 4096, 0);
    EXPECT_EQ(writer.drain(), 0) << "a new period";
    EXPECT_EQ(slurp(dir_ / "f"), std::string(4096, 'y'));
    ::close(fd);
    ::close(readOnly);
}

}  // namespace
}  // namespace postdesk::store
