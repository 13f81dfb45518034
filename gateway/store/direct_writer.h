// postdesk::store — DirectWriter: writes of page-aligned buffers done on a background thread.
//
// Why: an O_DIRECT write returns only when the device has the bytes, so the thread that fills
// the spool's buffers (intake, between two reads from the IMAP socket) sat waiting for the disk:
// 0.4-0.6 s of intake's 1.7 s per 2,000 benchmark mails. With two buffers the next one fills
// while the last one is written; the caller waits only when both are in flight, and at drain().
//
// Guarantees: buffers are kBufferBytes, aligned to 4 KiB, mapped once (not malloc'ed: see
// spool.cpp) and reused; writes run in the order submitted; drain() returns once every write
// submitted before it is done, with the first error since the previous drain() (0 when none);
// after an error the later writes of the same drain period are not attempted. The destructor
// waits for the writes in flight. Thread-safe for one submitting thread at a time (Spool holds
// its lock). Fails by throwing std::system_error only when a buffer cannot be mapped.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace postdesk::store {

class DirectWriter {
public:
    static constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

    explicit DirectWriter(std::size_t buffers = 2);
    ~DirectWriter();
    DirectWriter(const DirectWriter&) = delete;
    DirectWriter& operator=(const DirectWriter&) = delete;

    char* buffer();  // a free buffer; waits while every buffer is being written
    // Writes `length` bytes of `buffer` (from buffer()) at `offset` of `fd`, then frees the buffer.
    // `length` and `offset` are multiples of 4 KiB when `fd` is O_DIRECT.
    void write(int fd, char* buffer, std::size_t length, std::int64_t offset);
    int drain();  // errno of the first failed write since the last drain(), 0 when none failed

private:
    struct Job {
        int fd;
        char* buffer;
        std::size_t length;
        std::int64_t offset;
    };
    void run();

    std::mutex mutex_;
    std::condition_variable changed_;  // a job queued or finished, a buffer freed, or stopping
    std::deque<Job> jobs_;              // queued, oldest first; the front one is being written
    std::vector<char*> free_;
    std::vector<char*> all_;
    const std::size_t count_;
    int error_ = 0;
    bool stopping_ = false;
    std::thread thread_;  // started by the first write()
};

}  // namespace postdesk::store
