#include "rules/chat_conversation.h"

#include <gtest/gtest.h>

namespace postdesk::rules {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::int64_t kAgent = 111;
constexpr std::int64_t kCustomer = 333;

ChatUser user(std::int64_t id, std::string first, std::string last = "", std::string username = "") {
    ChatUser u;
    u.id = id;
    u.first_name = std::move(first);
    u.last_name = std::move(last);
    u.username = std::move(username);
    return u;
}

ChatEvent message(std::int64_t from, std::string text, std::int64_t date = kNow, std::int64_t messageId = 100) {
    ChatEvent e;
    e.kind = ChatEvent::Kind::Message;
    e.chat_id = -1001234567890;
    e.chat_type = "supergroup";
    e.chat_title = "Acme support";
    e.message_id = messageId;
    e.from = from == kAgent ? user(kAgent, "Anna", "Smith", "anna") : user(from, "Ivan", "Petrov", "ivanp");
    e.date = date;
    e.text = std::move(text);
    return e;
}

ChatEvent command(std::int64_t from, std::string cmd, std::string args, std::int64_t date = kNow) {
    ChatEvent e = message(from, cmd + (args.empty() ? "" : " " + args), date);
    e.command = std::move(cmd);
    e.command_args = std::move(args);
    return e;
}

ChatPolicy policy(ChatPolicy::Mode mode) {
    ChatPolicy p;
    p.mode = mode;
    p.agents = {kAgent};
    return p;
}

ConversationState conversation(std::int64_t lastAt, std::int64_t ticket = 0, bool closed = false) {
    ConversationState c;
    c.id = 7;
    c.first_message_id = 50;
    c.last_msg_at = lastAt;
    c.ticket = ticket;
    c.ticket_closed = closed;
    return c;
}

TEST(ChatPolicy, DefaultModeIsEveryForPrivateChatsAndCommandForGroups) {
    EXPECT_EQ(defaultMode("private"), ChatPolicy::Mode::Every);
    EXPECT_EQ(defaultMode("group"), ChatPolicy::Mode::Command);
    EXPECT_EQ(defaultMode("supergroup"), ChatPolicy::Mode::Command);
    EXPECT_EQ(defaultMode("channel"), ChatPolicy::Mode::Command);
    EXPECT_EQ(chatModeFromString("keywords"), ChatPolicy::Mode::Keywords);
    EXPECT_EQ(chatModeFromString("Every"), std::nullopt);
    EXPECT_STREQ(toString(ChatPolicy::Mode::Command), "command");
}

TEST(ChatConversation, FirstMessageStartsAConversation) {
    auto d = decideChatEvent(message(kCustomer, "hello"), std::nullopt, policy(ChatPolicy::Mode::Command), kNow);
    EXPECT_TRUE(d.new_conversation);
    EXPECT_FALSE(d.open_ticket);
    EXPECT_EQ(d.last_msg_at, kNow);
    EXPECT_NE(d.reason.find("command mode"), std::string::npos) << d.reason;
}

TEST(ChatConversation, GapOverIdleWindowStartsANewConversation) {
    auto p = policy(ChatPolicy::Mode::Command);
    auto inside = decideChatEvent(message(kCustomer, "x", kNow), conversation(kNow - p.idle_window_s), p, kNow);
    EXPECT_FALSE(inside.new_conversation);
    auto outside = decideChatEvent(message(kCustomer, "x", kNow), conversation(kNow - p.idle_window_s - 1), p, kNow);
    EXPECT_TRUE(outside.new_conversation);
    EXPECT_NE(outside.reason.find("idle window"), std::string::npos) << outside.reason;
}

TEST(ChatConversation, ClosedTicketStartsANewConversationAndTicket) {
    auto d = decideChatEvent(message(kCustomer, "again"), conversation(kNow - 60, 42, true),
                             policy(ChatPolicy::Mode::Every), kNow);
    EXPECT_TRUE(d.new_conversation);
    EXPECT_TRUE(d.open_ticket);
    EXPECT_FALSE(d.append_to_ticket);
}

TEST(ChatConversation, ReplyIntoATicketedConversationKeepsItPastTheWindow) {
    auto e = message(kCustomer, "about that", kNow);
    e.reply_to = 60;  // >= first_message_id 50
    auto d = decideChatEvent(e, conversation(kNow - 10 * 3600, 42), policy(ChatPolicy::Mode::Every), kNow);
    EXPECT_FALSE(d.new_conversation) << d.reason;
    EXPECT_TRUE(d.append_to_ticket);
    e.reply_to = 40;  // an older conversation's message
    EXPECT_TRUE(decideChatEvent(e, conversation(kNow - 10 * 3600, 42), policy(ChatPolicy::Mode::Every), kNow).new_conversation);
}

TEST(ChatConversation, EveryModeOpensATicketAtTheFirstCustomerMessage) {
    auto d = decideChatEvent(message(kCustomer, "My printer is on fire"), std::nullopt, policy(ChatPolicy::Mode::Every), kNow);
    EXPECT_TRUE(d.open_ticket);
    EXPECT_EQ(d.subject, "My printer is on fire");
    EXPECT_EQ(d.role, ChatRole::Customer);
    EXPECT_TRUE(d.is_customer_text);
}

TEST(ChatConversation, EveryModeDoesNotOpenForStartOrAnAgent) {
    auto p = policy(ChatPolicy::Mode::Every);
    auto start = decideChatEvent(command(kCustomer, "/start", ""), std::nullopt, p, kNow);
    EXPECT_TRUE(start.new_conversation);
    EXPECT_FALSE(start.open_ticket);
    EXPECT_FALSE(start.is_customer_text);
    EXPECT_EQ(start.unanswered_since, 0);
    EXPECT_FALSE(decideChatEvent(message(kAgent, "hi"), std::nullopt, p, kNow).open_ticket);
}

TEST(ChatConversation, ExistingTicketIsAppendedToNotReopened) {
    auto d = decideChatEvent(message(kCustomer, "more"), conversation(kNow - 60, 42), policy(ChatPolicy::Mode::Every), kNow);
    EXPECT_FALSE(d.open_ticket);
    EXPECT_TRUE(d.append_to_ticket);
    EXPECT_FALSE(d.new_conversation);
}

TEST(ChatConversation, AgentTicketCommandOpensWithItsArguments) {
    auto d = decideChatEvent(command(kAgent, "/ticket", "Refund  for\norder 77"), conversation(kNow - 60),
                             policy(ChatPolicy::Mode::Command), kNow);
    EXPECT_TRUE(d.open_ticket);
    EXPECT_EQ(d.subject, "Refund for order 77");
    EXPECT_EQ(d.role, ChatRole::Agent);
    EXPECT_EQ(d.record_from_message_id, 0);
}

TEST(ChatConversation, BareTicketCommandIsTitledAfterTheChat) {
    auto d = decideChatEvent(command(kAgent, "/ticket", ""), conversation(kNow - 60), policy(ChatPolicy::Mode::Command), kNow);
    EXPECT_EQ(d.subject, "Chat with Acme support");
}

TEST(ChatConversation, TicketCommandAsAReplyStartsTheRecordThereEvenPastTheWindow) {
    auto e = command(kAgent, "/ticket", "Broken login");
    e.reply_to = 55;
    auto d = decideChatEvent(e, conversation(kNow - 6 * 3600), policy(ChatPolicy::Mode::Command), kNow);
    EXPECT_FALSE(d.new_conversation) << d.reason;
    EXPECT_TRUE(d.open_ticket);
    EXPECT_EQ(d.record_from_message_id, 55);
}

TEST(ChatConversation, NonAgentTicketCommandIsRefused) {
    auto d = decideChatEvent(command(kCustomer, "/ticket", "please"), conversation(kNow - 60),
                             policy(ChatPolicy::Mode::Command), kNow);
    EXPECT_FALSE(d.open_ticket);
    EXPECT_TRUE(d.refused);
    EXPECT_FALSE(d.is_customer_text);
    EXPECT_NE(d.reason.find("not an agent"), std::string::npos) << d.reason;
}

TEST(ChatConversation, SecondTicketCommandIsRefusedAndNamesTheTicket) {
    auto d = decideChatEvent(command(kAgent, "/ticket", "again"), conversation(kNow - 60, 42),
                             policy(ChatPolicy::Mode::Command), kNow);
    EXPECT_FALSE(d.open_ticket);
    EXPECT_TRUE(d.refused);
    EXPECT_NE(d.reason.find("#42"), std::string::npos) << d.reason;
}

TEST(ChatConversation, AgentTicketCommandWorksInEveryMode) {
    auto d = decideChatEvent(command(kAgent, "/ticket", "From the agent"), conversation(kNow - 60),
                             policy(ChatPolicy::Mode::Every), kNow);
    EXPECT_TRUE(d.open_ticket);
}

TEST(ChatConversation, CommandModeNeverOpensForCustomerText) {
    auto d = decideChatEvent(message(kCustomer, "urgent!!"), conversation(kNow - 60), policy(ChatPolicy::Mode::Command), kNow);
    EXPECT_FALSE(d.open_ticket);
    EXPECT_TRUE(d.is_customer_text);
}

TEST(ChatConversation, KeywordsModeOpensOnAMatchCaseInsensitively) {
    auto p = policy(ChatPolicy::Mode::Keywords);
    p.keywords_regex = "refund|broken";
    auto hit = decideChatEvent(message(kCustomer, "The app is BROKEN again"), conversation(kNow - 60), p, kNow);
    EXPECT_TRUE(hit.open_ticket) << hit.reason;
    EXPECT_EQ(hit.subject, "The app is BROKEN again");
    EXPECT_FALSE(decideChatEvent(message(kCustomer, "thanks"), conversation(kNow - 60), p, kNow).open_ticket);
    EXPECT_FALSE(decideChatEvent(message(kAgent, "refund done"), conversation(kNow - 60), p, kNow).open_ticket);
}

TEST(ChatConversation, KeywordsModeWithABadPatternNeverMatchesAndSaysWhy) {
    auto p = policy(ChatPolicy::Mode::Keywords);
    for (std::string pattern : {"(a+)+", "[unclosed", ""}) {
        p.keywords_regex = pattern;
        auto d = decideChatEvent(message(kCustomer, "aaaa [unclosed"), conversation(kNow - 60), p, kNow);
        EXPECT_FALSE(d.open_ticket) << pattern;
        EXPECT_NE(d.reason.find("never matches"), std::string::npos) << pattern << ": " << d.reason;
    }
}

TEST(ChatConversation, EditsAreAppendedAndNeverOpenTickets) {
    ChatEvent e = message(kCustomer, "fixed typo", kNow - 30);
    e.kind = ChatEvent::Kind::Edit;
    e.edit_date = kNow;
    auto withTicket = decideChatEvent(e, conversation(kNow - 60, 42), policy(ChatPolicy::Mode::Every), kNow);
    EXPECT_TRUE(withTicket.append_to_ticket);
    EXPECT_FALSE(withTicket.open_ticket);
    EXPECT_FALSE(withTicket.new_conversation);
    auto noTicket = decideChatEvent(e, conversation(kNow - 60), policy(ChatPolicy::Mode::Every), kNow);
    EXPECT_FALSE(noTicket.open_ticket);
    EXPECT_FALSE(noTicket.append_to_ticket);
    auto old = decideChatEvent(e, conversation(kNow - 10 * 86400), policy(ChatPolicy::Mode::Every), kNow);
    EXPECT_FALSE(old.new_conversation);
    EXPECT_FALSE(old.unanswered_changed);
}

TEST(ChatConversation, BotsAreRecordedButDecideNothing) {
    ChatEvent e = message(kCustomer, "I am a bot");
    e.from.is_bot = true;
    auto d = decideChatEvent(e, conversation(kNow - 60, 42), policy(ChatPolicy::Mode::Every), kNow);
    EXPECT_EQ(d.role, ChatRole::Bot);
    EXPECT_TRUE(d.append_to_ticket);
    EXPECT_FALSE(d.is_customer_text);
    EXPECT_FALSE(d.unanswered_changed);
    auto fresh = decideChatEvent(e, std::nullopt, policy(ChatPolicy::Mode::Every), kNow);
    EXPECT_FALSE(fresh.open_ticket);
}

TEST(ChatConversation, MembershipAndMigrationAreIgnored) {
    ChatEvent e = message(kCustomer, "");
    e.kind = ChatEvent::Kind::Membership;
    EXPECT_TRUE(decideChatEvent(e, std::nullopt, policy(ChatPolicy::Mode::Every), kNow).ignore);
    e.kind = ChatEvent::Kind::Migration;
    auto d = decideChatEvent(e, conversation(kNow - 60), policy(ChatPolicy::Mode::Every), kNow);
    EXPECT_TRUE(d.ignore);
    EXPECT_FALSE(d.new_conversation);
}

TEST(ChatUnanswered, CustomerSetsItOnceAndAnAgentClearsIt) {
    auto p = policy(ChatPolicy::Mode::Command);
    auto first = decideChatEvent(message(kCustomer, "hello?", kNow - 100, 70), conversation(kNow - 200), p, kNow);
    EXPECT_TRUE(first.unanswered_changed);
    EXPECT_EQ(first.unanswered_since, kNow - 100);
    EXPECT_EQ(first.unanswered_message_id, 70);

    ConversationState waiting = conversation(kNow - 100);
    waiting.unanswered_since = kNow - 100;
    waiting.unanswered_message_id = 70;
    auto second = decideChatEvent(message(kCustomer, "anyone?", kNow, 71), waiting, p, kNow);
    EXPECT_FALSE(second.unanswered_changed);
    EXPECT_EQ(second.unanswered_since, kNow - 100);
    EXPECT_EQ(second.unanswered_message_id, 70);

    auto command_ = decideChatEvent(command(kAgent, "/ticket", "x"), waiting, p, kNow);
    EXPECT_EQ(command_.unanswered_since, kNow - 100) << "bot commands do not count as answers";

    auto answer = decideChatEvent(message(kAgent, "here"), waiting, p, kNow);
    EXPECT_TRUE(answer.unanswered_changed);
    EXPECT_EQ(answer.unanswered_since, 0);
    EXPECT_EQ(answer.unanswered_message_id, 0);
}

TEST(ChatUnanswered, NewConversationStartsWithNothingWaiting) {
    ConversationState waiting = conversation(kNow - 5 * 3600);
    waiting.unanswered_since = kNow - 5 * 3600;
    auto d = decideChatEvent(message(kAgent, "good morning"), waiting, policy(ChatPolicy::Mode::Command), kNow);
    EXPECT_TRUE(d.new_conversation);
    EXPECT_TRUE(d.unanswered_changed);
    EXPECT_EQ(d.unanswered_since, 0);
}

TEST(ChatSubject, FirstSixtyCharactersOnACharacterBoundary) {
    std::string cyrillic;
    for (int i = 0; i < 70; ++i) cyrillic += "ж";
    auto e = message(kCustomer, cyrillic);
    std::string s = chatTicketSubject(e, ChatRole::Customer);
    EXPECT_EQ(s.size(), 120u);  // 60 two-byte characters
    EXPECT_EQ(s, cyrillic.substr(0, 120));

    std::string emoji;
    for (int i = 0; i < 61; ++i) emoji += "😀";
    EXPECT_EQ(chatTicketSubject(message(kCustomer, emoji), ChatRole::Customer).size(), 240u);
}

TEST(ChatSubject, EmptyTextFallsBackToTheAuthorsName) {
    auto e = message(kCustomer, "  \n ");
    EXPECT_EQ(chatTicketSubject(e, ChatRole::Customer), "Chat with Ivan Petrov");
    e.from = user(5, "", "", "someone");
    EXPECT_EQ(chatTicketSubject(e, ChatRole::Customer), "Chat with @someone");
    e.from = user(5, "");
    EXPECT_EQ(chatTicketSubject(e, ChatRole::Customer), "Chat with user 5");
}

TEST(ChatUnanswered, AlertLevelsOnceEach) {
    const std::int64_t t = 15 * 60, since = kNow - 1000;
    EXPECT_EQ(decideUnanswered(0, 0, t, kNow), std::nullopt);
    EXPECT_EQ(decideUnanswered(since, 0, t, since + t - 1), std::nullopt);
    auto one = decideUnanswered(since, 0, t, since + t);
    ASSERT_TRUE(one);
    EXPECT_EQ(one->level, 1);
    EXPECT_EQ(one->waited_s, t);
    EXPECT_EQ(decideUnanswered(since, 1, t, since + t + 60), std::nullopt);
    auto two = decideUnanswered(since, 1, t, since + 2 * t);
    ASSERT_TRUE(two);
    EXPECT_EQ(two->level, 2);
    EXPECT_EQ(decideUnanswered(since, 2, t, since + 10 * t), std::nullopt);
}

TEST(ChatUnanswered, LateSchedulerSendsOnlyTheEscalation) {
    const std::int64_t t = 600, since = kNow - 5000;
    auto a = decideUnanswered(since, 0, t, kNow);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->level, 2);
    EXPECT_EQ(decideUnanswered(since, 0, 0, kNow), std::nullopt);
}

}  // namespace
}  // namespace postdesk::rules
