// Table-driven tests of the pure IMAP response parser (gateway/net/imap_response.h).
#include "gateway/net/imap_response.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace postdesk::net {
namespace {

using namespace std::string_literals;

struct FrameCase {
    const char* name;
    std::string buffer;
    std::size_t length;  // 0: incomplete
    bool too_large = false;
};

TEST(ImapResponse, FramesCountLiteralsExactly) {
    const std::vector<FrameCase> cases = {
        {"simple line", "* OK ready\r\n", 12},
        {"no CRLF yet", "* OK rea", 0},
        {"only CR", "* OK ready\r", 0},
        {"first of two", "* 2 EXISTS\r\npd1 OK done\r\n", 12},
        {"literal incomplete", "* 1 FETCH (BODY[] {5}\r\nab\r\n", 0},
        {"literal complete, line not", "* 1 FETCH (BODY[] {5}\r\nab\r\nc", 0},
        {"literal with CRLF inside", "* 1 FETCH (BODY[] {5}\r\nab\r\nc)\r\n", 31},
        {"literal-looking text inside literal", "* 1 FETCH (BODY[] {7}\r\nx {1}\r\n)\r\n", 33},
        {"two literals", "* 1 FETCH (A {1}\r\nx B {2}\r\nyz)\r\n", 32},
        {"non-synchronizing marker", "* 1 FETCH (A {1+}\r\nx)\r\n", 23},
        {"empty literal", "* 1 FETCH (BODY[] {0}\r\n)\r\n", 26},
        {"literal over the limit", "* 1 FETCH (BODY[] {999}\r\n", 0, true},
        {"brace text that is not a literal", "* OK {x}\r\n", 10},
    };
    FrameLimits limits;
    limits.max_literal = 100;
    limits.max_line = 1000;
    for (const auto& c : cases) {
        Frame f = frameResponse(c.buffer, limits);
        EXPECT_EQ(f.length, c.length) << c.name;
        EXPECT_EQ(f.too_large, c.too_large) << c.name;
    }
}

TEST(ImapResponse, LineWithoutEndOverLimitIsTooLarge) {
    FrameLimits limits;
    limits.max_line = 8;
    EXPECT_TRUE(frameResponse("* SEARCH 1 2 3 4 5", limits).too_large);
    EXPECT_FALSE(frameResponse("* SEARCH", limits).too_large);
}

struct StatusCase {
    const char* name;
    std::string raw;
    Response::Kind kind;
    std::string tag, status, code, code_args, text;
};

TEST(ImapResponse, ParsesStatusResponses) {
    using K = Response::Kind;
    const std::vector<StatusCase> cases = {
        {"tagged OK with code", "pd3 OK [READ-WRITE] Select completed.\r\n", K::Tagged, "pd3", "OK",
         "READ-WRITE", "", "Select completed."},
        {"tagged NO with code args", "a1 NO [ALREADYEXISTS] Mailbox exists.\r\n", K::Tagged, "a1",
         "NO", "ALREADYEXISTS", "", "Mailbox exists."},
        {"lower-case status", "x9 ok fine\r\n", K::Tagged, "x9", "OK", "", "", "fine"},
        {"tagged BAD without text", "t BAD\r\n", K::Tagged, "t", "BAD", "", "", ""},
        {"untagged UIDVALIDITY", "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n", K::Untagged, "",
         "OK", "UIDVALIDITY", "3857529045", "UIDs valid"},
        {"untagged BYE", "* BYE Server shutting down.\r\n", K::Untagged, "", "BYE", "", "",
         "Server shutting down."},
        {"PERMANENTFLAGS", "* OK [PERMANENTFLAGS (\\Seen \\*)] Limited\r\n", K::Untagged, "", "OK",
         "PERMANENTFLAGS", "(\\Seen \\*)", "Limited"},
        {"continuation", "+ OK\r\n", K::Continuation, "", "", "", "", "OK"},
        {"bare continuation", "+\r\n", K::Continuation, "", "", "", "", ""},
    };
    for (const auto& c : cases) {
        std::string error;
        auto r = parseResponse(c.raw, error);
        ASSERT_TRUE(r) << c.name << ": " << error;
        EXPECT_EQ(r->kind, c.kind) << c.name;
        EXPECT_EQ(r->tag, c.tag) << c.name;
        EXPECT_EQ(r->name, c.status) << c.name;
        EXPECT_EQ(r->code, c.code) << c.name;
        EXPECT_EQ(r->code_args, c.code_args) << c.name;
        EXPECT_EQ(r->text, c.text) << c.name;
    }
}

TEST(ImapResponse, CodeNumbersAndExists) {
    std::string error;
    auto next = parseResponse("* OK [UIDNEXT 4392] Predicted next UID\r\n", error);
    ASSERT_TRUE(next);
    EXPECT_EQ(codeNumber(*next, "UIDNEXT"), 4392u);
    EXPECT_EQ(codeNumber(*next, "UIDVALIDITY"), std::nullopt);
    auto too_big = parseResponse("* OK [UIDNEXT 4294967296] x\r\n", error);
    ASSERT_TRUE(too_big);
    EXPECT_EQ(codeNumber(*too_big, "UIDNEXT"), std::nullopt);
    auto exists = parseResponse("* 172 EXISTS\r\n", error);
    ASSERT_TRUE(exists);
    EXPECT_EQ(exists->name, "EXISTS");
    EXPECT_EQ(exists->number, 172u);
}

TEST(ImapResponse, SearchNumbers) {
    const std::vector<std::pair<std::string, std::vector<std::uint32_t>>> cases = {
        {"* SEARCH 2 84 882\r\n", {2, 84, 882}},
        {"* SEARCH\r\n", {}},
        {"* SEARCH 7 (MODSEQ 917162500)\r\n", {7}},
        {"* 3 EXISTS\r\n", {}},
    };
    for (const auto& [raw, want] : cases) {
        std::string error;
        auto r = parseResponse(raw, error);
        ASSERT_TRUE(r) << raw << error;
        EXPECT_EQ(searchNumbers(*r), want) << raw;
    }
}

TEST(ImapResponse, Capabilities) {
    std::string error;
    auto data = parseResponse("* CAPABILITY IMAP4rev1 LITERAL+ move UIDPLUS AUTH=PLAIN\r\n", error);
    ASSERT_TRUE(data);
    EXPECT_EQ(capabilities(*data),
              (std::vector<std::string>{"IMAP4REV1", "LITERAL+", "MOVE", "UIDPLUS", "AUTH=PLAIN"}));
    auto code = parseResponse("pd1 OK [CAPABILITY IMAP4rev1 MOVE] Logged in\r\n", error);
    ASSERT_TRUE(code);
    EXPECT_EQ(capabilities(*code), (std::vector<std::string>{"IMAP4REV1", "MOVE"}));
}

TEST(ImapResponse, FetchWithLiteralBodyIsByteExact) {
    std::string body = "Subject: x\r\n\r\n.dot\r\n{5}\r\n* 2 FETCH (fake)\r\n\xE9t\xE9)\r\n";
    std::string raw = "* 12 FETCH (UID 4827 FLAGS (\\Flagged $Label1) BODY[] {" +
                      std::to_string(body.size()) + "}\r\n" + body + ")\r\n";
    ASSERT_EQ(frameResponse(raw).length, raw.size());
    std::string error;
    auto r = parseResponse(raw, error);
    ASSERT_TRUE(r) << error;
    auto items = fetchItems(*r);
    ASSERT_TRUE(items);
    EXPECT_EQ(items->seq, 12u);
    EXPECT_EQ(items->uid, 4827u);
    EXPECT_EQ(items->flags, (std::vector<std::string>{"\\Flagged", "$Label1"}));
    EXPECT_EQ(items->body, body);
}

TEST(ImapResponse, FetchItemVariants) {
    struct Case {
        const char* name;
        std::string raw;
        std::optional<std::uint32_t> uid;
        std::optional<std::string> body;
        std::size_t flag_count;
    };
    const std::vector<Case> cases = {
        {"flags only (unsolicited)", "* 3 FETCH (FLAGS (\\Seen))\r\n", std::nullopt, std::nullopt, 1},
        {"body first, uid last", "* 1 FETCH (BODY[] {2}\r\nhi UID 9 FLAGS ())\r\n", 9u, "hi"s, 0},
        {"quoted body", "* 1 FETCH (UID 5 BODY[] \"a \\\"q\\\" \\\\\")\r\n", 5u, "a \"q\" \\"s, 0},
        {"NIL body", "* 1 FETCH (UID 5 BODY[] NIL)\r\n", 5u, std::nullopt, 0},
        {"RFC822 item", "* 1 FETCH (UID 6 RFC822 {1}\r\nz)\r\n", 6u, "z"s, 0},
        {"nested lists and section spec",
         "* 1 FETCH (UID 7 BODYSTRUCTURE ((\"text\" \"plain\" NIL) \"mixed\") "
         "BODY[HEADER.FIELDS (FROM TO)] {2}\r\nab)\r\n",
         7u, std::nullopt, 0},
    };
    for (const auto& c : cases) {
        std::string error;
        auto r = parseResponse(c.raw, error);
        ASSERT_TRUE(r) << c.name << ": " << error;
        auto items = fetchItems(*r);
        ASSERT_TRUE(items) << c.name;
        EXPECT_EQ(items->uid, c.uid) << c.name;
        EXPECT_EQ(items->body, c.body) << c.name;
        EXPECT_EQ(items->flags.value_or(std::vector<std::string>{}).size(), c.flag_count) << c.name;
    }
}

TEST(ImapResponse, RejectsMalformedInput) {
    const std::vector<std::pair<const char*, std::string>> cases = {
        {"no CRLF", "* OK fine"},
        {"unterminated quote in FETCH", "* 1 FETCH (UID 1 BODY[] \"abc)\r\n"},
        {"unclosed list in FETCH", "* 1 FETCH (UID 1 FLAGS (\\Seen)\r\n"},
        {"literal cut short", "* 1 FETCH (BODY[] {10}\r\nabc)\r\n"},
        {"unterminated code", "* OK [UIDNEXT 5 hello\r\n"},
        {"tagged non-status", "pd1 FETCH (UID 1)\r\n"},
        {"empty", "\r\n"},
        {"number overflow", "* 99999999999 EXISTS\r\n"},
    };
    for (const auto& [name, raw] : cases) {
        std::string error;
        EXPECT_FALSE(parseResponse(raw, error)) << name;
        EXPECT_FALSE(error.empty()) << name;
    }
}

TEST(ImapResponse, UninterpretedOddDataDoesNotFail) {
    std::string error;
    auto r = parseResponse("* XVENDOR (unbalanced\r\n", error);
    ASSERT_TRUE(r) << error;
    EXPECT_EQ(r->name, "XVENDOR");
    EXPECT_TRUE(r->data.empty());
}

TEST(ImapResponse, FetchItemsRejectsOddPairs) {
    std::string error;
    auto r = parseResponse("* 1 FETCH (UID)\r\n", error);
    ASSERT_TRUE(r);
    EXPECT_FALSE(fetchItems(*r));
    auto bad_uid = parseResponse("* 1 FETCH (UID x)\r\n", error);
    ASSERT_TRUE(bad_uid);
    EXPECT_FALSE(fetchItems(*bad_uid));
}

}  // namespace
}  // namespace postdesk::net
