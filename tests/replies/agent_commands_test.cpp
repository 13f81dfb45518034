#include "replies/agent_commands.h"

#include <gtest/gtest.h>

namespace postdesk::replies {
namespace {

using K = AgentCommandKind;
using Commands = std::vector<AgentCommand>;

TEST(AgentCommands, PlainReplyHasNoCommands) {
    const auto r = parseAgentReply("\n  Hi Anna,\n\nsee ticket #12 for the fix.\n#close\n");
    EXPECT_TRUE(r.commands.empty());
    EXPECT_TRUE(r.errors.empty());
    EXPECT_EQ(r.body, "Hi Anna,\n\nsee ticket #12 for the fix.\n#close");
}

TEST(AgentCommands, CommandsOnTheFirstLines) {
    const struct {
        const char* text;
        Commands commands;
        const char* body;
    } cases[] = {
        {"#close\nThanks, fixed.", {{K::Close, ""}}, "Thanks, fixed."},
        {"#pending\n\n#assign maria\n\nHi,\nwaiting for you.", {{K::Pending, ""}, {K::Assign, "maria"}}, "Hi,\nwaiting for you."},
        {"#assign maria #priority HIGH #tag vip", {{K::Assign, "maria"}, {K::Priority, "high"}, {K::Tag, "vip"}}, ""},
        {"#Note\nCustomer is upset.", {{K::Note, ""}}, "Customer is upset."},
        {"#solve #open", {{K::Solve, ""}, {K::Open, ""}}, ""},
        {"#saved refund\n", {{K::Saved, "refund"}}, ""},
        {"#close Thanks, fixed.\nBye", {{K::Close, ""}}, "Thanks, fixed.\nBye"},
        {"#12 is a duplicate", {}, "#12 is a duplicate"},
        {"\r\n#close\r\nDone.\r\n", {{K::Close, ""}}, "Done."},
    };
    for (const auto& c : cases) {
        const auto r = parseAgentReply(c.text);
        EXPECT_EQ(r.commands, c.commands) << c.text;
        EXPECT_EQ(r.body, c.body) << c.text;
        EXPECT_TRUE(r.errors.empty()) << c.text << ": " << (r.errors.empty() ? "" : r.errors[0]);
    }
}

TEST(AgentCommands, ErrorsNameTheProblemAndParsingGoesOn) {
    const struct {
        const char* text;
        Commands commands;
        std::vector<std::string> errors;
        const char* body;
    } cases[] = {
        {"#foo\n#close\nok", {{K::Close, ""}}, {"unknown command #foo"}, "ok"},
        {"#priority soon\nok", {}, {"#priority needs low|normal|high|urgent"}, "ok"},
        {"#priority\nok", {}, {"#priority needs low|normal|high|urgent"}, "ok"},
        {"#assign #close", {{K::Close, ""}}, {"#assign needs NAME"}, ""},
        {"#tag", {}, {"#tag needs X"}, ""},
        {"#saved", {}, {"#saved needs NAME"}, ""},
    };
    for (const auto& c : cases) {
        const auto r = parseAgentReply(c.text);
        EXPECT_EQ(r.commands, c.commands) << c.text;
        EXPECT_EQ(r.errors, c.errors) << c.text;
        EXPECT_EQ(r.body, c.body) << c.text;
    }
}

TEST(AgentCommands, NoteMarksTheReplyInternal) {
    EXPECT_TRUE(parseAgentReply("#close #note\nfor us only").isNote());
    EXPECT_FALSE(parseAgentReply("#close\nfor the customer").isNote());
    EXPECT_FALSE(parseAgentReply("text first\n#note").isNote());
}

TEST(AgentCommands, HelpListsEveryCommand) {
    for (const char* language : {"en", "ru"}) {
        const std::string help = commandHelp(language);
        for (const char* word : {"#note", "#close", "#solve", "#pending", "#open", "#assign", "#priority", "#tag", "#saved"}) {
            EXPECT_NE(help.find(word), std::string::npos) << language << " " << word;
        }
        EXPECT_NE(help.find("low|normal|high|urgent"), std::string::npos);
    }
    EXPECT_NE(commandHelp("ru").find("Команды"), std::string::npos);
    EXPECT_STREQ(toString(K::Priority), "priority");
}

}  // namespace
}  // namespace postdesk::replies
