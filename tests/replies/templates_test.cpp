#include "replies/templates.h"

#include <gtest/gtest.h>

#include "replies/placeholders.h"
#include "shipped_templates.h"

namespace postdesk::replies {
namespace {

TemplateSet load(const std::vector<TemplateFile>& files, std::vector<TemplateError>& errors) {
    return loadTemplates(files, errors);
}

std::string render(const Template* t) {
    return t == nullptr ? "<none>" : t->body.render(placeholderData(ReplyContext{}, t->language));
}

TEST(Templates, AckSelectionFallsBackToDefaultThenEnglish) {
    std::vector<TemplateError> errors;
    const auto set = load({{"etc/replies/ack.en.mustache", "default en"},
                           {"etc/replies/ack.ru.mustache", "default ru"},
                           {"etc/replies/ack.billing.en.mustache", "billing en"}},
                          errors);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(render(set.ack("billing", "en")), "billing en");
    EXPECT_EQ(render(set.ack("billing", "ru")), "default ru");
    EXPECT_EQ(render(set.ack("sales", "ru")), "default ru");
    EXPECT_EQ(render(set.ack("sales", "de")), "default en");
    EXPECT_EQ(render(set.ack("", "en")), "default en");
    EXPECT_EQ(TemplateSet{}.ack("x", "en"), nullptr);
}

TEST(Templates, SubjectLineIsItsOwnTemplate) {
    std::vector<TemplateError> errors;
    const auto set = load({{"notify.en.mustache", "Subject: [#{{ticket.number}}] new\r\nBody line\r\n"}}, errors);
    ASSERT_TRUE(errors.empty());
    const Template* t = set.notify("ru");
    ASSERT_NE(t, nullptr);
    ASSERT_TRUE(t->subject.has_value());
    ReplyContext c;
    c.ticket_number = 7;
    EXPECT_EQ(t->subject->render(placeholderData(c, "en")), "[#7] new");
    EXPECT_EQ(t->body.render(placeholderData(c, "en")), "Body line\n");
}

TEST(Templates, SyntaxErrorIsReportedAtFileLineAndSkipped) {
    std::vector<TemplateError> errors;
    const auto set = load({{"etc/replies/ack.en.mustache", "Subject: hi\nline two\n  {{#greeting}} open\n"},
                           {"etc/replies/ack.ru.mustache", "ok"}},
                          errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].path, "etc/replies/ack.en.mustache");
    EXPECT_EQ(errors[0].line, 3);
    EXPECT_EQ(errors[0].column, 3);
    EXPECT_NE(errors[0].message.find("Unclosed section"), std::string::npos) << errors[0].message;
    EXPECT_EQ(set.ack("", "en"), nullptr);  // skipped, and English is the end of the fallback chain
    EXPECT_EQ(render(set.ack("", "ru")), "ok");
}

TEST(Templates, SubjectSyntaxErrorPointsIntoTheSubjectLine) {
    std::vector<TemplateError> errors;
    load({{"ack.en.mustache", "Subject:  [#{{ticket.number]\nbody"}}, errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 1);
    EXPECT_EQ(errors[0].column, 13);
}

TEST(Templates, PartialsAndDelimiterChangesAreRefused) {
    std::vector<TemplateError> errors;
    const auto set = load({{"ack.en.mustache", "Hello\n{{> greeting}}"}, {"ack.ru.mustache", "{{=<% %>=}}"}}, errors);
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].line, 2);
    EXPECT_NE(errors[0].message.find("partials"), std::string::npos);
    EXPECT_NE(errors[1].message.find("delimiters"), std::string::npos);
    EXPECT_EQ(set.ack("", "en"), nullptr);
}

TEST(Templates, BadFileNamesAreErrorsOtherFilesAreIgnored) {
    std::vector<TemplateError> errors;
    load({{"etc/replies/README.md", "# notes"},
          {"etc/replies/ack.mustache", "x"},
          {"etc/replies/welcome.en.mustache", "x"},
          {"etc/replies/ack.Billing.en.mustache", "x"},
          {"etc/replies/notify.a.en.mustache", "x"}},
         errors);
    ASSERT_EQ(errors.size(), 4u);
    for (const auto& e : errors) EXPECT_NE(e.message.find("unrecognised template file name"), std::string::npos);
}

TEST(Templates, NoHtmlEscapingInPlainText) {
    std::vector<TemplateError> errors;
    const auto set = load({{"ack.en.mustache", "{{queue.name}} / {{{queue.name}}}"}}, errors);
    ReplyContext c;
    c.queue_name = "R&D <lab>";
    EXPECT_EQ(set.ack("", "en")->body.render(placeholderData(c, "en")), "R&D <lab> / R&D <lab>");
}

TEST(Templates, SavedRepliesHaveHeadersAndLanguageVariants) {
    std::vector<TemplateError> errors;
    const auto set = load({{"saved/refund.mustache", "name: Refund\ndescription: Money back\nlanguage: en\n\nRefunded."},
                           {"saved/refund.ru.mustache", "name: refund\ndescription: Возврат\nlanguage: ru\n\nВернули."},
                           {"saved/other.mustache", "name: refund\nlanguage: en\n\nduplicate"},
                           {"saved/plain.mustache", "no header here\n\ntext"},
                           {"saved/open.mustache", "name: open\nlanguage: en\ncolour: red"}},
                          errors);
    ASSERT_EQ(errors.size(), 4u);
    EXPECT_EQ(errors[0].path, "saved/other.mustache");
    EXPECT_NE(errors[0].message.find("duplicate saved reply \"refund\""), std::string::npos);
    EXPECT_EQ(errors[1].path, "saved/plain.mustache");
    EXPECT_EQ(errors[1].line, 1);
    EXPECT_NE(errors[2].message.find("unknown header \"colour\""), std::string::npos);
    EXPECT_EQ(errors[2].line, 3);
    EXPECT_NE(errors[3].message.find("no blank line"), std::string::npos);

    EXPECT_EQ(render(set.savedReply("REFUND", "ru")), "Вернули.");
    EXPECT_EQ(render(set.savedReply("refund", "de")), "Refunded.");
    EXPECT_EQ(set.savedReply("nothing"), nullptr);
    const auto list = set.savedReplies();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].name, "refund");
    EXPECT_EQ(list[0].language, "en");
    EXPECT_EQ(list[0].description, "Money back");
    EXPECT_EQ(list[0].path, "saved/refund.mustache");
    EXPECT_EQ(list[1].language, "ru");
}

TEST(Templates, SavedReplyOnlyInRussianIsFoundForEnglish) {
    std::vector<TemplateError> errors;
    const auto set = load({{"saved/x.mustache", "name: x\nlanguage: ru\n\nтекст"}}, errors);
    EXPECT_EQ(render(set.savedReply("x", "en")), "текст");
}

TEST(Templates, ShippedTemplatesLoadWithoutErrors) {
    std::vector<TemplateError> errors;
    const auto set = loadTemplates(testing::shippedTemplates(), errors);
    for (const auto& e : errors) ADD_FAILURE() << e.path << ":" << e.line << ": " << e.message;
    EXPECT_NE(set.ack("", "en"), nullptr);
    EXPECT_NE(set.ack("", "ru"), nullptr);
    EXPECT_NE(set.notify("en"), nullptr);
    EXPECT_NE(set.notify("ru"), nullptr);
    EXPECT_NE(set.savedReply("refund"), nullptr);
    EXPECT_EQ(set.savedReply("password-reset", "ru")->language, "ru");
    EXPECT_EQ(set.savedReplies().size(), 3u);
}

}  // namespace
}  // namespace postdesk::replies
