#include "replies/first_name.h"

#include <gtest/gtest.h>

namespace postdesk::replies {
namespace {

struct NameCase {
    const char* display;
    const char* address;
    const char* expected;
};

void expectAll(const std::vector<NameCase>& cases) {
    for (const auto& c : cases) {
        EXPECT_EQ(firstName(c.display, c.address), c.expected) << "display \"" << c.display << "\" <" << c.address << ">";
    }
}

TEST(FirstName, WesternOrders) {
    expectAll({
        {"John Doe", "jd@example.org", "John"},
        {"Doe, John", "", "John"},
        {"\"Doe, John\"", "", "John"},
        {"John Doe, PhD", "", "John"},
        {"Dr. Anna Schmidt", "", "Anna"},
        {"Prof. Dr. Anna Schmidt", "", "Anna"},
        {"Mrs Jane Smith", "", "Jane"},
        {"Anna", "", "Anna"},
        {"Anna S.", "", "Anna"},
        {"Anna-Lena Meyer", "", "Anna-Lena"},
        {"John Doe (Acme Corp)", "", "John"},
        {"  John   Doe  ", "", "John"},
    });
}

TEST(FirstName, CapitalisesAllCapsAndLowerCase) {
    expectAll({
        {"ANNA SCHMIDT", "", "Anna"},
        {"anna schmidt", "", "Anna"},
        {"ÉLODIE DUPONT", "", "Élodie"},
        {"ŁUKASZ NOWAK", "", "Łukasz"},
        {"ИВАН ПЕТРОВ", "", "Иван"},
        {"ёлка палкина", "", "Ёлка"},
        {"anna-lena meyer", "", "Anna-Lena"},
        {"JoAnn Smith", "", "JoAnn"},  // mixed case is how she writes it
    });
}

TEST(FirstName, SurnameFirstRussianPatronymic) {
    expectAll({
        {"Иванов Иван Иванович", "", "Иван"},
        {"Петрова Мария Сергеевна", "", "Мария"},
        {"Кузнецова Анна Ильинична", "", "Анна"},
        {"Соколов Дмитрий Андреевич", "", "Дмитрий"},
        {"Иван Иванович", "", "Иван"},
        {"Иван Петров", "", "Иван"},
        {"Иванов И.И.", "", ""},  // surname and initials: the given name is not there
    });
}

TEST(FirstName, RolesAddressesAndDigitsAreNoName) {
    expectAll({
        {"support team", "", ""},
        {"Acme Support", "", ""},
        {"info", "", ""},
        {"no-reply", "", ""},
        {"Служба поддержки", "", ""},
        {"ООО Ромашка", "", ""},
        {"john.doe@example.org", "", ""},
        {"4711", "", ""},
        {"User 4711", "", ""},
        {"J.", "", ""},
        {"M. Dupont", "", ""},
        {"", "", ""},
        {"  ", "", ""},
    });
}

TEST(FirstName, EmptyDisplayNameUsesFirstDotLastAddress) {
    expectAll({
        {"", "anna.schmidt@example.org", "Anna"},
        {"", "info@example.org", ""},
        {"", "jsmith@example.org", ""},
        {"", "support.team@example.org", ""},
        {"", "anna.schmidt2@example.org", ""},
        {"", "a.b.c@example.org", ""},
    });
}

}  // namespace
}  // namespace postdesk::replies
