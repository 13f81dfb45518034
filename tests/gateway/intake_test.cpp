// Intake and ingest against a real Dovecot: every mail that reaches the mailbox becomes exactly
// one ticket message, and only the right people can add to a ticket.
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "tests/gateway/intake_fixture.h"
#include "rules/reply_token.h"

namespace postdesk::testing {
namespace {

TEST_F(IntakeTest, NewMailBecomesATicketAndIsMovedToProcessed) {
    seed(customerMail("m1@example.test", "Printer on fire"));
    auto r = poll();
    ASSERT_TRUE(r[0].outcome.ok()) << r[0].outcome.message;
    EXPECT_EQ(r[0].stored, 1);
    auto list = tickets().list({});
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].subject, "Printer on fire");
    EXPECT_EQ(list[0].status, "new");
    EXPECT_EQ(list[0].queue, "support");
    EXPECT_EQ(list[0].customer_address, "alice@example.test");
    EXPECT_EQ(list[0].customer_name, "Alice Example");
    EXPECT_EQ(folderCount("support@example.test", "INBOX"), 0);
    EXPECT_EQ(folderCount("support@example.test", "Processed"), 1);
    auto events = tickets().events(1);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].kind, "created");
}

TEST_F(IntakeTest, ReplyJoinsTheSameTicket) {
    seed(customerMail("first@example.test", "Invoice missing"));
    poll();
    seed(customerMail("second@example.test", "Re: Invoice missing", "alice@example.test", "In-Reply-To: <first@example.test>\r\n"));
    poll();
    auto list = tickets().list({});
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].messages, 2);
}

TEST_F(IntakeTest, SignedReplyAddressFromTheCustomerJoinsTheTicket) {
    seed(customerMail("t1@example.test", "Question"));
    poll();
    std::string token = rules::signReplyToken(1, "alice@example.test", settings_.token_key);
    std::string reply = "From: alice@example.test\r\nTo: " + rules::replyAddress("support@example.test", token) +
                        "\r\nSubject: totally different subject\r\nMessage-ID: <t2@example.test>\r\n\r\nMore details.\r\n";
    seed(reply);
    poll();
    ASSERT_EQ(tickets().list({}).size(), 1u);
    EXPECT_EQ(tickets().get(1)->messages, 2);
}

TEST_F(IntakeTest, MailAlreadyReadInWebmailIsStillImported) {
    seed(customerMail("read@example.test", "Read in webmail"));
    MailStack::run(stack_->doveadm() + "flags add -u support@example.test '\\Seen' mailbox INBOX all");
    poll();
    EXPECT_EQ(tickets().list({}).size(), 1u);
}

TEST_F(IntakeTest, KeepLeavesTheMailUnreadAndInPlace) {
    settings_.mailboxes[0].after = config::After::Keep;
    seed(customerMail("keep@example.test", "Keep me"));
    poll();
    poll();
    EXPECT_EQ(tickets().list({}).size(), 1u);
    EXPECT_EQ(folderCount("support@example.test", "INBOX"), 1);
    std::string flags = capture(stack_->doveadm() + "fetch -u support@example.test flags mailbox INBOX all");
    EXPECT_EQ(flags.find("\\Seen"), std::string::npos) << flags;
}

TEST_F(IntakeTest, UidValidityChangeImportsOnlyWhatIsNew) {
    settings_.mailboxes[0] = mailbox("support", "support@example.test", "Queue");
    settings_.mailboxes[0].after = config::After::Keep;
    MailStack::run(stack_->doveadm() + "mailbox create -u support@example.test Queue");
    seed(customerMail("v1@example.test", "One"), "support@example.test", "Queue");
    seed(customerMail("v2@example.test", "Two"), "support@example.test", "Queue");
    poll();
    MailStack::run(stack_->doveadm() + "mailbox update -u support@example.test --uid-validity 424242 Queue");
    seed(customerMail("v3@example.test", "Three"), "support@example.test", "Queue");
    auto r = poll();
    ASSERT_TRUE(r[0].outcome.ok()) << r[0].outcome.message;
    EXPECT_EQ(r[0].stored, 1);
    EXPECT_EQ(r[0].duplicates, 2);
    EXPECT_EQ(tickets().list({}).size(), 3u);
    EXPECT_EQ(tickets().messageCount(), 3);
}

TEST_F(IntakeTest, ToPlusCcDoubleDeliveryFilesOneMessage) {
    settings_.mailboxes.push_back(mailbox("sales", "sales@example.test"));
    std::string m = customerMail("both@example.test", "To support, Cc sales", "alice@example.test", "Cc: sales@example.test\r\n");
    seed(m, "support@example.test");
    seed(m, "sales@example.test");
    poll();
    EXPECT_EQ(tickets().messageCount(), 1);
    EXPECT_EQ(queue().count("done"), 2);  // both raw copies kept
}

TEST_F(IntakeTest, SubjectTagFromAStrangerOpensANewTicket) {
    seed(customerMail("own@example.test", "My order"));
    poll();
    seed(customerMail("evil@example.test", "Re: [#1] My order", "mallory@example.org"));
    poll();
    auto list = tickets().list({});
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[1].customer_address, "mallory@example.org");
    auto events = tickets().events(2);
    ASSERT_FALSE(events.empty());
    EXPECT_NE(events[0].detail.find("not a participant"), std::string::npos) << events[0].detail;
}

