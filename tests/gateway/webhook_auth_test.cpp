#include "gateway/bridge/webhook_auth.h"

#include <gtest/gtest.h>

#include <string>

namespace postdesk::bridge {
namespace {

constexpr std::int64_t kNow = 1741097112;
const std::string kBody = R"({"event_id":"e1"})";

TEST(WebhookAuth, SignatureMatchesOpensslHmacSha256) {
    // printf '%s' '1741097112.{"event_id":"e1"}' | openssl dgst -sha256 -hmac shared-secret
    EXPECT_EQ(signWebhook("shared-secret", "1741097112", kBody),
              "sha256=1831ffd1046bba75e2f39f1757c0b3f765912af3b5251575fe138a81d94493fc");
}

TEST(WebhookAuth, KeyLongerThanABlockIsHashedFirst) {
    // RFC 4231 §4.8 (test case 7): a 131-byte key; the data happens to contain the "." we join on.
    std::string key(131, '\xaa');
    EXPECT_EQ(signWebhook(key, "This is a test using a larger than block-size key and a larger than block-size data",
                          " The key needs to be hashed before being used by the HMAC algorithm."),
              "sha256=9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(WebhookAuth, GoodSignatureWithinSkewIsOk) {
    std::string sig = signWebhook("s3cret", "1741097112", kBody);
    EXPECT_EQ(verifySignedWebhook("s3cret", "1741097112", sig, kBody, kNow), WebhookVerdict::Ok);
    EXPECT_EQ(verifySignedWebhook("s3cret", "1741097112", sig, kBody, kNow + 300), WebhookVerdict::Ok);
    EXPECT_EQ(verifySignedWebhook("s3cret", "1741097112", sig, kBody, kNow - 300), WebhookVerdict::Ok);
}

TEST(WebhookAuth, UpperCaseHexIsAccepted) {
    std::string sig = signWebhook("s3cret", "1741097112", kBody);
    for (std::size_t i = 7; i < sig.size(); ++i) sig[i] = static_cast<char>(std::toupper(sig[i]));
    EXPECT_EQ(verifySignedWebhook("s3cret", "1741097112", sig, kBody, kNow), WebhookVerdict::Ok);
}

TEST(WebhookAuth, TamperedBodyTimestampOrSecretIsBadSignature) {
    std::string sig = signWebhook("s3cret", "1741097112", kBody);
    EXPECT_EQ(verifySignedWebhook("s3cret", "1741097112", sig, kBody + " ", kNow), WebhookVerdict::BadSignature);
    EXPECT_EQ(verifySignedWebhook("s3cret", "1741097113", sig, kBody, kNow), WebhookVerdict::BadSignature);
    EXPECT_EQ(verifySignedWebhook("other", "1741097112", sig, kBody, kNow), WebhookVerdict::BadSignature);
}

TEST(WebhookAuth, EmptySecretNeverVerifies) {
    std::string sig = signWebhook("", "1741097112", kBody);
    EXPECT_EQ(verifySignedWebhook("", "1741097112", sig, kBody, kNow), WebhookVerdict::BadSignature);
}

TEST(WebhookAuth, OldOrFutureTimestampIsStale) {
    std::string sig = signWebhook("s3cret", "1741097112", kBody);
    EXPECT_EQ(verifySignedWebhook("s3cret", "1741097112", sig, kBody, kNow + 301), WebhookVerdict::StaleTimestamp);
    EXPECT_EQ(verifySignedWebhook("s3cret", "1741097112", sig, kBody, kNow - 301), WebhookVerdict::StaleTimestamp);
    EXPECT_EQ(verifySignedWebhook("s3cret", "1741097112", sig, kBody, kNow + 60, 30), WebhookVerdict::StaleTimestamp);
}

TEST(WebhookAuth, StaleAndForgedIsBadSignatureSoForgersLearnNothingAboutTheClock) {
    std::string sig = signWebhook("wrong", "1", kBody);
    EXPECT_EQ(verifySignedWebhook("s3cret", "1", sig, kBody, kNow), WebhookVerdict::BadSignature);
}

TEST(WebhookAuth, MalformedHeaders) {
    std::string good = signWebhook("s3cret", "1741097112", kBody);
    std::string hex = good.substr(7);
    struct Case {
        std::string timestamp, signature;
    } cases[] = {
        {"", good},
        {"17410971l2", good},
        {"-1741097112", good},
        {"+1741097112", good},
        {" 1741097112", good},
        {"1741097112", ""},
        {"1741097112", hex},                    // no "sha256="
        {"1741097112", "v0=" + hex},            // Slack's prefix
        {"1741097112", good.substr(0, 70)},     // short
        {"1741097112", good + "0"},             // long
        {"1741097112", "sha256=" + std::string(64, 'g')},
    };
    for (const auto& c : cases)
        EXPECT_EQ(verifySignedWebhook("s3cret", c.timestamp, c.signature, kBody, kNow), WebhookVerdict::Malformed)
            << "ts='" << c.timestamp << "' sig='" << c.signature << "'";
}

TEST(WebhookAuth, SecretTokenMatchesOnlyTheExactToken) {
    EXPECT_TRUE(secretTokenMatches("AbC_123-xyz", "AbC_123-xyz"));
    EXPECT_FALSE(secretTokenMatches("AbC_123-xyz", "AbC_123-xyZ"));
    EXPECT_FALSE(secretTokenMatches("AbC_123-xyz", "bC_123-xyz"));
    EXPECT_FALSE(secretTokenMatches("AbC_123-xyz", "AbC_123-xy"));      // a prefix
    EXPECT_FALSE(secretTokenMatches("AbC_123-xyz", "AbC_123-xyzAbC"));  // wraps around the secret
    EXPECT_FALSE(secretTokenMatches("AbC_123-xyz", "AbC_123-xyzz"));
    EXPECT_FALSE(secretTokenMatches("AbC_123-xyz", ""));
    EXPECT_FALSE(secretTokenMatches("", ""));  // no configured secret opens nothing
    EXPECT_FALSE(secretTokenMatches("", "anything"));
    EXPECT_TRUE(secretTokenMatches(std::string("a\0b", 3), std::string("a\0b", 3)));
    EXPECT_FALSE(secretTokenMatches(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(WebhookAuth, VerdictsHaveNames) {
    EXPECT_EQ(toString(WebhookVerdict::Ok), "ok");
    EXPECT_EQ(toString(WebhookVerdict::StaleTimestamp), "stale timestamp");
}

}  // namespace
}  // namespace postdesk::bridge
