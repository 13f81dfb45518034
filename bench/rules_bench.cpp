// rules_bench: Sieve evaluation alone over a corpus parsed beforehand.
//
//   rules_bench DIR [--passes 5] [--dump FILE]
//
// DIR is a corpus from `python3 ../shared/bench/gen_corpus.py --count 5000 --seed 1 --out DIR`.
// Untimed: the 50 rules below (six files of a realistic support-desk rules directory) are parsed
// once, every DIR/*.eml is parsed with mime::parse and turned into a SieveInput the way ingest
// does it. Timed: rules::evaluate() over every mail, single thread, for each pass; prints
// mails/s and ns/mail per pass and for the median pass, plus how often rules fired. --dump writes
// every mail's result (fired rules, actions, implicit keep) to FILE, one line per mail, so an
// optimisation of the evaluator can be checked to change no decision: diff two dumps.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "mime/parse.h"
#include "rules/sieve_eval.h"
#include "rules/sieve_parser.h"

namespace fs = std::filesystem;
using namespace postdesk;

namespace {

struct RuleFile {
    const char* name;
    const char* source;
};

// 50 rules: each if/elsif/else branch that decides something counts as one.
const RuleFile kRules[] = {
    {"00-machines.sieve", R"sieve(# Machines: never answer them, keep what they say.
require ["fileinto", "vnd.postdesk.ticket", "regex"];
if auto :is "bounce" { queue "bounces"; noack; tag "bounce"; stop; }                       # 1
if auto :is "auto-reply" { noack; tag "auto-reply"; stop; }                                # 2
if auto :is "list" { queue "lists"; noack; }                                               # 3
if anyof (header :is "precedence" ["bulk", "junk", "list"], exists "list-unsubscribe") {   # 4
    noack; tag "bulk";
}
if header :contains "x-spam-flag" "yes" { quarantine "spam flag"; stop; }                 # 5
if header :regex "x-spam-score" "^[1-9][0-9]\\." { quarantine "spam score"; stop; }      # 6
if address :domain :is "from" ["mailer-daemon.example", "notifications.example.com"] {   # 7
    ignore; stop;
}
if address :localpart :matches "from" ["noreply*", "no-reply*", "donotreply*"] { noack; } # 8
)sieve"},
    {"10-routing.sieve", R"sieve(# Routing by subject keywords and sender domain.
require ["fileinto", "vnd.postdesk.ticket"];
if header :contains "subject" ["invoice", "refund", "payment", "billing", "rechnung", "factura", "счёт"] {
    queue "billing"; tag "billing";                                                      # 9
} elsif header :contains "subject" ["password", "log in", "login", "2fa", "account locked"] {
    queue "accounts"; tag "login";                                                       # 10
} elsif header :contains "subject" ["crash", "error", "bug", "broken", "fehler"] {
    queue "engineering"; tag "bug";                                                      # 11
} elsif header :contains "subject" ["delivery", "shipping", "lieferung", "envío", "order"] {
    queue "logistics";                                                                   # 12
} elsif header :contains "subject" ["cancel", "unsubscribe", "kündigung", "terminate"] {
    queue "retention"; tag "churn-risk";                                                 # 13
}
if address :domain :is "from" ["corp.example.de", "bigcustomer.example.com"] { queue "enterprise"; }   # 14
if address :domain :matches "from" "*.example.co.uk" { tag "uk"; }                      # 15
if address :domain :matches "from" ["*.de", "*.at", "*.ch"] { tag "dach"; }              # 16
if address :domain :matches "from" ["*.fr", "*.be"] { tag "fr"; }                        # 17
if address :domain :matches "from" ["*.es", "*.mx"] { tag "es"; }                        # 18
if address :domain :matches "from" "*.ru" { tag "ru"; }                                  # 19
if address :all :is "to" ["billing@helpdesk.example.com", "invoices@helpdesk.example.com"] { queue "billing"; }   # 20
if address :localpart :is ["to", "cc"] "security" { queue "security"; priority "urgent"; }   # 21
if header :contains "subject" ["gdpr", "dsgvo", "data deletion", "privacy"] { queue "legal"; }   # 22
)sieve"},
    {"20-priority.sieve", R"sieve(# Priority.
require ["vnd.postdesk.ticket", "regex"];
if anyof (header :contains "subject" ["urgent", "asap", "dringend", "urgente", "срочно"],
          header :is "x-priority" ["1", "1 (Highest)"], header :is "importance" "high") {
    priority "high";                                                                     # 23
}
if header :regex "subject" "(outage|down|not working|kaputt)" { priority "urgent"; tag "outage"; }   # 24
if header :contains "subject" ["question", "how do i", "frage"] { priority "low"; }      # 25
if allof (customer :is "known", ticket :is "followup", header :contains "subject" "still") {
    priority "high";                                                                     # 26
}
if size :over 5M { tag "large"; }                                                       # 27
if size :over 20M { quarantine "over 20 MB"; }                                           # 28
)sieve"},
    {"30-tags.sieve", R"sieve(# Tags and agents, with a little variables work.
require ["variables", "vnd.postdesk.ticket", "regex"];
if header :matches "subject" "*[#*]*" { tag "has-ticket-ref"; set "ref" "${2}"; }       # 29
if header :regex "subject" "order ([0-9]{4,})" { tag "order"; set "order" "${1}"; }     # 30
if header :matches "x-mailer" "Microsoft Outlook*" { tag "outlook"; }                   # 31
if header :matches "x-mailer" "Apple Mail*" { tag "apple-mail"; }                        # 32
if header :contains "x-mailer" "Thunderbird" { tag "thunderbird"; }                      # 33
if exists "in-reply-to" { tag "reply"; }                                                 # 34
if header :matches "content-type" "multipart/mixed*" { tag "attachment"; }               # 35
if header :contains "subject" ["fwd:", "fw:", "wg:"] { tag "forward"; }                  # 36
if address :domain :matches "from" "*" { set :lower "dom" "${1}"; }
)sieve"},
    {"40-agents.sieve", R"sieve(# Assignment.
require ["vnd.postdesk.ticket", "envelope"];
if address :domain :is "from" "corp.example.de" { assign "anna"; }                      # 37
elsif address :domain :contains "from" "shop.example" { assign "bruno"; }                # 38
elsif address :domain :contains "from" "mail.example.ru" { assign "dmitri"; }            # 39
if envelope :localpart :is "to" "vip" { assign "lead"; priority "high"; }                # 40
if header :contains "authentication-results" "dmarc=fail" { tag "dmarc-fail"; quarantine "dmarc"; }   # 41
if ticket :is "followup" { sla "followup-8h"; } else { sla "first-response-4h"; }        # 42, 43
if customer :is "new" { ack "welcome"; } else { ack "default"; }                         # 44, 45
)sieve"},
    {"90-lastly.sieve", R"sieve(# Catch-alls, checked last.
require ["fileinto", "vnd.postdesk.ticket", "regex"];
if address :regex :localpart "from" "^(root|admin|postmaster)$" { ignore; }              # 46
if not exists ["from", "date", "message-id"] { quarantine "incomplete header"; }         # 47
if header :contains "received" "unknown" { tag "odd-relay"; }                             # 48
if header :is "subject" "" { tag "no-subject"; }                                          # 49
if size :under 200 { quarantine "empty mail"; }                                           # 50
)sieve"},
};

double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
}

