#include "replies/subject.h"

#include <gtest/gtest.h>

namespace postdesk::replies {
namespace {

TEST(Subject, OneTagNoReplyPrefixes) {
    const struct {
        std::uint64_t number;
        const char* subject;
        const char* language;
        const char* expected;
    } cases[] = {
        {42, "Printer", "en", "[#42] Printer"},
        {42, "Re: [#42] Printer", "en", "[#42] Printer"},
        {42, "RE: Re[2]: AW: [#42] Re: Printer", "en", "[#42] Printer"},
        {42, "Ответ: Отв: Принтер", "ru", "[#42] Принтер"},
        {42, "Printer [#42]", "en", "[#42] Printer"},
        {42, "  Printer   on   fire ", "en", "[#42] Printer on fire"},
        {42, "", "en", "[#42] Your request"},
        {42, "Re:", "ru", "[#42] Ваш запрос"},
        {0, "Re: Printer", "en", "Printer"},
        {42, "Fwd: invoice", "en", "[#42] Fwd: invoice"},  // a forward says something: kept
        {42, "Regarding: invoice", "en", "[#42] Regarding: invoice"},
    };
    for (const auto& c : cases) EXPECT_EQ(ticketSubject(c.number, c.subject, c.language), c.expected) << c.subject;
}

}  // namespace
}  // namespace postdesk::replies
