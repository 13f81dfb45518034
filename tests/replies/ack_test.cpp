#include "replies/ack.h"

#include <gtest/gtest.h>

#include "shipped_templates.h"

namespace postdesk::replies {
namespace {

constexpr std::int64_t kMonday2330Utc = 1772494200;  // 2026-03-02 23:30 UTC

const TemplateSet& shipped() {
    static const TemplateSet set = [] {
        std::vector<TemplateError> errors;
        return loadTemplates(testing::shippedTemplates(), errors);
    }();
    return set;
}

ReplyContext moscowCustomer(const char* name, const char* language) {
    ReplyContext c;
    c.customer_name = name;
    c.customer_address = "anna@example.org";
    c.ticket_number = 1042;
    c.ticket_subject = "Re: Printer";
    c.agent_name = "Maria Petrova";
    c.queue = "billing";
    c.queue_name = "Billing";
    c.language = language;
    c.tz_minutes = 180;
    c.now = kMonday2330Utc;  // Tuesday 02:30 in Moscow
    return c;
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

TEST(Ack, EnglishOnTheCustomersTuesday) {
    const auto ack = renderAck(shipped(), moscowCustomer("Schmidt, Anna", "en"));
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->subject, "[#1042] Printer");
    EXPECT_TRUE(ack->text.starts_with("Hi Anna,\n\n")) << ack->text;
    EXPECT_TRUE(contains(ack->text, "Thanks")) << ack->text;
    EXPECT_TRUE(contains(ack->text, "You can simply reply to this email.")) << ack->text;
    EXPECT_TRUE(contains(ack->text, "Have a great Tuesday!")) << ack->text;
    EXPECT_TRUE(ack->text.ends_with("\nMaria Petrova, Billing\n")) << ack->text;
    ASSERT_TRUE(ack->html.has_value());  // the shipped English acknowledgment has an HTML part
    EXPECT_TRUE(contains(*ack->html, "<p>Have a great Tuesday!</p>")) << *ack->html;
    EXPECT_EQ(ack->template_path, "etc/replies/ack.en.mustache");
}

TEST(Ack, RussianOnTheCustomersTuesday) {
    const auto ack = renderAck(shipped(), moscowCustomer("Смирнова Анна Сергеевна", "ru"));
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->subject, "[#1042] Printer");
    EXPECT_TRUE(ack->text.starts_with("Здравствуйте, Анна!\n\n")) << ack->text;
    EXPECT_TRUE(contains(ack->text, "Спасибо")) << ack->text;
    EXPECT_TRUE(contains(ack->text, "Просто ответьте на это письмо.")) << ack->text;
    EXPECT_TRUE(contains(ack->text, "Хорошего вторника!")) << ack->text;
    EXPECT_TRUE(ack->text.ends_with("\nMaria Petrova, Billing\n")) << ack->text;
}

TEST(Ack, QueueWithoutOwnTemplateUsesTheDefaultInItsLanguage) {
    auto c = moscowCustomer("Anna", "de");
    const auto ack = renderAck(shipped(), c);
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->template_path, "etc/replies/ack.en.mustache");
    EXPECT_TRUE(ack->text.starts_with("Hi Anna,")) << ack->text;
}

TEST(Ack, MissingEveryValueStillReadsWell) {
    for (const char* language : {"en", "ru"}) {
        ReplyContext nothing;
        nothing.language = language;
        for (const auto& reply : {renderAck(shipped(), nothing), renderNotify(shipped(), nothing),
                                  renderSaved(shipped(), "refund", nothing), renderSaved(shipped(), "password-reset", nothing)}) {
            ASSERT_TRUE(reply.has_value());
            EXPECT_FALSE(contains(reply->text, "Hi ,")) << reply->text;
            EXPECT_FALSE(contains(reply->text, " ,")) << reply->text;
            EXPECT_FALSE(contains(reply->text, "{{")) << reply->text;
            EXPECT_FALSE(contains(reply->text, "\"\"")) << reply->text;
            EXPECT_FALSE(contains(reply->text, "«»")) << reply->text;
            EXPECT_FALSE(contains(reply->subject, "{{")) << reply->subject;
            EXPECT_FALSE(reply->subject.empty());
        }
    }
    const auto en = renderAck(shipped(), ReplyContext{});
    EXPECT_TRUE(en->text.starts_with("Hi there,\n")) << en->text;
    EXPECT_EQ(en->subject, "Your request");
    ReplyContext ru;
    ru.language = "ru";
    EXPECT_TRUE(renderAck(shipped(), ru)->text.starts_with("Здравствуйте!\n")) << renderAck(shipped(), ru)->text;
}

TEST(Ack, NoRenderWithoutATemplate) {
    EXPECT_FALSE(renderAck(TemplateSet{}, ReplyContext{}).has_value());
    EXPECT_FALSE(renderNotify(TemplateSet{}, ReplyContext{}).has_value());
    EXPECT_FALSE(renderSaved(shipped(), "no-such-reply", ReplyContext{}).has_value());
}

TEST(Ack, BodyIsTidied) {
    std::vector<TemplateError> errors;
    const auto set = loadTemplates({{"ack.en.mustache", "{{greeting}}   \n\n{{#customer.raw_first_name}}x{{/customer.raw_first_name}}\nend\n\n\n"}}, errors);
    EXPECT_EQ(renderAck(set, ReplyContext{})->text, "Hi there,\n\nend\n");
}

TEST(Notify, CarriesTheCustomersTextAndTheCommandLine) {
    auto c = moscowCustomer("Anna Schmidt", "en");
    c.ticket_status = "open";
    c.message_text = "The printer is on fire.\n";
    const auto n = renderNotify(shipped(), c);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(n->subject, "[#1042] Anna Schmidt: Printer");
    EXPECT_TRUE(contains(n->text, "Ticket #1042 (open) in Billing: Printer")) << n->text;
    EXPECT_TRUE(contains(n->text, "From: Anna Schmidt <anna@example.org>")) << n->text;
    EXPECT_TRUE(contains(n->text, "\nThe printer is on fire.\n")) << n->text;
    EXPECT_TRUE(contains(n->text, "Reply to this email to answer the customer; commands: #note #close #pending #open "
                                  "#assign NAME #priority P #tag X #saved NAME")) << n->text;
}

TEST(Saved, RendersInTheTicketLanguageWhenAvailable) {
    auto c = moscowCustomer("Иван Петров", "ru");
    const auto r = renderSaved(shipped(), "password-reset", c);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->text.starts_with("Здравствуйте, Иван!")) << r->text;
    EXPECT_TRUE(contains(r->text, "anna@example.org")) << r->text;
    EXPECT_EQ(r->subject, "[#1042] Printer");
    const auto refund = renderSaved(shipped(), "refund", c);  // English only
    ASSERT_TRUE(refund.has_value());
    EXPECT_TRUE(refund->text.starts_with("Hi Иван,")) << refund->text;
    EXPECT_TRUE(contains(refund->text, "Have a great Tuesday!")) << refund->text;
}

}  // namespace
}  // namespace postdesk::replies