std::vector<rules::SieveScript> parseRules() {
    std::vector<rules::SieveScript> scripts;
    for (const auto& f : kRules) {
        std::vector<rules::SieveError> errors;
        rules::SieveScript s = rules::parseSieve(f.source, f.name, errors);
        for (const auto& e : errors) std::fprintf(stderr, "%s:%d:%d: %s\n", e.file.c_str(), e.line, e.column, e.message.c_str());
        if (!errors.empty()) std::exit(78);
        scripts.push_back(std::move(s));
    }
    return scripts;
}

// The facts ingest gives the evaluator (gateway/ingest/ingest.cpp runRules).
rules::SieveInput inputFor(const mime::Message& m, std::size_t i) {
    rules::SieveInput in;
    in.headers = m.headers;
    in.envelope_from = m.return_path.value_or(m.from.address);
    for (const auto& h : m.headers) {
        if (in.envelope_to.empty() && (h.name == "Delivered-To" || h.name == "delivered-to")) in.envelope_to = h.value;
    }
    if (in.envelope_to.empty() && !m.to.empty()) in.envelope_to = m.to.front().address;
    in.size = m.raw_size;
    in.auto_kind = mime::toString(m.auto_kind);
    in.customer = i % 3 == 0 ? "new" : "known";  // store facts: a plausible mix
    in.ticket = m.in_reply_to ? "followup" : "new";
    return in;
}

