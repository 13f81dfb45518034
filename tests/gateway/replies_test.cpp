// Replies against a real Postfix + Dovecot: acknowledgments that read like a person wrote them and
// never loop, agents answering from any mail client, commands, spoofing, SMTP outages, injection.
// Every mail that reaches a mailbox here is also read by Python's strict parser with zero defects.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "gateway/send/sender.h"
#include "gateway/store/outbox.h"
#include "mime/parse.h"
#include "rules/reply_token.h"
#include "tests/gateway/intake_fixture.h"

namespace postdesk::testing {
namespace {

namespace fs = std::filesystem;

class RepliesTest : public IntakeTest {
protected:
    void SetUp() override {
        IntakeTest::SetUp();
        if (!stack_) return;
        for (const char* user : {"alice", "bob", "carol", "robot"}) MailStack::run(stack_->doveadm() + "expunge -u " + user + "@example.test mailbox '*' all 2>/dev/null || true");
        settings_.smtp.url = stack_->env("SMTP_URL");
        settings_.smtp.tls = config::Tls::None;
        settings_.send.retry_floor = 0;
        settings_.replies.dir = std::string(POSTDESK_SOURCE_DIR) + "/etc/replies";
        settings_.agents = {{"bob", "Bob Miller", "bob@example.test", {"support"}, {"support"}},
                            {"carol", "Carol Jones", "carol@example.test", {"support"}, {}}};
        std::vector<replies::TemplateError> errors;
        templates_ = std::make_unique<replies::TemplateSet>(replies::loadTemplates(readTemplates(settings_.replies.dir), errors));
        ASSERT_TRUE(errors.empty());
    }

    static std::vector<replies::TemplateFile> readTemplates(const std::string& dir) {
        std::vector<replies::TemplateFile> files;
        for (const auto& e : fs::recursive_directory_iterator(dir))
            if (e.path().extension() == ".mustache") {
                std::ifstream in(e.path());
                std::stringstream ss;
                ss << in.rdbuf();
                files.push_back({e.path().string(), ss.str()});
            }
        return files;
    }

    // intake + ingest (with replies) + send, then wait until Postfix delivered everything.
    void cycle() {
        for (const auto& m : settings_.mailboxes) intake::ImapIntake(*store_, m).pollOnce();
        auto is = app::ingestSettings(settings_);
        is.config = &settings_;
        is.templates = templates_.get();
        ingest::Ingest(*store_, is).drain();
        send::Sender(*store_, settings_).flush();
        MailStack::run(std::string(POSTDESK_SOURCE_DIR) + "/scripts/mailstack/wait-queue.sh " + stack_->dir() + " 20");
    }

    static void expectStrictlyValid(const Delivered& d) {
        std::string cmd = "python3 " + std::string(POSTDESK_SOURCE_DIR) + "/tests/mime/strict_parse.py " + d.path + " >/dev/null 2>&1";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << "strict parser found defects in " << d.path;
        for (const auto& w : d.parsed.warnings) ADD_FAILURE() << d.path << ": our parser warns " << w.code << " " << w.detail;
    }

    std::string notificationReplyTo(const std::string& agent) {
        auto mails = mailbox(agent);
        if (mails.empty()) return {};
        return mails.back().parsed.reply_to.empty() ? std::string() : mails.back().parsed.reply_to[0].address;
    }

    void agentReply(const std::string& from, const std::string& to, const std::string& body, const std::string& id) {
        seed("From: Agent <" + from + ">\r\nTo: " + to + "\r\nSubject: Re: [#1] Printer\r\nMessage-ID: <" + id +
             ">\r\n\r\n" + body + "\r\n\r\nOn Mon, Nov 16, 2026 at 10:00 AM Anna <alice@example.test> wrote:\r\n> Hello, my printer is broken.\r\n");
    }

    void openTicket() {
        seed(customerMail("c1@example.test", "Printer", "alice@example.test"));
        cycle();
    }

