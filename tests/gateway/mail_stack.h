// A throwaway Dovecot + Postfix on 127.0.0.1 for integration tests, driven through
// scripts/mailstack/{start,stop}.sh. One instance per test process: ctest runs every gtest case
// as its own process (gtest_discover_tests), possibly two at once, and each gets its own
// directory and ports. Needs root (Postfix's master); tests skip when not root.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

namespace postdesk::testing {

class MailStack {
public:
    static bool canRun() { return ::geteuid() == 0; }

    // Starts the stack in a fresh short directory (unix socket paths must stay short).
    void start() {
        if (dir_.empty()) {
            char tmpl[] = "/tmp/pdms.XXXXXX";
            if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
            dir_ = tmpl;
        }
        restart();
    }

    // Starts again in the same directory (mail, UIDs and UIDVALIDITY survive).
    void restart() {
        run(script("start.sh") + " " + dir_ + " >/dev/null");
        loadEnv();
    }

    // Stops; with purge the directory is removed too.
    void stop(bool purge) {
        if (dir_.empty()) return;
        run(script("stop.sh") + " " + dir_ + (purge ? " --purge" : ""));
        if (purge) dir_.clear();
    }

    bool running() const { return !dir_.empty() && std::ifstream(dir_ + "/env").good(); }

    const std::string& dir() const { return dir_; }
    std::string env(const std::string& key) const {
        auto it = env_.find("MAILSTACK_" + key);
        return it == env_.end() ? std::string() : it->second;
    }
    std::string doveadm() const { return "doveadm -c " + env("DOVECOT_CONF") + " "; }

    // Saves a message synchronously, bypassing SMTP (doveadm save, ~15 ms).
    void seed(const std::string& user, const std::string& mailbox, const std::string& bytes) const {
        std::string cmd = doveadm() + "save -u " + user + " -m " + mailbox;
        FILE* p = ::popen(cmd.c_str(), "w");
        if (!p) throw std::runtime_error("popen failed: " + cmd);
        std::fwrite(bytes.data(), 1, bytes.size(), p);
        if (::pclose(p) != 0) throw std::runtime_error("failed: " + cmd);
    }

    static void run(const std::string& cmd) {
        ::setenv("MAILSTACK_QUIET", "1", 1);  // the scripts' status lines would clutter test logs
        if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
    }

private:
    static std::string script(const char* name) {
        return std::string(POSTDESK_SOURCE_DIR) + "/scripts/mailstack/" + name;
    }

    void loadEnv() {
        env_.clear();
        std::ifstream in(dir_ + "/env");
        for (std::string line; std::getline(in, line);) {
            auto eq = line.find('=');
            if (eq != std::string::npos) env_[line.substr(0, eq)] = line.substr(eq + 1);
        }
        if (env_.empty()) throw std::runtime_error("no env file in " + dir_);
    }

    std::string dir_;
    std::map<std::string, std::string> env_;
};

}  // namespace postdesk::testing
