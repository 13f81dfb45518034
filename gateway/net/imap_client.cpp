#include "gateway/net/imap_client.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <exception>

#include "gateway/net/imap_command.h"

namespace postdesk::net {

namespace {

std::int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

bool codeIs(const Response& r, std::string_view code) { return r.code == code; }

}  // namespace

ImapClient::~ImapClient() { close(); }

// Public calls run their body through this: the only catch-all in the client. std::bad_alloc
// (or a bug that throws) must not escape into the stage loop as an exception, and the session
// is dropped because a half-read response leaves it in an unknown state.
template <class F>
auto ImapClient::guarded(std::string_view what, F&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const std::exception& e) {
        return fail(Outcome::temporary(std::string(what) + ": " + e.what()));
    }
}

// ------------------------------------------------------------------------------ session

Outcome ImapClient::connect(const ImapSettings& settings) {
    return guarded("imap connect", [&]() -> Outcome {
        close();
        auto endpoint = resolveEndpoint(settings);
        if (!endpoint.ok()) return endpoint.outcome();
        server_ = endpoint->base_url.substr(0, endpoint->base_url.size() - 1);
        url_mailbox_ = endpoint->mailbox;
        command_timeout_ms_ = std::max(1, settings.command_timeout_ms);
        fetch_batch_ = std::max<std::size_t>(1, settings.fetch_batch);
        limits_.max_literal = settings.max_message_bytes;
        use_move_ = settings.use_move;
        inbox_.clear();
        tag_counter_ = 0;

        curl_ = CurlHandle();
        CURL* h = curl_.get();
        if (!h) return Outcome::temporary("imap connect: curl_easy_init failed");
        char error[CURL_ERROR_SIZE] = {};
        long use_ssl = endpoint->tls == TlsMode::StartTls ? CURLUSESSL_ALL : CURLUSESSL_NONE;
        long login_ms = static_cast<long>(settings.connect_timeout_ms) + command_timeout_ms_;
        curl_easy_setopt(h, CURLOPT_URL, endpoint->base_url.c_str());
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
        curl_easy_setopt(h, CURLOPT_USERNAME, settings.user.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, settings.password.c_str());
        // Stop after greeting + STARTTLS + login; we speak the rest ourselves.
        curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
        curl_easy_setopt(h, CURLOPT_USE_SSL, use_ssl);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!settings.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings.ca_file.c_str());
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings.connect_timeout_ms));
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, login_ms);
        // Bounds libcurl's own blocking waits, e.g. for the reply to the LOGOUT its disconnect
        // handler sends (default 120 s).
        curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, std::max(1L, login_ms / 1000));
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
        CURLcode rc = curl_easy_perform(h);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);  // `error` goes out of scope
        if (rc != CURLE_OK) {
            curl_.reset();
            return classifyCurl(rc, "imap connect " + server_, error);
        }
        rc = curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &socket_);
        if (rc != CURLE_OK || socket_ == CURL_SOCKET_BAD)
            return fail(Outcome::temporary("imap connect " + server_ + ": no socket after login"));
        // libcurl read the capabilities before login; they may change after it (RFC 3501
        // §6.2.3), and it does not share them. Ask again.
        auto reply = command("CAPABILITY", "imap CAPABILITY");
        if (!reply.ok()) return reply.outcome();
        if (auto o = statusOf(reply.value(), "imap CAPABILITY"); !o.ok()) return o;
        for (const Response& r : reply->untagged)
            for (auto& c : capabilities(r)) capabilities_.push_back(std::move(c));
        return Outcome::success();
    });
}

bool ImapClient::hasCapability(std::string_view upper_name) const {
    return std::find(capabilities_.begin(), capabilities_.end(), upper_name) != capabilities_.end();
}

Outcome ImapClient::logout() {
    return guarded("imap LOGOUT", [&]() -> Outcome {
        if (!connected()) return Outcome::success();
        std::string tag = nextTag();
        Outcome sent = sendAll(tag + " LOGOUT\r\n", deadline(), "imap LOGOUT");
        if (!sent.ok()) return sent;  // already closed by sendAll's failure path
        // RFC 3501 §6.1.3: "* BYE" then the tagged OK; either way the session is over.
        auto reply = collect(tag, deadline(), "imap LOGOUT", Expect::Bye);
        close();
        return reply.ok() ? statusOf(reply.value(), "imap LOGOUT") : reply.outcome();
    });
}

