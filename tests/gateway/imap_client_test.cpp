// ImapClient against a real Dovecot (scripts/mailstack) on 127.0.0.1.
#include "gateway/net/imap_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <sstream>

#include "tests/gateway/mail_stack.h"

namespace postdesk::net {
namespace {

using postdesk::testing::MailStack;

constexpr const char* kUser = "support@example.test";

std::string mail(const std::string& subject, const std::string& body) {
    return "From: Alice <alice@example.test>\r\n"
           "To: support@example.test\r\n"
           "Subject: " + subject + "\r\n"
           "Message-ID: <" + subject + "@example.test>\r\n"
           "\r\n" + body;
}

bool hasFlag(const FetchedMail& m, const std::string& flag) {
    return std::find(m.flags.begin(), m.flags.end(), flag) != m.flags.end();
}

class ImapClientTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!MailStack::canRun()) return;
        stack_ = std::make_unique<MailStack>();
        stack_->start();
    }
    static void TearDownTestSuite() {
        if (stack_) stack_->stop(true);
        stack_.reset();
    }

    void SetUp() override {
        if (!stack_) GTEST_SKIP() << "the mail stack needs root";
        // A test may have stopped the stack; when the binary runs all cases in one process the
        // next one also needs an empty mailbox.
        if (!stack_->running()) stack_->restart();
        MailStack::run(stack_->doveadm() + "expunge -u " + kUser + " mailbox '*' all");
        MailStack::run(stack_->doveadm() + "mailbox delete -u " + kUser + " -s Processed 2>/dev/null || true");
    }

    ImapSettings plain() const {
        ImapSettings s;
        s.url = stack_->env("IMAP_URL") + "/INBOX";
        s.user = kUser;
        s.password = "secret";
        s.tls = TlsMode::None;
        s.command_timeout_ms = 5000;
        return s;
    }

    void seed(const std::string& bytes, const std::string& mailbox = "INBOX") {
        stack_->seed(kUser, mailbox, bytes);
    }

    static std::unique_ptr<MailStack> stack_;
};

std::unique_ptr<MailStack> ImapClientTest::stack_;

#define ASSERT_OK(expr)                                        \
    do {                                                       \
        const auto& outcome_ = (expr);                         \
        ASSERT_TRUE(outcome_.ok()) << outcome_.message;        \
    } while (0)

TEST_F(ImapClientTest, FetchIsByteExactAndLeavesMailUnseen) {
    const std::vector<std::string> sent = {
        mail("dots", "first line\r\n.starts with a dot\r\n..two dots\r\n.\r\nend\r\n"),
        mail("literal", "looks like a literal {5}\r\nabcde\r\n* 1 FETCH (UID 1)\r\nA1 OK fake\r\n)"
                        "\r\n"),
        mail("eightbit", "caf\xE9 na\xEFve \xC3\xA9t\xC3\xA9 \x80\xFF\r\nlast line without newline"),
    };
    for (const auto& m : sent) seed(m);

    ImapClient c;
    ASSERT_OK(c.connect(plain()));
    EXPECT_TRUE(c.hasCapability("IMAP4REV1"));
    auto box = c.select(c.urlMailbox());
    ASSERT_TRUE(box.ok()) << box.outcome().message;
    EXPECT_EQ(box->exists, 3u);
    EXPECT_GT(box->uidvalidity, 0u);

    auto uids = c.uidSearch(1);
    ASSERT_TRUE(uids.ok()) << uids.outcome().message;
    ASSERT_EQ(uids->size(), 3u);
    EXPECT_EQ(box->uidnext, uids->back() + 1);

    auto mails = c.uidFetch(uids.value());
    ASSERT_TRUE(mails.ok()) << mails.outcome().message;
    ASSERT_EQ(mails->size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(mails.value()[i].uid, uids.value()[i]);
        EXPECT_EQ(mails.value()[i].bytes, sent[i]) << "mail " << i;
        EXPECT_FALSE(hasFlag(mails.value()[i], "\\Seen"));
    }
    // BODY.PEEK[]: still unseen for the next reader.
    auto again = c.uidFetch(uids.value());
    ASSERT_TRUE(again.ok());
    for (const auto& m : again.value()) EXPECT_FALSE(hasFlag(m, "\\Seen"));
    ASSERT_OK(c.logout());
    EXPECT_FALSE(c.connected());
}

TEST_F(ImapClientTest, SearchFromPastTheHighestUidIsEmpty) {
    seed(mail("a", "a\r\n"));
    seed(mail("b", "b\r\n"));
    ImapClient c;
    ASSERT_OK(c.connect(plain()));
    auto box = c.select("INBOX");
    ASSERT_TRUE(box.ok());
    // "UIDNEXT:*" still matches the highest UID (RFC 3501 §6.4.8); the client filters it.
    auto none = c.uidSearch(box->uidnext);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
    auto last = c.uidSearch(box->uidnext - 1);
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(last.value(), std::vector<std::uint32_t>{box->uidnext - 1});
}

