// postdesk — reading a whole file (for the commands that take mail, templates and rules from
// disk) and writing all of a buffer to a descriptor (for the spool's segments).
#pragma once

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

namespace postdesk {

// The file's bytes, or nullopt when it cannot be opened or read (a directory, no permission).
inline std::optional<std::string> readWholeFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return std::move(ss).str();
}

// Writes every byte of `bytes` to `fd` (a short write continues, EINTR retries). Throws
// std::system_error naming `what` on failure; the descriptor stays open either way.
inline void writeAll(int fd, std::string_view bytes, const std::string& what) {
    for (std::size_t done = 0; done < bytes.size();) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::system_error(errno, std::generic_category(), "write " + what);
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace postdesk
