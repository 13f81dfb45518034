// A crash between receiving chat updates and committing them loses nothing and files nothing twice
// (gateway/bridge/chat_intake.h): Telegram serves unconfirmed updates again, and the offset that
// confirms them is only sent after they are stored. In-process first (a fetch whose process dies
// before the commit), then `postdesk serve` SIGKILLed at random moments while chats come in, and
// `postdesk poll --once` as a script would run it.
//
// POSTDESK_CHAT_CRASH_SEED=N replays a run (the seed is printed).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <thread>

#include "tests/gateway/chat_fixture.h"
#include "tests/gateway/child_process.h"

namespace postdesk::testing {
namespace {

constexpr int kChats = 20, kPerChat = 3;

class ChatCrashTest : public ChatBridgeTest {
protected:
    std::string writeConfig() {
        return writeServeConfig("warning", "", "[telegram]\ntoken = " + fake_->token() + "\napi_base = " + fake_->baseUrl() +
                                                   "\nmode = poll\npoll_timeout = 1\ndigest_minutes = 0\n");
    }

    static std::string customer(int chat) { return chatJson(5000 + chat, "private", "Customer" + std::to_string(chat)); }
    static std::string words(int chat, int k) { return "chat " + std::to_string(chat) + " line " + std::to_string(k) + " marker"; }

    std::set<std::string> storedKeys(store::Store& s) {
        std::set<std::string> keys;
        store::Statement q(s.db(), "SELECT update_key FROM chat_update WHERE bot = 'telegram'");
        while (q.step()) keys.insert(q.text(0));
        return keys;
    }

    static std::int64_t scalarIn(store::Store& s, const std::string& sql) {
        store::Statement q(s.db(), sql);
        return q.step() ? q.int64(0) : -1;
    }
};

TEST_F(ChatCrashTest, UpdatesFetchedButNotCommittedAreServedAgainAndStoredOnce) {
    for (int k = 1; k <= 3; ++k) fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1364 + k, now_ + k, text("line " + std::to_string(k))));

    // A process fetched the batch, then died before its transaction committed.
    {
        bridge::TelegramApi api(bridge::telegramSettings(settings_.telegram));
        bridge::GetUpdatesRequest request;
        auto fetched = api.getUpdates(request);
        ASSERT_TRUE(fetched.ok()) << fetched.outcome.message;
        EXPECT_EQ(fetched.value->size(), 3u);
    }
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_update"), 0);
    EXPECT_EQ(fake_->pendingUpdates(), 3u) << "fetching alone confirmed the updates";

    bridge::ChatBridge chat(*store_, settings_, clock());
    auto r = chat.receive(0);
    EXPECT_TRUE(r.outcome.ok()) << r.outcome.message;
    EXPECT_EQ(r.received, 3);
    EXPECT_EQ(r.stored, 3);

    // Stored, but the offset that confirms them has not been sent yet: a process that dies now
    // gets them again after the restart, and stores nothing twice.
    EXPECT_EQ(fake_->pendingUpdates(), 3u);
    bridge::ChatBridge restarted(*store_, settings_, clock());
    auto again = restarted.receive(0);
    EXPECT_EQ(again.received, 0) << "the stored offset was not sent";
    EXPECT_EQ(fake_->pendingUpdates(), 0u) << "the next call confirmed them";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_update"), 3);

    pass();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_entry"), 3);
    ASSERT_EQ(tickets().list({}).size(), 1u);
    EXPECT_NE(tickets().messages(1)[0].text.find("line 3"), std::string::npos);
}

