#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "mime/parse.h"
#include "rules/sieve_eval.h"
#include "rules/sieve_parser.h"

namespace postdesk::rules {

// Readable failures: {fileinto [billing]}.
void PrintTo(const SieveAction& a, std::ostream* os) {
    *os << "{" << a.action << " [";
    for (std::size_t i = 0; i < a.args.size(); ++i) *os << (i ? ", " : "") << a.args[i];
    *os << "]}";
}

namespace {

using Actions = std::vector<SieveAction>;

SieveScript script(const std::string& source, const std::string& file = "10-test.sieve") {
    std::vector<SieveError> errors;
    SieveScript s = parseSieve(source, file, errors);
    EXPECT_TRUE(errors.empty()) << file << ":" << errors.at(0).line << ":" << errors.at(0).column << ": " << errors.at(0).message;
    return s;
}

SieveInput input(const std::string& headers, std::uint64_t size = 1000) {
    mime::Message m = mime::parse(headers + "\r\n\r\nbody\r\n");
    SieveInput in;
    in.headers = m.headers;
    in.size = size;
    in.envelope_from = "bounce+x@lists.example.org";
    in.envelope_to = "support@example.test";
    return in;
}

const std::string kMail =
    "From: Jane Doe <Jane.Doe@Customer.example>\r\nTo: Support <support@example.test>, other@example.test\r\n"
    "Subject: [acme-users] [fwd] Invoice 42 is wrong\r\nX-Priority: 1";

struct Case {
    const char* name;
    std::string source;
    Actions actions;
    bool implicit_keep;
};

TEST(SieveEval, Semantics) {
    const std::string fi = "require [\"fileinto\", \"envelope\"];\n";
    const Case cases[] = {
        {"empty script: implicit keep", "", {}, true},
        {"discard cancels implicit keep", "discard;", {{"discard", {}}}, false},
        {"fileinto cancels implicit keep", fi + "fileinto \"billing\";", {{"fileinto", {"billing"}}}, false},
        {"fileinto + keep", fi + "fileinto \"billing\"; keep;", {{"fileinto", {"billing"}}, {"keep", {}}}, false},
        {"keep survives discard", "keep; discard;", {{"keep", {}}, {"discard", {}}}, false},
        {"duplicate fileinto recorded once", fi + "fileinto \"a\"; fileinto \"a\";", {{"fileinto", {"a"}}}, false},
        {"stop ends evaluation", "stop; discard;", {}, true},
        {"elsif chain takes the first true", fi + "if false { fileinto \"a\"; } elsif true { fileinto \"b\"; } elsif true { fileinto \"c\"; } else { fileinto \"d\"; }",
         {{"fileinto", {"b"}}}, false},
        {"else when none true", fi + "if false { fileinto \"a\"; } else { fileinto \"d\"; }", {{"fileinto", {"d"}}}, false},
        {"anyof", "if anyof (false, true) { discard; }", {{"discard", {}}}, false},
        {"allof false", "if allof (true, false) { discard; }", {}, true},
        {"not", "if not false { discard; }", {{"discard", {}}}, false},
        {"header :contains is case-insensitive by default", "if header :contains \"subject\" \"INVOICE\" { discard; }", {{"discard", {}}}, false},
        {"i;octet is case-sensitive", "if header :comparator \"i;octet\" :contains \"subject\" \"INVOICE\" { discard; }", {}, true},
        {"header :is whole value", "if header :is \"x-priority\" \"1\" { discard; }", {{"discard", {}}}, false},
        {"header :matches", "if header :matches \"subject\" \"*invoice ?? is*\" { discard; }", {{"discard", {}}}, false},
        {"header of a missing field is false", "if header :contains \"x-nope\" \"\" { discard; }", {}, true},
        {"address :domain", "if address :domain \"from\" \"customer.example\" { discard; }", {{"discard", {}}}, false},
        {"address :localpart", "if address :localpart \"from\" \"jane.doe\" { discard; }", {{"discard", {}}}, false},
        {"address :all over a list", "if address :is \"to\" \"other@example.test\" { discard; }", {{"discard", {}}}, false},
        {"address ignores the display name", "if address :contains \"from\" \"Jane Doe\" { discard; }", {}, true},
        {"envelope from :domain", fi + "if envelope :domain \"from\" \"lists.example.org\" { discard; }", {{"discard", {}}}, false},
        {"envelope to", fi + "if envelope :is \"to\" \"support@example.test\" { discard; }", {{"discard", {}}}, false},
        {"exists needs all", "if exists [\"from\", \"x-priority\"] { discard; }", {{"discard", {}}}, false},
        {"exists false when one missing", "if exists [\"from\", \"x-nope\"] { discard; }", {}, true},
        {"size :over", "if size :over 999 { discard; }", {{"discard", {}}}, false},
        {"size :over is strict", "if size :over 1000 { discard; }", {}, true},
        {"size :under with K", "if size :under 1K { discard; }", {{"discard", {}}}, false},
        {"regex", "require \"regex\"; if header :regex \"subject\" \"invoice [0-9]+\" { discard; }", {{"discard", {}}}, false},
    };
    for (const auto& c : cases) {
        SieveResult r = evaluate({script(c.source)}, input(kMail));
        EXPECT_EQ(r.actions, c.actions) << c.name;
        EXPECT_EQ(r.implicit_keep, c.implicit_keep) << c.name;
    }
}

TEST(SieveEval, MatchesCapturesFeedVariables) {
    // RFC 5229 §3.2 example: the first '*' takes as little as it can.
    SieveScript s = script(
        "require [\"fileinto\", \"variables\"];\n"
        "if header :matches \"subject\" \"[*] *\" { set \"list\" \"${1}\"; set :upper \"rest\" \"${2}\"; }\n"
        "if address :matches \"from\" \"*@*\" { fileinto \"lists.${list}.${2}\"; }\n"
        "fileinto \"${REST}|${unset}|${9}|${\";\n");
    SieveResult r = evaluate({s}, input(kMail));
    Actions want = {{"fileinto", {"lists.acme-users.Customer.example"}}, {"fileinto", {"[FWD] INVOICE 42 IS WRONG|||${"}}};
    EXPECT_EQ(r.actions, want);
}

TEST(SieveEval, TicketingActionsAndTests) {
    SieveScript s = script(
        "require \"vnd.postdesk.ticket\";\n"
        "if auto :is \"auto-reply\" { ignore; stop; }\n"
        "if allof (customer :is \"known\", ticket :is \"new\") { queue \"billing\"; priority \"high\"; tag \"vip\"; assign \"ann\"; sla \"gold\"; ack \"known-customer\"; }\n"
        "if customer :is \"new\" { noack; quarantine \"unknown sender\"; }\n");
    SieveInput in = input(kMail);
    in.customer = "known";
    SieveResult r = evaluate({s}, in);
    Actions want = {{"queue", {"billing"}}, {"priority", {"high"}}, {"tag", {"vip"}}, {"assign", {"ann"}}, {"sla", {"gold"}}, {"ack", {"known-customer"}}};
    EXPECT_EQ(r.actions, want);
    EXPECT_TRUE(r.implicit_keep);
    ASSERT_EQ(r.fired.size(), 1u);
    EXPECT_EQ(r.fired[0], (SieveFired{"10-test.sieve", 3, "if"}));

    in.auto_kind = "auto-reply";
    r = evaluate({s}, in);
    EXPECT_EQ(r.actions, (Actions{{"ignore", {}}}));
    EXPECT_FALSE(r.implicit_keep);

    in.auto_kind = "none";
    in.customer = "new";
    r = evaluate({s}, in);
    EXPECT_EQ(r.actions, (Actions{{"noack", {}}, {"quarantine", {"unknown sender"}}}));
    EXPECT_FALSE(r.implicit_keep);
}

TEST(SieveEval, SetModifiersApplyInRfc5229Order) {
    SieveResult r = evaluate({script(
                                 "require [\"fileinto\", \"variables\"];\n"
                                 "set :lower :upperfirst \"a\" \"hELLO\"; set :length \"n\" \"${a}!\"; set :quotewildcard \"q\" \"a*b?\";\n"
                                 "fileinto \"${a}|${n}|${q}\";")},
                             input(kMail));
    EXPECT_EQ(r.actions, (Actions{{"fileinto", {"Hello|6|a\\*b\\?"}}}));
}

TEST(SieveEval, DoublingVariablesStayBounded) {
    std::string source = "require [\"fileinto\", \"variables\"]; set \"a\" \"0123456789\";\n";
    for (int i = 0; i < 40; ++i) source += "set \"a\" \"${a}${a}\";\n";
    source += "fileinto \"${a}\";";
    SieveResult r = evaluate({script(source)}, input(kMail));
    ASSERT_EQ(r.actions.size(), 1u);
    EXPECT_EQ(r.actions[0].args[0].size(), kSieveMaxString);
}

TEST(SieveEval, StopEndsLaterFilesToo) {
    std::vector<SieveScript> scripts = {
        script("require \"vnd.postdesk.ticket\"; queue \"first\"; if true { stop; }", "10-a.sieve"),
        script("discard;", "20-b.sieve"),
    };
    SieveResult r = evaluate(scripts, input(kMail));
    EXPECT_EQ(r.actions, (Actions{{"queue", {"first"}}}));
    EXPECT_TRUE(r.implicit_keep);
    ASSERT_EQ(r.fired.size(), 1u);
    EXPECT_EQ(r.fired[0], (SieveFired{"10-a.sieve", 1, "queue"}));
}

TEST(SieveEval, FilesRunInOrderWithTheirOwnVariables) {
    std::vector<SieveScript> scripts = {
        script("require [\"variables\", \"fileinto\"]; set \"x\" \"one\"; fileinto \"${x}\";", "10-a.sieve"),
        script("require [\"variables\", \"fileinto\"];\nif true {\n  fileinto \"[${x}]\";\n}", "20-b.sieve"),
    };
    SieveResult r = evaluate(scripts, input(kMail));
    EXPECT_EQ(r.actions, (Actions{{"fileinto", {"one"}}, {"fileinto", {"[]"}}}));
    EXPECT_EQ(r.fired, (std::vector<SieveFired>{{"10-a.sieve", 1, "fileinto"}, {"20-b.sieve", 2, "if"}}));
}

TEST(SieveEval, WithoutVariablesExtensionDollarIsLiteral) {
    SieveResult r = evaluate({script("require \"fileinto\"; fileinto \"${1}\";")}, input(kMail));
    EXPECT_EQ(r.actions, (Actions{{"fileinto", {"${1}"}}}));
}

TEST(SieveEval, CatastrophicRegexIsRefusedAtParse) {
    for (std::string pattern : {std::string("(a+)+b"), std::string("(a*)*b"), std::string("(a|aa)+b"), std::string("((ab)+)+"),
                                std::string("(x+){2,}"), std::string("(a)\\\\1"), std::string("["), std::string(1001, 'a')}) {
        std::vector<SieveError> errors;
        parseSieve("require \"regex\"; if header :regex \"subject\" \"" + pattern + "\" { discard; }", "t.sieve", errors);
        ASSERT_EQ(errors.size(), 1u) << pattern;
        EXPECT_NE(errors[0].message.find("regex refused"), std::string::npos) << errors[0].message;
    }
    for (std::string pattern : {"(re|fwd)?: .*", "^[a-z]+@(x|y)\\\\.org$", "(ab)+", "a{1,3}"}) {
        std::vector<SieveError> errors;
        parseSieve("require \"regex\"; if header :regex \"subject\" \"" + pattern + "\" { discard; }", "t.sieve", errors);
        EXPECT_TRUE(errors.empty()) << pattern << ": " << errors.at(0).message;
    }
}

TEST(SieveEval, LongValuesStayFast) {
    // :matches is O(value x pattern); regex values are cut to 4 KiB (rules/detail/sieve_regex.h).
    SieveInput in = input("Subject: x");
    in.headers[0].value = std::string(1024 * 1024, 'a');
    SieveScript s = script("require \"regex\"; if anyof (header :matches \"subject\" \"*a*a*a*a*b\", header :regex \"subject\" \"a.*b.*c\") { discard; }");
    auto start = std::chrono::steady_clock::now();
    SieveResult r = evaluate({s}, in);
    EXPECT_TRUE(r.implicit_keep);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
}  // namespace postdesk::rules
