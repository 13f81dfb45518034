#include "gateway/store/direct_writer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

namespace postdesk::store {

DirectWriter::DirectWriter(std::size_t buffers) : count_(buffers == 0 ? 1 : buffers) {}

DirectWriter::~DirectWriter() {
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return jobs_.empty(); });
        stopping_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
    for (char* b : all_) ::munmap(b, kBufferBytes);
}

char* DirectWriter::buffer() {
    std::unique_lock lock(mutex_);
    if (free_.empty() && all_.size() < count_) {  // mapped on first use: a reading Spool maps none
        void* p = ::mmap(nullptr, kBufferBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap spool write buffer");
        all_.push_back(static_cast<char*>(p));
        return all_.back();
    }
    changed_.wait(lock, [&] { return !free_.empty(); });
    char* b = free_.back();
    free_.pop_back();
    return b;
}

void DirectWriter::write(int fd, char* buffer, std::size_t length, std::int64_t offset) {
    {
        std::lock_guard lock(mutex_);
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
        jobs_.push_back({fd, buffer, length, offset});
    }
    changed_.notify_all();
}

int DirectWriter::drain() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return jobs_.empty(); });
    return std::exchange(error_, 0);
}

void DirectWriter::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, and nothing left to write
        Job job = jobs_.front();
        bool skip = error_ != 0;  // a write of this period failed: the rest is lost anyway
        lock.unlock();
        int err = 0;
        for (std::size_t done = 0; !skip && done < job.length;) {
            ssize_t n = ::pwrite(job.fd, job.buffer + done, job.length - done, static_cast<off_t>(job.offset + static_cast<std::int64_t>(done)));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                err = n < 0 ? errno : EIO;
                break;
            }
            done += static_cast<std::size_t>(n);
        }
        lock.lock();
        if (err && !error_) error_ = err;
        jobs_.pop_front();
        free_.push_back(job.buffer);
        changed_.notify_all();
    }
}

}  // namespace postdesk::store