    std::unique_ptr<replies::TemplateSet> templates_;
};

TEST_F(RepliesTest, CustomerGetsOnePersonalAcknowledgment) {
    std::string m = "From: \"Schmidt, Anna\" <alice@example.test>\r\nTo: support@example.test\r\nSubject: Printer on fire\r\n"
                    "Date: Mon, 16 Nov 2026 23:30:00 +0300\r\nMessage-ID: <fire@example.test>\r\nReferences: <older@example.test>\r\n\r\nHelp!\r\n";
    seed(m);
    cycle();
    auto inbox = mailbox("alice");
    ASSERT_EQ(inbox.size(), 1u);
    const auto& ack = inbox[0].parsed;
    EXPECT_EQ(ack.subject, "[#1] Printer on fire");
    EXPECT_EQ(ack.from.address, "support@example.test");
    EXPECT_EQ(ack.from.name, "Bob Miller, Support");
    EXPECT_EQ(ack.in_reply_to, "fire@example.test");
    EXPECT_EQ(ack.references, (std::vector<std::string>{"older@example.test", "fire@example.test"}));
    ASSERT_TRUE(ack.header("Auto-Submitted"));
    EXPECT_EQ(ack.header("Auto-Submitted")->value, "auto-replied");
    ASSERT_EQ(ack.reply_to.size(), 1u);
    EXPECT_NE(ack.reply_to[0].address.find("support+1-"), std::string::npos);
    EXPECT_NE(ack.text.find("Hi Anna,"), std::string::npos) << ack.text;
    EXPECT_NE(ack.text.find("reply to this email"), std::string::npos) << ack.text;
    EXPECT_NE(ack.text.find("Bob Miller"), std::string::npos) << ack.text;
    EXPECT_EQ(ack.text.find("inconvenience"), std::string::npos);
    expectStrictlyValid(inbox[0]);
    // The customer answers the acknowledgment: same ticket, no second acknowledgment.
    seed("From: alice@example.test\r\nTo: " + ack.reply_to[0].address + "\r\nSubject: Re: [#1] Printer on fire\r\nMessage-ID: <more@example.test>\r\n"
         "In-Reply-To: <" + *ack.message_id + ">\r\n\r\nIt is still burning.\r\n");
    cycle();
    EXPECT_EQ(tickets().list({}).size(), 1u);
    EXPECT_EQ(mailbox("alice").size(), 1u);
}

TEST_F(RepliesTest, AWebFormsReplyToIsTheCustomer) {
    // A shop's contact form sends from a no-reply address on the customer's behalf.
    seed("From: Shop contact form <no-reply@example.test>\r\nReply-To: \"Schmidt, Anna\" <alice@example.test>\r\n"
         "To: support@example.test\r\nSubject: Order 4711 never arrived\r\nMessage-ID: <form1@example.test>\r\n\r\nWhere is it?\r\n");
    cycle();
    auto t = tickets().get(1);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->customer_address, "alice@example.test");
    EXPECT_EQ(t->customer_name, "Schmidt, Anna");
    auto inbox = mailbox("alice");
    ASSERT_EQ(inbox.size(), 1u) << "the acknowledgment goes to the Reply-To";
    EXPECT_NE(inbox[0].parsed.text.find("Hi Anna,"), std::string::npos) << inbox[0].parsed.text;
    auto bob = mailbox("bob");
    ASSERT_FALSE(bob.empty());
    EXPECT_EQ(bob.back().parsed.from.name, "Schmidt, Anna via Support");
    // Anna answers from her own address: the same ticket.
    const auto& ack = inbox[0].parsed;
    seed("From: alice@example.test\r\nTo: " + ack.reply_to[0].address + "\r\nSubject: Re: " + ack.subject +
         "\r\nMessage-ID: <form2@example.test>\r\nIn-Reply-To: <" + *ack.message_id + ">\r\n\r\nStill nothing.\r\n");
    cycle();
    EXPECT_EQ(tickets().list({}).size(), 1u);
}

struct MachineCase {
    const char* name;
    const char* from;
    const char* headers;
};

class RepliesMachine : public RepliesTest, public ::testing::WithParamInterface<MachineCase> {};

TEST_P(RepliesMachine, NoAcknowledgmentToMachines) {
    seed(customerMail("m@example.test", "Hello", GetParam().from, GetParam().headers));
    cycle();
    EXPECT_EQ(store::Outbox(store_->db()).list().size() > 0 && [&] {
        for (const auto& r : store::Outbox(store_->db()).list()) if (r.kind == "ack") return true;
        return false;
    }(), false);
    bool suppressed = false;
    for (const auto& e : tickets().events(1)) suppressed |= e.kind == "ack-suppressed";
    EXPECT_TRUE(suppressed || tickets().list({}).empty()) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(Replies, RepliesMachine,
                         ::testing::Values(MachineCase{"autoreply", "robot@example.test", "Auto-Submitted: auto-replied\r\n"},
                                           MachineCase{"list", "robot@example.test", "List-Id: <news.example.test>\r\n"},
                                           MachineCase{"bulk", "robot@example.test", "Precedence: bulk\r\n"},
                                           MachineCase{"noreply", "no-reply@example.test", ""},
                                           MachineCase{"daemon", "MAILER-DAEMON@example.test", ""},
                                           MachineCase{"nullpath", "robot@example.test", "Return-Path: <>\r\n"},
                                           MachineCase{"ourselves", "support@example.test", ""}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(RepliesTest, AChattyRobotWithoutAutoSubmittedMeetsTheHourlyCap) {
    for (int i = 0; i < 12; ++i) seed(customerMail("bot" + std::to_string(i) + "@example.test", "Ticket " + std::to_string(i), "robot@example.test"));
    cycle();
    EXPECT_EQ(tickets().list({}).size(), 12u);
    EXPECT_EQ(mailbox("robot").size(), 5u);  // [replies] ack_per_hour default
}

TEST_F(RepliesTest, AgentReplyReachesTheCustomerFromTheSupportAddress) {
    openTicket();
    std::string rt = notificationReplyTo("bob");
    ASSERT_FALSE(rt.empty());
    agentReply("bob@example.test", rt, "Hi Anna, unplug it please.\r\n\r\nBob", "bob1@example.test");
    cycle();
    auto inbox = mailbox("alice");
    ASSERT_EQ(inbox.size(), 2u);  // acknowledgment + answer
    const auto& answer = inbox[1].parsed;
    EXPECT_EQ(answer.from.address, "support@example.test");
    EXPECT_EQ(answer.from.name, "Bob Miller, Support");
    EXPECT_EQ(answer.in_reply_to, "c1@example.test");
    EXPECT_NE(answer.text.find("unplug it"), std::string::npos);
    EXPECT_EQ(answer.text.find("> Hello"), std::string::npos) << "quoted history must be stripped";
    for (const auto& d : inbox) expectStrictlyValid(d);
    EXPECT_EQ(folderCount("support@example.test", "Sent"), 2);  // both, as a delegate's Sent would
    auto shown = tickets().messages(1);
    ASSERT_GE(shown.size(), 3u);
    EXPECT_EQ(shown.back().direction, "out");
    EXPECT_EQ(tickets().get(1)->status, "open");
}

TEST_F(RepliesTest, CommandsActOnTheTicket) {
    openTicket();
    std::string rt = notificationReplyTo("bob");
    agentReply("bob@example.test", rt, "#assign carol\r\n#priority high\r\n#tag printer\r\n#pending\r\nPlease send the model number.", "b1@x");
    cycle();
    auto t = tickets().get(1);
    EXPECT_EQ(t->status, "pending");
    EXPECT_EQ(t->priority, "high");
    EXPECT_EQ(t->assignee, "carol");
    EXPECT_EQ(tickets().tags(1), std::vector<std::string>{"printer"});
    EXPECT_EQ(mailbox("alice").size(), 2u);
    agentReply("bob@example.test", rt, "#note\r\nCalled her, she is fine.", "b2@x");
    cycle();
    EXPECT_EQ(mailbox("alice").size(), 2u) << "a note is never sent";
    agentReply("bob@example.test", rt, "#saved refund", "b3@x");
    cycle();
    ASSERT_EQ(mailbox("alice").size(), 3u);
    EXPECT_NE(mailbox("alice").back().parsed.text.find("refund"), std::string::npos);
    agentReply("bob@example.test", rt, "#close", "b4@x");
    cycle();
    EXPECT_EQ(tickets().get(1)->status, "closed");
    auto after = mailbox("alice");
    EXPECT_EQ(after.size(), 3u) << after.back().parsed.subject << "\n" << after.back().parsed.text;
}

TEST_F(RepliesTest, UnknownCommandSendsNothingAndMailsTheAgentTheList) {
    openTicket();
    std::string rt = notificationReplyTo("bob");
    std::size_t bobBefore = mailbox("bob").size();
    agentReply("bob@example.test", rt, "#frobnicate\r\nHello", "u1@x");
    cycle();
    EXPECT_EQ(mailbox("alice").size(), 1u);
    auto bob = mailbox("bob");
    ASSERT_EQ(bob.size(), bobBefore + 1);
    EXPECT_NE(bob.back().parsed.text.find("#close"), std::string::npos);
}

TEST_F(RepliesTest, SpoofedAgentSendsNothingToTheCustomer) {
    openTicket();
    std::string rt = notificationReplyTo("bob");
    agentReply("carol@example.test", rt, "Hi, I am totally Bob.", "spoof@x");          // another agent with Bob's token
    agentReply("mallory@example.test", rt, "Give me the data.", "spoof2@x");           // a stranger
    std::string forged = "support+" + rules::signAgentToken(1, "bob@example.test", 99999, "wrong-key-0123456789") + "@example.test";
    agentReply("bob@example.test", forged, "Forged token.", "spoof3@x");
    cycle();
    EXPECT_EQ(mailbox("alice").size(), 1u) << "only the acknowledgment";
    int unverified = 0;
    for (const auto& e : tickets().events(1)) unverified += e.kind == "unverified-agent-mail";
    EXPECT_EQ(unverified, 3);
    EXPECT_EQ(mailbox("mallory").size(), 1u) << "the sender is told why";
}

TEST_F(RepliesTest, SmtpDownThenUpDeliversEachMailExactlyOnce) {
    for (int i = 0; i < 5; ++i) seed(customerMail("o" + std::to_string(i) + "@example.test", "Outage " + std::to_string(i), "alice@example.test"));
    for (const auto& m : settings_.mailboxes) intake::ImapIntake(*store_, m).pollOnce();
    auto is = app::ingestSettings(settings_);
    is.config = &settings_;
    is.templates = templates_.get();
    ingest::Ingest(*store_, is).drain();
    stack_->stop(false);
    auto down = send::Sender(*store_, settings_).flush();
    EXPECT_EQ(down.sent, 0);
    EXPECT_GT(down.deferred, 0);
    stack_->restart();
    send::Sender(*store_, settings_).flush();
    send::Sender(*store_, settings_).flush();
    MailStack::run(std::string(POSTDESK_SOURCE_DIR) + "/scripts/mailstack/wait-queue.sh " + stack_->dir() + " 20");
    auto inbox = mailbox("alice");
    std::set<std::string> ids;
    for (const auto& d : inbox) ids.insert(*d.parsed.message_id);
    EXPECT_EQ(inbox.size(), 5u);
    EXPECT_EQ(ids.size(), 5u);
    EXPECT_EQ(store::Outbox(store_->db()).count("sent"), 5 + 5 * 2);  // 5 acks + notifications to bob and carol
}

TEST_F(RepliesTest, CrlfInADisplayNameOrSubjectInjectsNoHeader) {
    seed("From: =?utf-8?Q?Anna=0D=0ABcc:_alice@example.test?= <robot@example.test>\r\nTo: support@example.test\r\n"
         "Subject: =?utf-8?Q?Hi=0D=0ABcc:_alice@example.test=0D=0A=0D=0Abody?=\r\nMessage-ID: <inj@x>\r\n\r\nHello\r\n");
    cycle();
    auto robot = mailbox("robot");
    ASSERT_EQ(robot.size(), 1u);
    EXPECT_FALSE(robot[0].parsed.header("Bcc"));
    EXPECT_EQ(robot[0].bytes.find("\r\nBcc:"), std::string::npos);
    EXPECT_TRUE(mailbox("alice").empty());
    expectStrictlyValid(robot[0]);
}

}  // namespace
}  // namespace postdesk::testing

namespace postdesk::testing {
namespace {

TEST_F(RepliesTest, SubmissionWithStartTlsAndAuthVerifiesTheCertificate) {
    settings_.smtp.url = stack_->env("SUBMISSION_URL");
    settings_.smtp.tls = config::Tls::StartTls;
    settings_.smtp.user = "support@example.test";
    settings_.smtp.password = "secret";
    settings_.smtp.ca_file = stack_->env("CA_CERT");
    openTicket();
    EXPECT_EQ(mailbox("alice").size(), 1u);
    // Without the CA the certificate is not trusted: nothing is sent, the mail waits.
    settings_.smtp.ca_file.clear();
    seed(customerMail("c2@example.test", "Second", "carol@example.test"));
    for (const auto& m : settings_.mailboxes) intake::ImapIntake(*store_, m).pollOnce();
    auto is = app::ingestSettings(settings_);
    is.config = &settings_;
    is.templates = templates_.get();
    ingest::Ingest(*store_, is).drain();
    auto s = send::Sender(*store_, settings_).flush();
    EXPECT_EQ(s.sent, 0);
    EXPECT_GT(s.deferred, 0);
}

TEST_F(RepliesTest, RejectedRecipientFailsVisiblyOnTheTicket) {
    seed(customerMail("far@example.org", "From afar", "someone@elsewhere.example"));  // Postfix: 554 relay denied
    cycle();
    auto failed = store::Outbox(store_->db()).list("failed");
    ASSERT_FALSE(failed.empty());
    EXPECT_NE(failed[0].last_error.find("554"), std::string::npos) << failed[0].last_error;
    bool shown = false;
    for (const auto& e : tickets().events(1)) shown |= e.kind == "send-failed";
    EXPECT_TRUE(shown);
}

}  // namespace
}  // namespace postdesk::testing
