#include "replies/placeholders.h"

#include <algorithm>

#include "replies/detail/phrases.h"
#include "replies/detail/utf8.h"
#include "replies/detail/weekday.h"
#include "replies/first_name.h"
#include "replies/subject.h"

namespace postdesk::replies {

namespace {

using detail::Phrases;

constexpr Placeholder kPlaceholders[] = {
    {"customer.first_name", "the customer's first name; \"there\" in English when unknown"},
    {"customer.raw_first_name", "the customer's first name or nothing (for sections only)", false},
    {"customer.name", "the customer's name as written, else the address"},
    {"customer.address", "the customer's e-mail address"},
    {"ticket.number", "the ticket number"},
    {"ticket.subject", "the ticket subject without Re: and [#N]"},
    {"ticket.status", "the ticket status (notifications)"},
    {"agent.name", "the signing agent's full name, else the queue name"},
    {"agent.first_name", "the signing agent's first name"},
    {"queue.name", "the queue's display name"},
    {"message.text", "the customer's message (notifications)"},
    {"weekday", "today's weekday in the customer's time zone"},
    {"greeting", "\"Hi Anna,\" / \"Здравствуйте, Анна!\""},
    {"day_line", "\"Have a great Tuesday!\" / \"Хорошего вторника!\""},
    {"reply_hint", "\"You can simply reply to this email.\""},
    {"signature", "agent name, queue name"},
};

std::string orElse(std::string_view value, std::string_view fallback) {
    return std::string(value.empty() ? fallback : value);
}

std::string trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n\"");
    if (first == std::string_view::npos) return {};
    return std::string(s.substr(first, s.find_last_not_of(" \t\r\n\"") - first + 1));
}

// "billing-de" → "Billing De"; "default" and "" are not names.
std::string queueDisplayName(const ReplyContext& c, const Phrases& p) {
    if (!trimmed(c.queue_name).empty()) return trimmed(c.queue_name);
    if (c.queue.empty() || c.queue == "default") return std::string(p.default_queue);
    std::string spaced = c.queue;
    std::replace_if(spaced.begin(), spaced.end(), [](char ch) { return ch == '-' || ch == '_'; }, ' ');
    std::string out;
    std::size_t start = 0;
    while (start <= spaced.size()) {
        const auto end = std::min(spaced.find(' ', start), spaced.size());
        if (end > start) out += (out.empty() ? "" : " ") + detail::capitaliseName(spaced.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::string greeting(std::string_view firstName, const Phrases& p) {
    if (firstName.empty()) return std::string(p.greeting_anonymous);
    return std::string(p.greeting_named_before) + std::string(firstName) + std::string(p.greeting_named_after);
}

void addCustomer(std::map<std::string, std::string>& v, const ReplyContext& c, const Phrases& p) {
    const std::string first = firstName(c.customer_name, c.customer_address);
    const std::string name = trimmed(c.customer_name);
    v["customer.first_name"] = orElse(first, p.customer_first_name);
    v["customer.raw_first_name"] = first;
    v["customer.name"] = orElse(name, orElse(c.customer_address, p.unknown_name));
    v["customer.address"] = orElse(c.customer_address, p.unknown_address);
    v["greeting"] = greeting(first, p);
}

void addTicket(std::map<std::string, std::string>& v, const ReplyContext& c, const Phrases& p) {
    v["ticket.number"] = c.ticket_number == 0 ? std::string(p.new_ticket) : std::to_string(c.ticket_number);
    v["ticket.subject"] = orElse(cleanSubject(c.ticket_subject), p.your_request);
    v["ticket.status"] = orElse(c.ticket_status, p.default_status);
    v["message.text"] = orElse(trimmed(c.message_text), p.empty_message);
}

void addAgent(std::map<std::string, std::string>& v, const ReplyContext& c, const Phrases& p) {
    const std::string queue = queueDisplayName(c, p);
    const std::string agent = trimmed(c.agent_name);
    v["queue.name"] = queue;
    v["agent.name"] = orElse(agent, queue);
    v["agent.first_name"] = orElse(firstName(agent, ""), v["agent.name"]);
    // Signed by a person when we have one (Help Scout: people answer people), else by the queue.
    v["signature"] = agent.empty() ? queue : agent + ", " + queue;
}

void addDay(std::map<std::string, std::string>& v, const ReplyContext& c, const Phrases& p) {
    const int weekday = detail::localWeekday(c.now, c.tz_minutes);
    v["weekday"] = p.weekdays[weekday];
    v["day_line"] = p.day_lines[weekday];
    v["reply_hint"] = p.reply_hint;
}

}  // namespace

std::span<const Placeholder> placeholders() { return kPlaceholders; }

const Placeholder* findPlaceholder(std::string_view name) {
    for (const auto& p : kPlaceholders) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

std::map<std::string, std::string> placeholderValues(const ReplyContext& context, std::string_view language) {
    const Phrases& phrases = detail::phrasesFor(language);
    std::map<std::string, std::string> values;
    addCustomer(values, context, phrases);
    addTicket(values, context, phrases);
    addAgent(values, context, phrases);
    addDay(values, context, phrases);
    return values;
}

kainjow::mustache::data placeholderData(const ReplyContext& context, std::string_view language) {
    using kainjow::mustache::data;
    std::map<std::string, data> groups;
    data root;
    for (const auto& [name, value] : placeholderValues(context, language)) {
        // An empty value is `false`, so {{#customer.raw_first_name}}…{{/…}} guards work: kainjow
        // treats an empty string as true.
        const data member = value.empty() ? data(false) : data(value);
        const auto dot = name.find('.');
        if (dot == std::string::npos) {
            root.set(name, member);
        } else {
            groups[name.substr(0, dot)].set(name.substr(dot + 1), member);
        }
    }
    for (auto& [group, members] : groups) root.set(group, members);
    return root;
}

}  // namespace postdesk::replies
