// customerOf(): Reply-To before From (a web form's no-reply sender), never one of our own
// mailboxes, then Sender; isOurAddress() ignores case and "+detail".
#include "rules/customer.h"

#include <gtest/gtest.h>

#include "mime/parse.h"

namespace postdesk::rules {
namespace {

const std::vector<std::string> kOurs = {"support@example.test", "Sales@Example.test"};

struct Case {
    const char* name;
    const char* headers;
    const char* expectedAddress;
    const char* expectedName;
};

class CustomerOf : public ::testing::TestWithParam<Case> {};

TEST_P(CustomerOf, PicksWhomAnswersGoTo) {
    mime::Message m = mime::parse(std::string(GetParam().headers) + "Subject: hi\r\n\r\nbody\r\n");
    const mime::Address& c = customerOf(m, kOurs);
    EXPECT_EQ(c.address, GetParam().expectedAddress);
    EXPECT_EQ(c.name, GetParam().expectedName);
}

INSTANTIATE_TEST_SUITE_P(
    Customer, CustomerOf,
    ::testing::Values(
        Case{"FromAlone", "From: Anna <anna@mail.test>\r\n", "anna@mail.test", "Anna"},
        Case{"WebFormReplyTo", "From: Shop form <no-reply@shop.test>\r\nReply-To: Anna Schmidt <anna@mail.test>\r\n", "anna@mail.test", "Anna Schmidt"},
        Case{"ReplyToWithoutNameKeepsNoName", "From: Shop form <no-reply@shop.test>\r\nReply-To: anna@mail.test\r\n", "anna@mail.test", ""},
        Case{"ReplyToOurselvesIsSkipped", "From: Anna <anna@mail.test>\r\nReply-To: support+3-x@EXAMPLE.test\r\n", "anna@mail.test", "Anna"},
        Case{"FirstUsableReplyTo", "From: a@mail.test\r\nReply-To: sales@example.test, Bo <bo@mail.test>\r\n", "bo@mail.test", "Bo"},
        Case{"ReplyToWithoutAtIsSkipped", "From: a@mail.test\r\nReply-To: undisclosed\r\n", "a@mail.test", ""},
        Case{"NoFromFallsBackToSender", "Sender: Desk <desk@mail.test>\r\n", "desk@mail.test", "Desk"},
        Case{"NothingAtAll", "To: support@example.test\r\n", "", ""}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(IsOurAddress, IgnoresCaseAndDetail) {
    EXPECT_TRUE(isOurAddress("SUPPORT+12-abc@example.TEST", kOurs));
    EXPECT_TRUE(isOurAddress("sales@example.test", kOurs));
    EXPECT_FALSE(isOurAddress("support@example.org", kOurs));
    EXPECT_FALSE(isOurAddress("supporter@example.test", kOurs));
    EXPECT_FALSE(isOurAddress("", kOurs));
}

}  // namespace
}  // namespace postdesk::rules
