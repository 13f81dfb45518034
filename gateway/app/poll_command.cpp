// `postdesk poll --once`: one intake pass over every mailbox, then ingest everything queued.
// For scripts and tests; `postdesk serve` runs the same passes on a schedule.
#include <chrono>
#include <iostream>

#include "gateway/app/context.h"
#include "gateway/app/service.h"
#include "gateway/intake/imap_intake.h"

namespace postdesk::app {
namespace {

constexpr const char* kUsage =
    "usage: postdesk poll --once [--config FILE]\n"
    "  One intake pass over every configured mailbox, then ingest what was fetched. Exit 0 when\n"
    "  every mailbox was read, 75 when one was temporarily unreachable, 78 on a login or TLS problem.\n";

}  // namespace

int runPoll(const Args& args) {
    return runCommand(args, {"once"}, {}, kUsage, [](const Options& o) {
        if (!o.has("once")) throw UsageError("poll needs --once (postdesk serve polls continuously)");
        Context c = openContext(o);
        int rc = kExitOk;
        auto ms = [t0 = std::chrono::steady_clock::now()]() mutable {
            auto t1 = std::chrono::steady_clock::now();
            auto d = std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count();
            t0 = t1;
            return std::to_string(d) + " ms";
        };
        for (const auto& mailbox : c.settings.mailboxes) {
            intake::ImapIntake intake(*c.store, mailbox);
            intake::IntakeResult r = intake.pollOnce();
            std::cout << "mailbox " << mailbox.name << ": " << r.fetched << " fetched, " << r.stored << " stored, "
                      << r.duplicates << " already stored, " << r.server_actions << " moved/flagged";
            if (!r.outcome.ok()) {
                std::cout << "; " << net::toString(r.outcome.kind) << ": " << r.outcome.message;
                rc = std::max(rc, r.outcome.kind == net::OutcomeKind::Config ? kExitConfig : kExitTempFail);
            }
            std::cout << " (" << ms() << ")\n";
        }
        IngestReport report = ingestPending(c);
        std::cout << "ingest: " << report.summary() << " (" << ms() << ")\n";
        return rc;
    });
}

}  // namespace postdesk::app
