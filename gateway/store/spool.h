// postdesk::store — the spool: every raw mail's bytes (and every attachment's: Store), appended to
// segment files beside the database, as Postfix keeps its queue in files rather than in a database.
//
// Why files and not SQLite blobs: in WAL mode SQLite writes a blob twice (into the log, then into
// the database at the checkpoint) and reads it back from the log to do so. A segment is written
// once, sequentially, and made durable with one fdatasync per batch.
// Why O_DIRECT where the file system allows it: the raw mail is written once and, in the normal
// flow, never read again by this process (RawHandoff hands the bytes to ingest in memory); through
// the page cache every megabyte would take fresh pages of memory, which on the benchmark's virtual
// machine cost ~10x a plain memory copy (dd: 331 MB/s into fresh pages, 3.8 GB/s into reused
// ones). For the same reason a read (after a miss of the hand-off, or later) bypasses it too. Direct writes need 4 KiB-aligned buffers and lengths: appends are staged in one aligned
// 1 MiB buffer, written out as it fills, and sync() pads the last write with zeros to the next
// 4 KiB (references skip the padding).
//
// Guarantees: append() returns where the bytes will be; they are durable once sync() returned (the
// segment's data and, for a new segment, its directory entry). Store runs sync() before every
// commit of its connection (a commit hook), so a committed row never points at bytes a power
// loss could take. A segment is only ever appended to: a crash leaves at worst unreferenced bytes
// at its end, never a changed byte under a committed reference. After a failed write the next
// sync() fails too (what was appended since the last sync is gone: nothing may commit a reference
// to it) and the writer starts a new segment. Each Spool writes its own segments (one per Store,
// that is per connection), so writers never interleave; any Spool reads every segment.
// Thread-safe. Fails by throwing std::system_error (disk full, permissions, a missing segment).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace postdesk::store {

class DirectWriter;

struct SpoolRef {
    std::string segment;  // file name under the spool directory
    std::int64_t offset = 0;
    std::int64_t size = 0;
};

class Spool {
public:
    enum class Io { Direct, Buffered };  // Direct falls back to Buffered where O_DIRECT is refused (tmpfs)

    explicit Spool(std::filesystem::path dir, std::int64_t segmentBytes = std::int64_t{64} << 20, Io io = Io::Direct);
    ~Spool();
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    SpoolRef append(std::string_view bytes);
    void sync();         // makes every append so far durable; cheap when there is nothing to sync
    bool dirty() const;  // appended since the last sync()
    std::string read(const SpoolRef& ref);  // bytes are readable once the sync() after their append returned
    const std::filesystem::path& dir() const { return dir_; }
    bool direct() const { return io_ == Io::Direct; }  // after the first segment was opened

private:
    void openSegment();
    void finishSegment();  // flushed, synced and closed
    void flush();          // the staged bytes to the writer (not yet written, not yet synced)
    void settle();         // every flushed write done; throws (after failed()) if one failed
    void failed();         // a write failed: drop the segment and what was staged

    const std::filesystem::path dir_;
    const std::int64_t segmentBytes_;
    Io io_;
    mutable std::mutex mutex_;
    int fd_ = -1;             // the segment being appended to
    std::string segment_;     // its name
    std::int64_t written_ = 0;  // its length on disk (a multiple of 4 KiB when direct)
    std::unique_ptr<DirectWriter> writer_;  // direct only: writes the full buffers on its own thread
    char* stage_ = nullptr;   // the buffer being filled, from writer_
    std::size_t staged_ = 0;
    bool dataDirty_ = false;  // written or staged, not yet fdatasync'ed
    bool dirDirty_ = false;   // a segment created, its directory entry not yet fsync'ed
    bool lost_ = false;       // a write failed since the last sync
    int readFd_ = -1;         // the last segment read, kept open for the next read
    std::string readSegment_;
    bool readDirect_ = false; // readFd_ is O_DIRECT: reads go through readStage_
    char* readStage_ = nullptr;
};

}  // namespace postdesk::store
