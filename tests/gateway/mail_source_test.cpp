// MailSource (gateway/app/mail_source.h): the mails of an import path, streamed, with the mbox
// rules byte for byte (a mail without a Message-ID is keyed by the SHA-256 of these bytes).
#include "gateway/app/mail_source.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/gateway/temp_dir.h"

namespace postdesk::app {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> mailsOf(const fs::path& p, std::size_t* count = nullptr) {
    MailSource source(p);
    std::vector<std::string> out;
    EXPECT_TRUE(source.each([&](std::string&& m) { out.push_back(std::move(m)); }));
    if (count) *count = source.count();
    return out;
}

class MailSourceTest : public ::testing::Test {
protected:
    fs::path write(const std::string& name, const std::string& bytes) {
        fs::path p = temp_.path() / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
    postdesk::testing::TempDir temp_{"pdsource"};
};

TEST_F(MailSourceTest, AnMboxSplitsAtFromLinesAfterAnEmptyLineAndUnquotesOneLevel) {
    fs::path p = write("in.mbox",
                       "From a@x Thu Nov 19 10:00:00 2026\nSubject: one\n\nbody\nFrom inside, not a separator\n\n\n"
                       "From b@x Thu Nov 19 10:01:00 2026\nSubject: two\n\n>From quoted\n>>From twice\n\n");
    std::size_t count = 0;
    auto mails = mailsOf(p, &count);
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_EQ(count, 2u);
    EXPECT_EQ(mails[0], "Subject: one\n\nbody\nFrom inside, not a separator\n\n") << "the last empty line separates";
    EXPECT_EQ(mails[1], "Subject: two\n\nFrom quoted\n>From twice\n\n") << "the file's final empty line stays";
}

TEST_F(MailSourceTest, AnEmptyMboxEntryIsSkippedAndALastLineWithoutNewlineGetsOne) {
    fs::path p = write("in.mbox", "From a@x\n\nFrom b@x\r\nSubject: crlf\r\n\r\nend");
    std::size_t count = 0;
    auto mails = mailsOf(p, &count);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(count, 1u);
    EXPECT_EQ(mails[0], "Subject: crlf\r\n\r\nend\n");
}

TEST_F(MailSourceTest, AMaildirGivesItsFilesInNameOrderAndAnEmlItself) {
    write("md/new/2.mail", "Subject: second\r\n\r\n");
    write("md/cur/1.mail:2,S", "Subject: first\r\n\r\n");
    fs::create_directories(temp_.path() / "md/tmp");
    write("md/tmp/ignored", "Subject: in tmp\r\n\r\n");
    std::size_t count = 0;
    auto mails = mailsOf(temp_.path() / "md", &count);
    EXPECT_EQ(count, 2u);
    EXPECT_EQ(mails, (std::vector<std::string>{"Subject: first\r\n\r\n", "Subject: second\r\n\r\n"}));
    fs::path eml = write("one.eml", "From: a@x\r\nSubject: not an mbox\r\n\r\n");
    EXPECT_EQ(mailsOf(eml), std::vector<std::string>{"From: a@x\r\nSubject: not an mbox\r\n\r\n"});
    EXPECT_FALSE(MailSource(temp_.path() / "missing.eml").each([](std::string&&) {}));
}

}  // namespace
}  // namespace postdesk::app
