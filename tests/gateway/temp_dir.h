// A fresh directory under /tmp for one test, removed with everything in it when the test ends.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace postdesk::testing {

class TempDir {
public:
    explicit TempDir(const std::string& prefix) {
        std::string name = "/tmp/" + prefix + ".XXXXXX";
        if (!::mkdtemp(name.data())) throw std::runtime_error("mkdtemp " + name);
        path_ = name;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace postdesk::testing
