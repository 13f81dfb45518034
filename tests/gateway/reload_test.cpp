// Hot reload in the running service: `postdesk serve` picks up edited rule files without a
// restart, and a broken file of every hostile kind (syntax error, unknown extension, a 10 MB
// string, 10,000 nested ifs, a catastrophic regex) is logged with file:line while the last good
// set keeps filing mail. Real Dovecot, the real binary.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/gateway/child_process.h"
#include "tests/gateway/intake_fixture.h"

namespace postdesk::testing {
namespace {

class ReloadTest : public IntakeTest {
protected:
    void SetUp() override {
        IntakeTest::SetUp();
        if (IsSkipped()) return;
        rules_ = dir_ + "/rules";
        std::filesystem::create_directories(rules_);
        config_ = writeServeConfig("notice", "", "[rules]\ndir = " + rules_ + "\nreload_interval = 1\n");
        log_ = dir_ + "/serve.log";
    }
    void TearDown() override {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        IntakeTest::TearDown();
    }

    void writeRule(const std::string& name, const std::string& text) {
        std::string tmp = rules_ + "/." + name + ".tmp";  // the way an editor or `git checkout` swaps a file in
        std::ofstream(tmp) << text;
        std::filesystem::rename(tmp, rules_ + "/" + name);
    }
    static std::string route(const std::string& queue) {
        return "require \"vnd.postdesk.ticket\";\nif header :contains \"subject\" \"invoice\" {\n  queue \"" + queue + "\";\n}\n";
    }

    // Seeds one invoice mail and waits until it is filed; returns its ticket's queue.
    std::string fileInvoice(const std::string& id) {
        seed(customerMail(id + "@example.test", "Invoice " + id));
        for (int i = 0; i < 100; ++i) {
            store::Statement s(store_->db(), "SELECT t.queue FROM message m JOIN ticket t ON t.number = m.ticket WHERE m.message_id = ?");
            s.bind(1, id + "@example.test");
            if (s.step()) return s.text(0);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return "(not filed)";
    }

    // Waits until the service's log holds `text` (it logs a reload within reload_interval).
    bool logShows(const std::string& text) {
        for (int i = 0; i < 100; ++i) {
            if (readLog(log_).find(text) != std::string::npos) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }

    std::string rules_, config_, log_;
    pid_t pid_ = -1;
};

TEST_F(ReloadTest, ChangedRulesAreSwappedInAndBrokenOnesKeepTheLastGoodSet) {
    writeRule("10-route.sieve", route("billing"));
    pid_ = spawn({POSTDESK_BINARY, "serve", "--config", config_}, log_);
    EXPECT_EQ(fileInvoice("before-edit"), "billing");

    writeRule("10-route.sieve", route("sales"));
    ASSERT_TRUE(logShows("reloaded 1 rule file(s)")) << readLog(log_);
    EXPECT_EQ(fileInvoice("after-edit"), "sales");

    std::string nested;
    for (int i = 0; i < 10000; ++i) nested += "if true {\n";
    const struct {
        const char* name;
        std::string text;
        std::string where;  // what the log must name
    } broken[] = {
        {"syntax", "if header :is \"subject\" \"x\" {\n  fileint \"a\";\n}\n", "20-syntax.sieve:2:3:"},
        {"extension", "require \"vnd.nonexistent\";\n", "20-extension.sieve:1:"},
        {"huge-string", "require \"fileinto\";\nfileinto \"" + std::string(10 << 20, 'a') + "\";\n", "20-huge-string.sieve:1:1: script larger than"},
        {"nested", nested, "20-nested.sieve:"},
        {"regex", "require \"regex\";\nif header :regex \"subject\" \"(a+)+$\" { discard; }\n", "20-regex.sieve:2:"},
    };
    for (const auto& b : broken) {
        SCOPED_TRACE(b.name);
        std::string file = std::string("20-") + b.name + ".sieve";
        writeRule(file, b.text);
        EXPECT_TRUE(logShows(b.where)) << readLog(log_).substr(0, 4000);
        EXPECT_EQ(fileInvoice(std::string("while-") + b.name), "sales");  // the last good set
        std::filesystem::remove(rules_ + "/" + file);
    }
    EXPECT_EQ(::waitpid(pid_, nullptr, WNOHANG), 0) << "the service stopped";
    EXPECT_NE(readLog(log_).find("the last good set (1 file(s)) stays in use"), std::string::npos);

    // Fixed again: the next good set is taken.
    writeRule("10-route.sieve", route("finance"));
    EXPECT_EQ(fileInvoice("after-fix"), "finance") << readLog(log_).substr(0, 4000);

    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace postdesk::testing
