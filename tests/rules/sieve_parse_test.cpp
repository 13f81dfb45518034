#include <gtest/gtest.h>

#include <string>

#include "rules/sieve_parser.h"

namespace postdesk::rules {
namespace {

std::vector<SieveError> errorsOf(const std::string& source) {
    std::vector<SieveError> errors;
    parseSieve(source, "t.sieve", errors);
    return errors;
}

struct BadCase {
    const char* name;
    std::string source;
    int line;
    int column;
    const char* message_part;
};

TEST(SieveParse, ErrorsNameLineColumnAndCause) {
    const BadCase cases[] = {
        {"unknown command", "keep;\n  frobnicate;", 2, 3, "unknown command 'frobnicate'"},
        {"missing require", "if true {\n fileinto \"x\"; }", 2, 2, "needs require \"fileinto\""},
        {"missing envelope", "if envelope \"from\" \"a\" { keep; }", 1, 4, "needs require \"envelope\""},
        {"wrong argument type", "require \"fileinto\";\nfileinto 12;", 2, 10, "expects a string as argument 1, found a number"},
        {"unterminated string", "keep;\nif header :is \"subject\" \"abc", 2, 25, "unterminated string"},
        {"unclosed brace", "if true {\n keep;\n", 3, 1, "unbalanced braces"},
        {"stray brace", "keep;\n}", 2, 1, "unbalanced braces"},
        {"unknown extension", "require \"nope\";", 1, 9, "unsupported extension 'nope'"},
        {"else without if", "else { keep; }", 1, 1, "must follow 'if'"},
        {"require late", "keep;\nrequire \"fileinto\";", 2, 1, "before any other command"},
        {"unknown tag", "if header :foo \"a\" \"b\" { keep; }", 1, 11, "unknown tag ':foo'"},
        {"regex without require", "if header :regex \"a\" \"b\" { keep; }", 1, 11, "needs require \"regex\""},
        {"bad comparator", "if header :comparator \"i;unicode\" \"a\" \"b\" { keep; }", 1, 23, "unsupported comparator"},
        {"size without tag", "if size 10 { keep; }", 1, 4, "needs :over or :under"},
        {"unterminated comment", "keep; /* oops", 1, 7, "unterminated comment"},
        {"unterminated text", "require \"fileinto\";\nfileinto text:\nabc\n", 2, 10, "unterminated multi-line"},
        {"missing semicolon", "if true { keep }", 1, 16, "expected ';' or '{'"},
        {"bad priority", "require \"vnd.postdesk.ticket\";\npriority \"sky-high\";", 2, 10, "priority must be"},
        {"ticket without require", "queue \"billing\";", 1, 1, "needs require \"vnd.postdesk.ticket\""},
        {"test as command", "header \"a\" \"b\";", 1, 1, "is a test, not a command"},
    };
    for (const auto& c : cases) {
        auto errors = errorsOf(c.source);
        ASSERT_FALSE(errors.empty()) << c.name;
        EXPECT_EQ(errors[0].file, "t.sieve") << c.name;
        EXPECT_EQ(errors[0].line, c.line) << c.name << ": " << errors[0].message;
        EXPECT_EQ(errors[0].column, c.column) << c.name << ": " << errors[0].message;
        EXPECT_NE(errors[0].message.find(c.message_part), std::string::npos) << c.name << ": " << errors[0].message;
    }
}

TEST(SieveParse, UnterminatedStringNamesLineAndColumn) {
    auto errors = errorsOf("require \"fileinto\";\n\nif true {\n    fileinto \"billing;\n}\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 4);
    EXPECT_EQ(errors[0].column, 14);
    EXPECT_EQ(errors[0].message, "unterminated string");
}

TEST(SieveParse, TenThousandNestedIfsIsAnErrorNotACrash) {
    std::string source;
    for (int i = 0; i < 10000; ++i) source += "if true {\n";
    source += "keep;\n";
    for (int i = 0; i < 10000; ++i) source += "}\n";
    auto errors = errorsOf(source);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("nesting deeper than 64"), std::string::npos);
    EXPECT_EQ(errors[0].line, 65);  // 64 blocks are allowed; the test of the 65th if is one level too many
}

TEST(SieveParse, DeeplyNestedTestsAreAnErrorNotACrash) {
    std::string source = "if ";
    for (int i = 0; i < 100000; ++i) source += "not ";
    source += "true { keep; }";
    auto errors = errorsOf(source);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("nesting"), std::string::npos);
}

TEST(SieveParse, TenMegabyteStringIsRefused) {
    std::string source = "require \"fileinto\";\nfileinto \"" + std::string(10 * 1024 * 1024, 'x') + "\";";
    auto errors = errorsOf(source);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("script larger than"), std::string::npos);
}

