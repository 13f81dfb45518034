// composeMail(): every composed mail is read back by mime::parse and by Python's strict email
// parser (tests/mime/strict_parse.py), and its bytes are checked for the wire guarantees of
// compose.h (7-bit, CRLF only, line lengths).
#include "mime/compose.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

#include "mime/parse.h"

namespace postdesk::mime {
namespace {

// ---- helpers -------------------------------------------------------------------------------

// What a header text field becomes: controls are spaces, outer spaces trimmed (compose.h).
std::string cleaned(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    std::size_t b = out.find_first_not_of(' '), e = out.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
}

Address cleaned(const Address& a) { return {cleaned(a.name), a.address}; }

std::vector<Address> cleaned(const std::vector<Address>& list) {
    std::vector<Address> out;
    for (const auto& a : list) out.push_back(cleaned(a));
    return out;
}

// As Python's json.dumps(ensure_ascii=False) writes a string.
std::string jsonString(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

std::vector<std::string_view> lines(std::string_view bytes) {
    std::vector<std::string_view> out;
    for (std::size_t at = 0; at < bytes.size();) {
        std::size_t end = bytes.find("\r\n", at);
        if (end == std::string_view::npos) end = bytes.size();
        out.push_back(bytes.substr(at, end - at));
        at = end + 2;
    }
    return out;
}

// The wire guarantees of compose.h that hold for every mail.
void expectWireClean(const std::string& bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(bytes[i]);
        ASSERT_LT(c, 0x80) << "8-bit byte at " << i;
        if (c == '\n') {
            ASSERT_TRUE(i > 0 && bytes[i - 1] == '\r') << "bare LF at " << i;
        }
        if (c == '\r') {
            ASSERT_TRUE(i + 1 < bytes.size() && bytes[i + 1] == '\n') << "bare CR at " << i;
        }
        if (c < 0x20 && c != '\r' && c != '\n' && c != '\t') ADD_FAILURE() << "control byte " << int(c) << " at " << i;
    }
    ASSERT_TRUE(bytes.ends_with("\r\n"));
    bool inHeader = true;
    for (std::string_view l : lines(bytes)) {
        if (l.empty()) inHeader = false;
        EXPECT_LE(l.size(), inHeader ? 78u : 998u) << l;
        if (!inHeader && l.starts_with("From ")) ADD_FAILURE() << "body line starts with From: " << l;
    }
}

struct Strict {
    bool ran = false;
    int status = -1;
    std::string out;  // the JSON object, then any defect lines
};

bool havePython() {
    static const bool have = std::system("command -v python3 >/dev/null 2>&1") == 0;
    return have;
}

Strict runStrictParser(const std::string& bytes) {
    Strict s;
    if (!havePython()) return s;
    char path[] = "/tmp/postdesk-compose-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return s;
    (void)!write(fd, bytes.data(), bytes.size());
    close(fd);
    std::string cmd = std::string("python3 '") + POSTDESK_SOURCE_DIR + "/tests/mime/strict_parse.py' '" + path + "' 2>&1";
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[4096];
        while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) s.out.append(buf, n);
        int rc = pclose(p);
        s.ran = true;
        s.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    }
    unlink(path);
    return s;
}

std::string jsonAddresses(const std::vector<Address>& list) {
    std::string out = "[";
    for (std::size_t i = 0; i < list.size(); ++i)
        out += (i ? ", [" : "[") + jsonString(list[i].name) + ", " + jsonString(list[i].address) + "]";
    return out + "]";
}

OutgoingMail baseMail() {
    OutgoingMail m;
    m.from = {"Support Team", "support@postdesk.example"};
    m.to = {{"Иван Петров", "ivan@example.ru"}};
    m.subject = "[#1842] Your request was received";
    m.message_id = "ack.1842.7f3a@postdesk.example";
    m.date_epoch = 1795413300;  // 2026-11-23T05:55:00Z
    m.tz_minutes = 60;
    m.text = "Hello,\n\nwe received your request.\n";
    return m;
}

