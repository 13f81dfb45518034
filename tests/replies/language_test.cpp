#include "replies/language.h"

#include <gtest/gtest.h>

namespace postdesk::replies {
namespace {

TEST(Language, CyrillicShareDecides) {
    const struct {
        const char* text;
        const char* subject;
        const char* expected;
    } cases[] = {
        {"Здравствуйте, не работает принтер.", "Принтер", "ru"},
        {"Hello, my printer is broken.", "Printer", "en"},
        {"Не работает почта в Microsoft Outlook", "", "ru"},  // product names do not flip it
        {"Please help. Спасибо", "Printer problem in the office", "en"},
        {"", "", "en"},
        {"12345 !!!", "", "en"},
        {"", "Вопрос", "ru"},
    };
    for (const auto& c : cases) EXPECT_EQ(detectLanguage(c.text, c.subject), c.expected) << c.text;
}

}  // namespace
}  // namespace postdesk::replies
