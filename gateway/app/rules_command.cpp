// `postdesk rules check [DIR]` and `postdesk rules test MAIL.eml [--rules DIR] [--json]`: the
// admin's tools for the Sieve rule files in etc/rules/ (file-name order). `test` is a dry run:
// it prints what the rules and the loop policy would decide, and sends and stores nothing.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "gateway/app/context.h"
#include "gateway/app/message_json.h"
#include "gateway/store/rule_log.h"
#include "gateway/util/files.h"
#include "mime/ascii.h"
#include "mime/parse.h"
#include "replies/loop_policy.h"
#include "rules/sieve_eval.h"
#include "rules/sieve_input.h"
#include "rules/sieve_parser.h"

namespace postdesk::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: postdesk rules check [DIR] [--config FILE]\n"
    "       postdesk rules test MAIL.eml [--rules DIR] [--json] [--config FILE]\n"
    "  check: every error as file:line:column: message; exit 1 on any error.\n"
    "  test:  a dry run of MAIL through the rules: fired rules, actions, acknowledgment or not.\n";


struct LoadedRules {
    std::vector<rules::SieveScript> scripts;
    std::vector<rules::SieveError> errors;
};

LoadedRules loadRules(const std::string& dir) {
    LoadedRules out;
    out.scripts = loadRuleFiles(dir, out.errors);
    return out;
}

std::string rulesDir(const Options& o, std::size_t positional) {
    if (auto r = o.value("rules")) return *r;
    if (o.positional.size() > positional) return o.positional[positional];
    std::string cfg = config::configPath(o.value("config").value_or(""));
    return (fs::path(cfg).parent_path() / "rules").string();
}

int check(const Options& o) {
    std::string dir = rulesDir(o, 1);
    LoadedRules r = loadRules(dir);
    for (const auto& e : r.errors) std::cout << e.file << ":" << e.line << ":" << e.column << ": " << e.message << "\n";
    if (!r.errors.empty()) {
        std::cout << r.errors.size() << " error(s) in " << dir << "\n";
        return 1;
    }
    std::cout << r.scripts.size() << " rule file(s) in " << dir << ": ok\n";
    return kExitOk;
}

int test(const Options& o) {
    if (o.positional.size() < 2) throw UsageError("rules test needs MAIL.eml");
    auto raw = readWholeFile(o.positional[1]);
    if (!raw) {
        std::cerr << "postdesk rules: cannot read " << o.positional[1] << "\n";
        return kExitNoInput;
    }
    mime::Message m = mime::parse(*raw);
    LoadedRules r = loadRules(rulesDir(o, 2));
    for (const auto& e : r.errors) std::cerr << e.file << ":" << e.line << ":" << e.column << ": " << e.message << "\n";
    rules::SieveInput in = rules::sieveInputFor(m);
    rules::SieveResult result = rules::evaluate(r.scripts, in);
    replies::AckFacts facts;
    facts.auto_kind = m.auto_kind;
    facts.auto_reason = m.auto_reason;
    facts.sender = mime::asciiLower(m.from.address);
    facts.return_path = m.return_path;
    replies::AckDecision ack = replies::decideAck(facts, {});
    for (const auto& a : result.actions)
        if (a.action == "noack" || a.action == "ignore" || a.action == "discard" || a.action == "quarantine") ack = {false, "rule action " + a.action};
    if (o.has("json")) {
        Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        Poco::JSON::Array::Ptr fired = new Poco::JSON::Array, actions = new Poco::JSON::Array;
        for (const auto& f : result.fired) {
            Poco::JSON::Object::Ptr x = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            x->set("file", f.file);
            x->set("line", f.line);
            fired->add(x);
        }
        for (const auto& a : store::canonicalActions(result)) {
            Poco::JSON::Object::Ptr x = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            Poco::JSON::Array::Ptr args = new Poco::JSON::Array;
            for (const auto& s : a.args) args->add(s);
            x->set("action", a.action);
            x->set("args", args);
            actions->add(x);
        }
        Poco::JSON::Object::Ptr ackJson = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        ackJson->set("send", ack.send);
        ackJson->set("reason", ack.reason);
        j->set("fired", fired);
        j->set("actions", actions);
        j->set("ack", ackJson);
        std::cout << toJsonLine(j) << "\n";
    } else {
        std::cout << "mail:    " << m.from.address << "  \"" << m.subject << "\"  auto=" << mime::toString(m.auto_kind) << "\n";
        for (const auto& f : result.fired) std::cout << "fired:   " << f.file << ":" << f.line << " (" << f.command << ")\n";
        for (const auto& a : result.actions) {
            std::cout << "action:  " << a.action;
            for (const auto& s : a.args) std::cout << " \"" << s << "\"";
            std::cout << "\n";
        }
        if (result.implicit_keep) std::cout << "action:  keep (implicit)\n";
        std::cout << "ack:     " << (ack.send ? "would send" : "none") << " (" << ack.reason << ")\n";
    }
    return r.errors.empty() ? kExitOk : 1;
}

}  // namespace

int runRules(const Args& args) {
    return runCommand(args, {"json"}, {"rules"}, kUsage, [](const Options& o) {
        std::string verb = o.positional.empty() ? "check" : o.positional[0];
        if (verb == "check") return check(o);
        if (verb == "test") return test(o);
        throw UsageError("unknown rules command " + verb);
    });
}

}  // namespace postdesk::app
