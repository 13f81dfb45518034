#include "gateway/store/spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <ctime>
#include <system_error>

namespace postdesk::store {
namespace {

[[noreturn]] void fail(int err, const std::string& what) { throw std::system_error(err, std::generic_category(), what); }

// Process-wide, so two Spools of one process (intake and ingest threads) never pick one name;
// O_EXCL settles the rest (another process, a clock step back).
std::atomic<unsigned> segmentSequence{0};

void writeAll(int fd, std::string_view bytes, const std::string& what) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(errno, "write " + what);
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

Spool::Spool(std::filesystem::path dir, std::int64_t segmentBytes) : dir_(std::move(dir)), segmentBytes_(segmentBytes) {}

Spool::~Spool() {
    if (fd_ >= 0) ::close(fd_);
    if (readFd_ >= 0) ::close(readFd_);
}

void Spool::openSegment() {
    std::filesystem::create_directories(dir_);
    for (int attempt = 0;; ++attempt) {
        std::string name = std::to_string(std::time(nullptr)) + "-" + std::to_string(::getpid()) + "-" +
                           std::to_string(segmentSequence.fetch_add(1)) + ".mails";
        int fd = ::open((dir_ / name).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0640);
        if (fd < 0 && errno == EEXIST && attempt < 100) continue;
        if (fd < 0) fail(errno, "create spool segment " + (dir_ / name).string());
        fd_ = fd;
        segment_ = std::move(name);
        end_ = 0;
        dirDirty_ = true;
        return;
    }
}

void Spool::closeSegment() {
    if (fd_ < 0) return;
    ::close(fd_);
    fd_ = -1;
}

SpoolRef Spool::append(std::string_view bytes) {
    std::lock_guard lock(mutex_);
    if (fd_ >= 0 && end_ > 0 && end_ + static_cast<std::int64_t>(bytes.size()) > segmentBytes_) {
        // The full segment's data must still reach the disk: sync it before leaving it.
        if (dataDirty_ && ::fdatasync(fd_) != 0) fail(errno, "fdatasync spool segment " + segment_);
        dataDirty_ = false;
        closeSegment();
    }
    if (fd_ < 0) openSegment();
    try {
        writeAll(fd_, bytes, "spool segment " + segment_);
    } catch (...) {
        // Part of the bytes may be in the segment: nothing will point at them, and the next
        // append starts a new segment rather than guess where this one ends. What was appended
        // before is still owed a sync: keep the segment until then.
        if (!dataDirty_) closeSegment();
        else end_ = segmentBytes_;  // full: the next append syncs it and moves on
        throw;
    }
    SpoolRef ref{segment_, end_, static_cast<std::int64_t>(bytes.size())};
    end_ += ref.size;
    dataDirty_ = true;
    return ref;
}

void Spool::sync() {
    std::lock_guard lock(mutex_);
    if (dataDirty_) {
        if (::fdatasync(fd_) != 0) fail(errno, "fdatasync spool segment " + segment_);
        dataDirty_ = false;
    }
    if (dirDirty_) {
        int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) fail(errno, "open " + dir_.string());
        int rc = ::fsync(dfd);
        int err = errno;
        ::close(dfd);
        if (rc != 0) fail(err, "fsync " + dir_.string());
        dirDirty_ = false;
    }
}

bool Spool::dirty() const {
    std::lock_guard lock(mutex_);
    return dataDirty_ || dirDirty_;
}

std::string Spool::read(const SpoolRef& ref) {
    std::lock_guard lock(mutex_);
    if (readFd_ < 0 || readSegment_ != ref.segment) {
        if (readFd_ >= 0) ::close(readFd_);
        readFd_ = -1;
        if (ref.segment.find('/') != std::string::npos) fail(EINVAL, "spool segment name " + ref.segment);
        int fd = ::open((dir_ / ref.segment).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail(errno, "open spool segment " + (dir_ / ref.segment).string());
        readFd_ = fd;
        readSegment_ = ref.segment;
    }
    std::string bytes(static_cast<std::size_t>(ref.size), '\0');
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::pread(readFd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(ref.offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(errno, "read spool segment " + ref.segment);
        if (n == 0) fail(EIO, "spool segment " + ref.segment + " ends before offset " + std::to_string(ref.offset + ref.size));
        done += static_cast<std::size_t>(n);
    }
    return bytes;
}

}  // namespace postdesk::store