// Composes, checks the wire, reads back with both parsers and compares every field.
Message composeAndCheck(const OutgoingMail& mail, std::string* bytesOut = nullptr) {
    ComposeResult r = composeMail(mail);
    EXPECT_TRUE(r.ok()) << r.error;
    expectWireClean(r.bytes);
    if (bytesOut) *bytesOut = r.bytes;
    Message m = parse(r.bytes);
    EXPECT_EQ(m.subject, cleaned(mail.subject));
    EXPECT_EQ(m.from, cleaned(mail.from));
    EXPECT_EQ(m.to, cleaned(mail.to));
    EXPECT_EQ(m.cc, cleaned(mail.cc));
    EXPECT_EQ(m.reply_to, mail.reply_to ? std::vector<Address>{cleaned(*mail.reply_to)} : std::vector<Address>{});
    EXPECT_EQ(m.message_id, mail.message_id);
    EXPECT_EQ(m.in_reply_to, mail.in_reply_to);
    EXPECT_EQ(m.references, mail.references);
    EXPECT_EQ(m.date_epoch, mail.date_epoch);
    EXPECT_EQ(m.date_tz_minutes, mail.tz_minutes);
    EXPECT_EQ(m.text, mail.text) << r.bytes;
    EXPECT_EQ(m.html, mail.html);
    for (const auto& [name, value] : mail.extra_headers) {
        const Header* h = m.header(name);
        EXPECT_NE(h, nullptr) << name;
        if (h) {
            EXPECT_EQ(h->value, cleaned(value));
        }
    }
    EXPECT_EQ(m.attachments.size(), mail.attachments.size());
    for (std::size_t i = 0; i < std::min(m.attachments.size(), mail.attachments.size()); ++i) {
        const auto& got = m.attachments[i];
        const auto& want = mail.attachments[i];
        EXPECT_EQ(got.filename, cleaned(want.filename));
        EXPECT_EQ(got.content_type, want.content_type);
        EXPECT_EQ(got.data, want.data);
        EXPECT_EQ(got.inline_, want.inline_);
        EXPECT_EQ(got.content_id, want.content_id);
    }
    EXPECT_TRUE(m.warnings.empty()) << m.warnings.front().code << ": " << m.warnings.front().detail;

    Strict s = runStrictParser(r.bytes);
    if (!s.ran) return m;  // no python3: the strict check is skipped, the rest still ran
    EXPECT_EQ(s.status, 0) << s.out << "\n" << r.bytes;
    EXPECT_NE(s.out.find("\"subject\": " + jsonString(cleaned(mail.subject))), std::string::npos) << s.out;
    EXPECT_NE(s.out.find("\"from\": " + jsonAddresses({cleaned(mail.from)})), std::string::npos) << s.out;
    EXPECT_NE(s.out.find("\"to\": " + jsonAddresses(cleaned(mail.to))), std::string::npos) << s.out;
    EXPECT_NE(s.out.find("\"text\": " + jsonString(mail.text)), std::string::npos) << s.out;
    std::string names = "[";
    for (std::size_t i = 0; i < mail.attachments.size(); ++i)
        names += (i ? ", " : "") + jsonString(cleaned(mail.attachments[i].filename));
    EXPECT_NE(s.out.find("\"filenames\": " + names + "]"), std::string::npos) << s.out;
    return m;
}

// ---- round trips, table-driven ---------------------------------------------------------------

struct RoundTrip {
    const char* name;
    OutgoingMail mail;
};

OutgoingMail with(void (*edit)(OutgoingMail&)) {
    OutgoingMail m = baseMail();
    edit(m);
    return m;
}

std::string binaryBlob() {
    std::string b;
    for (int i = 0; i < 1000; ++i) b += static_cast<char>((i * 37 + 11) & 0xFF);
    return b + std::string("\0\r\n\n\r", 5);
}

