// `postdesk import PATH`: a .eml file, an mbox, or a Maildir through the same inbound queue and
// ingest path as IMAP mail. Idempotent: each mail is keyed by its identity (mime/identity.h), so
// a second run imports nothing twice.
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "gateway/app/context.h"
#include "gateway/app/mail_source.h"
#include "gateway/app/progress.h"
#include "gateway/app/service.h"
#include "gateway/store/inbound_queue.h"
#include "gateway/util/clock.h"
#include "mime/identity.h"

namespace postdesk::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: postdesk import PATH [--queue Q] [--config FILE]\n"
    "  Imports a .eml file, an mbox file or a Maildir (cur/ and new/) into tickets.\n";

}  // namespace

int runImport(const Args& args) {
    return runCommand(args, {}, {"queue"}, kUsage, [](const Options& o) {
        if (o.positional.size() != 1) throw UsageError("import needs one PATH");
        fs::path path = o.positional[0];
        if (!fs::exists(path)) {
            std::cerr << "postdesk import: no such file or directory: " << path << "\n";
            return kExitNoInput;
        }
        Context c = openContext(o);
        requireCleanAdminFiles(c);
        MailSource source(path);
        store::InboundQueue queue(*c.store);
        std::size_t read = 0, added = 0;
        ProgressBar bar(source.count());
        std::string account = "import", folder = fs::absolute(path).lexically_normal().string();
        std::string q = o.value("queue").value_or(c.settings.mailboxes.empty() ? "import" : c.settings.mailboxes.front().queue);
        // 100 mails per transaction: one spool sync and one WAL sync for the group, not per mail;
        // and only the group is held in memory.
        constexpr std::size_t kGroup = 100;
        std::vector<std::string> group;
        auto commit = [&] {
            store::Transaction tx(c.store->db());
            for (auto& mail : group) {
                store::InboundMail m{"import", account, folder, std::nullopt, std::nullopt, mime::mailIdentity(mail), std::move(mail), q, {}};
                if (queue.add(m, systemNow())) ++added;
                bar.update(++read);
            }
            tx.commit();
            group.clear();
        };
        bool readable = source.each([&](std::string&& mail) {
            group.push_back(std::move(mail));
            if (group.size() == kGroup) commit();
        });
        commit();
        if (!readable) {
            std::cerr << "postdesk import: cannot read " << path << "\n";
            return kExitNoInput;
        }
        IngestReport report = ingestPending(c);
        std::cout << "import: " << read << " mails read, " << added << " new, " << read - added
                  << " already imported; " << report.summary() << "\n";
        return kExitOk;
    });
}

}  // namespace postdesk::app
