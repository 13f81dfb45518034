// `postdesk import PATH`: a .eml file, an mbox, or a Maildir through the same inbound queue and
// ingest path as IMAP mail. Idempotent: each mail is keyed by its identity (mime/identity.h), so
// a second run imports nothing twice.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "gateway/app/context.h"
#include "gateway/app/progress.h"
#include "gateway/app/service.h"
#include "gateway/store/inbound_queue.h"
#include "gateway/util/clock.h"
#include "gateway/util/files.h"
#include "mime/identity.h"

namespace postdesk::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: postdesk import PATH [--queue Q] [--config FILE]\n"
    "  Imports a .eml file, an mbox file or a Maildir (cur/ and new/) into tickets.\n";

std::string readFile(const fs::path& p) { return readWholeFile(p).value_or(""); }

bool looksLikeMbox(const std::string& data) { return data.rfind("From ", 0) == 0; }

// mboxrd/mboxo: messages start at "From " lines after a blank line (or at the start); ">From "
// quoting is undone one level (mboxrd).
std::vector<std::string> splitMbox(const std::string& data) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < data.size()) {
        std::size_t from = data.find("\n\nFrom ", start);
        std::size_t end = from == std::string::npos ? data.size() : from + 1;
        std::string msg = data.substr(start, end - start);
        std::size_t firstLine = msg.find('\n');
        msg = firstLine == std::string::npos ? std::string() : msg.substr(firstLine + 1);
        std::string unquoted;
        std::istringstream lines(msg);
        for (std::string line; std::getline(lines, line);) {
            std::size_t gt = line.find_first_not_of('>');
            if (gt > 0 && gt != std::string::npos && line.compare(gt, 5, "From ") == 0) line.erase(0, 1);
            unquoted += line + "\n";
        }
        if (!unquoted.empty()) out.push_back(std::move(unquoted));
        start = end + 1;
        if (from == std::string::npos) break;
    }
    return out;
}

std::vector<std::string> collect(const fs::path& path) {
    if (fs::is_directory(path)) {
        std::vector<fs::path> files;
        for (const char* sub : {"cur", "new"})
            if (fs::is_directory(path / sub))
                for (const auto& e : fs::directory_iterator(path / sub))
                    if (e.is_regular_file()) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        std::vector<std::string> mails;
        for (const auto& f : files) mails.push_back(readFile(f));
        return mails;
    }
    std::string data = readFile(path);
    if (looksLikeMbox(data)) return splitMbox(data);
    return {data};
}


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
        std::vector<std::string> mails = collect(path);
        store::InboundQueue queue(*c.store);
        std::size_t added = 0;
        ProgressBar bar(mails.size());
        std::string account = "import", folder = fs::absolute(path).lexically_normal().string();
        std::string q = o.value("queue").value_or(c.settings.mailboxes.empty() ? "import" : c.settings.mailboxes.front().queue);
        // 100 mails per transaction: one spool sync and one WAL sync for the group, not per mail.
        constexpr std::size_t kGroup = 100;
        for (std::size_t from = 0; from < mails.size(); from += kGroup) {
            store::Transaction tx(c.store->db());
            for (std::size_t i = from; i < std::min(mails.size(), from + kGroup); ++i) {
                store::InboundMail m{"import", account, folder, std::nullopt, std::nullopt, mime::mailIdentity(mails[i]), mails[i], q, {}};
                if (queue.add(m, systemNow())) ++added;
                bar.update(i + 1);
            }
            tx.commit();
        }
        IngestReport report = ingestPending(c);
        std::cout << "import: " << mails.size() << " mails read, " << added << " new, " << mails.size() - added
                  << " already imported; " << report.summary() << "\n";
        return kExitOk;
    });
}

}  // namespace postdesk::app
