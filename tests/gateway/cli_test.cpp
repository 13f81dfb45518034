// The `postdesk` executable as a user runs it: exit codes, --json contracts, import idempotence.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "mime/digest.h"
#include "tests/fakes/fake_telegram.h"

namespace postdesk {
namespace {

namespace fs = std::filesystem;

struct CliRun {
    int code;
    std::string out;
};

// Each test is its own process under ctest, possibly in parallel: one stderr file per process.
std::string errorFile() { return "/tmp/postdesk-cli-test." + std::to_string(::getpid()) + ".err"; }

CliRun run(const std::string& args) {
    std::string cmd = std::string(POSTDESK_BINARY) + " " + args + " 2>" + errorFile();
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    int status = ::pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string lastError() {
    std::ifstream in(errorFile());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Poco::JSON::Object::Ptr json(const std::string& line) {
    return Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) out.push_back(l);
    return out;
}

const std::string kGolden = std::string(POSTDESK_SOURCE_DIR) + "/tests/corpus/golden/";

class Cli : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/pdcli.XXXXXX";
        dir_ = ::mkdtemp(tmpl);
        config_ = dir_ + "/postdesk.ini";
        std::ofstream(config_) << "[store]\npath = var/postdesk.db\n[limits]\nmax_raw_mb = 1\n[log]\nlevel = error\n";
    }
    void TearDown() override {
        fs::remove_all(dir_);
        fs::remove(errorFile());
    }
    std::string cfg() const { return " --config " + config_; }