TEST_F(ChatCrashTest, ServeKilledAtRandomMomentsLosesAndDuplicatesNothing) {
    unsigned seed = std::getenv("POSTDESK_CHAT_CRASH_SEED") ? static_cast<unsigned>(std::stoul(std::getenv("POSTDESK_CHAT_CRASH_SEED")))
                                                           : std::random_device{}();
    std::cout << "chat crash test: POSTDESK_CHAT_CRASH_SEED=" << seed << "\n";
    std::mt19937 rng(seed);
    const int kills = std::uniform_int_distribution<int>(10, 15)(rng);
    std::vector<std::string> all;  // update JSON, in the order Telegram will serve them
    for (int k = 1; k <= kPerChat; ++k)
        for (int c = 1; c <= kChats; ++c)
            all.push_back(message(customer(c), user(5000 + c, "Customer" + std::to_string(c)), 100 + k, now_ + k, text(words(c, k))));
    const int total = static_cast<int>(all.size());
    std::vector<std::int64_t> ids;
    store_.reset();  // the service owns the database while it runs
    const std::string config = writeConfig(), log = dir_ + "/serve.log";
    const std::vector<std::string> serve{POSTDESK_BINARY, "serve", "--config", config};

    std::size_t next = 0;
    for (int k = 0; k < kills; ++k) {
        const std::size_t batch = (all.size() + kills - 1) / kills;
        for (std::size_t i = 0; i < batch && next < all.size(); ++i) ids.push_back(fake_->pushUpdate(all[next++]));
        runThenKill(serve, log, std::chrono::milliseconds(std::uniform_int_distribution<int>(30, 700)(rng)));
        // Every update Telegram no longer holds (confirmed by an offset) is in the store.
        store::Store check(settings_.store_path);
        std::set<std::string> stored = storedKeys(check);
        const std::size_t confirmed = ids.size() - fake_->pendingUpdates();
        for (std::size_t i = 0; i < confirmed; ++i)
            ASSERT_TRUE(stored.count(std::to_string(ids[i]))) << "kill " << k << ": update " << ids[i] << " confirmed but not stored";
        std::cout << "kill " << k << ": " << ids.size() << " pushed, " << confirmed << " confirmed, " << stored.size() << " stored, "
                  << scalarIn(check, "SELECT COUNT(*) FROM chat_entry") << " recorded\n";
    }
    while (next < all.size()) ids.push_back(fake_->pushUpdate(all[next++]));

    // Let it finish undisturbed, then stop it the polite way once it is up.
    pid_t pid = spawnServeUntilUp(serve, log, dir_ + "/serve.pid");
    store_ = std::make_unique<store::Store>(settings_.store_path);
    auto finished = [&] {
        return scalar("SELECT COUNT(*) FROM chat_entry WHERE recorded = 1") == total &&
               scalar("SELECT COUNT(*) FROM conversation WHERE ticket IS NOT NULL") == kChats &&
               scalar("SELECT COUNT(*) FROM chat_outbox WHERE state = 'sent'") >= kChats &&
               scalar("SELECT COUNT(*) FROM inbound WHERE state != 'done'") == 0;
    };
    for (int waited = 0; waited < 200 && !finished(); ++waited) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "serve did not stop cleanly on SIGTERM";
    ASSERT_TRUE(finished()) << "not everything was filed:\n" << readLog(log);

    EXPECT_EQ(fake_->pendingUpdates(), 0u);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_update"), total);
    EXPECT_EQ(scalar("SELECT COUNT(DISTINCT bot || ':' || update_key) FROM chat_update"), total);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_update WHERE state = 'done'"), total);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM chat_entry"), total);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM (SELECT DISTINCT chat_id, message_id FROM chat_entry)"), total);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM conversation"), kChats) << "a chat was split into two conversations";
    EXPECT_EQ(scalar("SELECT COUNT(DISTINCT ticket) FROM conversation"), kChats);
    auto list = tickets().list({});
    EXPECT_EQ(list.size(), static_cast<std::size_t>(kChats)) << "one ticket per conversation";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM (SELECT dedupe_key FROM inbound GROUP BY dedupe_key HAVING COUNT(*) > 1)"), 0);

    // Every chat line is on its chat's ticket exactly once.
    for (int c = 1; c <= kChats; ++c) {
        store::Statement t(store_->db(), "SELECT ticket FROM conversation WHERE chat_id = " + std::to_string(5000 + c));
        ASSERT_TRUE(t.step()) << "chat " << c;
        std::string all_text;
        for (const auto& m : tickets().messages(t.int64(0))) all_text += m.text + "\n";
        for (int k = 1; k <= kPerChat; ++k) {
            const std::string line = "#" + std::to_string(100 + k) + ": " + words(c, k);  // the transcript line, not the subject
            std::size_t first = all_text.find(line);
            ASSERT_NE(first, std::string::npos) << "chat " << c << " line " << k << " missing:\n" << all_text;
            EXPECT_EQ(all_text.find(line, first + 1), std::string::npos) << "chat " << c << " line " << k << " twice:\n" << all_text;
        }
    }
    // The notice reached each chat; a crash between sendMessage and its commit may repeat one.
    for (int c = 1; c <= kChats; ++c) EXPECT_GE(sentTexts(5000 + c).size(), 1u) << "chat " << c;
    EXPECT_LE(sentTexts().size(), static_cast<std::size_t>(kChats + kills));

    store::Statement integrity(store_->db(), "PRAGMA integrity_check");
    ASSERT_TRUE(integrity.step());
    EXPECT_EQ(integrity.text(0), "ok");
}

TEST_F(ChatCrashTest, PollOnceRunsTheBridgeStepByStep) {
    fake_->pushUpdate(message(privateChat(), user(kIvan, "Ivan", "Petrov"), 1365, now_, text("Invoice 1042 is wrong")));
    store_.reset();
    const std::string config = writeConfig();
    std::string out = capture(std::string(POSTDESK_BINARY) + " poll --once --config " + config + " 2>&1");
    EXPECT_NE(out.find("telegram: 1 updates, 1 new"), std::string::npos) << out;
    EXPECT_NE(out.find("chat: 1 messages/edits, 0 already recorded, 0 quarantined; 1 tickets requested"), std::string::npos) << out;
    EXPECT_NE(out.find("chat: 1 tickets linked"), std::string::npos) << out;
    EXPECT_NE(out.find("1 sent, 0 deferred, 0 failed"), std::string::npos) << out;
    store_ = std::make_unique<store::Store>(settings_.store_path);
    auto list = tickets().list({});
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].customer_address, "chat+tg-333@example.test");
    auto posted = sentTexts(kIvan);
    ASSERT_EQ(posted.size(), 1u);
    EXPECT_EQ(posted[0], "Ticket #1 created: Invoice 1042 is wrong. Further messages here are added to it.");

    // Again: nothing new, nothing twice.
    store_.reset();
    out = capture(std::string(POSTDESK_BINARY) + " poll --once --config " + config + " 2>&1");
    EXPECT_NE(out.find("telegram: 0 updates, 0 new"), std::string::npos) << out;
    store_ = std::make_unique<store::Store>(settings_.store_path);
    EXPECT_EQ(tickets().list({}).size(), 1u);
    EXPECT_EQ(sentTexts(kIvan).size(), 1u);
}

}  // namespace
}  // namespace postdesk::testing
