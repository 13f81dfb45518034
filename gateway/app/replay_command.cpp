// `postdesk replay [--since DATE] [--ticket N] [--rules DIR] [--json] [--progress]`: today's rules
// (or DIR's) over the mail already filed, as a dry run — nothing is stored or sent. Each mail is
// judged on the facts its rules saw when it was filed (rule_decision: customer known/new, ticket
// new/followup), so a difference means the rules changed, not the store.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <ctime>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "gateway/app/context.h"
#include "gateway/app/message_json.h"
#include "gateway/app/progress.h"
#include "gateway/store/inbound_queue.h"
#include "gateway/store/rule_log.h"
#include "mime/parse.h"
#include "rules/sieve_input.h"

namespace postdesk::app {
namespace {

constexpr const char* kUsage =
    "usage: postdesk replay [--since DATE] [--ticket N] [--rules DIR] [--json] [--progress] [--config FILE]\n"
    "  Runs the rules (rules.dir, or DIR) over the customer mail already filed, as a dry run, and\n"
    "  lists each mail they would now decide differently from what was decided when it was filed.\n"
    "  DATE is YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (UTC). Exit 0 when nothing differs, 1 when\n"
    "  something does, 78 when a rule file has errors.\n";

// "2026-11-20" or "2026-11-20T09:15[:00][Z]", UTC; throws UsageError otherwise.
std::int64_t parseSince(const std::string& text) {
    for (const char* format : {"%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"}) {
        std::tm tm{};
        std::istringstream in(text);
        in >> std::get_time(&tm, format);
        if (in.fail()) continue;
        std::string rest;
        in >> rest;
        if (!rest.empty() && rest != "Z") continue;
        return static_cast<std::int64_t>(::timegm(&tm));
    }
    throw UsageError("--since wants YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], got " + text);
}

std::string utc(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    ::gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%MZ", &tm);
    return buf;
}

std::string firedText(const std::vector<rules::SieveFired>& fired) {
    std::string out;
    for (const auto& f : fired) out += (out.empty() ? "" : ", ") + f.file + ":" + std::to_string(f.line);
    return out;
}

Poco::JSON::Array::Ptr actionsJson(const std::vector<rules::SieveAction>& actions) {
    return Poco::JSON::Parser().parse(store::actionsToJson(actions)).extract<Poco::JSON::Array::Ptr>();
}

struct Difference {
    store::ReplayCandidate mail;
    std::string from, subject;
    rules::SieveResult now;
};

struct Tally {
    std::size_t replayed = 0, same = 0, unrecorded = 0, unreadable = 0;
    std::vector<Difference> differences;
};

Tally replay(Context& c, const std::vector<rules::SieveScript>& scripts, std::int64_t since, std::int64_t ticket, bool forceBar) {
    Tally t;
    store::RuleLog log(c.store->db());
    store::InboundQueue queue(*c.store);
    std::vector<store::ReplayCandidate> mails = log.candidates(since, ticket);
    ProgressBar bar(mails.size(), forceBar);
    for (std::size_t i = 0; i < mails.size(); bar.update(++i)) {
        const auto& mail = mails[i];
        ++t.replayed;
        if (!mail.recorded) {
            ++t.unrecorded;
            continue;
        }
        auto row = queue.get(mail.inbound);
        if (!row) {
            ++t.unreadable;
            continue;
        }
        mime::Message m = mime::parse(row->raw, c.settings.limits);
        rules::SieveInput in = rules::sieveInputFor(m);
        in.customer = mail.recorded->customer;
        in.ticket = mail.recorded->ticket;
        rules::SieveResult now = rules::evaluate(scripts, in);
        if (store::canonicalActions(now) == mail.recorded->actions) {
            ++t.same;
            continue;
        }
        t.differences.push_back({mail, m.from.address, m.subject, std::move(now)});
    }
    return t;
}

void printText(const Tally& t, const std::string& dir, std::size_t files) {
    for (const auto& d : t.differences) {
        std::cout << "inbound#" << d.mail.inbound << "  " << (d.mail.ticket ? "ticket #" + std::to_string(d.mail.ticket) : "no ticket")
                  << "  " << utc(d.mail.received_at) << "  " << d.from << "  \"" << d.subject << "\"\n";
        std::cout << "    then: " << store::describeActions(d.mail.recorded->actions);
        if (!d.mail.recorded->fired.empty()) std::cout << "   (" << firedText(d.mail.recorded->fired) << ")";
        std::cout << "\n    now:  " << store::describeActions(store::canonicalActions(d.now));
        if (!d.now.fired.empty()) std::cout << "   (" << firedText(d.now.fired) << ")";
        std::cout << "\n";
    }
    std::cout << "replay: " << t.replayed << " mail(s) through " << files << " rule file(s) in " << dir << ": "
              << t.differences.size() << " would be decided differently, " << t.same << " the same";
    if (t.unrecorded) std::cout << ", " << t.unrecorded << " filed before decisions were recorded";
    if (t.unreadable) std::cout << ", " << t.unreadable << " unreadable";
    std::cout << "\n";
}

void printJson(const Tally& t, const std::string& dir) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Array::Ptr diffs = new Poco::JSON::Array;
    for (const auto& d : t.differences) {
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        x->set("inbound", d.mail.inbound);
        if (d.mail.ticket) x->set("ticket", d.mail.ticket);
        else x->set("ticket", Poco::Dynamic::Var());
        x->set("received_at", d.mail.received_at);
        x->set("from", d.from);
        x->set("subject", d.subject);
        x->set("then", actionsJson(d.mail.recorded->actions));
        x->set("now", actionsJson(store::canonicalActions(d.now)));
        diffs->add(x);
    }
    j->set("rules", dir);
    j->set("replayed", t.replayed);
    j->set("same", t.same);
    j->set("different", t.differences.size());
    j->set("unrecorded", t.unrecorded);
    j->set("unreadable", t.unreadable);
    j->set("differences", diffs);
    std::cout << toJsonLine(j) << "\n";
}

}  // namespace

int runReplay(const Args& args) {
    return runCommand(args, {"json", "progress"}, {"since", "ticket", "rules"}, kUsage, [](const Options& o) {
        std::int64_t since = o.value("since") ? parseSince(*o.value("since")) : 0;
        std::int64_t ticket = 0;
        if (auto t = o.value("ticket")) {
            try {
                ticket = std::stoll(*t);
            } catch (const std::exception&) {
                throw UsageError("--ticket wants a ticket number, got " + *t);
            }
        }
        Context c = openContext(o);
        std::string dir = o.value("rules").value_or(c.settings.rules_dir);
        std::vector<rules::SieveError> errors;
        std::vector<rules::SieveScript> scripts = loadRuleFiles(dir, errors);
        for (const auto& e : errors) std::cerr << e.file << ":" << e.line << ":" << e.column << ": " << e.message << "\n";
        if (!errors.empty()) {
            std::cerr << "postdesk replay: " << errors.size() << " error(s) in " << dir << "; nothing replayed\n";
            return kExitConfig;
        }
        Tally t = replay(c, scripts, since, ticket, o.has("progress"));
        if (o.has("json")) printJson(t, dir);
        else printText(t, dir, scripts.size());
        return t.differences.empty() ? kExitOk : 1;
    });
}

}  // namespace postdesk::app