    std::string dir_, config_;
};

TEST_F(Cli, HelpListsTheSubcommands) {
    CliRun r = run("--help");
    EXPECT_EQ(r.code, 0);
    for (const char* c : {"parse", "serve", "poll", "import", "tickets", "show", "quarantine"})
        EXPECT_NE(r.out.find(c), std::string::npos) << c;
}

TEST_F(Cli, ParseJsonFollowsTheContract) {
    CliRun r = run("parse --json " + kGolden + "ru-cp1251-undeclared.eml " + kGolden + "dsn-bounce.eml");
    ASSERT_EQ(r.code, 0);
    auto out = lines(r.out);
    ASSERT_EQ(out.size(), 2u);
    auto o = json(out[0]);
    for (const char* key : {"file", "message_id", "in_reply_to", "references", "date", "subject", "from", "to", "cc",
                            "reply_to", "auto", "text", "html", "reply_text", "attachments", "warnings"})
        EXPECT_TRUE(o->has(key)) << key;
    EXPECT_EQ(o->getValue<std::string>("subject"), "Не печатает принтер");
    EXPECT_EQ(o->getValue<std::string>("date"), "2026-11-19T07:00:00Z");
    EXPECT_EQ(o->getObject("from")->getValue<std::string>("name"), "Ольга Петрова");
    EXPECT_TRUE(o->isNull("html"));
    EXPECT_EQ(json(out[1])->getValue<std::string>("auto"), "bounce");
}

TEST_F(Cli, ParseOfAnUnreadableFileExits66AndStillPrintsTheOthers) {
    CliRun r = run("parse --json /nonexistent.eml " + kGolden + "vacation-autoreply.eml");
    EXPECT_EQ(r.code, 66);
    EXPECT_EQ(lines(r.out).size(), 1u);
    EXPECT_NE(lastError().find("/nonexistent.eml"), std::string::npos);
}

TEST_F(Cli, ConfigErrorNamesFileAndKeyAndExits78) {
    std::ofstream(config_) << "[mailbox.support]\nurl = ftp://example.test/INBOX\nuser = u\npassword = p\naddress = a@b\n";
    CliRun r = run("tickets" + cfg());
    EXPECT_EQ(r.code, 78);
    std::string err = lastError();
    EXPECT_NE(err.find(config_), std::string::npos) << err;
    EXPECT_NE(err.find("mailbox.support.url"), std::string::npos) << err;
}

TEST_F(Cli, ImportTwiceImportsNothingTwice) {
    // An mbox of two golden mails and a Maildir with a third.
    std::string mbox = dir_ + "/in.mbox";
    {
        std::ofstream out(mbox);
        for (const char* f : {"ru-cp1251-undeclared.eml", "gmail-html-reply.eml"}) {
            std::ifstream in(kGolden + f);
            std::stringstream ss;
            ss << in.rdbuf();
            out << "From sender@example.org Thu Nov 19 10:00:00 2026\n" << ss.str() << "\n";
        }
    }
    fs::create_directories(dir_ + "/Maildir/cur");
    fs::create_directories(dir_ + "/Maildir/new");
    fs::copy_file(kGolden + "outlook-related-inline.eml", dir_ + "/Maildir/new/1.eml");
    EXPECT_EQ(run("import " + mbox + cfg()).code, 0);
    EXPECT_EQ(run("import " + dir_ + "/Maildir" + cfg()).code, 0);
    CliRun again = run("import " + mbox + cfg());
    EXPECT_NE(again.out.find("0 new"), std::string::npos) << again.out;
    run("import " + dir_ + "/Maildir" + cfg());
    CliRun t = run("tickets --json" + cfg());
    auto rows = lines(t.out);
    ASSERT_EQ(rows.size(), 3u) << t.out;
    auto first = json(rows[0]);
    for (const char* key : {"number", "subject", "status", "queue", "priority", "customer", "messages", "created", "updated"})
        EXPECT_TRUE(first->has(key)) << key;
    CliRun show = run("show 3 --json" + cfg());
    ASSERT_EQ(show.code, 0);
    auto ticket = json(lines(show.out).at(0));
    auto messages = ticket->getArray("messages");
    ASSERT_EQ(messages->size(), 1u);
    auto attachments = messages->getObject(0)->getArray("attachments");
    ASSERT_EQ(attachments->size(), 2u);
    std::string sha = attachments->getObject(0)->getValue<std::string>("sha256");
    CliRun bytes = run("attachment " + sha + cfg());
    ASSERT_EQ(bytes.code, 0) << lastError();
    EXPECT_EQ(mime::sha256Hex(bytes.out), sha) << "the bytes, found by their SHA-256";
    EXPECT_EQ(run("attachment " + std::string(64, '0') + cfg()).code, 66);
    EXPECT_EQ(run("attachment not-a-digest" + cfg()).code, 64);
    EXPECT_TRUE(ticket->has("events"));
}

TEST_F(Cli, QuarantineListShowReprocess) {
    std::string big = dir_ + "/big.eml";
    std::ofstream(big) << "From: a@example.org\r\nSubject: big\r\nMessage-ID: <big@x>\r\n\r\n" << std::string(2u << 20, 'x') << "\r\n";
    EXPECT_EQ(run("import " + big + cfg()).code, 0);
    CliRun list = run("quarantine list --json" + cfg());
    auto rows = lines(list.out);
    ASSERT_EQ(rows.size(), 1u);
    auto row = json(rows[0]);
    EXPECT_EQ(row->getValue<std::string>("reason"), "too-large");
    std::string id = std::to_string(row->getValue<int>("id"));
    CliRun show = run("quarantine show " + id + cfg());
    EXPECT_NE(show.out.find("Subject: big"), std::string::npos);
    std::ofstream(config_) << "[store]\npath = var/postdesk.db\n[limits]\nmax_raw_mb = 5\n[log]\nlevel = error\n";
    CliRun again = run("quarantine reprocess " + id + cfg());
    EXPECT_EQ(again.code, 0);
    EXPECT_TRUE(lines(run("quarantine list" + cfg()).out).empty());
    EXPECT_EQ(lines(run("tickets" + cfg()).out).size(), 1u);
}

TEST_F(Cli, UnknownCommandAndOptionAreUsageErrors) {
    EXPECT_EQ(run("frobnicate").code, 64);
    EXPECT_EQ(run("tickets --bogus" + cfg()).code, 64);
    EXPECT_EQ(run("show abc" + cfg()).code, 64);
}

}  // namespace
}  // namespace postdesk

