#include "mime/address.h"

#include <gtest/gtest.h>

#include <vector>

namespace postdesk::mime {
namespace {

using List = std::vector<Address>;

bool hasWarning(const Warnings& w, std::string_view code) {
    for (const auto& x : w.list())
        if (x.code == code) return true;
    return false;
}

struct Case {
    const char* name;
    std::string raw;
    List expected;
    const char* warning;  // nullptr: no warning at all
};

class AddressTable : public ::testing::TestWithParam<Case> {};

TEST_P(AddressTable, ParsesList) {
    const Case& c = GetParam();
    Warnings w;
    EXPECT_EQ(parseAddressList(c.raw, w), c.expected);
    if (c.warning)
        EXPECT_TRUE(hasWarning(w, c.warning)) << c.warning;
    else
        EXPECT_TRUE(w.list().empty()) << w.list().front().code << ": " << w.list().front().detail;
}

INSTANTIATE_TEST_SUITE_P(Address, AddressTable, ::testing::Values(
    Case{"BareAddrSpec", "jane@example.org", {{"", "jane@example.org"}}, nullptr},
    Case{"NameAndAngle", "Jane Doe <jane@example.org>", {{"Jane Doe", "jane@example.org"}}, nullptr},
    Case{"CaseIsKeptAsWritten", "Jane.Doe@Example.COM", {{"", "Jane.Doe@Example.COM"}}, nullptr},
    Case{"QuotedNameWithComma", "\"Doe, John\" <j@x.org>", {{"Doe, John", "j@x.org"}}, nullptr},
    Case{"UnquotedNameWithCommaIsOneAddress", "Doe, John <j@x.org>", {{"Doe, John", "j@x.org"}}, nullptr},
    Case{"EscapesInQuotedName", R"("Jane \"JD\" Doe" <j@x.org>)", {{"Jane \"JD\" Doe", "j@x.org"}}, nullptr},
    Case{"CommentIsNameWithoutPhrase", "jane@x.org (Jane Doe)", {{"Jane Doe", "jane@x.org"}}, nullptr},
    Case{"CommentAfterAngleIsName", "<jane@x.org> (Jane)", {{"Jane", "jane@x.org"}}, nullptr},
    Case{"AddressOnlyInTheComment", "=?iso-8859-2?Q?Namedy=F1ski?= (hans@example.com)", {{"Namedyński", "hans@example.com"}}, nullptr},
    Case{"CommentWithSpacesIsNoAddress", "root (the admin@ home)", {{"the admin@ home", "root"}}, nullptr},
    Case{"PhraseBeatsComment", "Jane (Sales) <jane@x.org>", {{"Jane", "jane@x.org"}}, nullptr},
    Case{"GroupYieldsMembers", "Team: a@x.org, Bob <b@y.org>;", {{"", "a@x.org"}, {"Bob", "b@y.org"}}, nullptr},
    Case{"EmptyGroupYieldsNothing", "undisclosed-recipients:;", {}, nullptr},
    Case{"GroupAmongAddresses", "a@x.org, Team: b@x.org;, c@x.org", {{"", "a@x.org"}, {"", "b@x.org"}, {"", "c@x.org"}}, nullptr},
    Case{"EncodedWordName", "=?utf-8?Q?Jos=C3=A9_Garc=C3=ADa?= <jg@x.org>", {{"José García", "jg@x.org"}}, nullptr},
    Case{"EncodedWordInsideQuotes", "\"=?utf-8?Q?Jos=C3=A9?=\" <j@x.org>", {{"José", "j@x.org"}}, nullptr},
    Case{"EncodedWordNameIso2022Jp", "=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?= <jp@x.org>", {{"こんにちは", "jp@x.org"}}, nullptr},
    Case{"RawUtf8Name", "\"Jos\xC3\xA9\" <j@x.org>", {{"José", "j@x.org"}}, nullptr},
    Case{"Raw8BitNameIsSniffed", "Jos\xE9 <j@x.org>", {{"José", "j@x.org"}}, "undeclared-8bit"},
    Case{"ObsoleteRouteIsDropped", "<@a.org,@b.org:x@y.org>", {{"", "x@y.org"}}, nullptr},
    Case{"MissingClosingAngle", "Jane <jane@x.org", {{"Jane", "jane@x.org"}}, "bad-address"},
    Case{"AddressAsQuotedName", "\"x@y.org\" <x@y.org>", {{"x@y.org", "x@y.org"}}, nullptr},
    Case{"DoubleAngles", "Name <<x@y.org>>", {{"Name", "x@y.org"}}, nullptr},
    Case{"BareLocalPart", "root", {{"", "root"}}, nullptr},
    Case{"NullAddressIsDropped", "<>", {}, nullptr},
    Case{"EmptyIsEmpty", "", {}, nullptr},
    Case{"EmptyPiecesAreSkipped", "a@x.org, , b@y.org,", {{"", "a@x.org"}, {"", "b@y.org"}}, nullptr},
    Case{"SemicolonSeparated", "a@x.org; b@y.org", {{"", "a@x.org"}, {"", "b@y.org"}}, nullptr},
    Case{"SingleQuotedNameIsUnwrapped", "'Jane Doe' <j@x.org>", {{"Jane Doe", "j@x.org"}}, nullptr},
    Case{"ObsoleteSpacesInAddrSpec", "john . doe @ example.org", {{"", "john.doe@example.org"}}, nullptr},
    Case{"NameWithoutAngles", "Jane Doe jane@x.org", {{"Jane Doe", "jane@x.org"}}, nullptr},
    Case{"QuotedLocalPartIsKept", "\"john doe\"@x.org", {{"", "\"john doe\"@x.org"}}, nullptr},
    Case{"FoldedList", "Jane <j@x.org>,\r\n\tBob\r\n <b@y.org>", {{"Jane", "j@x.org"}, {"Bob", "b@y.org"}}, nullptr},
    Case{"WordsWithoutAddressAreDropped", "just some words, a@x.org", {{"", "a@x.org"}}, "bad-address"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Address, MailboxIsFirstOfList) {
    Warnings w;
    EXPECT_EQ(parseMailbox("Jane <j@x.org>, Bob <b@y.org>", w), (Address{"Jane", "j@x.org"}));
}

TEST(Address, NullAndEmptyMailboxAreEmptyAddress) {
    Warnings w;
    EXPECT_EQ(parseMailbox("<>", w), Address{});
    EXPECT_EQ(parseMailbox("", w), Address{});
    EXPECT_EQ(parseMailbox("   ", w), Address{});
    EXPECT_TRUE(w.list().empty());
}

struct IdCase {
    const char* name;
    std::string raw;
    std::vector<std::string> expected;
};

class MessageIdTable : public ::testing::TestWithParam<IdCase> {};

TEST_P(MessageIdTable, ExtractsIds) { EXPECT_EQ(parseMessageIds(GetParam().raw), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(Address, MessageIdTable, ::testing::Values(
    IdCase{"Single", "<a1@x.org>", {"a1@x.org"}},
    IdCase{"References", "<a@x.org> <b@y.org>\r\n\t<c@z.org>", {"a@x.org", "b@y.org", "c@z.org"}},
    IdCase{"MissingBrackets", "a@x.org", {"a@x.org"}},
    IdCase{"CommentsAndGarbage", "<a@x.org> (Jane's message of Tue) garbage <b@y.org>", {"a@x.org", "b@y.org"}},
    IdCase{"OutlookInReplyToPhrase", "your message of Tue, 1 Jan <a@x.org>", {"a@x.org"}},
    IdCase{"CommaSeparated", "<a@x.org>,<b@y.org>", {"a@x.org", "b@y.org"}},
    IdCase{"FoldedInsideBrackets", "<a@\r\n x.org>", {"a@x.org"}},
    IdCase{"UnclosedBracket", "<a@x.org <b@y.org>", {"a@x.org", "b@y.org"}},
    IdCase{"NoAtInBrackets", "<abc123>", {"abc123"}},
    IdCase{"Empty", "", {}},
    IdCase{"EmptyBrackets", "<>", {}}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace postdesk::mime
