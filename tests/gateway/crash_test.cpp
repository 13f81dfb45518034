// The crash test: `postdesk serve` is SIGKILLed at random moments while it imports a mailbox and
// restarted each time. At the end every mail is filed exactly once, the database is intact, and at
// no moment was a mail moved on the server without its committed inbound row.
//
// Short by default (500 mails, 20 kills). POSTDESK_CRASH_LONG=1 runs 2,000 mails and 100 kills;
// POSTDESK_CRASH_SEED=N replays a run (the seed is printed).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "tests/gateway/child_process.h"
#include "tests/gateway/intake_fixture.h"

namespace postdesk::testing {
namespace {

std::set<std::string> committedIdentities(store::Store& store) {
    std::set<std::string> ids;
    store::Statement s(store.db(), "SELECT dedupe_key FROM inbound");
    while (s.step()) ids.insert(s.text(0));
    return ids;
}

class CrashTest : public IntakeTest {
protected:
    std::string writeConfig() { return writeServeConfig("warning", "batch_size = 25\n"); }

    // Message-IDs of the mails in Processed, as "mid:<id>|alice@example.test" identities.
    std::set<std::string> processedIdentities() {
        std::set<std::string> ids;
        std::istringstream out(capture(stack_->doveadm() + "fetch -u support@example.test hdr.message-id mailbox Processed all 2>/dev/null"));
        for (std::string line; std::getline(out, line);) {
            auto lt = line.find('<'), gt = line.find('>');
            if (lt != std::string::npos && gt != std::string::npos) ids.insert("mid:" + line.substr(lt + 1, gt - lt - 1) + "|alice@example.test");
        }
        return ids;
    }
};

TEST_F(CrashTest, KilledAtRandomMomentsLosesAndDuplicatesNothing) {
    const bool longRun = std::getenv("POSTDESK_CRASH_LONG") != nullptr;
    const int mails = longRun ? 2000 : 500, kills = longRun ? 100 : 20;
    unsigned rngSeed = std::getenv("POSTDESK_CRASH_SEED") ? static_cast<unsigned>(std::stoul(std::getenv("POSTDESK_CRASH_SEED")))
                                                       : std::random_device{}();
    std::cout << "crash test: " << mails << " mails, " << kills << " kills, POSTDESK_CRASH_SEED=" << rngSeed << "\n";
    std::mt19937 rng(rngSeed);
    for (int i = 0; i < mails; ++i) seed(customerMail("crash" + std::to_string(i) + "@example.test", "Crash " + std::to_string(i)));
    store_.reset();  // the service owns the database while it runs
    std::string config = writeConfig(), log = dir_ + "/serve.log";
    const std::vector<std::string> serve{POSTDESK_BINARY, "serve", "--config", config};

    for (int k = 0; k < kills; ++k) {
        runThenKill(serve, log, std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 400)(rng)));
        store::Store check(settings_.store_path);
        std::set<std::string> committed = committedIdentities(check);
        std::set<std::string> moved = processedIdentities();
        for (const auto& id : moved) ASSERT_TRUE(committed.count(id)) << "kill " << k << ": " << id << " moved without a committed row";
        std::cout << "kill " << k << ": " << committed.size() << " committed, " << moved.size() << " moved\n";
    }
    // Let it finish undisturbed, then stop it the polite way once it is up.
    pid_t pid = spawnServeUntilUp(serve, log, dir_ + "/serve.pid");
    store_ = std::make_unique<store::Store>(settings_.store_path);
    for (int waited = 0; waited < 120 && tickets().messageCount() < mails; ++waited) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "serve did not stop cleanly on SIGTERM";

    EXPECT_EQ(tickets().messageCount(), mails);
    store::Statement distinct(store_->db(), "SELECT COUNT(DISTINCT message_id), COUNT(*) FROM message");
    ASSERT_TRUE(distinct.step());
    EXPECT_EQ(distinct.int64(0), mails) << "duplicates filed";
    EXPECT_EQ(distinct.int64(1), mails);
    store::Statement integrity(store_->db(), "PRAGMA integrity_check");
    ASSERT_TRUE(integrity.step());
    EXPECT_EQ(integrity.text(0), "ok");
    EXPECT_EQ(folderCount("support@example.test", "INBOX"), 0);
    EXPECT_EQ(folderCount("support@example.test", "Processed"), mails);
    EXPECT_EQ(queue().count("done"), mails);
}

}  // namespace
}  // namespace postdesk::testing
