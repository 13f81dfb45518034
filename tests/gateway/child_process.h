// Test helper: start `postdesk serve` (or any program) as a child process with its output in a
// log file, and read that log back.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace postdesk::testing {

inline pid_t spawn(const std::vector<std::string>& argv, const std::string& logFile) {
    pid_t pid = ::fork();
    if (pid == 0) {
        FILE* log = std::fopen(logFile.c_str(), "a");
        if (log) {
            ::dup2(fileno(log), STDOUT_FILENO);
            ::dup2(fileno(log), STDERR_FILENO);
        }
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

// Runs argv for `lifetime`, then SIGKILLs it and reaps it: a crash at that moment.
inline void runThenKill(const std::vector<std::string>& argv, const std::string& logFile, std::chrono::milliseconds lifetime) {
    pid_t pid = spawn(argv, logFile);
    std::this_thread::sleep_for(lifetime);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
}

// Starts `postdesk serve` with --pidfile and waits (up to 5 s) until the file is there: by then
// the stop signals are routed to the clean shutdown.
inline pid_t spawnServeUntilUp(std::vector<std::string> serve, const std::string& logFile, const std::string& pidFile) {
    serve.insert(serve.end(), {"--pidfile", pidFile});
    pid_t pid = spawn(serve, logFile);
    for (int waited = 0; waited < 100 && !std::filesystem::exists(pidFile); ++waited)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return pid;
}

inline std::string readLog(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace postdesk::testing
