// postdesk::store — raw mails handed from intake to ingest in memory, within one process.
//
// Intake has the bytes in hand when it commits a row; ingest would otherwise read them back from
// the spool (from the disk: the spool is written past the page cache). This is an optimisation
// only: the row and its spooled bytes stay the durable hand-off, and a miss just means a read.
//
// Intake is faster than ingest (it only stores bytes; ingest parses and files them): without a
// limit on intake the hand-off filled at once and ingest read ~90% of a burst back from the disk
// (278 of 302 MB in the ingest benchmark, half of ingest's time). So put() may wait for room, up
// to a deadline the caller gives: intake then runs at ingest's pace and ingest reads from memory.
// The wait is bounded, so a stalled ingest slows intake down but never stops it (past the
// deadline the bytes are declined and ingest reads them from the spool; until ingest takes bytes
// from here again, later puts do not wait).
// Nothing may sit here that no one will take: intake puts a row after its commit, and ingest may
// claim it in between (a miss). Ingest claims rows in id order, so a put of a row at or below the
// highest one ingest has asked for is declined, and such rows still held (claimed by another
// process, say) are dropped when ingest passes them.
//
// Guarantees: at most `maxBytes` are held in total; put() moves the bytes in when they fit by
// `until` (a mail larger than maxBytes is declined at once) and otherwise leaves them with the
// caller; take() gives a row's bytes once and wakes a waiting put(); the listener, when set, is
// called after each put() that kept bytes (the consumer's wake-up). Nothing outlives the process.
// Thread-safe. Never fails.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace postdesk::store {

class RawHandoff {
public:
    using Clock = std::chrono::steady_clock;

    // `patience`: how long a producer (intake) waits for room per batch (deadline()).
    explicit RawHandoff(std::size_t maxBytes, std::chrono::milliseconds patience = {}) : maxBytes_(maxBytes), patience_(patience) {}

    std::size_t maxBytes() const { return maxBytes_; }
    Clock::time_point deadline() const { return Clock::now() + patience_; }

    // Moves `bytes` out only when it returns true.
    bool put(std::int64_t row, std::string& bytes, Clock::time_point until = Clock::time_point::min()) {
        std::function<void()> listener;
        {
            std::unique_lock lock(mutex_);
            if (bytes.size() > maxBytes_ || row <= passed_) return false;
            if (stalled_) until = Clock::time_point::min();
            if (!taken_.wait_until(lock, until, [&] { return held_ + bytes.size() <= maxBytes_; })) {
                stalled_ = until != Clock::time_point::min();
                return false;
            }
            if (row <= passed_) return false;  // ingest went past it while we waited
            held_ += bytes.size();
            byRow_.emplace(row, std::move(bytes));
            listener = listener_;
        }
        if (listener) listener();
        return true;
    }
    std::optional<std::string> take(std::int64_t row) {
        std::optional<std::string> bytes;
        {
            std::lock_guard lock(mutex_);
            passed_ = std::max(passed_, row);
            auto it = byRow_.find(row);
            if (it != byRow_.end()) {
                bytes = std::move(it->second);
                byRow_.erase(it);
                held_ -= bytes->size();
                stalled_ = false;
            }
            std::erase_if(byRow_, [&](const auto& held) {  // passed over: no one will take them
                if (held.first > passed_) return false;
                held_ -= held.second.size();
                return true;
            });
        }
        taken_.notify_all();
        return bytes;
    }
    std::size_t room() const {  // what put() would accept now (it only grows while no one puts)
        std::lock_guard lock(mutex_);
        return maxBytes_ - held_;
    }
    void setListener(std::function<void()> listener) {
        std::lock_guard lock(mutex_);
        listener_ = std::move(listener);
    }

private:
    const std::size_t maxBytes_;
    const std::chrono::milliseconds patience_;
    mutable std::mutex mutex_;
    std::size_t held_ = 0;
    std::int64_t passed_ = 0;  // the highest row take() was asked for
    bool stalled_ = false;     // a put() timed out and no take() found bytes since: puts do not wait
    std::unordered_map<std::int64_t, std::string> byRow_;
    std::condition_variable taken_;
    std::function<void()> listener_;
};

}  // namespace postdesk::store
