// Sieve rules applied while mail is filed, against a real Dovecot: routing, ticket fields,
// quarantine and ignore (stored, never dropped).
#include "rules/sieve_parser.h"
#include "tests/gateway/intake_fixture.h"

namespace postdesk::testing {
namespace {

class RulesIngestTest : public IntakeTest {
protected:
    void useRules(const std::string& source) {
        std::vector<rules::SieveError> errors;
        scripts_ = {rules::parseSieve(source, "10-test.sieve", errors)};
        ASSERT_TRUE(errors.empty()) << errors[0].message;
    }
    void pollWithRules() {
        for (const auto& m : settings_.mailboxes) intake::ImapIntake(*store_, m).pollOnce();
        auto is = app::ingestSettings(settings_);
        is.rules = &scripts_;
        ingest::Ingest(*store_, is).drain();
    }
    std::vector<rules::SieveScript> scripts_;
};

TEST_F(RulesIngestTest, RulesRouteAndShapeTheTicket) {
    useRules("require [\"vnd.postdesk.ticket\"];\n"
             "if header :contains \"subject\" \"invoice\" { queue \"billing\"; priority \"high\"; tag \"money\"; }\n");
    seed(customerMail("r1@example.test", "Wrong invoice"));
    seed(customerMail("r2@example.test", "Printer"));
    pollWithRules();
    auto list = tickets().list({});
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].queue, "billing");
    EXPECT_EQ(list[0].priority, "high");
    EXPECT_EQ(tickets().tags(list[0].number), std::vector<std::string>{"money"});
    EXPECT_EQ(list[1].queue, "support");
    EXPECT_EQ(list[1].priority, "normal");
}

TEST_F(RulesIngestTest, QuarantineAndIgnoreKeepTheMail) {
    useRules("require [\"vnd.postdesk.ticket\"];\n"
             "if header :contains \"subject\" \"password expired\" { quarantine \"phishing\"; stop; }\n"
             "if address :localpart \"from\" \"news\" { ignore; }\n");
    seed(customerMail("p@example.test", "Your password expired"));
    seed(customerMail("n@example.test", "Weekly digest", "news@example.test"));
    seed(customerMail("ok@example.test", "Real question"));
    pollWithRules();
    auto q = queue().list("quarantined");
    ASSERT_EQ(q.size(), 1u);
    EXPECT_EQ(q[0].reason, "rule");
    EXPECT_EQ(q[0].last_error, "phishing");
    EXPECT_EQ(tickets().list({}).size(), 1u);   // only the real question
    EXPECT_EQ(tickets().messageCount(), 2);     // the newsletter is stored, without a ticket
}

}  // namespace
}  // namespace postdesk::testing