const RoundTrip kRoundTrips[] = {
    {"PlainAck", baseMail()},
    {"CyrillicCjkEmojiNames", with([](OutgoingMail& m) {
         m.from = {"Служба поддержки 客服 🎧", "support@postdesk.example"};
         m.to = {{"山田 太郎", "taro@example.jp"}, {"Zoë 🦊 Ölund", "zoe@example.se"}, {"", "bare@example.com"}};
         m.cc = {{"Doe, John \"JD\"", "john@example.com"}, {"O'Brien", "ob@example.ie"}};
         m.reply_to = Address{"Отдел продаж", "sales@postdesk.example"};
         m.subject = "Re: Заказ №42 — 注文について 🚚";
     })},
    {"ThreadIds", with([](OutgoingMail& m) {
         m.in_reply_to = "CAF=abc+123@mail.gmail.com";
         m.references = {"first.1@a.example", "CAF=abc+123@mail.gmail.com", "ack.1842.7f3a@postdesk.example"};
         m.extra_headers = {{"Auto-Submitted", "auto-replied"}, {"X-Postdesk-Ticket", "1842"}};
     })},
    {"ThousandCharSubjectFolded", with([](OutgoingMail& m) {
         m.subject.clear();
         for (int i = 0; i < 100; ++i) m.subject += "word" + std::to_string(i % 10) + "xyz ";
         m.subject.resize(1000);
     })},
    {"ThousandCharSubjectWithoutSpaces", with([](OutgoingMail& m) { m.subject = std::string(1000, 'a'); })},
    {"ThousandCharCyrillicSubject", with([](OutgoingMail& m) {
         for (int i = 0; i < 120; ++i) m.subject += "Привет ";
     })},
    {"LongExtraHeaderNameFoldsAfterColon", with([](OutgoingMail& m) {
         m.extra_headers = {{"X-Postdesk-A-Rather-Long-Header-Name-For-Folding-Checks", "Привет мир, это значение"}};
     })},
    {"SubjectThatLooksEncoded", with([](OutgoingMail& m) { m.subject = "literal =?utf-8?B?SGk=?= text"; })},
    {"LongUtf8LinesInQuotedPrintable", with([](OutgoingMail& m) {
         m.text.clear();
         for (int i = 0; i < 300; ++i) m.text += "Ж日😀 ";
         m.text += "\nshort line with trailing space \n\tand tab\t\nend";
     })},
    {"LongAsciiLineOver998", with([](OutgoingMail& m) { m.text = std::string(2500, 'x') + "\n"; })},
    {"DotAndFromLines", with([](OutgoingMail& m) {
         m.text = ".\n.leading dot\nFrom the desk of support\n..\nFrom \n";
     })},
    {"TextWithoutFinalNewline", with([](OutgoingMail& m) { m.text = "no newline at the end"; })},
    {"LoneCrAndNulInText", with([](OutgoingMail& m) { m.text = std::string("a\rb\0c\r\n\nd\n", 11); })},
    {"EmptyText", with([](OutgoingMail& m) { m.text.clear(); })},
    {"EmptySubject", with([](OutgoingMail& m) { m.subject.clear(); })},
    {"HtmlAlternative", with([](OutgoingMail& m) {
         m.text = "Привет!\n\nYour ticket #1842.\n";
         m.html = "<html><body><p>Привет!</p><p>Your ticket <b>#1842</b>.</p></body></html>\n";
     })},
    {"Attachments", with([](OutgoingMail& m) {
         m.attachments = {
             {"Счёт №42 — 請求書 🧾 with a rather long name to force RFC 2231 continuations.pdf", "application/pdf", binaryBlob(), false, ""},
             {"notes.txt", "text/plain", "line one\nline two\r\nno final", false, ""},
             {"empty.bin", "application/octet-stream", "", false, ""},
         };
     })},
    {"HtmlWithInlineImageAndAttachment", with([](OutgoingMail& m) {
         m.html = "<p>Logo: <img src=\"cid:logo.1@postdesk.example\"></p>";
         m.attachments = {{"logo.png", "image/png", std::string("\x89PNG\r\n\x1a\n", 8) + binaryBlob(), true, "logo.1@postdesk.example"},
                          {"Ärger.zip", "application/zip", binaryBlob(), false, ""}};
     })},
};

