// postdesk::net — an IMAP4rev1 client for the intake stage (RFC 3501, plus MOVE RFC 6851 and
// UIDPLUS RFC 4315 when the server has them).
//
// libcurl does what it does well: TCP, implicit TLS or STARTTLS, certificate verification,
// the greeting and LOGIN/AUTHENTICATE (CURLOPT_CONNECT_ONLY). Then this class speaks the
// command/response grammar itself over curl_easy_send/curl_easy_recv, because libcurl 7.88's
// custom-request mode drops literals and caps long responses (see
// shared/recipes/mailstack/README.md): message bodies arrive as exact `{n}` literals here.
//
// Guarantees:
//  - Fetching never sets \Seen (BODY.PEEK[]); bodies are byte-exact (CRLF, 8-bit, dot-lines).
//  - Every call returns an Outcome or Result<T>; no exception escapes. Each command has its own
//    deadline (command_timeout_ms); a timeout or I/O error closes the session, and later calls
//    return Temporary until connect() succeeds again.
//  - Passwords never appear in Outcome messages.
// Not thread-safe: one client per thread (one IMAP session).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/net/curl_handle.h"
#include "gateway/net/imap_response.h"
#include "gateway/net/imap_settings.h"
#include "gateway/net/outcome.h"

namespace postdesk::net {

struct MailboxStatus {
    std::uint32_t uidvalidity = 0;
    std::uint32_t uidnext = 0;  // 0 if the server did not say (RFC 3501 §6.3.1 requires it)
    std::uint32_t exists = 0;
};

struct FetchedMail {
    std::uint32_t uid = 0;
    std::vector<std::string> flags;  // as of the fetch, e.g. "\\Seen"
    std::string bytes;               // the raw message, RFC 5322 with CRLF line ends
};

class ImapClient {
public:
    ImapClient() = default;
    ~ImapClient();
    ImapClient(const ImapClient&) = delete;
    ImapClient& operator=(const ImapClient&) = delete;

    // Connects, secures, logs in and reads the capabilities. Replaces any earlier session.
    Outcome connect(const ImapSettings& settings);
    bool connected() const { return curl_.valid(); }
    bool hasCapability(std::string_view upper_name) const;
    // The mailbox named in the URL's path, "INBOX" when the path is empty.
    const std::string& urlMailbox() const { return url_mailbox_; }

    Result<MailboxStatus> select(std::string_view mailbox);
    // UIDs >= from_uid in the selected mailbox, ascending.
    Result<std::vector<std::uint32_t>> uidSearch(std::uint32_t from_uid);
    // The requested mails that still exist, ascending by UID; expunged ones are simply absent.
    Result<std::vector<FetchedMail>> uidFetch(std::span<const std::uint32_t> uids);
    // op: "+FLAGS", "-FLAGS", "FLAGS" (optionally ".SILENT"); flags: "(\\Seen)".
    Outcome uidStore(std::uint32_t uid, std::string_view op, std::string_view flags);
    Outcome uidStore(std::span<const std::uint32_t> uids, std::string_view op, std::string_view flags);
    Outcome uidMove(std::uint32_t uid, std::string_view mailbox);
    Outcome uidMove(std::span<const std::uint32_t> uids, std::string_view mailbox);  // one command
    Outcome create(std::string_view mailbox);  // an existing mailbox is fine

