// postdesk::store — raw mails handed from intake to ingest in memory, within one process.
//
// Intake has the bytes in hand when it commits a row; ingest would otherwise read them back from
// the spool (from the disk: the spool is written past the page cache). This is an optimisation
// only: the row and its spooled bytes stay the durable hand-off, and a miss just means a read.
//
// Guarantees: put() keeps at most `maxBytes` in total (beyond that it declines and the caller
// keeps or frees its bytes), take() gives a row's bytes once; nothing outlives the process.
// Thread-safe. Never fails.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace postdesk::store {

class RawHandoff {
public:
    explicit RawHandoff(std::size_t maxBytes) : maxBytes_(maxBytes) {}

    bool put(std::int64_t row, std::string& bytes) {  // moves `bytes` out only when it returns true
        std::lock_guard lock(mutex_);
        if (held_ + bytes.size() > maxBytes_) return false;
        held_ += bytes.size();
        byRow_.emplace(row, std::move(bytes));
        return true;
    }
    std::optional<std::string> take(std::int64_t row) {
        std::lock_guard lock(mutex_);
        auto it = byRow_.find(row);
        if (it == byRow_.end()) return std::nullopt;
        std::string bytes = std::move(it->second);
        byRow_.erase(it);
        held_ -= bytes.size();
        return bytes;
    }
    std::size_t room() const {  // what put() would accept now (it only grows while no one puts)
        std::lock_guard lock(mutex_);
        return maxBytes_ - held_;
    }

private:
    const std::size_t maxBytes_;
    mutable std::mutex mutex_;
    std::size_t held_ = 0;
    std::unordered_map<std::int64_t, std::string> byRow_;
};

}  // namespace postdesk::store
