// `postdesk quarantine [list|show ID|reprocess ID]`: mails postdesk could not file, kept with
// their reason and raw bytes; reprocess puts one back into the inbound queue and ingests it.
#include <Poco/JSON/Object.h>

#include <iostream>

#include "gateway/app/context.h"
#include "gateway/app/message_json.h"
#include "gateway/app/service.h"
#include "gateway/store/inbound_queue.h"
#include "mime/date.h"

namespace postdesk::app {
namespace {

constexpr const char* kUsage =
    "usage: postdesk quarantine [list|show ID|reprocess ID] [--json] [--config FILE]\n"
    "  list       quarantined mails with their reason (default)\n"
    "  show ID    one mail's reason, error and raw bytes\n"
    "  reprocess  put it back into the inbound queue and ingest it now\n";

Poco::JSON::Object::Ptr rowJson(const store::InboundRow& r) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", r.id);
    o->set("account", r.account);
    o->set("folder", r.folder);
    o->set("uid", r.uid);
    o->set("reason", r.reason);
    o->set("error", r.last_error);
    o->set("size", r.size);
    o->set("attempts", r.attempts);
    o->set("received", mime::formatIsoUtc(r.received_at));
    return o;
}

std::int64_t idArg(const Options& o) {
    if (o.positional.size() != 2) throw UsageError("needs one quarantine id");
    const std::string& s = o.positional[1];
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) throw UsageError("not an id: " + s);
    return std::stoll(s);
}

}  // namespace

int runQuarantine(const Args& args) {
    return runCommand(args, {"json"}, {}, kUsage, [](const Options& o) {
        std::string verb = o.positional.empty() ? "list" : o.positional[0];
        Context c = openContext(o);
        store::InboundQueue queue(*c.store);
        if (verb == "list") {
            for (const auto& r : queue.list("quarantined")) {
                if (o.has("json")) std::cout << toJsonLine(rowJson(r)) << "\n";
                else std::cout << r.id << "  " << r.reason << "  " << r.account << "/" << r.folder << " uid " << r.uid << "  "
                               << r.size << " bytes  " << r.last_error << "\n";
            }
            return kExitOk;
        }
        std::int64_t id = idArg(o);
        auto row = queue.get(id);
        if (!row || row->state != "quarantined") {
            std::cerr << "postdesk quarantine: no quarantined mail " << id << "\n";
            return kExitNoInput;
        }
        if (verb == "show") {
            if (o.has("json")) {
                auto j = rowJson(*row);
                j->set("raw", row->raw);
                std::cout << toJsonLine(j) << "\n";
            } else {
                std::cout << "id " << row->id << ": " << row->reason << " (" << row->last_error << ")\n\n" << row->raw;
            }
            return kExitOk;
        }
        if (verb != "reprocess") throw UsageError("unknown quarantine command " + verb);
        requireCleanAdminFiles(c);
        queue.requeue(id);
        IngestReport report = ingestPending(c);
        std::cout << "reprocessed " << id << ": " << report.summary() << "\n";
        return kExitOk;
    });
}

}  // namespace postdesk::app