TEST_F(ImapClientTest, FetchesInBatches) {
    for (int i = 0; i < 7; ++i) seed(mail("m" + std::to_string(i), "body " + std::to_string(i) + "\r\n"));
    ImapSettings s = plain();
    s.fetch_batch = 3;
    ImapClient c;
    ASSERT_OK(c.connect(s));
    ASSERT_TRUE(c.select("INBOX").ok());
    auto uids = c.uidSearch(1);
    ASSERT_TRUE(uids.ok());
    auto mails = c.uidFetch(uids.value());
    ASSERT_TRUE(mails.ok()) << mails.outcome().message;
    ASSERT_EQ(mails->size(), 7u);
    for (int i = 0; i < 7; ++i)
        EXPECT_NE(mails.value()[i].bytes.find("body " + std::to_string(i)), std::string::npos);
}

// Pipelining as intake does it: the FETCH of the next batch is sent before a MOVE is answered.
// Dovecot runs such a UID FETCH while the MOVE runs, so the next batch's mails (and the MOVE's
// tagged OK) arrive while the client reads the MOVE's answer: none may be lost. (Here each MOVE
// goes out right before the next FETCH, so the two always overlap.)
TEST_F(ImapClientTest, PipelinedFetchAfterMoveLosesNothing) {
    constexpr int kBatches = 12, kPerBatch = 4;
    std::string filler;
    for (int line = 0; line < 2500; ++line) filler += "filler line " + std::to_string(line) + " of a longer mail body\r\n";
    for (int i = 0; i < kBatches * kPerBatch; ++i) seed(mail("p" + std::to_string(i), filler));
    ImapSettings s = plain();
    s.fetch_batch = kPerBatch;
    ImapClient c;
    ASSERT_OK(c.connect(s));
    ASSERT_TRUE(c.canPipelineMove());
    ASSERT_OK(c.create("Processed"));
    ASSERT_TRUE(c.select("INBOX").ok());
    auto uids = c.uidSearch(1);
    ASSERT_TRUE(uids.ok());
    ASSERT_EQ(uids->size(), std::size_t{kBatches * kPerBatch});
    auto batch = [&](int k) { return std::span<const std::uint32_t>(uids->data() + k * kPerBatch, kPerBatch); };

    std::vector<FetchedMail> all;
    ImapClient::Pending fetching = c.startFetch(batch(0));
    for (int k = 0; k < kBatches; ++k) {
        std::vector<FetchedMail> mails;
        ASSERT_OK(c.finishFetch(fetching, mails));
        ASSERT_EQ(mails.size(), std::size_t{kPerBatch}) << "batch " << k;
        for (int i = 0; i < kPerBatch; ++i) EXPECT_EQ(mails[i].uid, batch(k)[i]);
        ImapClient::Pending moving = c.startMove(batch(k), "Processed");
        if (k + 1 < kBatches) fetching = c.startFetch(batch(k + 1));
        ASSERT_OK(c.finish(moving, "move"));  // read amid the next batch's mails
        for (auto& m : mails) all.push_back(std::move(m));
    }
    ASSERT_EQ(all.size(), std::size_t{kBatches * kPerBatch});
    for (int i = 0; i < kBatches * kPerBatch; ++i)
        EXPECT_NE(all[i].bytes.find("Subject: p" + std::to_string(i) + "\r\n"), std::string::npos) << i;
    auto box = c.select("INBOX");
    ASSERT_TRUE(box.ok());
    EXPECT_EQ(box->exists, 0u);
}

TEST_F(ImapClientTest, StoreSetsSeen) {
    seed(mail("s", "x\r\n"));
    ImapClient c;
    ASSERT_OK(c.connect(plain()));
    ASSERT_TRUE(c.select("INBOX").ok());
    auto uids = c.uidSearch(1);
    ASSERT_TRUE(uids.ok() && uids->size() == 1);
    ASSERT_OK(c.uidStore(uids->front(), "+FLAGS", "(\\Seen)"));
    auto mails = c.uidFetch(uids.value());
    ASSERT_TRUE(mails.ok() && mails->size() == 1);
    EXPECT_TRUE(hasFlag(mails->front(), "\\Seen"));
    EXPECT_EQ(c.uidStore(uids->front(), "+FLAGS", "(\\Seen)\r\npd9 LOGOUT").kind, OutcomeKind::Permanent);
}

