#include "replies/placeholders.h"

#include <gtest/gtest.h>

namespace postdesk::replies {
namespace {

constexpr std::int64_t kMonday2330Utc = 1772494200;  // 2026-03-02 23:30 UTC, a Monday
constexpr std::int64_t kDay = 86400;

ReplyContext anna() {
    ReplyContext c;
    c.customer_name = "Schmidt, Anna";
    c.customer_address = "anna@example.org";
    c.ticket_number = 42;
    c.ticket_subject = "Re: [#42] Printer";
    c.agent_name = "Maria Petrova";
    c.queue = "billing";
    c.language = "en";
    c.now = kMonday2330Utc;
    return c;
}

TEST(Placeholders, EveryOneWithAFallbackIsNeverEmpty) {
    const ReplyContext nothing;
    for (const char* language : {"en", "ru", "de"}) {
        const auto values = placeholderValues(nothing, language);
        for (const auto& p : placeholders()) {
            ASSERT_TRUE(values.contains(std::string(p.name))) << p.name;
            const bool russianFirstName = std::string(language) == "ru" && p.name == "customer.first_name";
            if (p.has_fallback && !russianFirstName) {
                EXPECT_FALSE(values.at(std::string(p.name)).empty()) << p.name << " " << language;
            }
        }
        EXPECT_EQ(values.size(), placeholders().size());
    }
}

TEST(Placeholders, KnownCustomerAndAgent) {
    const auto v = placeholderValues(anna(), "en");
    EXPECT_EQ(v.at("customer.first_name"), "Anna");
    EXPECT_EQ(v.at("customer.name"), "Schmidt, Anna");
    EXPECT_EQ(v.at("greeting"), "Hi Anna,");
    EXPECT_EQ(v.at("ticket.number"), "42");
    EXPECT_EQ(v.at("ticket.subject"), "Printer");
    EXPECT_EQ(v.at("agent.first_name"), "Maria");
    EXPECT_EQ(v.at("queue.name"), "Billing");
    EXPECT_EQ(v.at("signature"), "Maria Petrova, Billing");
    EXPECT_EQ(v.at("reply_hint"), "You can simply reply to this email.");
}

TEST(Placeholders, GreetingWithAndWithoutName) {
    ReplyContext c = anna();
    c.customer_name = "Анна Смирнова";
    EXPECT_EQ(placeholderValues(c, "ru").at("greeting"), "Здравствуйте, Анна!");
    EXPECT_EQ(placeholderValues(c, "en").at("greeting"), "Hi Анна,");
    c.customer_name = "support team";
    c.customer_address = "help@example.org";
    EXPECT_EQ(placeholderValues(c, "ru").at("greeting"), "Здравствуйте!");
    EXPECT_EQ(placeholderValues(c, "en").at("greeting"), "Hi there,");
    EXPECT_EQ(placeholderValues(c, "en").at("customer.first_name"), "there");
    EXPECT_EQ(placeholderValues(c, "en").at("customer.raw_first_name"), "");
}

TEST(Placeholders, WeekdayInTheCustomersTimeZone) {
    ReplyContext c = anna();
    c.tz_minutes = 180;  // Moscow: already Tuesday 02:30
    EXPECT_EQ(placeholderValues(c, "ru").at("weekday"), "вторник");
    EXPECT_EQ(placeholderValues(c, "en").at("weekday"), "Tuesday");
    c.tz_minutes = 0;
    EXPECT_EQ(placeholderValues(c, "en").at("weekday"), "Monday");
    c.tz_minutes = -300;  // New York
    c.now = kMonday2330Utc - 23 * 3600 - 1800 + 3 * 3600;  // Monday 03:00 UTC = Sunday 22:00 there
    EXPECT_EQ(placeholderValues(c, "en").at("weekday"), "Sunday");
}

TEST(Placeholders, RussianDayLineAgreesInGender) {
    ReplyContext c = anna();
    const char* expected[] = {"Хорошего понедельника!", "Хорошего вторника!", "Хорошей среды!", "Хорошего четверга!",
                              "Хорошей пятницы!", "Хорошей субботы!", "Хорошего воскресенья!"};
    for (int day = 0; day < 7; ++day) {
        c.now = kMonday2330Utc - 3600 + day * kDay;  // Monday 22:30 UTC onwards
        EXPECT_EQ(placeholderValues(c, "ru").at("day_line"), expected[day]) << day;
    }
    c.now = kMonday2330Utc + kDay;
    EXPECT_EQ(placeholderValues(c, "en").at("day_line"), "Have a great Tuesday!");
}

TEST(Placeholders, QueueNameAndSignatureFallbacks) {
    ReplyContext c;
    EXPECT_EQ(placeholderValues(c, "en").at("signature"), "Support");
    EXPECT_EQ(placeholderValues(c, "ru").at("queue.name"), "Поддержка");
    c.queue = "sales-de";
    EXPECT_EQ(placeholderValues(c, "en").at("queue.name"), "Sales De");
    c.queue_name = "Vertrieb";
    c.agent_name = "Jonas Weber";
    EXPECT_EQ(placeholderValues(c, "en").at("signature"), "Jonas Weber, Vertrieb");
}

TEST(Placeholders, DataNestsDottedNamesForKainjow) {
    kainjow::mustache::mustache t{"{{greeting}} #{{ticket.number}} {{customer.first_name}}"};
    EXPECT_EQ(t.render(placeholderData(anna(), "en")), "Hi Anna, #42 Anna");
}

TEST(Placeholders, EmptyRawFirstNameIsFalseForSections) {
    kainjow::mustache::mustache t{"{{#customer.raw_first_name}}Hi {{customer.raw_first_name}}{{/customer.raw_first_name}}"
                                  "{{^customer.raw_first_name}}Hello{{/customer.raw_first_name}}"};
    EXPECT_EQ(t.render(placeholderData(ReplyContext{}, "en")), "Hello");
    EXPECT_EQ(t.render(placeholderData(anna(), "en")), "Hi Anna");
}

}  // namespace
}  // namespace postdesk::replies