TEST(SieveParse, StringOverTheLimitIsRefusedWithinAScript) {
    std::string source = "require \"fileinto\";\nfileinto \"" + std::string(kSieveMaxString + 1, 'x') + "\";";
    auto errors = errorsOf(source);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 2);
    EXPECT_NE(errors[0].message.find("string longer than"), std::string::npos);
}

TEST(SieveParse, HugeNumberIsAnError) {
    auto errors = errorsOf("if size :over 99999999999999999999999 { keep; }");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].message, "number too large");
    EXPECT_EQ(errorsOf("if size :over 20000000000G { keep; }").at(0).message, "number too large");
}

TEST(SieveParse, BuildsTreeWithTextCommentsListsAndQuantifiers) {
    const std::string source =
        "# a hash comment\n"
        "require [\"fileinto\", \"vnd.postdesk.ticket\"]; /* a bracket\n comment */\n"
        "if anyof (size :over 2K, header :contains [\"Subject\", \"X-Topic\"] [\"bill\", \"invoice\"]) {\n"
        "  fileinto \"billing\";\n"
        "  ack text: # comment after text:\n"
        "Thanks \"quoted\"\n"
        "..dot-stuffed\n"
        ".\n"
        "  ;\n"
        "}\n";
    std::vector<SieveError> errors;
    SieveScript s = parseSieve(source, "t.sieve", errors);
    ASSERT_TRUE(errors.empty()) << errors[0].message;
    EXPECT_EQ(s.extensions, (std::set<std::string>{"fileinto", "vnd.postdesk.ticket"}));
    ASSERT_EQ(s.commands.size(), 2u);
    const SieveCommand& ifc = s.commands[1];
    EXPECT_EQ(ifc.at.line, 4);
    ASSERT_EQ(ifc.tests.size(), 1u);
    const SieveTest& anyof = ifc.tests[0];
    ASSERT_EQ(anyof.tests.size(), 2u);
    EXPECT_EQ(anyof.tests[0].args[1].number, 2048u);
    EXPECT_EQ(anyof.tests[1].args[1].strings, (std::vector<std::string>{"Subject", "X-Topic"}));
    ASSERT_EQ(ifc.block.size(), 2u);
    EXPECT_EQ(ifc.block[1].args[0].strings[0], "Thanks \"quoted\"\r\n.dot-stuffed\r\n");
}

TEST(SieveParse, QuotedStringEscapes) {
    std::vector<SieveError> errors;
    SieveScript s = parseSieve("require \"fileinto\"; fileinto \"a\\\"b\\\\c\\d\";", "t.sieve", errors);
    ASSERT_TRUE(errors.empty());
    EXPECT_EQ(s.commands[1].args[0].strings[0], "a\"b\\cd");
}

TEST(SieveParse, EmptyScriptAndCommentsOnlyAreValid) {
    EXPECT_TRUE(errorsOf("").empty());
    EXPECT_TRUE(errorsOf("# nothing\n/* at all */\n").empty());
}

TEST(SieveParse, GarbageNeverCrashes) {
    const char* pieces[] = {"if", "{", "}", "(", ")", "[", "]", ",", ";", "\"s\"", ":is", "1K", "text:\n", "header", "anyof", "not", "/*"};
    std::uint32_t seed = 12345;
    for (int round = 0; round < 2000; ++round) {
        std::string source;
        for (int i = 0; i < 30; ++i) {
            seed = seed * 1664525u + 1013904223u;
            source += pieces[(seed >> 16) % std::size(pieces)];
            source += ' ';
        }
        errorsOf(source);  // must return, whatever it says
    }
}

}  // namespace
}  // namespace postdesk::rules
