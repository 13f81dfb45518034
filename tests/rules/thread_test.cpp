#include "rules/thread.h"

#include <gtest/gtest.h>

#include "mime/parse.h"
#include "rules/reply_token.h"

namespace postdesk::rules {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::int64_t kDay = 86400;

mime::Message mail(const std::string& headers) { return mime::parse(headers + "\r\n\r\nbody\r\n"); }

TicketHint ticket(std::uint64_t n, TicketStatus status = TicketStatus::Open, bool participant = true, std::int64_t closedAt = 0) {
    return {n, status, closedAt, participant};
}

TEST(ThreadKeys, CollectTokensIdsAndSubjectTag) {
    auto m = mail("From: Alice <ALICE@example.org>\r\nTo: support+42-abc@example.test\r\nCc: other@example.org\r\n"
                  "Subject: Re: [#42] Printer\r\nIn-Reply-To: <b@x>\r\nReferences: <a@x> <b@x>");
    ThreadKeys k = threadKeys(m, {"support@example.test"});
    ASSERT_EQ(k.tokens.size(), 1u);
    EXPECT_EQ(k.tokens[0], "42-abc");
    EXPECT_EQ(k.message_ids, (std::vector<std::string>{"b@x", "b@x", "a@x"}));
    EXPECT_EQ(k.subject_ticket, 42u);
    EXPECT_EQ(k.sender, "alice@example.org");
}

TEST(ThreadKeys, DeliveredToCarriesTheTokenWhenToDoesNot) {
    auto m = mail("From: a@x\r\nTo: undisclosed-recipients:;\r\nDelivered-To: support+7-k@example.test");
    EXPECT_EQ(threadKeys(m, {"support@example.test"}).tokens, std::vector<std::string>{"7-k"});
}

TEST(Thread, NoEvidenceOpensATicket) {
    auto m = mail("From: a@x\r\nSubject: hi");
    auto d = decideThread(m, threadKeys(m, {}), {}, {}, kNow);
    EXPECT_EQ(d.action, ThreadAction::NewTicket);
}

TEST(Thread, VerifiedTokenWinsOverEverythingElse) {
    auto m = mail("From: a@x\r\nSubject: [#9] x");
    ThreadHints h;
    h.by_token = ticket(3);
    h.by_message_id = ticket(5);
    h.by_subject = ticket(9);
    auto d = decideThread(m, threadKeys(m, {}), h, {}, kNow);
    EXPECT_EQ(d.action, ThreadAction::Append);
    EXPECT_EQ(d.ticket, 3u);
}

TEST(Thread, ReplyToOurMessageIdJoinsTicket) {
    auto m = mail("From: a@x\r\nIn-Reply-To: <ack@x>");
    ThreadHints h;
    h.by_message_id = ticket(5);
    EXPECT_EQ(decideThread(m, threadKeys(m, {}), h, {}, kNow).ticket, 5u);
}

TEST(Thread, SubjectTagFromAStrangerOpensANewTicket) {
    auto m = mail("From: mallory@evil\r\nSubject: [#9] give me the data");
    ThreadHints h;
    h.by_subject = ticket(9, TicketStatus::Open, /*participant=*/false);
    auto d = decideThread(m, threadKeys(m, {}), h, {}, kNow);
    EXPECT_EQ(d.action, ThreadAction::NewTicket);
    EXPECT_NE(d.reason.find("not a participant"), std::string::npos);
}

TEST(Thread, ClosedRecentlyReopens) {
    auto m = mail("From: a@x");
    ThreadHints h;
    h.by_message_id = ticket(5, TicketStatus::Closed, true, kNow - 3 * kDay);
    auto d = decideThread(m, threadKeys(m, {}), h, {14}, kNow);
    EXPECT_EQ(d.action, ThreadAction::Append);
    EXPECT_TRUE(d.reopen);
}

TEST(Thread, ClosedLongAgoOpensALinkedTicket) {
    auto m = mail("From: a@x");
    ThreadHints h;
    h.by_message_id = ticket(5, TicketStatus::Solved, true, kNow - 30 * kDay);
    auto d = decideThread(m, threadKeys(m, {}), h, {14}, kNow);
    EXPECT_EQ(d.action, ThreadAction::NewLinked);
    EXPECT_EQ(d.ticket, 5u);
}

TEST(Thread, BounceAttachesToTheOriginalTicketAndNeverOpensOne) {
    auto bounce = mail("From: MAILER-DAEMON@mx\r\nSubject: Undelivered");
    ThreadHints h;
    h.by_original = ticket(8);
    EXPECT_EQ(decideThread(bounce, threadKeys(bounce, {}), h, {}, kNow).action, ThreadAction::AttachBounce);
    EXPECT_EQ(decideThread(bounce, threadKeys(bounce, {}), {}, {}, kNow).action, ThreadAction::OrphanBounce);
}

TEST(ReplyToken, VerifiesOnlyForTheAddressItWasIssuedTo) {
    std::string key = "k-0123456789abcdef";
    std::string t = signReplyToken(1042, "Alice@Example.org", key);
    EXPECT_EQ(verifyReplyToken(t, "alice@example.org", key), 1042u);
    EXPECT_EQ(verifyReplyToken(t, "mallory@example.org", key), std::nullopt);
    EXPECT_EQ(verifyReplyToken(t, "alice@example.org", "another-key-0123456"), std::nullopt);
    std::string forged = "1043" + t.substr(t.find('-'));
    EXPECT_EQ(verifyReplyToken(forged, "alice@example.org", key), std::nullopt);
    EXPECT_EQ(verifyReplyToken("garbage", "alice@example.org", key), std::nullopt);
    EXPECT_EQ(verifyReplyToken("", "alice@example.org", key), std::nullopt);
}

TEST(ReplyToken, AddressRoundTrip) {
    std::string addr = replyAddress("support@example.test", "42-abc");
    EXPECT_EQ(addr, "support+42-abc@example.test");
    EXPECT_EQ(tokenFromAddress(addr, "support@example.test"), "42-abc");
    EXPECT_EQ(tokenFromAddress("SUPPORT+42-abc@EXAMPLE.test", "support@example.test"), "42-abc");
    EXPECT_EQ(tokenFromAddress("sales+42-abc@example.test", "support@example.test"), std::nullopt);
    EXPECT_EQ(tokenFromAddress("support@example.test", "support@example.test"), std::nullopt);
}

}  // namespace
}  // namespace postdesk::rules