    // Pipelining (RFC 3501 §5.5; UID commands are unambiguous under expunges): send a command now,
    // read its answer later, so the server works on it while the caller does something else.
    // Answers may be read in any order: the server may run pipelined commands at once and
    // interleave their answers (Dovecot runs a UID FETCH during a MOVE), so whatever arrives
    // for another in-flight command (its mails, its tagged reply) is kept until it is finished.
    struct Pending {
        Pending() = default;
        Pending(Outcome failed) : outcome(std::move(failed)) {}  // nothing sent  // NOLINT(google-explicit-constructor)
        std::string tag;  // empty: nothing was sent (the finish call then reports `outcome`)
        std::vector<std::uint32_t> uids;
        Outcome outcome = Outcome::success();
    };
    // UID FETCH of at most one batch (fetch_batch); finishFetch appends like uidFetch.
    Pending startFetch(std::span<const std::uint32_t> uids);
    Outcome finishFetch(const Pending& pending, std::vector<FetchedMail>& out);
    // The move or flag of afterward: UID MOVE when the server has MOVE, else UID STORE of the
    // flags; `finish` gives its outcome. Without MOVE, a move cannot be pipelined: use uidMove.
    bool canPipelineMove() const;
    Pending startMove(std::span<const std::uint32_t> uids, std::string_view mailbox);
    Pending startStore(std::span<const std::uint32_t> uids, std::string_view op, std::string_view flags);
    Outcome finish(const Pending& pending, std::string_view what);
    // flags: "(\\Seen)" or "" for none.
    Outcome append(std::string_view mailbox, std::string_view bytes, std::string_view flags);
    Outcome logout();

private:
    struct Reply {
        Response tagged;                  // empty name when stopped at a continuation
        std::vector<Response> untagged;
        bool continuation = false;
    };
    using Deadline = std::int64_t;  // steady-clock milliseconds
    Result<Reply> command(std::string_view text, std::string_view what);
    // What ends collect() besides the tagged reply, and whether "* BYE" is expected.
    enum class Expect { Tagged, Continuation, Bye };
    // Mails of in-flight fetches go to fetched_ as they arrive (a FETCH of 50 mails is not held
    // twice), tagged replies of other in-flight commands to early_tagged_.
    Result<Reply> collect(const std::string& tag, Deadline deadline, std::string_view what,
                          Expect expect = Expect::Tagged);
    Result<Response> readResponse(Deadline deadline, std::string_view what);
    Outcome sendAll(std::string_view bytes, Deadline deadline, std::string_view what);
    Outcome receiveSome(Deadline deadline, std::string_view what);
    Outcome waitSocket(bool for_write, Deadline deadline, std::string_view what);
    Outcome statusOf(const Reply& reply, std::string_view what) const;
    Outcome fetchBatch(std::span<const std::uint32_t> batch, std::vector<FetchedMail>& out);
    Pending send(std::string text, std::string_view what, std::span<const std::uint32_t> uids = {});
    void keepFetched(Response&& r);  // into fetched_ when an in-flight fetch asked for the mail
    Outcome moveByCopy(const std::string& uid_set, const std::string& quoted_mailbox);
    Outcome fail(Outcome outcome);  // closes the session, returns the outcome
    template <class F>
    auto guarded(std::string_view what, F&& body) -> decltype(body());
    Deadline deadline() const;
    std::string nextTag();
    void close();

    CurlHandle curl_;
    curl_socket_t socket_ = CURL_SOCKET_BAD;
    std::string inbox_;  // received bytes not yet parsed
    // Pipelined commands interleave: a server may run a UID FETCH sent after a MOVE while the MOVE
    // runs (Dovecot does), so the FETCH's mails, or another command's tagged reply, can arrive
    // while an earlier command's reply is read. Nothing is dropped: each goes here until its own
    // command is finished.
    struct InFlight {
        std::string tag;
        std::vector<std::uint32_t> fetch_uids;  // sorted; empty unless a UID FETCH
    };
    std::vector<InFlight> in_flight_;               // sent by send(), not yet finished
    std::vector<Response> early_tagged_;            // tagged replies of in-flight commands, read early
    std::vector<FetchedMail> fetched_;              // mails of in-flight fetches, read so far
    std::vector<std::string> capabilities_;
    std::string url_mailbox_ = "INBOX";
    std::string server_;  // "imaps://host:port", for messages
    std::uint32_t tag_counter_ = 0;
    int command_timeout_ms_ = 30000;
    std::size_t fetch_batch_ = 50;
    FrameLimits limits_;
    bool use_move_ = true;
};

}  // namespace postdesk::net
