#include "mime/parse.h"

#include "mime/charset.h"

#include <gtest/gtest.h>

#include <chrono>

namespace postdesk::mime {
namespace {

bool hasWarning(const Message& m, std::string_view code) {
    for (const auto& w : m.warnings)
        if (w.code == code) return true;
    return false;
}

const Attachment* findAttachment(const Message& m, std::string_view name) {
    for (const auto& a : m.attachments)
        if (a.filename == name) return &a;
    return nullptr;
}

TEST(Parse, PlainMailHasEnvelopeAndText) {
    Message m = parse(
        "From: \"Jane Doe\" <jane@example.org>\r\nTo: support@example.test\r\nSubject: Printer on fire\r\n"
        "Date: Tue, 17 Nov 2026 09:15:00 +0300\r\nMessage-ID: <abc@example.org>\r\n\r\nHelp!\r\n");
    EXPECT_EQ(m.from.name, "Jane Doe");
    EXPECT_EQ(m.from.address, "jane@example.org");
    ASSERT_EQ(m.to.size(), 1u);
    EXPECT_EQ(m.subject, "Printer on fire");
    EXPECT_EQ(m.date, "2026-11-17T06:15:00Z");
    EXPECT_EQ(m.date_tz_minutes, 180);
    EXPECT_EQ(m.message_id, "abc@example.org");
    EXPECT_EQ(m.text, "Help!\n");
    EXPECT_EQ(m.auto_kind, AutoKind::None);
    EXPECT_TRUE(m.warnings.empty());
}

TEST(Parse, AlternativePrefersPlainAndKeepsHtml) {
    Message m = parse(
        "Content-Type: multipart/alternative; boundary=\"b;1\"\r\n\r\n--b;1\r\nContent-Type: text/plain\r\n\r\nplain\r\n"
        "--b;1\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--b;1--\r\n");
    EXPECT_EQ(m.text, "plain");
    ASSERT_TRUE(m.html);
    EXPECT_EQ(*m.html, "<p>html</p>");
    EXPECT_TRUE(m.attachments.empty());
}

TEST(Parse, HtmlOnlyMailGetsDerivedText) {
    Message m = parse("Content-Type: text/html; charset=utf-8\r\n\r\n<style>p{}</style><p>Hello &amp; welcome</p>");
    EXPECT_NE(m.text.find("Hello & welcome"), std::string::npos) << m.text;
    EXPECT_EQ(m.text.find("p{}"), std::string::npos);
}

TEST(Parse, UnclosedInnerMultipartKeepsTheFollowingAttachment) {
    // mimetic loses report.pdf here: the inner part never closes its boundary.
    Message m = parse(
        "Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n"
        "Content-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
        "--outer\r\nContent-Type: application/pdf; name=report.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n"
        "--outer--\r\n");
    EXPECT_EQ(m.text, "body");
    const Attachment* a = findAttachment(m, "report.pdf");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->data, "%PDF");
    EXPECT_TRUE(hasWarning(m, "no-closing-boundary"));
}

TEST(Parse, MissingOuterClosingBoundaryStillYieldsParts) {
    Message m = parse(
        "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\ntext\r\n--x\r\nContent-Type: image/png\r\n"
        "Content-Disposition: attachment; filename=a.png\r\n\r\nPNG");
    EXPECT_EQ(m.text, "text");
    ASSERT_NE(findAttachment(m, "a.png"), nullptr);
    EXPECT_TRUE(hasWarning(m, "no-closing-boundary"));
}

TEST(Parse, TextAfterABoundaryAndABlankIsIgnored) {
    // RFC 2046 §5.1.1 note to implementors; mime4j ending-boundaries.msg.
    Message m = parse(
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b This should be ignored\r\n"
        "Content-Type: text/plain\r\n\r\nfirst part\r\n--b-- ignored too\r\n\r\nepilogue\r\n");
    EXPECT_EQ(m.text, "first part");
    EXPECT_FALSE(hasWarning(m, "no-closing-boundary"));
}

TEST(Parse, BoundaryThatPrefixesAnotherIsNotConfused) {
    Message m = parse(
        "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: multipart/mixed; boundary=xy\r\n\r\n"
        "--xy\r\n\r\none\r\n--xy\r\nContent-Type: text/csv; name=t.csv\r\n\r\na,b\r\n--xy--\r\n--x--\r\n");
    EXPECT_EQ(m.text, "one");
    ASSERT_NE(findAttachment(m, "t.csv"), nullptr);
    EXPECT_EQ(findAttachment(m, "t.csv")->data, "a,b");
}

TEST(Parse, RelatedImageWithoutDispositionIsInline) {
    Message m = parse(
        "Content-Type: multipart/related; boundary=r\r\n\r\n--r\r\nContent-Type: text/html\r\n\r\n"
        "<img src=\"cid:image001.jpg@01CDB132.D8A510F0\">\r\n--r\r\nContent-Type: image/jpeg\r\n"
        "Content-ID: <image001.jpg@01CDB132.D8A510F0>\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/\r\n--r--\r\n");
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].filename, "image001.jpg");
    EXPECT_TRUE(m.attachments[0].inline_);
    EXPECT_EQ(m.attachments[0].content_id, "image001.jpg@01CDB132.D8A510F0");
}