void dumpResults(const std::vector<rules::SieveScript>& scripts, const std::vector<rules::SieveInput>& inputs, const std::string& path) {
    std::ofstream out(path, std::ios::binary);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        rules::SieveResult r = rules::evaluate(scripts, inputs[i]);
        out << i << (r.implicit_keep ? " keep" : " nokeep") << " fired:";
        for (const auto& f : r.fired) out << ' ' << f.file << ':' << f.line << ':' << f.command;
        out << " actions:";
        for (const auto& a : r.actions) {
            out << ' ' << a.action << '(';
            for (const auto& arg : a.args) out << '[' << arg << ']';
            out << ')';
        }
        out << '\n';
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: rules_bench DIR [--passes N] [--dump FILE]\n");
        return 64;
    }
    const fs::path dir = argv[1];
    int passes = 5;
    std::string dump;
    for (int i = 2; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--passes") passes = std::max(1, std::atoi(argv[i + 1]));
        if (std::string(argv[i]) == "--dump") dump = argv[i + 1];
    }
    const std::vector<rules::SieveScript> scripts = parseRules();

    std::vector<fs::path> paths;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() == ".eml") paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    if (paths.empty()) {
        std::fprintf(stderr, "no *.eml in %s\n", dir.c_str());
        return 66;
    }
    std::vector<rules::SieveInput> inputs;
    inputs.reserve(paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) inputs.push_back(inputFor(mime::parse(readFile(paths[i])), i));

    if (!dump.empty()) dumpResults(scripts, inputs, dump);

    std::map<std::string, int> actionCounts;
    std::size_t fired = 0;
    for (const auto& in : inputs) {
        rules::SieveResult r = rules::evaluate(scripts, in);
        fired += r.fired.size();
        for (const auto& a : r.actions) ++actionCounts[a.action];
    }
    std::printf("%zu mails, %zu rule files, 50 rules; %.2f rules fired per mail; actions:", inputs.size(), scripts.size(),
                static_cast<double>(fired) / static_cast<double>(inputs.size()));
    for (const auto& [a, n] : actionCounts) std::printf(" %s=%d", a.c_str(), n);
    std::printf("\n");

    // Wall time and this thread's CPU time: on a shared machine the CPU time is the fairer figure
    // (time spent descheduled is not ours); both are printed.
    std::vector<double> wall, cpu;
    std::size_t sink = 0;
    const double n = static_cast<double>(inputs.size());
    for (int p = 0; p < passes; ++p) {
        double c0 = threadCpuSeconds();
        auto t0 = std::chrono::steady_clock::now();
        for (const auto& in : inputs) sink += rules::evaluate(scripts, in).actions.size();
        auto t1 = std::chrono::steady_clock::now();
        double c = threadCpuSeconds() - c0;
        double w = std::chrono::duration<double>(t1 - t0).count();
        wall.push_back(w);
        cpu.push_back(c);
        std::printf("pass %d: %.0f mails/s (%.0f ns/mail) by CPU time, %.0f mails/s by wall time\n", p + 1, n / c, c * 1e9 / n, n / w);
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    double c = cpu[cpu.size() / 2], w = wall[wall.size() / 2];
    std::printf("median: %.0f mails/s, %.0f ns/mail by CPU time; %.0f mails/s by wall time (one core, evaluation only; checksum %zu)\n", n / c,
                c * 1e9 / n, n / w, sink);
    return 0;
}
