#include <gtest/gtest.h>

#include "replies/ack.h"

namespace postdesk::replies {
namespace {

TEST(HtmlTemplate, SeparatorLineAddsAnEscapedHtmlAlternative) {
    std::vector<TemplateError> errors;
    TemplateSet set = loadTemplates({{"etc/replies/ack.en.mustache",
                                      "Subject: [#{{ticket.number}}] {{ticket.subject}}\n\n{{greeting}}\nThanks!\n"
                                      "{{! html }}\n<p>{{greeting}}</p><p>Thanks!</p>\n"}},
                                    errors);
    ASSERT_TRUE(errors.empty()) << errors[0].message;
    ReplyContext ctx;
    ctx.customer_name = "Anna <b>Smith</b>";
    ctx.ticket_number = 7;
    ctx.ticket_subject = "Hi";
    ctx.language = "en";
    auto r = renderAck(set, ctx);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->text.find("<p>"), std::string::npos) << r->text;
    ASSERT_TRUE(r->html);
    EXPECT_NE(r->html->find("<p>"), std::string::npos);
    EXPECT_EQ(r->html->find("<b>"), std::string::npos) << "values are escaped in HTML: " << *r->html;
}

TEST(HtmlTemplate, TextOnlyTemplateHasNoHtml) {
    std::vector<TemplateError> errors;
    TemplateSet set = loadTemplates({{"etc/replies/ack.en.mustache", "{{greeting}}\nThanks!\n"}}, errors);
    ReplyContext ctx;
    ctx.language = "en";
    auto r = renderAck(set, ctx);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->html);
}

TEST(HtmlTemplate, ErrorInTheHtmlPartNamesItsLine) {
    std::vector<TemplateError> errors;
    loadTemplates({{"etc/replies/ack.en.mustache", "Hi\n{{! html }}\n<p>\n{{#greeting}}</p>\n"}}, errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_GE(errors[0].line, 3);
}

}  // namespace
}  // namespace postdesk::replies
