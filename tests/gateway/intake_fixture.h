// Shared set-up for intake tests: a real Dovecot + Postfix (scripts/mailstack) per test process,
// a fresh store per test, and helpers to write mails and read back what was filed.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <memory>
#include <string>

#include "gateway/app/service.h"
#include "gateway/config/config.h"
#include "gateway/ingest/ingest.h"
#include "gateway/intake/imap_intake.h"
#include "gateway/store/inbound_queue.h"
#include "gateway/store/store.h"
#include "gateway/store/ticket_store.h"
#include "mime/parse.h"
#include "tests/gateway/mail_stack.h"

namespace postdesk::testing {

inline std::string customerMail(const std::string& id, const std::string& subject, const std::string& from = "alice@example.test",
                                const std::string& extraHeaders = "", const std::string& body = "Hello, my printer is broken.\r\n") {
    return "From: Alice Example <" + from + ">\r\nTo: support@example.test\r\nSubject: " + subject +
           "\r\nDate: Tue, 17 Nov 2026 09:15:00 +0100\r\nMessage-ID: <" + id + ">\r\n" + extraHeaders + "\r\n" + body;
}

// One mail as Dovecot delivered it to a Maildir.
struct Delivered {
    std::string path, bytes;
    mime::Message parsed;
};

class IntakeTest : public ::testing::Test {
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
        if (!stack_->running()) stack_->restart();
        for (const char* user : {"support@example.test", "sales@example.test"}) {
            MailStack::run(stack_->doveadm() + "expunge -u " + user + " mailbox '*' all");
            MailStack::run(stack_->doveadm() + "mailbox delete -u " + user + " -s Processed Queue 2>/dev/null || true");
        }
        char tmpl[] = "/tmp/pdstore.XXXXXX";
        dir_ = ::mkdtemp(tmpl);
        settings_.store_path = dir_ + "/var/postdesk.db";
        settings_.token_key = "test-token-key-0123456789abcdef";
        settings_.mailboxes = {mailbox("support", "support@example.test")};
        store_ = std::make_unique<store::Store>(settings_.store_path);
    }

    void TearDown() override {
        store_.reset();
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    // A postdesk.ini in the test's directory for running the binary on this test's store and the
    // support mailbox: `mailboxExtra` goes on in [mailbox.support], `sections` are appended whole.
    std::string writeServeConfig(const std::string& logLevel, const std::string& mailboxExtra = "", const std::string& sections = "") const {
        std::string path = dir_ + "/postdesk.ini";
        std::ofstream(path) << "[store]\npath = " << settings_.store_path << "\n[security]\ntoken_key = " << settings_.token_key
                            << "\n[log]\nlevel = " << logLevel << "\n[mailbox.support]\nurl = " << stack_->env("IMAP_URL")
                            << "/INBOX\nuser = support@example.test\npassword = secret\naddress = support@example.test\n"
                               "tls = none\npoll_interval = 1\n"
                            << mailboxExtra << sections;
        return path;
    }

    config::MailboxSettings mailbox(const std::string& name, const std::string& user, const std::string& folder = "INBOX") const {
        config::MailboxSettings m;
        m.name = name;
        m.url = stack_->env("IMAP_URL") + "/" + folder;
        m.folder = folder;
        m.user = user;
        m.password = "secret";
        m.address = user;
        m.queue = name;
        m.tls = config::Tls::None;
        m.command_timeout = 10;
        return m;
    }

    // What Dovecot delivered to `user` (example.test), in delivery order: Dovecot names Maildir
    // files "<seconds>.M<microseconds>P<pid>..." (a Date header has only second resolution).
    std::vector<Delivered> mailbox(const std::string& user) {
        namespace fs = std::filesystem;
        std::vector<Delivered> out;
        fs::path root = fs::path(stack_->env("MAIL_ROOT")) / "example.test" / user / "Maildir";
        for (const char* sub : {"new", "cur"}) {
            if (!fs::exists(root / sub)) continue;
            for (const auto& e : fs::directory_iterator(root / sub)) {
                std::ifstream in(e.path(), std::ios::binary);
                std::stringstream ss;
                ss << in.rdbuf();
                out.push_back({e.path().string(), ss.str(), mime::parse(ss.str())});
            }
        }
        auto arrival = [](const std::string& path) {
            std::string name = fs::path(path).filename().string();
            long long secs = std::atoll(name.c_str()), usecs = 0;
            if (auto m = name.find(".M"); m != std::string::npos) usecs = std::atoll(name.c_str() + m + 2);
            return std::make_pair(secs, usecs);
        };
        std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return arrival(a.path) < arrival(b.path); });
        return out;
    }

    void seed(const std::string& bytes, const std::string& user = "support@example.test", const std::string& folder = "INBOX") {
        stack_->seed(user, folder, bytes);
    }

    // One intake pass over every configured mailbox, then ingest; returns the intake results.
    std::vector<intake::IntakeResult> poll() {
        std::vector<intake::IntakeResult> results;
        for (const auto& m : settings_.mailboxes) results.push_back(intake::ImapIntake(*store_, m).pollOnce());
        ingest::Ingest(*store_, app::ingestSettings(settings_)).drain();
        return results;
    }

    store::TicketStore tickets() { return store::TicketStore(store_->db()); }
    store::InboundQueue queue() { return store::InboundQueue(*store_); }

    int folderCount(const std::string& user, const std::string& folder) {
        std::string out = capture(stack_->doveadm() + "mailbox status -u " + user + " messages " + folder + " 2>/dev/null");
        auto eq = out.find('=');
        return eq == std::string::npos ? 0 : std::stoi(out.substr(eq + 1));
    }

    static std::string capture(const std::string& cmd) {
        std::string out;
        FILE* p = ::popen(cmd.c_str(), "r");
        if (!p) return out;
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
        ::pclose(p);
        return out;
    }

    static inline std::unique_ptr<MailStack> stack_;
    std::string dir_;
    config::Settings settings_;
    std::unique_ptr<store::Store> store_;
};

}  // namespace postdesk::testing