class ComposeRoundTrip : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(ComposeRoundTrip, ParsesBackToTheSameFields) { composeAndCheck(GetParam().mail); }

INSTANTIATE_TEST_SUITE_P(Compose, ComposeRoundTrip, ::testing::ValuesIn(kRoundTrips),
                         [](const auto& info) { return std::string(info.param.name); });

// ---- header injection ------------------------------------------------------------------------

struct Injection {
    const char* name;
    void (*edit)(OutgoingMail&);
};

const Injection kInjections[] = {
    {"CrlfInDisplayNameCannotInjectAHeader", [](OutgoingMail& m) { m.from.name = "Eve\r\nBcc: victim@example.com"; }},
    {"LfInRecipientNameCannotInjectAHeader", [](OutgoingMail& m) { m.to[0].name = "Eve\nBcc: victim@example.com\n"; }},
    {"CrlfInSubjectCannotInjectAHeader", [](OutgoingMail& m) { m.subject = "Hi\r\nBcc: victim@example.com\r\n\r\nbody"; }},
    {"CrInNonAsciiSubjectCannotInjectAHeader", [](OutgoingMail& m) { m.subject = "Привет\rBcc: victim@example.com"; }},
    {"CrlfInFilenameCannotInjectAHeader", [](OutgoingMail& m) {
         m.attachments = {{"a.txt\r\nBcc: victim@example.com", "text/plain", "x", false, ""}};
     }},
    {"CrlfInExtraHeaderValueCannotInjectAHeader", [](OutgoingMail& m) {
         m.extra_headers = {{"X-Postdesk-Ticket", "1842\r\nBcc: victim@example.com"}};
     }},
    {"NulAndTabInSubjectBecomeSpaces", [](OutgoingMail& m) { m.subject = std::string("a\0b\tc", 5); }},
};

class ComposeInjection : public ::testing::TestWithParam<Injection> {};

TEST_P(ComposeInjection, NoExtraHeaderAtTheReceiver) {
    OutgoingMail mail = with(GetParam().edit);
    std::string bytes;
    Message m = composeAndCheck(mail, &bytes);
    EXPECT_EQ(m.header("Bcc"), nullptr) << bytes;
    EXPECT_EQ(bytes.find("\r\nBcc:"), std::string::npos) << bytes;
    Strict s = runStrictParser(bytes);
    if (s.ran) {
        EXPECT_EQ(s.out.find("\"Bcc\""), std::string::npos) << s.out;
    }
}

INSTANTIATE_TEST_SUITE_P(Compose, ComposeInjection, ::testing::ValuesIn(kInjections),
                         [](const auto& info) { return std::string(info.param.name); });

// ---- refusals --------------------------------------------------------------------------------

const Injection kRefusals[] = {
    {"AddressWithCrlfIsRefused", [](OutgoingMail& m) { m.to[0].address = "a@b.example\r\nBcc: c@d.example"; }},
    {"AddressWithSpaceIsRefused", [](OutgoingMail& m) { m.to[0].address = "a b@example.com"; }},
    {"AddressWithQuotesIsRefused", [](OutgoingMail& m) { m.to[0].address = "\"a\"@example.com"; }},
    {"AddressWithAngleBracketIsRefused", [](OutgoingMail& m) { m.from.address = "a@example.com>"; }},
    {"AddressWithoutAtIsRefused", [](OutgoingMail& m) { m.cc = {{"", "nobody"}}; }},
    {"NonAsciiAddressIsRefused", [](OutgoingMail& m) { m.reply_to = Address{"", "иван@пример.рф"}; }},
    {"EmptyFromIsRefused", [](OutgoingMail& m) { m.from.address.clear(); }},
    {"MessageIdWithAngleBracketIsRefused", [](OutgoingMail& m) { m.message_id = "<x@y>"; }},
    {"ReferenceWithSpaceIsRefused", [](OutgoingMail& m) { m.references = {"a@b", "c d@e"}; }},
    {"ExtraHeaderBadNameIsRefused", [](OutgoingMail& m) { m.extra_headers = {{"X Bad:Name", "v"}}; }},
    {"ExtraHeaderDuplicatingOursIsRefused", [](OutgoingMail& m) { m.extra_headers = {{"content-type", "text/html"}}; }},
    {"ExtraBccIsRefused", [](OutgoingMail& m) { m.extra_headers = {{"Bcc", "x@y.example"}}; }},
    {"TimezoneOutOfRangeIsRefused", [](OutgoingMail& m) { m.tz_minutes = 24 * 60; }},
};