namespace postdesk::rules {
namespace {

TEST(AgentToken, ValidForTheAgentUntilItExpires) {
    std::string key = "k-0123456789abcdef";
    std::string t = signAgentToken(77, "Bob@Example.test", 20500, key);
    EXPECT_TRUE(isAgentToken(t));
    EXPECT_FALSE(isAgentToken(signReplyToken(77, "bob@example.test", key)));
    auto ok = verifyAgentToken(t, "bob@example.test", key, 20499);
    EXPECT_EQ(ok.check, AgentTokenCheck::Valid);
    EXPECT_EQ(ok.ticket, 77u);
    EXPECT_EQ(verifyAgentToken(t, "bob@example.test", key, 20501).check, AgentTokenCheck::Expired);
    EXPECT_EQ(verifyAgentToken(t, "mallory@example.test", key, 20499).check, AgentTokenCheck::Forged);
    std::string otherTicket = "a78" + t.substr(3);
    EXPECT_EQ(verifyAgentToken(otherTicket, "bob@example.test", key, 20499).check, AgentTokenCheck::Forged);
    std::string longer = "a77-99999-" + t.substr(t.rfind('-') + 1);
    EXPECT_EQ(verifyAgentToken(longer, "bob@example.test", key, 20499).check, AgentTokenCheck::Forged);
    EXPECT_EQ(verifyAgentToken("a77-x-y", "bob@example.test", key, 20499).check, AgentTokenCheck::Malformed);
}

}  // namespace
}  // namespace postdesk::rules
