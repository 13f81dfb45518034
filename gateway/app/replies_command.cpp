// `postdesk replies list|render NAME --ticket N|lint`: saved replies and the templates behind
// every automatic mail, for the admins who keep them in etc/replies/ in git.
#include <Poco/JSON/Object.h>

#include <iostream>

#include "gateway/app/context.h"
#include "gateway/app/message_json.h"
#include "gateway/store/ticket_store.h"
#include "gateway/util/clock.h"
#include "replies/ack.h"
#include "replies/lint.h"

namespace postdesk::app {
namespace {

constexpr const char* kUsage =
    "usage: postdesk replies list [--json] [--config FILE]\n"
    "       postdesk replies render NAME --ticket N [--agent ID] [--config FILE]\n"
    "       postdesk replies lint [DIR] [--config FILE]\n"
    "  lint flags unknown placeholders and phrases support writing avoids (\"inconvenience\",\n"
    "  \"Dear customer\", a team signature, \"do not reply\"), with file:line; exit 1 when it finds any.\n";

int list(const Context& c, bool json) {
    for (const auto& r : c.templates->savedReplies()) {
        if (json) {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            o->set("name", r.name);
            o->set("description", r.description);
            o->set("language", r.language);
            o->set("path", r.path);
            std::cout << toJsonLine(o) << "\n";
        } else {
            std::cout << r.name << " (" << r.language << ")  " << r.description << "\n";
        }
    }
    return kExitOk;
}

int render(Context& c, const Options& o) {
    if (o.positional.size() != 2 || !o.value("ticket")) throw UsageError("render needs NAME and --ticket N");
    store::TicketStore tickets(c.store->db());
    auto t = tickets.get(std::stoll(*o.value("ticket")));
    if (!t) {
        std::cerr << "postdesk replies: no ticket #" << *o.value("ticket") << "\n";
        return kExitNoInput;
    }
    replies::ReplyContext ctx;
    ctx.customer_name = t->customer_name;
    ctx.customer_address = t->customer_address;
    ctx.ticket_number = static_cast<std::uint64_t>(t->number);
    ctx.ticket_subject = t->subject;
    ctx.ticket_status = t->status;
    ctx.queue = t->queue;
    ctx.language = "en";
    ctx.now = systemNow();
    std::string agentId = o.value("agent").value_or("");
    for (const auto& a : c.settings.agents)
        if (agentId.empty() ? a.name == t->assignee || a.id == t->assignee : a.id == agentId) ctx.agent_name = a.name;
    auto r = replies::renderSaved(*c.templates, o.positional[1], ctx);
    if (!r) {
        std::cerr << "postdesk replies: no saved reply '" << o.positional[1] << "'\n";
        return kExitNoInput;
    }
    std::cout << "Subject: " << r->subject << "\n\n" << r->text;
    return kExitOk;
}

int lint(const std::string& dir) {
    auto findings = replies::lintTemplates(readTemplateFiles(dir));
    std::vector<replies::TemplateError> errors;
    loadReplyTemplates(dir, errors);
    for (const auto& e : errors) std::cout << e.path << ":" << e.line << ":" << e.column << ": error: " << e.message << "\n";
    for (const auto& f : findings) std::cout << replies::toString(f) << "\n";
    std::size_t n = findings.size() + errors.size();
    std::cout << (n ? std::to_string(n) + " finding(s)" : "no findings") << " in " << dir << "\n";
    return n ? 1 : kExitOk;
}

}  // namespace

int runReplies(const Args& args) {
    return runCommand(args, {"json"}, {"ticket", "agent"}, kUsage, [](const Options& o) {
        std::string verb = o.positional.empty() ? "list" : o.positional[0];
        if (verb == "lint" && o.positional.size() == 2) return lint(o.positional[1]);
        Context c = openContext(o);
        if (verb == "list") return list(c, o.has("json"));
        if (verb == "render") return render(c, o);
        if (verb == "lint") return lint(c.settings.replies.dir);
        throw UsageError("unknown replies command " + verb);
    });
}

}  // namespace postdesk::app
