// `postdesk send --once`: deliver every due outbox mail now (for scripts and tests), and
// `postdesk outbox [--state S] [--json]`: what is queued, deferred, sent or failed.
#include <Poco/JSON/Object.h>

#include <iostream>

#include "gateway/app/context.h"
#include "gateway/app/message_json.h"
#include "gateway/send/sender.h"
#include "gateway/store/outbox.h"
#include "mime/date.h"

namespace postdesk::app {
namespace {

constexpr const char* kSendUsage =
    "usage: postdesk send --once [--config FILE]\n"
    "  Delivers every due outbox mail over SMTP and files copies in the Sent folders.\n"
    "  Exit 0 when nothing failed, 75 when some mail was deferred, 70 when some mail failed.\n";
constexpr const char* kOutboxUsage =
    "usage: postdesk outbox [--state queued|deferred|sent|failed] [--json] [--config FILE]\n";

}  // namespace

int runSend(const Args& args) {
    return runCommand(args, {"once"}, {}, kSendUsage, [](const Options& o) {
        if (!o.has("once")) throw UsageError("send needs --once (postdesk serve sends continuously)");
        Context c = openContext(o);
        if (c.settings.smtp.url.empty()) throw config::ConfigError(c.settings.config_file, "smtp.url", "is required to send mail");
        store::Outbox(c.store->db()).recoverActive();
        send::SendStats s = send::Sender(*c.store, c.settings).flush();
        std::cout << "send: " << s.sent << " sent, " << s.deferred << " deferred, " << s.failed << " failed, " << s.copied
                  << " copied to Sent\n";
        return s.failed ? kExitSoftware : s.deferred ? kExitTempFail : kExitOk;
    });
}

int runOutbox(const Args& args) {
    return runCommand(args, {"json"}, {"state"}, kOutboxUsage, [](const Options& o) {
        Context c = openContext(o);
        for (const auto& r : store::Outbox(c.store->db()).list(o.value("state").value_or(""))) {
            if (o.has("json")) {
                Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                j->set("id", r.id);
                j->set("ticket", r.ticket ? Poco::Dynamic::Var(*r.ticket) : Poco::Dynamic::Var());
                j->set("kind", r.kind);
                j->set("message_id", r.message_id);
                j->set("state", r.state);
                j->set("attempts", r.attempts);
                j->set("last_error", r.last_error);
                std::string rcpt;
                for (const auto& a : r.recipients) rcpt += (rcpt.empty() ? "" : ",") + a;
                j->set("recipients", rcpt);
                j->set("created", mime::formatIsoUtc(r.created_at));
                std::cout << toJsonLine(j) << "\n";
            } else {
                std::cout << r.id << "  " << r.state << "  " << r.kind << "  #" << (r.ticket ? std::to_string(*r.ticket) : "-") << "  <"
                          << r.message_id << ">  " << r.attempts << " attempts  " << r.last_error << "\n";
            }
        }
        return kExitOk;
    });
}

}  // namespace postdesk::app
