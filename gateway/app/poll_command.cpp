// `postdesk poll --once`: one intake pass over every mailbox, then ingest everything queued.
// For scripts and tests; `postdesk serve` runs the same passes on a schedule.
#include <Poco/Event.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "gateway/app/context.h"
#include "gateway/bridge/chat_bridge.h"
#include "gateway/app/service.h"
#include "gateway/intake/imap_intake.h"

namespace postdesk::app {
namespace {

constexpr const char* kUsage =
    "usage: postdesk poll --once [--config FILE]\n"
    "  One intake pass over every configured mailbox, then ingest what was fetched. With a chat bridge\n"
    "  configured, also one non-blocking getUpdates pass, the chat records, alerts and the chat outbox.\n"
    "  Exit 0 when every source was read, 75 when one was temporarily unreachable, 78 on a login,\n"
    "  token or TLS problem.\n";

}  // namespace

// Ingest runs beside intake on its own store connection (the two stages share nothing but the
// inbound table), so a pass takes about as long as the slower stage, not the sum of both.
// It wakes when intake hands over a mail (raw_handoff.h: intake may be waiting for the room it
// makes), else every 20 ms.
class BackgroundIngest {
public:
    explicit BackgroundIngest(Context& c) : handoff_(c.handoff) {
        handoff_->setListener([this] { woken_.set(); });
        thread_ = std::thread([this, &c] { run(c); });
    }
    ~BackgroundIngest() { finish(); }
    const ingest::IngestStats& finish() {
        if (thread_.joinable()) {
            intakeDone_ = true;
            woken_.set();
            thread_.join();
            handoff_->setListener(nullptr);
        }
        return stats_;
    }

private:
    void run(Context& c) {
        store::Store store(c.settings.store_path);
        store.setHandoff(c.handoff);
        ingest::Ingest stage(store, ingestSettings(c));
        for (bool last = false; !last;) {
            last = intakeDone_;  // one more drain after intake finished picks up its last batch
            ingest::IngestStats s = stage.drain();
            stats_.filed += s.filed;
            stats_.duplicates += s.duplicates;
            stats_.deferred += s.deferred;
            stats_.quarantined += s.quarantined;
            if (!last && s.filed + s.duplicates + s.deferred + s.quarantined == 0) woken_.tryWait(20);
        }
    }

    std::shared_ptr<store::RawHandoff> handoff_;
    std::atomic<bool> intakeDone_{false};
    ingest::IngestStats stats_;
    Poco::Event woken_{Poco::Event::EVENT_AUTORESET};  // set when a mail was handed over since the thread last looked
    std::thread thread_;
};

int runPoll(const Args& args) {
    return runCommand(args, {"once"}, {}, kUsage, [](const Options& o) {
        if (!o.has("once")) throw UsageError("poll needs --once (postdesk serve polls continuously)");
        Context c = openContext(o);
        requireCleanAdminFiles(c);
        int rc = kExitOk;
        auto t0 = std::chrono::steady_clock::now();
        auto ms = [&t0] {
            auto d = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
            return std::to_string(d) + " ms";
        };
        bridge::ChatBridge chat(*c.store, c.settings);
        if (chat.polls()) {
            bridge::ChatReceiveResult r = chat.receive(0);
            std::cout << "telegram: " << r.received << " updates, " << r.stored << " new";
            if (!r.outcome.ok()) {
                std::cout << "; " << net::toString(r.outcome.kind) << ": " << r.outcome.message;
                rc = std::max(rc, r.outcome.kind == net::OutcomeKind::Config ? kExitConfig : kExitTempFail);
            }
            std::cout << " (at " << ms() << ")\n";
        }
        if (chat.enabled()) {
            bridge::ChatIngestStats s = chat.ingestUpdates();
            bridge::ChatRecordStats o = chat.openRecords();
            std::cout << "chat: " << s.entries << " messages/edits, " << s.duplicates << " already recorded, " << s.quarantined
                      << " quarantined; " << o.opened << " tickets requested (at " << ms() << ")\n";
        }
        BackgroundIngest ingest(c);
        for (const auto& mailbox : c.settings.mailboxes) {
            intake::ImapIntake intake(*c.store, mailbox);
            intake::IntakeResult r = intake.pollOnce();
            std::cout << "mailbox " << mailbox.name << ": " << r.fetched << " fetched, " << r.stored << " stored, "
                      << r.duplicates << " already stored, " << r.server_actions << " moved/flagged";
            if (!r.outcome.ok()) {
                std::cout << "; " << net::toString(r.outcome.kind) << ": " << r.outcome.message;
                rc = std::max(rc, r.outcome.kind == net::OutcomeKind::Config ? kExitConfig : kExitTempFail);
            }
            std::cout << " (at " << ms() << ")\n";
        }
        IngestReport report{ingest.finish()};
        std::cout << "ingest: " << report.summary() << " (at " << ms() << ")\n";
        if (chat.enabled()) {
            bridge::ChatRecordStats linked = chat.linkTickets();
            bridge::ChatRecordStats later = chat.followUps();
            if (later.follow_ups) ingestPending(c);
            int alerts = chat.alerts();
            bridge::ChatSendStats sent = chat.flush();
            std::cout << "chat: " << linked.linked << " tickets linked, " << later.follow_ups << " follow-ups, " << alerts << " alerts; "
                      << sent.sent << " sent, " << sent.deferred << " deferred, " << sent.failed << " failed (at " << ms() << ")\n";
            if (std::string w = chat.healthWarning(); !w.empty()) std::cerr << "postdesk: " << w << "\n";
        }
        return rc;
    });
}

}  // namespace postdesk::app