class ComposeRefusal : public ::testing::TestWithParam<Injection> {};

TEST_P(ComposeRefusal, ReturnsAnErrorAndNoBytes) {
    ComposeResult r = composeMail(with(GetParam().edit));
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.bytes.empty());
    EXPECT_EQ(r.error.find('\n'), std::string::npos) << "error text is one log line";
}

INSTANTIATE_TEST_SUITE_P(Compose, ComposeRefusal, ::testing::ValuesIn(kRefusals),
                         [](const auto& info) { return std::string(info.param.name); });

// ---- shape of the output ---------------------------------------------------------------------

TEST(Compose, EncodedWordsAreShortAndNeverSplitACharacter) {
    OutgoingMail mail = with([](OutgoingMail& m) {
        m.subject.clear();
        for (int i = 0; i < 60; ++i) m.subject += "日本😀é";
    });
    std::string bytes = composeMail(mail).bytes;
    std::size_t words = 0;
    for (std::size_t at = bytes.find("=?utf-8?"); at != std::string::npos; at = bytes.find("=?utf-8?", at + 1)) {
        std::size_t end = bytes.find("?=", at + 10);
        ASSERT_NE(end, std::string::npos);
        EXPECT_LE(end + 2 - at, 75u);
        ++words;
        // Each word alone must decode to valid UTF-8: parse a header holding just that word.
        Message one = parse("Subject: " + bytes.substr(at, end + 2 - at) + "\r\n\r\n");
        EXPECT_EQ(one.subject.find("\xEF\xBF\xBD"), std::string::npos) << bytes.substr(at, end + 2 - at);
    }
    EXPECT_GT(words, 5u);
    EXPECT_EQ(parse(bytes).subject, mail.subject);
}