TEST(Parse, UnnamedPartsAreNamedByDescriptionThenType) {
    // An opaque Content-ID is no name (Zammad mail080); a Content-Description is (Postfix DSNs).
    Message m = parse(
        "Content-Type: multipart/mixed; boundary=d\r\n\r\n--d\r\n\r\nhi\r\n--d\r\nContent-Type: image/jpeg\r\n"
        "Content-ID: <485376C9-2486-4351@home>\r\n\r\nJPEG\r\n--d\r\nContent-Type: message/delivery-status\r\n"
        "Content-Description: Delivery report\r\n\r\nAction: failed\r\n--d--\r\n");
    ASSERT_EQ(m.attachments.size(), 2u);
    EXPECT_EQ(m.attachments[0].filename, "image.jpg");
    EXPECT_EQ(m.attachments[1].filename, "Delivery report.txt");
}

TEST(Parse, MadeUpNamesAreNumberedDeclaredNamesKept) {
    // Zammad mail062: two unnamed HTML parts and two unnamed videos; Python's msg_04: two parts
    // both declared msg.txt.
    auto part = [](const std::string& headers) { return "--d\r\n" + headers + "\r\n\r\nx\r\n"; };
    Message m = parse("Content-Type: multipart/mixed; boundary=d\r\n\r\n" + part("Content-Type: text/plain") +
                      part("Content-Type: text/html") /* the HTML body */ + part("Content-Type: text/html; charset=us-ascii") +
                      part("Content-Type: text/html; charset=us-ascii") +
                      part("Content-Type: video/quicktime") + part("Content-Type: video/quicktime") +
                      part("Content-Type: text/plain; name=msg.txt") + part("Content-Type: text/plain; name=msg.txt") +
                      part("Content-Type: text/html; name=document1.html") + part("Content-Type: text/html") + "--d--\r\n");
    std::vector<std::string> names;
    for (const auto& a : m.attachments) names.push_back(a.filename);
    EXPECT_EQ(names, (std::vector<std::string>{"document.html", "document1.html", "video.mov", "video1.mov", "msg.txt",
                                                "msg.txt", "document1.html", "document2.html"}));
}

TEST(Parse, ManyPartsWithOneMadeUpNameStayFast) {
    std::string mail = "Content-Type: multipart/mixed; boundary=d\r\n\r\n";
    for (int i = 0; i < 1000; ++i) mail += "--d\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n";
    auto t0 = std::chrono::steady_clock::now();
    Message m = parse(mail + "--d--\r\n");
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
    ASSERT_FALSE(m.attachments.empty());
    EXPECT_EQ(m.attachments.back().filename, "file" + std::to_string(m.attachments.size() - 1) + ".bin");
}

TEST(Parse, FirstFromWithAnAddressWins) {
    // Spam with a broken first From and a real second one (Zammad mail017).
    Message m = parse("From: [??????]\r\nFrom: Jane <jane@example.org>\r\n\r\nhi\r\n");
    EXPECT_EQ(m.from.address, "jane@example.org");
}

TEST(Parse, ForwardedMessageIsAnAttachmentNamedAfterItsSubject) {
    Message m = parse(
        "Content-Type: multipart/mixed; boundary=f\r\n\r\n--f\r\n\r\nsee below\r\n--f\r\nContent-Type: message/rfc822\r\n\r\n"
        "Subject: =?utf-8?Q?Neue_Anfrage?=\r\nFrom: a@b.c\r\n\r\ninner body\r\n--f--\r\n");
    EXPECT_EQ(m.text, "see below");
    const Attachment* a = findAttachment(m, "Neue Anfrage.eml");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->content_type, "message/rfc822");
    EXPECT_NE(a->data.find("inner body"), std::string::npos);
}

