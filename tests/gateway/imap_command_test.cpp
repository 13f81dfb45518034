// Pure formatting helpers for IMAP commands and the settings/endpoint check.
#include "gateway/net/imap_command.h"

#include <gtest/gtest.h>

#include <vector>

#include "gateway/net/imap_settings.h"
#include "gateway/net/outcome.h"

namespace postdesk::net {
namespace {

TEST(ImapCommand, QuotesMailboxNames) {
    const std::vector<std::pair<std::string, std::optional<std::string>>> cases = {
        {"INBOX", "\"INBOX\""},
        {"Processed/2024", "\"Processed/2024\""},
        {"a\"b\\c", "\"a\\\"b\\\\c\""},
        {"R&D", "\"R&-D\""},
        {"bad\r\nA1 DELETE INBOX", std::nullopt},
        {"Entw\xC3\xBC" "rfe", std::nullopt},
    };
    for (const auto& [name, want] : cases) EXPECT_EQ(quoteMailbox(name), want) << name;
}

TEST(ImapCommand, CompactsUidSets) {
    const std::vector<std::pair<std::vector<std::uint32_t>, std::string>> cases = {
        {{}, ""},
        {{5}, "5"},
        {{3, 1, 2, 7, 9, 10, 10}, "1:3,7,9:10"},
        {{0, 4}, "4"},
        {{4294967295u, 4294967294u}, "4294967294:4294967295"},
    };
    for (const auto& [uids, want] : cases) EXPECT_EQ(uidSet(uids), want);
}

TEST(ImapCommand, ValidatesFlagListsAndStoreOperations) {
    EXPECT_TRUE(isFlagList("(\\Seen)"));
    EXPECT_TRUE(isFlagList("(\\Seen \\Deleted $Label1)"));
    EXPECT_TRUE(isFlagList("()"));
    EXPECT_FALSE(isFlagList("\\Seen"));
    EXPECT_FALSE(isFlagList("(\\Seen)\r\nA1 LOGOUT"));
    EXPECT_FALSE(isFlagList("(a\\b)"));
    EXPECT_FALSE(isFlagList("((x))"));
    EXPECT_TRUE(isStoreOperation("+FLAGS"));
    EXPECT_TRUE(isStoreOperation("-flags.silent"));
    EXPECT_TRUE(isStoreOperation("FLAGS"));
    EXPECT_FALSE(isStoreOperation("+FLAGS (x)"));
    EXPECT_FALSE(isStoreOperation("COPY"));
}

TEST(ImapSettings, ResolvesEndpointFromUrlAndTlsMode) {
    struct Case {
        const char* url;
        std::optional<TlsMode> tls;
        OutcomeKind kind;
        std::string base, mailbox;
        TlsMode effective;
    };
    const std::vector<Case> cases = {
        {"imap://mail.example.test/INBOX", std::nullopt, OutcomeKind::Ok,
         "imap://mail.example.test:143/", "INBOX", TlsMode::StartTls},
        {"imaps://mail.example.test", std::nullopt, OutcomeKind::Ok,
         "imaps://mail.example.test:993/", "INBOX", TlsMode::Implicit},
        {"imap://127.0.0.1:1143/Support%20Queue", TlsMode::None, OutcomeKind::Ok,
         "imap://127.0.0.1:1143/", "Support Queue", TlsMode::None},
        {"imap://h/INBOX;UIDVALIDITY=5", std::nullopt, OutcomeKind::Ok, "imap://h:143/", "INBOX",
         TlsMode::StartTls},
        {"imaps://h/", TlsMode::None, OutcomeKind::Config, "", "", TlsMode::None},
        {"imaps://h/", TlsMode::StartTls, OutcomeKind::Config, "", "", TlsMode::None},
        {"imap://h/", TlsMode::Implicit, OutcomeKind::Config, "", "", TlsMode::None},
        {"imap://user:pw@h/", std::nullopt, OutcomeKind::Config, "", "", TlsMode::None},
        {"pop3://h/", std::nullopt, OutcomeKind::Config, "", "", TlsMode::None},
        {"not a url", std::nullopt, OutcomeKind::Config, "", "", TlsMode::None},
    };
    for (const auto& c : cases) {
        ImapSettings s;
        s.url = c.url;
        s.user = "u";
        s.password = "hunter2";
        s.tls = c.tls;
        auto e = resolveEndpoint(s);
        EXPECT_EQ(e.ok() ? OutcomeKind::Ok : e.outcome().kind, c.kind) << c.url;
        if (!e.ok()) {
            EXPECT_EQ(e.outcome().message.find("hunter2"), std::string::npos);
            EXPECT_EQ(e.outcome().message.find("pw"), std::string::npos) << e.outcome().message;
            continue;
        }
        EXPECT_EQ(e->base_url, c.base) << c.url;
        EXPECT_EQ(e->mailbox, c.mailbox) << c.url;
        EXPECT_EQ(e->tls, c.effective) << c.url;
    }
    EXPECT_EQ(parseTlsMode("starttls"), TlsMode::StartTls);
    EXPECT_EQ(parseTlsMode("STARTTLS"), std::nullopt);
}

TEST(ImapOutcome, ClassifiesCurlCodesByWhatTheCallerMustDo) {
    const std::vector<std::pair<CURLcode, OutcomeKind>> cases = {
        {CURLE_OK, OutcomeKind::Ok},
        {CURLE_LOGIN_DENIED, OutcomeKind::Config},
        {CURLE_PEER_FAILED_VERIFICATION, OutcomeKind::Config},
        {CURLE_SSL_CACERT_BADFILE, OutcomeKind::Config},
        {CURLE_USE_SSL_FAILED, OutcomeKind::Config},
        {CURLE_URL_MALFORMAT, OutcomeKind::Config},
        {CURLE_COULDNT_CONNECT, OutcomeKind::Temporary},
        {CURLE_OPERATION_TIMEDOUT, OutcomeKind::Temporary},
        {CURLE_RECV_ERROR, OutcomeKind::Temporary},
        {CURLE_SSL_CONNECT_ERROR, OutcomeKind::Temporary},
        {CURLE_REMOTE_FILE_NOT_FOUND, OutcomeKind::Permanent},
    };
    for (const auto& [code, kind] : cases) {
        Outcome o = classifyCurl(code, "imap connect");
        EXPECT_EQ(o.kind, kind) << curl_easy_strerror(code);
        if (!o.ok()) {
            EXPECT_NE(o.message.find("imap connect: "), std::string::npos);
        }
    }
}

TEST(ImapOutcome, ClassifiesTaggedNoByResponseCode) {
    EXPECT_EQ(classifyImapStatus("NO", "UNAVAILABLE", "", "x").kind, OutcomeKind::Temporary);
    EXPECT_EQ(classifyImapStatus("NO", "OVERQUOTA", "", "x").kind, OutcomeKind::Temporary);
    EXPECT_EQ(classifyImapStatus("NO", "AUTHENTICATIONFAILED", "", "x").kind, OutcomeKind::Config);
    EXPECT_EQ(classifyImapStatus("NO", "NONEXISTENT", "", "x").kind, OutcomeKind::Permanent);
    EXPECT_EQ(classifyImapStatus("BAD", "", "parse error", "x").kind, OutcomeKind::Permanent);
    EXPECT_EQ(classifyImapStatus("NO", "TRYCREATE", "no such", "imap COPY").message,
              "imap COPY: NO [TRYCREATE] no such");
}

}  // namespace
}  // namespace postdesk::net