TEST_F(IntakeTest, SubjectTagFromAParticipantJoins) {
    seed(customerMail("p1@example.test", "My order"));
    poll();
    seed(customerMail("p2@example.test", "[#1] one more thing"));
    poll();
    EXPECT_EQ(tickets().list({}).size(), 1u);
}

TEST_F(IntakeTest, BounceIsLinkedToTheTicketNeverOpensOne) {
    seed(customerMail("orig@example.test", "Hello"));
    poll();
    std::string bounce =
        "From: MAILER-DAEMON@mx.example.org\r\nTo: support@example.test\r\nSubject: Undelivered Mail\r\n"
        "Message-ID: <b1@mx.example.org>\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n--B\r\n\r\nFailed.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        "Message-ID: <orig@example.test>\r\nSubject: Hello\r\n--B--\r\n";
    seed(bounce);
    poll();
    EXPECT_EQ(tickets().list({}).size(), 1u);
    EXPECT_EQ(tickets().messageCount(), 2);
    bool bounced = false;
    for (const auto& e : tickets().events(1)) bounced |= e.kind == "bounce";
    EXPECT_TRUE(bounced);
}

TEST_F(IntakeTest, OversizedAndMalformedMailDoNotStopTheRest) {
    settings_.limits.max_raw_bytes = 200000;
    seed(customerMail("ok1@example.test", "Fine"));
    seed(customerMail("big@example.test", "Huge", "alice@example.test", "", std::string(300000, 'x') + "\r\n"));
    seed("Content-Type: multipart/mixed; boundary=\"\r\n\r\n--\r\n\x01\x02 garbage \xff\r\n");
    seed(customerMail("ok2@example.test", "Also fine"));
    poll();
    auto q = queue().list("quarantined");
    ASSERT_EQ(q.size(), 1u);
    EXPECT_EQ(q[0].reason, "too-large");
    EXPECT_EQ(queue().get(q[0].id)->raw.size(), q[0].size);  // raw bytes kept
    EXPECT_EQ(tickets().messageCount(), 3);                  // the malformed one is filed, with warnings
    EXPECT_EQ(folderCount("support@example.test", "INBOX"), 0);
}

TEST_F(IntakeTest, IngestFailingRepeatedlyIsQuarantinedAndCanBeReprocessed) {
    // A real fault in the one step only this mail takes: recording where its attachment is.
    store_->db().exec("CREATE TRIGGER attachment_fault BEFORE INSERT ON attachment_data BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
    std::string withFile = customerMail("att@example.test", "File", "alice@example.test",
                                        "Content-Type: multipart/mixed; boundary=Z\r\n",
                                        "--Z\r\n\r\nsee file\r\n--Z\r\nContent-Type: application/pdf; name=a.pdf\r\n\r\n%PDF\r\n--Z--\r\n");
    seed(withFile);
    seed(customerMail("plain@example.test", "No file"));
    settings_.ingest_max_attempts = 3;
    auto ingestSettings = app::ingestSettings(settings_);
    ingestSettings.retry_floor_seconds = 0;
    intake::ImapIntake(*store_, settings_.mailboxes[0]).pollOnce();
    for (int i = 0; i < 3; ++i) ingest::Ingest(*store_, ingestSettings).drain();
    EXPECT_EQ(tickets().messageCount(), 1);
    auto q = queue().list("quarantined");
    ASSERT_EQ(q.size(), 1u);
    EXPECT_EQ(q[0].reason, "ingest-failed");
    store_->db().exec("DROP TRIGGER attachment_fault");
    queue().requeue(q[0].id);
    ingest::Ingest(*store_, ingestSettings).drain();
    EXPECT_EQ(tickets().messageCount(), 2);
    EXPECT_TRUE(queue().list("quarantined").empty());
}

TEST_F(IntakeTest, ServerGoneMidPassRecoversWithoutLossOrDuplicates) {
    for (int i = 0; i < 150; ++i) seed(customerMail("s" + std::to_string(i) + "@example.test", "Mail " + std::to_string(i)));
    std::thread killer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
        stack_->stop(false);
    });
    auto first = intake::ImapIntake(*store_, settings_.mailboxes[0]).pollOnce();
    killer.join();
    stack_->restart();
    for (int i = 0; i < 3; ++i) poll();
    EXPECT_EQ(tickets().messageCount(), 150) << "first pass: " << first.outcome.message;
    EXPECT_EQ(queue().count("done"), 150);
    EXPECT_EQ(folderCount("support@example.test", "Processed"), 150);
}

TEST_F(IntakeTest, WrongPasswordIsAConfigOutcome) {
    settings_.mailboxes[0].password = "wrong";
    auto r = poll();
    EXPECT_EQ(r[0].outcome.kind, net::OutcomeKind::Config) << r[0].outcome.message;
    EXPECT_EQ(r[0].outcome.message.find("wrong"), std::string::npos);  // never the password
}

}  // namespace
}  // namespace postdesk::testing