TEST(Parse, TnefIsKeptAsWinmailDat) {
    Message m = parse(
        "Content-Type: multipart/mixed; boundary=t\r\n\r\n--t\r\n\r\nhi\r\n--t\r\nContent-Type: application/ms-tnef\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\neJ8+IgAA\r\n--t--\r\n");
    ASSERT_NE(findAttachment(m, "winmail.dat"), nullptr);
}

TEST(Parse, UuencodedFileInTextBecomesAnAttachment) {
    Message m = parse("Subject: uu\r\n\r\nSee file.\r\nbegin 644 cat.txt\r\n#0V%T\r\n`\r\nend\r\nBye\r\n");
    ASSERT_NE(findAttachment(m, "cat.txt"), nullptr);
    EXPECT_EQ(findAttachment(m, "cat.txt")->data, "Cat");
    EXPECT_EQ(m.text.find("begin 644"), std::string::npos);
    EXPECT_NE(m.text.find("Bye"), std::string::npos);
}

TEST(Parse, BounceReportsTheOriginalMessageId) {
    Message m = parse(
        "From: MAILER-DAEMON@mx.example.org\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=d\r\n\r\n"
        "--d\r\n\r\nYour mail could not be delivered.\r\n--d\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; x@y.z\r\nAction: failed\r\n"
        "--d\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: <ack-1042@support.example.test>\r\nSubject: [#1042] Hi\r\n\r\nbody\r\n--d--\r\n");
    EXPECT_EQ(m.auto_kind, AutoKind::Bounce);
    EXPECT_EQ(m.original_message_id, "ack-1042@support.example.test");
    EXPECT_EQ(m.text, "Your mail could not be delivered.");
}

struct AutoCase {
    const char* headers;
    AutoKind kind;
};

class ParseAuto : public ::testing::TestWithParam<AutoCase> {};

TEST_P(ParseAuto, ClassifiesMachineMail) {
    Message m = parse(std::string(GetParam().headers) + "\r\n\r\nbody\r\n");
    EXPECT_EQ(m.auto_kind, GetParam().kind) << GetParam().headers << " -> " << m.auto_reason;
}

INSTANTIATE_TEST_SUITE_P(
    Auto, ParseAuto,
    ::testing::Values(AutoCase{"From: a@b.c\r\nAuto-Submitted: auto-replied", AutoKind::AutoReply},
                      AutoCase{"From: a@b.c\r\nAuto-Submitted: no", AutoKind::None},
                      AutoCase{"From: a@b.c\r\nX-Autoreply: yes", AutoKind::AutoReply},
                      AutoCase{"From: a@b.c\r\nX-Autorespond: x", AutoKind::AutoReply},
                      AutoCase{"From: a@b.c\r\nX-Auto-Response-Suppress: All", AutoKind::AutoReply},
                      AutoCase{"From: MAILER-DAEMON@b.c", AutoKind::Bounce},
                      AutoCase{"From: Mail Delivery System <postmaster@b.c>", AutoKind::Bounce},
                      AutoCase{"From: a@b.c\r\nReturn-Path: <>", AutoKind::Bounce},
                      AutoCase{"From: a@b.c\r\nReturn-Path: <a@b.c>", AutoKind::None},
                      AutoCase{"From: a@b.c\r\nList-Id: <dev.lists.example.org>", AutoKind::List},
                      AutoCase{"From: a@b.c\r\nList-Unsubscribe: <mailto:u@x>", AutoKind::List},
                      AutoCase{"From: a@b.c\r\nPrecedence: bulk", AutoKind::List},
                      AutoCase{"From: a@b.c\r\nPrecedence: junk", AutoKind::List},
                      AutoCase{"From: a@b.c\r\nPrecedence: list", AutoKind::List}));

TEST(ParseLimits, DeepNestingIsCutNotOverflowed) {
    std::string mail;
    const int depth = 20000;
    for (int i = 0; i < depth; ++i) mail += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" + std::to_string(i) + "\r\n";
    mail += "\r\ndeep\r\n";
    Message m = parse(mail);
    EXPECT_TRUE(hasWarning(m, "depth-limit"));
}

TEST(ParseLimits, ManyPartsAreBounded) {
    std::string mail = "Content-Type: multipart/mixed; boundary=p\r\n\r\n";
    for (int i = 0; i < 5000; ++i) mail += "--p\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n";
    mail += "--p--\r\n";
    Limits limits;
    Message m = parse(mail, limits);
    EXPECT_TRUE(hasWarning(m, "part-limit"));
    EXPECT_LE(m.attachments.size(), limits.max_parts);
}