void expectMovedToProcessed(ImapClient& c, const std::string& bytes) {
    ASSERT_OK(c.create("Processed"));
    ASSERT_OK(c.create("Processed"));  // ALREADYEXISTS is fine
    ASSERT_TRUE(c.select("INBOX").ok());
    auto uids = c.uidSearch(1);
    ASSERT_TRUE(uids.ok() && uids->size() == 1);
    ASSERT_OK(c.uidMove(uids->front(), "Processed"));
    auto left = c.uidSearch(1);
    ASSERT_TRUE(left.ok());
    EXPECT_TRUE(left->empty());
    auto box = c.select("Processed");
    ASSERT_TRUE(box.ok());
    EXPECT_EQ(box->exists, 1u);
    auto moved = c.uidSearch(1);
    ASSERT_TRUE(moved.ok() && moved->size() == 1);
    auto mails = c.uidFetch(moved.value());
    ASSERT_TRUE(mails.ok() && mails->size() == 1);
    EXPECT_EQ(mails->front().bytes, bytes);
}

TEST_F(ImapClientTest, MovesToProcessed) {
    std::string m = mail("move", "to be moved\r\n");
    seed(m);
    ImapClient c;
    ASSERT_OK(c.connect(plain()));
    EXPECT_TRUE(c.hasCapability("MOVE"));
    expectMovedToProcessed(c, m);
}

TEST_F(ImapClientTest, MovesByCopyWhenMoveIsNotUsed) {
    std::string m = mail("copy", "copied, flagged, expunged\r\n");
    seed(m);
    seed(mail("stays", "must stay\r\n"), "Archive");
    ImapSettings s = plain();
    s.use_move = false;
    ImapClient c;
    ASSERT_OK(c.connect(s));
    expectMovedToProcessed(c, m);
}

TEST_F(ImapClientTest, MoveToMissingMailboxIsPermanent) {
    seed(mail("nowhere", "x\r\n"));
    ImapClient c;
    ASSERT_OK(c.connect(plain()));
    ASSERT_TRUE(c.select("INBOX").ok());
    auto uids = c.uidSearch(1);
    ASSERT_TRUE(uids.ok() && uids->size() == 1);
    Outcome o = c.uidMove(uids->front(), "NoSuchFolder");
    EXPECT_EQ(o.kind, OutcomeKind::Permanent) << o.message;
    EXPECT_TRUE(c.connected());  // a NO does not end the session
    EXPECT_TRUE(c.select("INBOX").ok());
}

TEST_F(ImapClientTest, AppendsToSent) {
    std::string reply = mail("reply", "Thanks, we are on it.\r\n.\r\n{3}\r\n\xC3\xA9\r\n");
    ImapClient c;
    ASSERT_OK(c.connect(plain()));
    ASSERT_OK(c.append("Sent", reply, "(\\Seen)"));
    auto box = c.select("Sent");
    ASSERT_TRUE(box.ok());
    EXPECT_EQ(box->exists, 1u);
    auto uids = c.uidSearch(1);
    ASSERT_TRUE(uids.ok() && uids->size() == 1);
    auto mails = c.uidFetch(uids.value());
    ASSERT_TRUE(mails.ok() && mails->size() == 1);
    EXPECT_EQ(mails->front().bytes, reply);
    EXPECT_TRUE(hasFlag(mails->front(), "\\Seen"));
    EXPECT_EQ(c.append("NoSuchFolder", reply, "").kind, OutcomeKind::Permanent);
    EXPECT_TRUE(c.connected());
}

TEST_F(ImapClientTest, MailExpungedBetweenSearchAndFetchIsSkipped) {
    for (const char* s : {"one", "two", "three"}) seed(mail(s, std::string(s) + "\r\n"));
    ImapClient c;
    ASSERT_OK(c.connect(plain()));
    ASSERT_TRUE(c.select("INBOX").ok());
    auto uids = c.uidSearch(1);
    ASSERT_TRUE(uids.ok() && uids->size() == 3);
    // Another client removes the middle mail while we hold the mailbox selected.
    MailStack::run(stack_->doveadm() + "expunge -u " + kUser + " mailbox INBOX uid " +
                   std::to_string(uids.value()[1]));
    auto mails = c.uidFetch(uids.value());
    ASSERT_TRUE(mails.ok()) << mails.outcome().message;
    ASSERT_EQ(mails->size(), 2u);
    EXPECT_EQ(mails.value()[0].uid, uids.value()[0]);
    EXPECT_EQ(mails.value()[1].uid, uids.value()[2]);
    EXPECT_TRUE(c.select("INBOX").ok());
}