TEST(Compose, HeadersAlwaysPresentAndInOrder) {
    OutgoingMail mail = with([](OutgoingMail& m) { m.in_reply_to = "x@y"; m.references = {"x@y"}; });
    std::string bytes = composeMail(mail).bytes;
    std::size_t last = 0;
    for (const char* name : {"From:", "To:", "Subject:", "Date: Mon, 23 Nov 2026 06:55:00 +0100", "Message-ID: <ack.1842.7f3a@postdesk.example>",
                             "In-Reply-To: <x@y>", "References: <x@y>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                             "Content-Transfer-Encoding: 7bit"}) {
        std::size_t at = bytes.find(std::string("\r\n") + name);
        if (std::string_view(bytes).starts_with(name)) at = 0;
        ASSERT_NE(at, std::string::npos) << name << "\n" << bytes;
        EXPECT_GE(at, last) << name;
        last = at;
    }
}

TEST(Compose, DateHandlesNegativeOffsetsAndOldDates) {
    OutgoingMail mail = with([](OutgoingMail& m) { m.date_epoch = 951782400; m.tz_minutes = -(4 * 60 + 30); });
    std::string bytes = composeMail(mail).bytes;
    EXPECT_NE(bytes.find("Date: Mon, 28 Feb 2000 19:30:00 -0430\r\n"), std::string::npos) << bytes;  // 2000-02-29T00:00Z
    composeAndCheck(mail);
}

TEST(Compose, SameMailGivesSameBytes) {
    OutgoingMail mail = with([](OutgoingMail& m) { m.html = "<p>x</p>"; m.attachments = {{"a.bin", "application/octet-stream", "x", false, ""}}; });
    EXPECT_EQ(composeMail(mail).bytes, composeMail(mail).bytes);
}

TEST(Compose, BoundaryInSevenBitTextIsAvoided) {
    OutgoingMail mail = with([](OutgoingMail& m) { m.html = "<p>x</p>"; });
    std::string first = composeMail(mail).bytes;
    std::size_t at = first.find("boundary=\"");
    ASSERT_NE(at, std::string::npos);
    std::string boundary = first.substr(at + 10, first.find('"', at + 10) - at - 10);
    mail.text = "quoting a delimiter:\n--" + boundary + "\n--" + boundary + "--\nend\n";
    composeAndCheck(mail);
}

TEST(Compose, QuotedPrintableLinesStayWithin76) {
    OutgoingMail mail = with([](OutgoingMail& m) { m.text = std::string(500, 'x') + "=" + std::string(300, ' ') + "Ж\n"; });
    std::string bytes = composeMail(mail).bytes;
    std::string_view body = std::string_view(bytes).substr(bytes.find("\r\n\r\n") + 4);
    for (std::string_view l : lines(body)) EXPECT_LE(l.size(), 76u) << l;
    composeAndCheck(mail);
}

TEST(Compose, MalformedAttachmentTypeBecomesOctetStream) {
    OutgoingMail mail = with([](OutgoingMail& m) { m.attachments = {{"a.bin", "text/plain\r\nBcc: x@y", "data", false, ""}}; });
    Message m = parse(composeMail(mail).bytes);
    ASSERT_EQ(m.attachments.size(), 1u);
    EXPECT_EQ(m.attachments[0].content_type, "application/octet-stream");
    EXPECT_EQ(m.header("Bcc"), nullptr);
}

TEST(Compose, StrictParserScriptFlagsDefects) {
    // The checker itself must not be vacuous: a multipart without its boundary and a broken
    // encoded-word are defects to Python's strict policy.
    Strict s = runStrictParser("From: a@b.example\r\nSubject: =?utf-8?B?###?=\r\nMIME-Version: 1.0\r\n"
                               "Content-Type: multipart/mixed\r\n\r\nbody\r\n");
    if (!s.ran) GTEST_SKIP() << "python3 not found";
    EXPECT_EQ(s.status, 1) << s.out;
    EXPECT_NE(s.out.find("defects"), std::string::npos) << s.out;
}

// ---- replySubject ----------------------------------------------------------------------------

struct SubjectCase {
    const char* in;
    const char* out;
};

class ComposeReplySubject : public ::testing::TestWithParam<SubjectCase> {};

TEST_P(ComposeReplySubject, AddsReOnlyOnce) { EXPECT_EQ(replySubject(GetParam().in), GetParam().out); }

INSTANTIATE_TEST_SUITE_P(Compose, ComposeReplySubject,
                         ::testing::Values(SubjectCase{"Order 42", "Re: Order 42"}, SubjectCase{"Re: Order 42", "Re: Order 42"},
                                           SubjectCase{"Re: Re: Order 42", "Re: Re: Order 42"}, SubjectCase{"RE: Order", "RE: Order"},
                                           SubjectCase{"AW: Bestellung", "AW: Bestellung"}, SubjectCase{"Fwd: Invoice", "Fwd: Invoice"},
                                           SubjectCase{"Re[2]: x", "Re[2]: x"}, SubjectCase{"re : x", "re : x"},
                                           SubjectCase{"Regarding: x", "Re: Regarding: x"}, SubjectCase{"Заказ", "Re: Заказ"},
                                           SubjectCase{"", "Re: "}, SubjectCase{"Ticket: 5", "Re: Ticket: 5"}));

}  // namespace
}  // namespace postdesk::mime