void ImapClient::close() {
    if (!curl_.valid()) return;
    // libcurl's IMAP disconnect sends its own LOGOUT and blocks for the answer. After ours, or
    // after a timeout, that would only wait: shutting the socket down makes it fail at once.
    if (socket_ != CURL_SOCKET_BAD) ::shutdown(socket_, SHUT_RDWR);
    curl_.reset();
    socket_ = CURL_SOCKET_BAD;
    capabilities_.clear();
    inbox_.clear();
    in_flight_.clear();
    early_tagged_.clear();
    fetched_.clear();
}

Outcome ImapClient::fail(Outcome outcome) {
    close();
    return outcome;
}

ImapClient::Deadline ImapClient::deadline() const { return nowMs() + command_timeout_ms_; }

// Distinct from libcurl's tags ("A001"...) so a stray reply can never be mistaken for ours.
std::string ImapClient::nextTag() { return "pd" + std::to_string(++tag_counter_); }

// ------------------------------------------------------------------------------ transport

Outcome ImapClient::waitSocket(bool for_write, Deadline deadline, std::string_view what) {
    pollfd p{socket_, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
    for (;;) {
        std::int64_t left = deadline - nowMs();
        if (left <= 0)
            return fail(Outcome::temporary(std::string(what) + ": no answer from " + server_ +
                                           " within " + std::to_string(command_timeout_ms_) + " ms"));
        int n = ::poll(&p, 1, static_cast<int>(left));
        if (n > 0) return Outcome::success();  // also POLLERR/POLLHUP: the next call reports it
        if (n < 0 && errno != EINTR)
            return fail(Outcome::temporary(std::string(what) + ": poll failed"));
    }
}

Outcome ImapClient::sendAll(std::string_view bytes, Deadline deadline, std::string_view what) {
    if (!connected()) return Outcome::temporary(std::string(what) + ": not connected");
    while (!bytes.empty()) {
        std::size_t sent = 0;
        CURLcode rc = curl_easy_send(curl_.get(), bytes.data(), bytes.size(), &sent);
        if (rc == CURLE_AGAIN) {
            if (auto o = waitSocket(true, deadline, what); !o.ok()) return o;
            continue;
        }
        if (rc != CURLE_OK) return fail(classifyCurl(rc, std::string(what) + " to " + server_));
        bytes.remove_prefix(sent);
    }
    return Outcome::success();
}

Outcome ImapClient::receiveSome(Deadline deadline, std::string_view what) {
    char buffer[64 * 1024];
    for (;;) {
        std::size_t got = 0;
        // Try before polling: TLS may hold decrypted bytes the socket no longer shows.
        CURLcode rc = curl_easy_recv(curl_.get(), buffer, sizeof buffer, &got);
        if (rc == CURLE_AGAIN) {
            if (auto o = waitSocket(false, deadline, what); !o.ok()) return o;
            continue;
        }
        if (rc != CURLE_OK) return fail(classifyCurl(rc, std::string(what) + " from " + server_));
        if (got == 0)
            return fail(Outcome::temporary(std::string(what) + ": " + server_ + " closed the connection"));
        inbox_.append(buffer, got);
        return Outcome::success();
    }
}

Result<Response> ImapClient::readResponse(Deadline deadline, std::string_view what) {
    for (;;) {
        if (!connected()) return Outcome::temporary(std::string(what) + ": not connected");
        Frame frame = frameResponse(inbox_, limits_);
        if (frame.too_large)
            return fail(Outcome::permanent(std::string(what) + ": response exceeds the size limit"));
        if (frame.length == 0) {
            // Room for the announced literal at once: growing by doubling left a 4 MB mail in an
            // 8 MiB buffer, kept for the whole session.
            if (frame.at_least > inbox_.capacity()) inbox_.reserve(frame.at_least + 64 * 1024);
            if (auto o = receiveSome(deadline, what); !o.ok()) return o;
            continue;
        }
        std::string error;
        auto response = parseResponse(std::string_view(inbox_).substr(0, frame.length), error);
        inbox_.erase(0, frame.length);
        if (inbox_.capacity() > (std::size_t{1} << 20) && inbox_.size() < (std::size_t{64} << 10)) inbox_.shrink_to_fit();
        // The session state is unknown after a reply we cannot read: drop it, retry later.
        if (!response)
            return fail(Outcome::temporary(std::string(what) + ": unreadable response (" + error + ")"));
        return std::move(*response);
    }
}

// Reads until the tagged reply to `tag`, keeping untagged responses other than FETCH in order. With
// Expect::Continuation, a "+" request (RFC 3501 §7.5) ends the wait instead.
Result<ImapClient::Reply> ImapClient::collect(const std::string& tag, Deadline deadline,
                                              std::string_view what, Expect expect) {
    Reply reply;
    auto done = [&](Response tagged) {
        std::erase_if(in_flight_, [&](const InFlight& c) { return c.tag == tag; });
        reply.tagged = std::move(tagged);
        return reply;
    };
    auto early = std::find_if(early_tagged_.begin(), early_tagged_.end(), [&](const Response& t) { return t.tag == tag; });
    if (early != early_tagged_.end()) {
        Response tagged = std::move(*early);
        early_tagged_.erase(early);
        return done(std::move(tagged));
    }
    for (;;) {
        auto response = readResponse(deadline, what);
        if (!response.ok()) return response.outcome();
        Response& r = response.value();
        if (r.kind == Response::Kind::Continuation) {
            if (expect != Expect::Continuation) continue;  // not ours to answer
            reply.continuation = true;
            return reply;
        }
        if (r.kind == Response::Kind::Tagged) {
            if (r.tag == tag) return done(std::move(r));
            if (std::any_of(in_flight_.begin(), in_flight_.end(), [&](const InFlight& c) { return c.tag == r.tag; }))
                early_tagged_.push_back(std::move(r));  // finished before the one we wait for
            continue;  // else a late reply to an abandoned command
        }
        // "* BYE" outside LOGOUT: the server is going away (shutdown, idle timeout).
        if (r.name == "BYE" && expect != Expect::Bye)
            return fail(Outcome::temporary(std::string(what) + ": server said BYE " + r.text));
        if (r.name == "FETCH") keepFetched(std::move(r));
        else reply.untagged.push_back(std::move(r));
    }
}

// A mail of any in-flight UID FETCH is kept until that fetch is finished, whichever command's
// reply was being read when it came. Nobody reads other FETCHes (flag updates after another
// client's STORE, a mail nobody asked for, a second copy of one): they are dropped.
void ImapClient::keepFetched(Response&& r) {
    auto items = fetchItems(std::move(r));
    if (!items || !items->uid || !items->body) return;
    std::uint32_t uid = *items->uid;
    bool wanted = std::any_of(in_flight_.begin(), in_flight_.end(), [&](const InFlight& c) {
        return std::binary_search(c.fetch_uids.begin(), c.fetch_uids.end(), uid);
    });
    bool kept = std::any_of(fetched_.begin(), fetched_.end(), [&](const FetchedMail& m) { return m.uid == uid; });
    if (wanted && !kept) fetched_.push_back({uid, items->flags.value_or(std::vector<std::string>{}), std::move(*items->body)});
}

Result<ImapClient::Reply> ImapClient::command(std::string_view text, std::string_view what) {
    std::string tag = nextTag();
    Deadline until = deadline();
    std::string line = tag + " " + std::string(text) + "\r\n";
    if (auto o = sendAll(line, until, what); !o.ok()) return o;
    return collect(tag, until, what, Expect::Tagged);
}

Outcome ImapClient::statusOf(const Reply& reply, std::string_view what) const {
    const Response& t = reply.tagged;
    if (t.name == "OK") return Outcome::success();
    return classifyImapStatus(t.name, t.code, t.text, what);
}

// ------------------------------------------------------------------------------ commands

Result<MailboxStatus> ImapClient::select(std::string_view mailbox) {
    return guarded("imap SELECT", [&]() -> Result<MailboxStatus> {
        auto quoted = quoteMailbox(mailbox);
        if (!quoted) return Outcome::config("imap SELECT: unsupported mailbox name");
        auto reply = command("SELECT " + *quoted, "imap SELECT");
        if (!reply.ok()) return reply.outcome();
        if (auto o = statusOf(reply.value(), "imap SELECT " + *quoted); !o.ok()) return o;
        MailboxStatus status;
        for (const Response& r : reply->untagged) {
            if (r.name == "EXISTS" && r.number) status.exists = *r.number;
            if (auto n = codeNumber(r, "UIDVALIDITY")) status.uidvalidity = *n;
            if (auto n = codeNumber(r, "UIDNEXT")) status.uidnext = *n;
        }
        if (status.uidvalidity == 0)  // RFC 3501 §6.3.1: required; without it UIDs mean nothing
            return Outcome::permanent("imap SELECT " + *quoted + ": no UIDVALIDITY");
        return status;
    });
}

Result<std::vector<std::uint32_t>> ImapClient::uidSearch(std::uint32_t from_uid) {
    return guarded("imap UID SEARCH", [&]() -> Result<std::vector<std::uint32_t>> {
        from_uid = std::max<std::uint32_t>(from_uid, 1);  // UID 0 is not a valid set member
        auto reply = command("UID SEARCH UID " + std::to_string(from_uid) + ":*", "imap UID SEARCH");
        if (!reply.ok()) return reply.outcome();
        if (auto o = statusOf(reply.value(), "imap UID SEARCH"); !o.ok()) return o;
        std::vector<std::uint32_t> uids;
        for (const Response& r : reply->untagged)
            for (std::uint32_t uid : searchNumbers(r))
                // RFC 3501 §6.4.8: "n:*" always includes the highest UID, even when it is < n.
                if (uid >= from_uid) uids.push_back(uid);
        std::sort(uids.begin(), uids.end());
        uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
        return uids;
    });
}

Result<std::vector<FetchedMail>> ImapClient::uidFetch(std::span<const std::uint32_t> uids) {
    return guarded("imap UID FETCH", [&]() -> Result<std::vector<FetchedMail>> {
        std::vector<std::uint32_t> wanted(uids.begin(), uids.end());
        std::sort(wanted.begin(), wanted.end());
        wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
        std::erase(wanted, 0u);
        std::vector<FetchedMail> out;
        for (std::size_t i = 0; i < wanted.size(); i += fetch_batch_) {
            std::size_t n = std::min(fetch_batch_, wanted.size() - i);
            if (auto o = fetchBatch(std::span(wanted).subspan(i, n), out); !o.ok()) return o;
        }
        return out;
    });
}

Outcome ImapClient::fetchBatch(std::span<const std::uint32_t> batch, std::vector<FetchedMail>& out) {
    Pending p = send("UID FETCH " + uidSet(batch) + " (UID FLAGS BODY.PEEK[])", "imap UID FETCH", batch);
    return finishFetch(p, out);
}

ImapClient::Pending ImapClient::send(std::string text, std::string_view what, std::span<const std::uint32_t> uids) {
    Pending p;
    p.uids.assign(uids.begin(), uids.end());
    std::string tag = nextTag();
    p.outcome = sendAll(tag + " " + text + "\r\n", deadline(), what);
    if (!p.outcome.ok()) return p;
    InFlight sent{tag, {}};
    if (text.starts_with("UID FETCH ")) {
        sent.fetch_uids = p.uids;
        std::sort(sent.fetch_uids.begin(), sent.fetch_uids.end());
    }
    in_flight_.push_back(std::move(sent));
    p.tag = std::move(tag);
    return p;
}

ImapClient::Pending ImapClient::startFetch(std::span<const std::uint32_t> uids) {
    std::vector<std::uint32_t> wanted(uids.begin(), uids.end());
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    std::erase(wanted, 0u);
    if (wanted.empty() || wanted.size() > fetch_batch_) {
        Pending p;
        p.outcome = Outcome::permanent("imap UID FETCH: no UIDs or more than one batch");
        return p;
    }
    // BODY.PEEK[] leaves \Seen alone (RFC 3501 §6.4.5); UID is returned anyway for UID FETCH.
    return guarded("imap UID FETCH", [&] { return send("UID FETCH " + uidSet(wanted) + " (UID FLAGS BODY.PEEK[])", "imap UID FETCH", wanted); });
}

Outcome ImapClient::finishFetch(const Pending& pending, std::vector<FetchedMail>& out) {
    if (pending.tag.empty()) return pending.outcome;
    return guarded("imap UID FETCH", [&]() -> Outcome {
        auto reply = collect(pending.tag, deadline(), "imap UID FETCH");
        Outcome status = reply.ok() ? statusOf(reply.value(), "imap UID FETCH") : reply.outcome();
        // This fetch's mails leave fetched_ (a failed session has already cleared it).
        auto mine = std::stable_partition(fetched_.begin(), fetched_.end(), [&](const FetchedMail& m) {
            return std::find(pending.uids.begin(), pending.uids.end(), m.uid) == pending.uids.end();
        });
        std::vector<FetchedMail> got(std::make_move_iterator(mine), std::make_move_iterator(fetched_.end()));
        fetched_.erase(mine, fetched_.end());
        // RFC 5530 EXPUNGEISSUED: some requested mails vanished meanwhile; the rest were sent.
        if (!status.ok() && !(reply.ok() && codeIs(reply->tagged, "EXPUNGEISSUED"))) return status;
        std::sort(got.begin(), got.end(), [](const FetchedMail& a, const FetchedMail& b) { return a.uid < b.uid; });
        out.insert(out.end(), std::make_move_iterator(got.begin()), std::make_move_iterator(got.end()));
        return Outcome::success();
    });
}

bool ImapClient::canPipelineMove() const { return use_move_ && hasCapability("MOVE"); }

ImapClient::Pending ImapClient::startMove(std::span<const std::uint32_t> uids, std::string_view mailbox) {
    return guarded("imap UID MOVE", [&]() -> Pending {
        Pending p;
        auto quoted = quoteMailbox(mailbox);
        if (!quoted) p.outcome = Outcome::config("imap UID MOVE: unsupported mailbox name");
        else if (uids.empty() || std::find(uids.begin(), uids.end(), 0u) != uids.end())
            p.outcome = Outcome::permanent("imap UID MOVE: no UIDs or UID 0");
        else if (!canPipelineMove()) p.outcome = Outcome::permanent("imap UID MOVE: the server has no MOVE");
        else return send("UID MOVE " + uidSet(uids) + " " + *quoted, "imap UID MOVE", uids);
        return p;
    });
}

ImapClient::Pending ImapClient::startStore(std::span<const std::uint32_t> uids, std::string_view op, std::string_view flags) {
    return guarded("imap UID STORE", [&]() -> Pending {
        bool zero = std::find(uids.begin(), uids.end(), 0u) != uids.end();
        if (uids.empty() || zero || !isStoreOperation(op) || !isFlagList(flags)) {
            Pending p;
            p.outcome = Outcome::permanent("imap UID STORE: bad arguments");
            return p;
        }
        return send("UID STORE " + uidSet(uids) + " " + std::string(op) + " " + std::string(flags), "imap UID STORE", uids);
    });
}

Outcome ImapClient::finish(const Pending& pending, std::string_view what) {
    if (pending.tag.empty()) return pending.outcome;
    return guarded(what, [&]() -> Outcome {
        auto reply = collect(pending.tag, deadline(), what);
        return reply.ok() ? statusOf(reply.value(), what) : reply.outcome();
    });
}

Outcome ImapClient::uidStore(std::uint32_t uid, std::string_view op, std::string_view flags) {
    return uidStore(std::span<const std::uint32_t>(&uid, 1), op, flags);
}

Outcome ImapClient::uidStore(std::span<const std::uint32_t> uids, std::string_view op, std::string_view flags) {
    return guarded("imap UID STORE", [&]() -> Outcome {
        bool zero = std::find(uids.begin(), uids.end(), 0u) != uids.end();
        if (uids.empty() || zero || !isStoreOperation(op) || !isFlagList(flags))
            return Outcome::permanent("imap UID STORE: bad arguments");
        std::string text = "UID STORE " + uidSet(uids) + " " + std::string(op) + " " +
                           std::string(flags);
        auto reply = command(text, "imap UID STORE");
        return reply.ok() ? statusOf(reply.value(), "imap UID STORE") : reply.outcome();
    });
}

Outcome ImapClient::uidMove(std::uint32_t uid, std::string_view mailbox) {
    return uidMove(std::span<const std::uint32_t>(&uid, 1), mailbox);
}

// One command for a whole batch: a round trip per mail was most of the intake's time.
Outcome ImapClient::uidMove(std::span<const std::uint32_t> uids, std::string_view mailbox) {
    return guarded("imap UID MOVE", [&]() -> Outcome {
        auto quoted = quoteMailbox(mailbox);
        if (!quoted) return Outcome::config("imap UID MOVE: unsupported mailbox name");
        if (uids.empty() || std::find(uids.begin(), uids.end(), 0u) != uids.end())
            return Outcome::permanent("imap UID MOVE: no UIDs or UID 0");
        if (!use_move_ || !hasCapability("MOVE")) return moveByCopy(uidSet(uids), *quoted);
        auto reply = command("UID MOVE " + uidSet(uids) + " " + *quoted, "imap UID MOVE");
        return reply.ok() ? statusOf(reply.value(), "imap UID MOVE " + *quoted) : reply.outcome();
    });
}

// Without MOVE (RFC 6851 §3.3 describes this fallback): COPY, flag \Deleted, expunge. With
// UIDPLUS the expunge touches only this UID; without it a plain EXPUNGE also removes other mails
// flagged \Deleted, which is acceptable because the intake mailbox belongs to the gateway.
Outcome ImapClient::moveByCopy(const std::string& id, const std::string& quoted_mailbox) {
    auto copy = command("UID COPY " + id + " " + quoted_mailbox, "imap UID COPY");
    if (!copy.ok()) return copy.outcome();
    if (auto o = statusOf(copy.value(), "imap UID COPY " + quoted_mailbox); !o.ok()) return o;
    auto store = command("UID STORE " + id + " +FLAGS.SILENT (\\Deleted)", "imap UID STORE");
    if (!store.ok()) return store.outcome();
    if (auto o = statusOf(store.value(), "imap UID STORE"); !o.ok()) return o;
    std::string expunge = hasCapability("UIDPLUS") ? "UID EXPUNGE " + id : "EXPUNGE";
    auto done = command(expunge, "imap EXPUNGE");
    return done.ok() ? statusOf(done.value(), "imap EXPUNGE") : done.outcome();
}

Outcome ImapClient::create(std::string_view mailbox) {
    return guarded("imap CREATE", [&]() -> Outcome {
        auto quoted = quoteMailbox(mailbox);
        if (!quoted) return Outcome::config("imap CREATE: unsupported mailbox name");
        auto reply = command("CREATE " + *quoted, "imap CREATE");
        if (!reply.ok()) return reply.outcome();
        if (codeIs(reply->tagged, "ALREADYEXISTS")) return Outcome::success();  // RFC 5530
        return statusOf(reply.value(), "imap CREATE " + *quoted);
    });
}

Outcome ImapClient::append(std::string_view mailbox, std::string_view bytes, std::string_view flags) {
    return guarded("imap APPEND", [&]() -> Outcome {
        auto quoted = quoteMailbox(mailbox);
        if (!quoted) return Outcome::config("imap APPEND: unsupported mailbox name");
        if (!flags.empty() && !isFlagList(flags))
            return Outcome::permanent("imap APPEND: bad flag list");
        std::string tag = nextTag();
        Deadline until = deadline();
        std::string head = tag + " APPEND " + *quoted + (flags.empty() ? "" : " " + std::string(flags)) +
                           " {" + std::to_string(bytes.size()) + "}\r\n";
        if (auto o = sendAll(head, until, "imap APPEND"); !o.ok()) return o;
        // A synchronizing literal (RFC 3501 §4.3): the server may refuse (e.g. too large) with
        // a tagged NO instead of "+", and then the bytes must not be sent.
        auto ready = collect(tag, until, "imap APPEND", Expect::Continuation);
        if (!ready.ok()) return ready.outcome();
        if (!ready->continuation) return statusOf(ready.value(), "imap APPEND " + *quoted);
        if (auto o = sendAll(bytes, until, "imap APPEND"); !o.ok()) return o;
        if (auto o = sendAll("\r\n", until, "imap APPEND"); !o.ok()) return o;
        auto reply = collect(tag, until, "imap APPEND");
        return reply.ok() ? statusOf(reply.value(), "imap APPEND " + *quoted) : reply.outcome();
    });
}

}  // namespace postdesk::net
