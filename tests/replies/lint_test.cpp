#include "replies/lint.h"

#include <gtest/gtest.h>

#include "replies/placeholders.h"
#include "shipped_templates.h"

namespace postdesk::replies {
namespace {

std::vector<LintFinding> lintOne(const std::string& path, const std::string& content) {
    return lintTemplates({{path, content}});
}

std::string dump(const std::vector<LintFinding>& findings) {
    std::string out;
    for (const auto& f : findings) out += toString(f) + "\n";
    return out;
}

TEST(Lint, ShippedTemplatesAreClean) {
    const auto files = testing::shippedTemplates();
    ASSERT_GE(files.size(), 7u);
    const auto findings = lintTemplates(files);
    EXPECT_TRUE(findings.empty()) << dump(findings);
}

TEST(Lint, ForbiddenPhrasesInEnglishAndRussianAnyCase) {
    const struct {
        const char* content;
        const char* phrase;
        int line;
        int column;
    } cases[] = {
        {"{{greeting}}\nWe apologise for the INCONVENIENCE.", "we apologise", 2, 1},
        {"{{greeting}}\nWe apologize.", "we apologize", 2, 1},
        {"Dear Customer,", "dear customer", 1, 1},
        {"Hello valued customer", "valued customer", 1, 7},
        {"Please do not reply.", "do not reply", 1, 8},
        {"Sent from no-reply@x.org", "no-reply", 1, 11},
        {"Best,\nThe Support Team", "the support team", 2, 1},
        {"Customer Service Team", "customer service team", 1, 1},
        {"УВАЖАЕМЫЙ КЛИЕНТ!", "уважаемый клиент", 1, 1},
        {"Приносим извинения за неудобства.", "приносим извинения", 1, 1},
        {"Ок. Не отвечайте на это письмо.", "не отвечайте на это письмо", 1, 5},
        {"{{greeting}}\n\n— Команда поддержки", "команда поддержки", 3, 3},
        {"С уважением,\nСлужба поддержки {{queue.name}}", "служба поддержки", 2, 1},
    };
    for (const auto& c : cases) {
        const auto findings = lintOne("ack.en.mustache", c.content);
        ASSERT_FALSE(findings.empty()) << c.content;
        const auto& f = findings.front();
        EXPECT_NE(f.message.find(c.phrase), std::string::npos) << c.content << "\n" << dump(findings);
        EXPECT_EQ(f.line, c.line) << c.content;
        EXPECT_EQ(f.column, c.column) << c.content;
        EXPECT_EQ(f.severity, LintSeverity::Error);
    }
}

TEST(Lint, TeamPhrasesInsideASentenceAreFine) {
    for (const char* text : {"Наша служба поддержки работает круглосуточно.", "Our support team works around the clock."}) {
        EXPECT_TRUE(lintOne("ack.en.mustache", text).empty()) << dump(lintOne("ack.en.mustache", text));
    }
}

TEST(Lint, UnknownPlaceholderIsAnErrorWithItsPosition) {
    const auto findings = lintOne("ack.en.mustache", "Subject: Re {{ticket.title}}\n{{greeting}}\nHi {{customer.firstname}}!");
    ASSERT_EQ(findings.size(), 2u) << dump(findings);
    EXPECT_EQ(toString(findings[0]), "ack.en.mustache:1:13: error: unknown placeholder {{ticket.title}}: it would render as nothing");
    EXPECT_EQ(findings[1].line, 3);
    EXPECT_EQ(findings[1].column, 4);
}

TEST(Lint, RawFirstNameWarnsUnlessGuarded) {
    auto findings = lintOne("ack.en.mustache", "Hi {{customer.raw_first_name}},");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].severity, LintSeverity::Warning);
    EXPECT_NE(findings[0].message.find("no fallback"), std::string::npos);
    findings = lintOne("ack.en.mustache",
                       "{{#customer.raw_first_name}}Hi {{customer.raw_first_name}},{{/customer.raw_first_name}}"
                       "{{^customer.raw_first_name}}Hello,{{/customer.raw_first_name}}");
    EXPECT_TRUE(findings.empty()) << dump(findings);
}

TEST(Lint, EveryKnownPlaceholderIsFine) {
    std::string text;
    for (const auto& p : placeholders()) {
        if (p.has_fallback) text += "{{" + std::string(p.name) + "}} ";
    }
    EXPECT_TRUE(lintOne("notify.en.mustache", text).empty()) << dump(lintOne("notify.en.mustache", text));
}

TEST(Lint, LoadErrorsAndMissingDefaultsAreFindings) {
    const auto findings = lintTemplates({{"etc/replies/ack.ru.mustache", "{{#greeting}}"},
                                         {"etc/replies/notify.ru.mustache", "ok"},
                                         {"etc/replies/saved/x.mustache", "no header"}});
    const std::string all = dump(findings);
    EXPECT_NE(all.find("etc/replies/ack.ru.mustache:1:1: error: Unclosed section"), std::string::npos) << all;
    EXPECT_NE(all.find("etc/replies/saved/x.mustache:1:1: error: a saved reply starts with"), std::string::npos) << all;
    EXPECT_NE(all.find("missing ack.en.mustache"), std::string::npos) << all;
    EXPECT_NE(all.find("missing notify.en.mustache"), std::string::npos) << all;
}

TEST(Lint, SavedReplyLinesCountFromTheTopOfTheFile) {
    const auto findings = lintOne("saved/x.mustache", "name: x\ndescription: y\nlanguage: en\n\n{{greeting}}\nDear customer");
    ASSERT_EQ(findings.size(), 1u) << dump(findings);
    EXPECT_EQ(findings[0].line, 6);
}

}  // namespace
}  // namespace postdesk::replies