namespace postdesk {
namespace {

TEST_F(Cli, RulesCheckNamesFileLineAndColumn) {
    fs::create_directories(dir_ + "/rules");
    std::ofstream(dir_ + "/rules/10-ok.sieve") << "require \"fileinto\";\nif header :is \"subject\" \"x\" { fileinto \"a\"; }\n";
    EXPECT_EQ(run("rules check " + dir_ + "/rules").code, 0);
    std::ofstream(dir_ + "/rules/20-bad.sieve") << "if header :is \"subject\" \"x\" {\n  fileinto \"a\";\n}\n";
    CliRun bad = run("rules check " + dir_ + "/rules");
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.out.find("20-bad.sieve:2:3:"), std::string::npos) << bad.out;
}

TEST_F(Cli, RulesTestIsADryRunWithJson) {
    CliRun r = run("rules test " + kGolden + "gmail-html-reply.eml --rules " + std::string(POSTDESK_SOURCE_DIR) + "/etc/rules --json");
    ASSERT_EQ(r.code, 0) << lastError();
    auto o = json(lines(r.out).at(0));
    auto actions = o->getArray("actions");
    ASSERT_GE(actions->size(), 1u);
    EXPECT_EQ(actions->getObject(0)->getValue<std::string>("action"), "queue");
    EXPECT_EQ(actions->getObject(0)->getArray("args")->getElement<std::string>(0), "billing");
    EXPECT_TRUE(o->getObject("ack")->getValue<bool>("send"));
    CliRun bounce = run("rules test " + kGolden + "dsn-bounce.eml --rules " + std::string(POSTDESK_SOURCE_DIR) + "/etc/rules --json");
    EXPECT_FALSE(json(lines(bounce.out).at(0))->getObject("ack")->getValue<bool>("send"));
}


// Two customer mails filed through `import` under one rule set; `replay` then shows what another
// set would decide, on the facts the first one saw, and never changes the store.
TEST_F(Cli, ReplayShowsWhereTodaysRulesDecideDifferently) {
    fs::create_directories(dir_ + "/rules");
    fs::create_directories(dir_ + "/new-rules");
    std::ofstream(dir_ + "/rules/10-route.sieve")
        << "require \"vnd.postdesk.ticket\";\nif header :contains \"subject\" \"invoice\" { queue \"billing\"; }\n";
    std::ofstream(dir_ + "/new-rules/10-route.sieve")
        << "require \"vnd.postdesk.ticket\";\nif header :contains \"subject\" \"invoice\" {\n  queue \"sales\";\n}\n";
    std::string mbox = dir_ + "/in.mbox";
    std::ofstream(mbox) << "From a@example.org Thu Nov 19 10:00:00 2026\nFrom: Ann <ann@example.org>\nTo: support@example.test\n"
                           "Subject: Invoice 42 is wrong\nMessage-ID: <r1@example.org>\n\nHello\n\n"
                           "From b@example.org Thu Nov 19 10:00:00 2026\nFrom: Bob <bob@example.org>\nTo: support@example.test\n"
                           "Subject: Printer\nMessage-ID: <r2@example.org>\n\nHello\n";
    ASSERT_EQ(run("import " + mbox + cfg()).code, 0) << lastError();

    CliRun same = run("replay" + cfg());
    EXPECT_EQ(same.code, 0) << same.out << lastError();
    EXPECT_NE(same.out.find("2 mail(s) through 1 rule file(s)"), std::string::npos) << same.out;
    EXPECT_NE(same.out.find("0 would be decided differently, 2 the same"), std::string::npos) << same.out;

    CliRun text = run("replay --progress --rules " + dir_ + "/new-rules" + cfg());
    EXPECT_EQ(text.code, 1) << text.out;
    EXPECT_NE(text.out.find("then: queue \"billing\"; keep"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("now:  queue \"sales\"; keep   (" + dir_ + "/new-rules/10-route.sieve:2)"), std::string::npos) << text.out;
    EXPECT_NE(lastError().find("2/2  100%"), std::string::npos) << lastError();

    CliRun j = run("replay --json --rules " + dir_ + "/new-rules" + cfg());
    auto o = json(lines(j.out).at(0));
    EXPECT_EQ(o->getValue<int>("replayed"), 2);
    EXPECT_EQ(o->getValue<int>("different"), 1);
    auto d = o->getArray("differences")->getObject(0);
    EXPECT_EQ(d->getValue<std::string>("subject"), "Invoice 42 is wrong");
    EXPECT_EQ(d->getArray("then")->getObject(0)->getArray("args")->getElement<std::string>(0), "billing");
    EXPECT_EQ(d->getArray("now")->getObject(0)->getArray("args")->getElement<std::string>(0), "sales");
    std::int64_t ticket = d->getValue<std::int64_t>("ticket");

    // Filters: another ticket, or a later date, replay nothing.
    auto only = json(lines(run("replay --json --ticket " + std::to_string(ticket == 1 ? 2 : 1) + " --rules " + dir_ + "/new-rules" + cfg()).out).at(0));
    EXPECT_EQ(only->getValue<int>("replayed"), 1);
    EXPECT_EQ(only->getValue<int>("different"), 0);
    auto later = json(lines(run("replay --json --since 2999-01-01 --rules " + dir_ + "/new-rules" + cfg()).out).at(0));
    EXPECT_EQ(later->getValue<int>("replayed"), 0);
    EXPECT_EQ(run("replay --since yesterday" + cfg()).code, 64);

    // The store is untouched: the ticket is still in billing.
    EXPECT_NE(run("tickets --json" + cfg()).out.find("\"queue\":\"billing\""), std::string::npos);

    // A broken rule set replays nothing and says where the error is.
    std::ofstream(dir_ + "/new-rules/20-bad.sieve") << "if header :is \"subject\" \"x\" {\n  fileinto \"a\";\n}\n";
    EXPECT_EQ(run("replay --rules " + dir_ + "/new-rules" + cfg()).code, 78);
    EXPECT_NE(lastError().find("20-bad.sieve:2:3:"), std::string::npos) << lastError();
}

// Commands that file mail refuse to start on a broken rule file (exit 78, file:line:column)
// instead of filing with a silently smaller rule set.
TEST_F(Cli, FilingCommandsRefuseABrokenRuleFile) {
    fs::create_directories(dir_ + "/rules");
    std::ofstream(dir_ + "/rules/10-bad.sieve") << "require \"fileinto\";\nif header :is \"subject\" \"x\" { fileint \"a\"; }\n";
    CliRun r = run("import " + kGolden + "gmail-html-reply.eml" + cfg());
    EXPECT_EQ(r.code, 78);
    EXPECT_NE(lastError().find("10-bad.sieve:2:"), std::string::npos) << lastError();
    EXPECT_EQ(run("tickets --json" + cfg()).out, "");  // nothing was filed
}


TEST_F(Cli, ChatsListingsAreEmptyWithoutABridgeAndKnowTheirVerbs) {
    for (const char* verb : {"", " outbox", " quarantine"}) {
        CliRun r = run(std::string("chats") + verb + " --json" + cfg());
        EXPECT_EQ(r.code, 0) << verb << lastError();
        EXPECT_EQ(r.out, "") << verb;
    }
    EXPECT_EQ(run("chats bogus" + cfg()).code, 64);
}


// Webhook mode is set up from the command line, against the (fake) Bot API.
TEST_F(Cli, ChatsWebhookSetInfoDelete) {
    test::FakeTelegram fake;
    std::ofstream(config_, std::ios::app) << "[telegram]\ntoken = " << fake.token() << "\napi_base = " << fake.baseUrl()
                                          << "\nwebhook_secret = 0123456789abcdef-secret\n";
    CliRun set = run("chats webhook set https://desk.example.test/telegram" + cfg());
    ASSERT_EQ(set.code, 0) << lastError();
    EXPECT_EQ(fake.webhookUrl(), "https://desk.example.test/telegram");
    EXPECT_EQ(fake.webhookSecret(), "0123456789abcdef-secret");
    auto info = json(lines(run("chats webhook info --json" + cfg()).out).at(0));
    EXPECT_EQ(info->getValue<std::string>("url"), "https://desk.example.test/telegram");
    EXPECT_EQ(run("chats webhook delete" + cfg()).code, 0);
    EXPECT_EQ(fake.webhookUrl(), "");
    EXPECT_EQ(run("chats webhook set" + cfg()).code, 64);
}

}  // namespace
}  // namespace postdesk
