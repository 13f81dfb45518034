#include "rules/rule_plan.h"

#include <gtest/gtest.h>

namespace postdesk::rules {
namespace {

TEST(RulePlan, LastQueueWinsTagsAccumulate) {
    RulePlan p = planFromActions({{"fileinto", {"sales"}}, {"queue", {"billing"}}, {"tag", {"a"}}, {"tag", {"b"}},
                                  {"priority", {"high"}}, {"noack", {}}});
    EXPECT_EQ(p.disposition, RulePlan::Disposition::File);
    EXPECT_EQ(p.queue, "billing");
    EXPECT_EQ(p.tags, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(p.priority, "high");
    EXPECT_TRUE(p.noack);
}

TEST(RulePlan, QuarantineBeatsIgnoreAndNeverAcks) {
    RulePlan p = planFromActions({{"ignore", {}}, {"quarantine", {"phishing"}}});
    EXPECT_EQ(p.disposition, RulePlan::Disposition::Quarantine);
    EXPECT_EQ(p.reason, "phishing");
    EXPECT_TRUE(p.noack);
    EXPECT_EQ(planFromActions({{"discard", {}}}).disposition, RulePlan::Disposition::Ignore);
}

}  // namespace
}  // namespace postdesk::rules