TEST(ParseLimits, HugeHeaderLineIsLinearAndCut) {
    std::string mail = "Subject: " + std::string(8u << 20, 'x') + "\r\nFrom: a@b.c\r\n\r\nbody\r\n";
    auto t0 = std::chrono::steady_clock::now();
    Message m = parse(mail);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_TRUE(hasWarning(m, "header-line-limit"));
    EXPECT_LE(m.subject.size(), Limits{}.max_header_line_bytes);
    EXPECT_EQ(m.from.address, "a@b.c");
    EXPECT_LT(ms, 2000);  // generous: it is about 10 ms; mimetic needs minutes for this
}

TEST(ParseLimits, OversizedMailIsMarkedForQuarantine) {
    Limits limits;
    limits.max_raw_bytes = 1000;
    Message m = parse("Subject: big\r\nFrom: a@b.c\r\n\r\n" + std::string(2000, 'x'), limits);
    ASSERT_TRUE(m.error);
    EXPECT_EQ(*m.error, "too-large");
    EXPECT_EQ(m.subject, "big");
}

TEST(ParseHeader, GarbageLineInsideHeaderDoesNotEndIt) {
    // Zammad's mail054: base64 continuation lines without leading blanks.
    Message m = parse("From: a@b.c\r\nX-Tracker: H4sI\r\nIg5drOCwmrVzP5sDoseXbDeYAxijWzLyk\r\nSubject: still a header\r\n\r\nbody\r\n");
    EXPECT_EQ(m.subject, "still a header");
    EXPECT_EQ(m.text, "body\n");
    EXPECT_TRUE(hasWarning(m, "malformed-header"));
}

TEST(ParseHeader, MissingBlankLineStartsTheBody) {
    Message m = parse("From: a@b.c\r\nSubject: hi\r\nThis is the body already\r\n");
    EXPECT_EQ(m.subject, "hi");
    EXPECT_EQ(m.text, "This is the body already\n");
}

TEST(ParseHeader, MboxFromLineIsSkipped) {
    Message m = parse("From jane@example.org Wed Apr 19 20:56:33 2017\nFrom: jane@example.org\nSubject: x\n\nbody\n");
    EXPECT_EQ(m.from.address, "jane@example.org");
    EXPECT_EQ(m.subject, "x");
}

TEST(ParseHeader, LfOnlyMailParsesLikeCrlf) {
    Message m = parse("Content-Type: multipart/mixed; boundary=z\n\n--z\n\nhello\n--z\nContent-Type: text/plain; name=a.txt\n\nfile\n--z--\n");
    EXPECT_EQ(m.text, "hello");
    ASSERT_NE(findAttachment(m, "a.txt"), nullptr);
    EXPECT_EQ(findAttachment(m, "a.txt")->data, "file");
}

TEST(ParseHeader, EmptyInputGivesAnEmptyMessage) {
    Message m = parse("");
    EXPECT_EQ(m.text, "");
    EXPECT_FALSE(m.message_id);
}

}  // namespace
}  // namespace postdesk::mime

namespace postdesk::mime {
namespace {

// Found by the fuzzer: a forwarded message's 200-byte subject cut inside a UTF-8 character.
TEST(Parse, ForwardedMessageNamedAfterALongSubjectStaysUtf8) {
    std::string subject(199, 'a');
    subject += "\xC3\xA9\xC3\xA9 tail";
    Message m = parse("Content-Type: multipart/mixed; boundary=f\r\n\r\n--f\r\n\r\nx\r\n--f\r\nContent-Type: message/rfc822\r\n\r\n"
                      "Subject: " + subject + "\r\n\r\nbody\r\n--f--\r\n");
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_TRUE(isValidUtf8(m.attachments[0].filename)) << m.attachments[0].filename;
    EXPECT_EQ(m.attachments[0].filename, std::string(199, 'a') + ".eml");
}

}  // namespace
}  // namespace postdesk::mime

namespace postdesk::mime {
namespace {

// Found by the fuzzer: an unnamed part named after a Content-ID with raw 8-bit bytes.
TEST(Parse, RawEightBitContentIdGivesUtf8NameAndId) {
    Message m = parse("Content-Type: multipart/related; boundary=r\r\n\r\n--r\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n"
                      "--r\r\nContent-Type: image/png\r\nContent-ID: <\xff\xfeimg.png@x>\r\n\r\nPNG\r\n--r--\r\n");
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_TRUE(isValidUtf8(m.attachments[0].filename));
    EXPECT_TRUE(isValidUtf8(m.attachments[0].content_id));
}

}  // namespace
}  // namespace postdesk::mime
