// postdesk::store — the spool: every raw mail's bytes, appended to segment files beside the
// database, as Postfix keeps its queue in files rather than in a database.
//
// Why files and not SQLite blobs: in WAL mode SQLite writes a blob twice (into the log, then into
// the database at the checkpoint) and reads it back from the log to do so; with the raw mail as
// blobs that was ~30% of all CPU time in the ingest benchmark. A segment is written once,
// sequentially, and made durable with one fdatasync per batch.
//
// Guarantees: append() returns where the bytes went; they are durable once sync() returned (the
// segment's data and, for a new segment, its directory entry). Store runs sync() before every
// commit of its connection (a commit hook), so a committed row never points at bytes a power
// loss could take. A segment is only ever appended to: a crash mid-append leaves unreferenced
// bytes at its end, never a changed byte under a committed reference; after a failed append the
// writer starts a new segment. Each Spool writes its own segments (one per Store, that is per
// connection), so writers never interleave; any Spool reads every segment. Thread-safe.
// Fails by throwing std::system_error (disk full, permissions, a missing segment on read).
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

namespace postdesk::store {

struct SpoolRef {
    std::string segment;  // file name under the spool directory
    std::int64_t offset = 0;
    std::int64_t size = 0;
};

class Spool {
public:
    explicit Spool(std::filesystem::path dir, std::int64_t segmentBytes = std::int64_t{64} << 20);
    ~Spool();
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    SpoolRef append(std::string_view bytes);
    void sync();         // makes every append so far durable; cheap when there is nothing to sync
    bool dirty() const;  // appended since the last sync()
    std::string read(const SpoolRef& ref);
    const std::filesystem::path& dir() const { return dir_; }

private:
    void openSegment();  // a new segment file, named so no other writer can pick the same name
    void closeSegment();

    const std::filesystem::path dir_;
    const std::int64_t segmentBytes_;
    mutable std::mutex mutex_;
    int fd_ = -1;            // the segment being appended to
    std::string segment_;    // its name
    std::int64_t end_ = 0;   // its length
    bool dataDirty_ = false; // appended, not yet fdatasync'ed
    bool dirDirty_ = false;  // a segment created, its directory entry not yet fsync'ed
    int readFd_ = -1;        // the last segment read, kept open for the next read
    std::string readSegment_;
};

}  // namespace postdesk::store
