#include "replies/detail/phrases.h"

namespace postdesk::replies::detail {

namespace {

const Phrases kEnglish{
    {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
    {"Have a great Sunday!", "Have a great Monday!", "Have a great Tuesday!", "Have a great Wednesday!",
     "Have a great Thursday!", "Have a great Friday!", "Have a great Saturday!"},
    "Hi ",
    ",",
    "Hi there,",
    "there",
    "(no name)",
    "(no address)",
    "You can simply reply to this email.",
    "Your request",
    "new",
    "open",
    "(no text)",
    "Support",
};

// The day line puts the weekday in the genitive, and the adjective agrees with its gender:
// хорошего понедельника/вторника/четверга/воскресенья, хорошей среды/пятницы/субботы.
const Phrases kRussian{
    {"воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"},
    {"Хорошего воскресенья!", "Хорошего понедельника!", "Хорошего вторника!", "Хорошей среды!",
     "Хорошего четверга!", "Хорошей пятницы!", "Хорошей субботы!"},
    "Здравствуйте, ",
    "!",
    "Здравствуйте!",
    "",  // Russian has no "there": the greeting drops the name instead
    "(без имени)",
    "(адрес не указан)",
    "Просто ответьте на это письмо.",
    "Ваш запрос",
    "новый",
    "открыта",  // заявка is feminine
    "(без текста)",
    "Поддержка",
};

}  // namespace

const Phrases& phrasesFor(std::string_view language) { return language == "ru" ? kRussian : kEnglish; }

}  // namespace postdesk::replies::detail
