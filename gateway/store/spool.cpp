#include "gateway/store/spool.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>

#include "gateway/store/direct_writer.h"
#include "gateway/util/files.h"

namespace postdesk::store {
namespace {

[[noreturn]] void fail(int err, const std::string& what) { throw std::system_error(err, std::generic_category(), what); }

// Process-wide, so two Spools of one process (intake and ingest threads) never pick one name;
// O_EXCL settles the rest (another process, a clock step back).
std::atomic<unsigned> segmentSequence{0};

constexpr std::size_t kBlock = 4096;              // O_DIRECT alignment of buffers, offsets and lengths
// The staging buffers (DirectWriter's, written out on its thread) and the read buffer: 1 MiB each,
// mapped once and reused. Mapped, not malloc'ed: freeing a large malloc'ed block raises glibc's
// mmap threshold to its size, after which every mail-sized allocation of the process came from
// the heap and was kept there (+23 MiB peak RSS, measured).
constexpr std::size_t kStage = DirectWriter::kBufferBytes;

std::size_t roundUp(std::size_t n) { return (n + kBlock - 1) / kBlock * kBlock; }

}  // namespace

Spool::Spool(std::filesystem::path dir, std::int64_t segmentBytes, Io io) : dir_(std::move(dir)), segmentBytes_(segmentBytes), io_(io) {}

Spool::~Spool() {
    writer_.reset();  // its writes in flight finish before their descriptor closes
    if (fd_ >= 0) ::close(fd_);
    if (readFd_ >= 0) ::close(readFd_);
    if (readStage_) ::munmap(readStage_, kStage);
}

void Spool::openSegment() {
    std::filesystem::create_directories(dir_);
    for (int attempt = 0;; ++attempt) {
        std::string name = std::to_string(std::time(nullptr)) + "-" + std::to_string(::getpid()) + "-" +
                           std::to_string(segmentSequence.fetch_add(1)) + ".mails";
        std::filesystem::path path = dir_ / name;
        int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | (io_ == Io::Direct ? O_DIRECT : O_APPEND);
        int fd = ::open(path.c_str(), flags, 0640);
        if (fd < 0 && errno == EINVAL && io_ == Io::Direct) {
            ::unlink(path.c_str());  // O_EXCL: if it exists, this open made it
            io_ = Io::Buffered;
            continue;
        }
        if (fd < 0 && errno == EEXIST && attempt < 100) continue;
        if (fd < 0) fail(errno, "create spool segment " + path.string());
        fd_ = fd;
        segment_ = std::move(name);
        written_ = 0;
        staged_ = 0;
        dirDirty_ = true;
        return;
    }
}

void Spool::failed() {
    if (writer_) writer_->drain();  // nothing may still write to the descriptor; the error is being reported
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    staged_ = 0;
    dataDirty_ = false;
    lost_ = true;
}

// The staged bytes go to the writer's thread, padded to the next 4 KiB (references skip the
// padding); the next append starts a new buffer.
void Spool::flush() {
    if (staged_ == 0) return;
    std::size_t padded = roundUp(staged_);
    std::memset(stage_ + staged_, 0, padded - staged_);
    writer_->write(fd_, stage_, padded, written_);
    stage_ = nullptr;
    written_ += static_cast<std::int64_t>(padded);
    staged_ = 0;
}

// Every write so far is on the device (not yet synced); a failed one fails the segment.
void Spool::settle() {
    if (!writer_) return;
    if (int err = writer_->drain()) {
        failed();
        fail(err, "write spool segment " + segment_);
    }
}

void Spool::finishSegment() {
    flush();
    settle();
    if (dataDirty_ && ::fdatasync(fd_) != 0) {
        int err = errno;
        failed();
        fail(err, "fdatasync spool segment " + segment_);
    }
    dataDirty_ = false;
    ::close(fd_);
    fd_ = -1;
}

SpoolRef Spool::append(std::string_view bytes) {
    std::lock_guard lock(mutex_);
    const auto size = static_cast<std::int64_t>(bytes.size());
    std::int64_t end = written_ + static_cast<std::int64_t>(staged_);
    if (fd_ >= 0 && end > 0 && end + size > segmentBytes_) finishSegment();
    if (fd_ < 0) openSegment();
    SpoolRef ref{segment_, 0, size};
    if (io_ == Io::Buffered) {
        ref.offset = written_;
        try {
            writeAll(fd_, bytes, "spool segment " + segment_);
        } catch (...) {
            failed();
            throw;
        }
        written_ += size;
    } else {
        if (!writer_) writer_ = std::make_unique<DirectWriter>();
        // Write-combining buffers: full ones go out as they fill (a mail may span several); only
        // sync() pads the last, partial one.
        ref.offset = written_ + static_cast<std::int64_t>(staged_);
        for (std::string_view left = bytes; !left.empty();) {
            if (!stage_) stage_ = writer_->buffer();
            std::size_t n = std::min(left.size(), kStage - staged_);
            std::memcpy(stage_ + staged_, left.data(), n);
            staged_ += n;
            left.remove_prefix(n);
            if (staged_ == kStage) flush();
        }
    }
    dataDirty_ = true;
    return ref;
}

void Spool::sync() {
    std::lock_guard lock(mutex_);
    if (lost_) {
        lost_ = false;
        fail(EIO, "a spool write failed since the last sync: the bytes appended since are not on disk");
    }
    if (dataDirty_) {
        try {
            flush();
            settle();
        } catch (...) {
            lost_ = false;  // reported right here
            throw;
        }
        if (::fdatasync(fd_) != 0) {
            int err = errno;
            failed();
            lost_ = false;  // reported right here
            fail(err, "fdatasync spool segment " + segment_);
        }
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
        std::filesystem::path path = dir_ / ref.segment;
        readDirect_ = io_ == Io::Direct;
        int fd = readDirect_ ? ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECT) : -1;
        if (fd < 0 && (!readDirect_ || errno == EINVAL)) {
            readDirect_ = false;
            fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        }
        if (fd < 0) fail(errno, "open spool segment " + path.string());
        readFd_ = fd;
        readSegment_ = ref.segment;
    }
    auto shortRead = [&] {
        fail(EIO, "spool segment " + ref.segment + " ends before offset " + std::to_string(ref.offset + ref.size));
    };
    std::string bytes(static_cast<std::size_t>(ref.size), '\0');
    if (!readDirect_) {
        for (std::size_t done = 0; done < bytes.size();) {
            ssize_t n = ::pread(readFd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(ref.offset + done));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail(errno, "read spool segment " + ref.segment);
            if (n == 0) shortRead();
            done += static_cast<std::size_t>(n);
        }
        return bytes;
    }
    // Past the page cache, as it was written: aligned 1 MiB reads into the read buffer, copied out.
    if (!readStage_) {
        void* p = ::mmap(nullptr, kStage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) fail(errno, "mmap spool read buffer");
        readStage_ = static_cast<char*>(p);
    }
    std::size_t done = 0;
    auto at = static_cast<std::size_t>(ref.offset) / kBlock * kBlock;
    std::size_t skip = static_cast<std::size_t>(ref.offset) - at;  // bytes before ours in the first block
    while (done < bytes.size()) {
        std::size_t want = std::min(kStage, roundUp(skip + bytes.size() - done));
        ssize_t n = ::pread(readFd_, readStage_, want, static_cast<off_t>(at));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(errno, "read spool segment " + ref.segment);
        if (static_cast<std::size_t>(n) <= skip) shortRead();
        std::size_t take = std::min(static_cast<std::size_t>(n) - skip, bytes.size() - done);
        std::memcpy(bytes.data() + done, readStage_ + skip, take);
        done += take;
        at += static_cast<std::size_t>(n);
        skip = 0;
        if (static_cast<std::size_t>(n) % kBlock) {  // the end of the file: nothing more to read
            if (done < bytes.size()) shortRead();
        }
    }
    return bytes;
}

}  // namespace postdesk::store
