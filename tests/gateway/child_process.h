// Test helper: start `postdesk serve` (or any program) as a child process with its output in a
// log file, and read that log back.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
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

inline std::string readLog(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace postdesk::testing