TEST_F(ImapClientTest, WrongPasswordIsConfigAndQuick) {
    ImapSettings s = plain();
    s.password = "wrong-pass-123";
    auto t0 = std::chrono::steady_clock::now();
    ImapClient c;
    Outcome o = c.connect(s);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    EXPECT_EQ(o.kind, OutcomeKind::Config) << o.message;
    EXPECT_EQ(o.message.find("wrong-pass-123"), std::string::npos) << o.message;
    EXPECT_LT(ms.count(), 3000);
    EXPECT_FALSE(c.connected());
    EXPECT_EQ(c.select("INBOX").outcome().kind, OutcomeKind::Temporary);
}

TEST_F(ImapClientTest, StoppedServerIsTemporary) {
    ImapClient c;
    ASSERT_OK(c.connect(plain()));
    ASSERT_TRUE(c.select("INBOX").ok());
    stack_->stop(false);
    auto gone = c.select("INBOX");
    EXPECT_EQ(gone.outcome().kind, OutcomeKind::Temporary) << gone.outcome().message;
    EXPECT_FALSE(c.connected());
    Outcome refused = c.connect(plain());
    EXPECT_EQ(refused.kind, OutcomeKind::Temporary) << refused.message;
    stack_->restart();  // same ports when still free: the session can come back
    ImapSettings s = plain();
    s.url = stack_->env("IMAP_URL");
    ASSERT_OK(c.connect(s));
    EXPECT_TRUE(c.select("INBOX").ok());
}

// The server accepts the connection but never answers: each command has its own deadline.
TEST_F(ImapClientTest, UnresponsiveServerTimesOut) {
    ImapSettings s = plain();
    s.command_timeout_ms = 300;
    ImapClient c;
    ASSERT_OK(c.connect(s));
    std::string sid = stack_->env("DOVECOT_PID");
    MailStack::run("for p in $(ps -o pid= -s " + sid + "); do kill -STOP $p; done");
    auto t0 = std::chrono::steady_clock::now();
    auto r = c.select("INBOX");
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    MailStack::run("for p in $(ps -o pid= -s " + sid + "); do kill -CONT $p; done");
    EXPECT_EQ(r.outcome().kind, OutcomeKind::Temporary) << r.outcome().message;
    EXPECT_GE(ms.count(), 250);
    EXPECT_LT(ms.count(), 2000);
    EXPECT_FALSE(c.connected());
}

TEST_F(ImapClientTest, StartTlsWithTheStackCa) {
    seed(mail("tls", "over starttls\r\n"));
    ImapSettings s = plain();
    s.tls = TlsMode::StartTls;
    s.ca_file = stack_->env("CA_CERT");
    ImapClient c;
    ASSERT_OK(c.connect(s));
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.select("INBOX").ok());
    auto uids = c.uidSearch(1);
    ASSERT_TRUE(uids.ok() && uids->size() == 1);
    auto mails = c.uidFetch(uids.value());
    ASSERT_TRUE(mails.ok() && mails->size() == 1);
    EXPECT_EQ(mails->front().bytes, mail("tls", "over starttls\r\n"));
}

TEST_F(ImapClientTest, ImapsWithTheStackCa) {
    std::string big(300 * 1024, 'x');  // several TLS records and recv() calls
    for (std::size_t i = 76; i < big.size(); i += 78) big.replace(i, 2, "\r\n");
    seed(mail("imaps", big));
    ImapSettings s = plain();
    s.url = stack_->env("IMAPS_URL") + "/INBOX";
    s.tls.reset();  // implicit, from the scheme
    s.ca_file = stack_->env("CA_CERT");
    ImapClient c;
    ASSERT_OK(c.connect(s));
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.select("INBOX").ok());
    auto uids = c.uidSearch(1);
    ASSERT_TRUE(uids.ok() && uids->size() == 1);
    auto mails = c.uidFetch(uids.value());
    ASSERT_TRUE(mails.ok() && mails->size() == 1);
    EXPECT_EQ(mails->front().bytes, mail("imaps", big));
    ASSERT_OK(c.logout());
}

TEST_F(ImapClientTest, UnknownCaIsRefused) {
    ImapSettings imaps = plain();
    imaps.url = stack_->env("IMAPS_URL");
    imaps.tls.reset();  // system trust store only: the stack's self-signed cert is unknown
    ImapClient c;
    Outcome o = c.connect(imaps);
    EXPECT_EQ(o.kind, OutcomeKind::Config) << o.message;
    EXPECT_FALSE(c.connected());

    ImapSettings starttls = plain();
    starttls.tls = TlsMode::StartTls;
    o = c.connect(starttls);
    EXPECT_EQ(o.kind, OutcomeKind::Config) << o.message;
}

}  // namespace
}  // namespace postdesk::net
