#include "gateway/store/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <system_error>

#include "gateway/store/schema_sql.h"

namespace postdesk::store {
namespace {

// syncfs(2): flushes the file system holding `dir` — data, inodes and directory entries of every
// file written since, in one call.
void syncFileSystem(const std::filesystem::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + dir.string());
    int rc = ::syncfs(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) throw std::system_error(err, std::generic_category(), "syncfs " + dir.string());
}

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
    std::filesystem::path tmp = path;
    tmp += ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "create " + tmp.string());
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            throw std::system_error(err, std::generic_category(), "write " + tmp.string());
        }
        done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) throw std::system_error(errno, std::generic_category(), "close " + tmp.string());
    std::filesystem::rename(tmp, path);  // atomic: a reader sees the whole file or none
}

}  // namespace

Store::Store(const std::string& dbPath) {
    std::filesystem::path p(dbPath);
    dataDir_ = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
    std::filesystem::create_directories(dataDir_);
    db_ = std::make_unique<Db>(dbPath);
    db_->exec(kSchemaSql);
}

std::filesystem::path Store::attachmentPath(const std::string& sha256) const {
    return dataDir_ / "attachments" / sha256.substr(0, 2) / sha256.substr(2, 2) / sha256;
}

void Store::putAttachment(const std::string& sha256, std::string_view bytes) {
    std::filesystem::path path = attachmentPath(sha256);
    if (std::filesystem::exists(path) && std::filesystem::file_size(path) == bytes.size()) return;
    std::filesystem::create_directories(path.parent_path());
    writeFileAtomically(path, bytes);
    unsynced_ = true;
}

void Store::syncAttachments() {
    if (!unsynced_) return;
    syncFileSystem(dataDir_);
    unsynced_ = false;
}

}  // namespace postdesk::store
