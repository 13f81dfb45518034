#include "replies/chat_record.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "mime/digest.h"
#include "mime/parse.h"

namespace postdesk::replies {
namespace {

using rules::ChatRole;

constexpr std::int64_t kT0 = 1741097112;  // 2025-03-04 14:05:12Z
constexpr std::int64_t kNow = kT0 + 3600;
const std::string kTitle = "Поддержка 🚀";
const std::string kPhoto = std::string("\xFF\xD8\xFF\xE0 binary\0data", 17);

rules::ChatUser ivan() {
    rules::ChatUser u;
    u.id = 333;
    u.first_name = "Ivan";
    u.last_name = "Petrov";
    u.username = "ivanp";
    return u;
}

rules::ChatUser anna() {
    rules::ChatUser u;
    u.id = 111;
    u.first_name = "Anna";
    return u;
}

rules::ChatFile file(std::string kind, std::string uniqueId, std::string name, std::int64_t size) {
    rules::ChatFile f;
    f.kind = std::move(kind);
    f.file_id = "id-" + uniqueId;
    f.file_unique_id = std::move(uniqueId);
    f.file_name = std::move(name);
    f.file_size = size;
    return f;
}

ChatTranscript transcript() {
    ChatTranscript t;
    t.chat_id = -1001234567890;
    t.chat_type = "supergroup";
    t.chat_title = kTitle;
    t.thread_key = 17;
    t.ticket = 42;
    t.subject = "Printer on fire";
    t.participants = {{ivan(), ChatRole::Customer}, {anna(), ChatRole::Agent}};

    ChatEntry first;
    first.message_id = 1365;
    first.time = kT0;
    first.reply_to = 1360;
    first.author = ivan();
    first.text = "Hello <script>alert('x')</script> & bye";
    first.files = {file("photo", "AQADphoto", "", 17), file("video", "BAADvideo", "video.mp4", 34 * 1024 * 1024)};
    ChatEntry second;
    second.message_id = 1366;
    second.time = kT0 + 60;
    second.author = anna();
    second.role = ChatRole::Agent;
    second.text = "Hi Ivan\nsecond line";
    ChatEntry edit;
    edit.kind = ChatEntry::Kind::Edit;
    edit.message_id = 1365;
    edit.time = kT0 + 148;  // 14:07:40Z
    edit.author = ivan();
    edit.text = "new text";
    t.entries = {first, second, edit};

    t.fetched = {{"AQADphoto", "photo_AQADphoto.jpg", "image/jpeg", kPhoto}};
    t.unretrievable = {{"BAADvideo", "video.mp4", 34 * 1024 * 1024, "Telegram bots can download ≤ 20 MB"}};
    return t;
}

ChatMailAddressing addressing() {
    ChatMailAddressing a;
    a.bridge_domain = "support.example";
    a.intake = {"Support", "support@support.example"};
    a.message_id = "tg.-1001234567890.7.0@support.example";
    return a;
}

const mime::Attachment* attachment(const mime::Message& m, const std::string& name) {
    for (const auto& a : m.attachments)
        if (a.filename == name) return &a;
    return nullptr;
}

std::string header(const mime::Message& m, const char* name) {
    const mime::Header* h = m.header(name);
    return h ? h->value : "<absent>";
}

TEST(ChatRecord, OpeningRecordHeadersAndAddressing) {
    auto r = composeChatRecord(transcript(), addressing(), kNow);
    ASSERT_TRUE(r.ok()) << r.error;
    auto m = mime::parse(r.bytes);
    EXPECT_TRUE(m.warnings.empty()) << m.warnings[0].code;
    EXPECT_EQ(m.subject, "[Telegram] " + kTitle + ": Printer on fire");
    EXPECT_EQ(m.from.address, "chat+tg--1001234567890@support.example");
    EXPECT_EQ(m.from.name, "Ivan Petrov via Telegram");
    ASSERT_EQ(m.to.size(), 1u);
    EXPECT_EQ(m.to[0].address, "support@support.example");
    EXPECT_EQ(m.message_id, "tg.-1001234567890.7.0@support.example");
    EXPECT_EQ(m.date_epoch, kNow);
    EXPECT_FALSE(m.in_reply_to);
    EXPECT_EQ(header(m, "Auto-Submitted"), "auto-generated");
    EXPECT_EQ(header(m, "X-Chat-Source"), "telegram");
    EXPECT_EQ(header(m, "X-Chat-Id"), "-1001234567890");
    EXPECT_EQ(header(m, "X-Chat-Thread"), "17");
    EXPECT_EQ(header(m, "X-Chat-Message-Range"), "1365-1366");
    EXPECT_EQ(m.auto_kind, mime::AutoKind::AutoReply) << "Auto-Submitted keeps autoresponders quiet";
}

TEST(ChatRecord, StructureIsTextHtmlFilesAndTranscriptJson) {
    auto r = composeChatRecord(transcript(), addressing(), kNow);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_NE(r.bytes.find("Content-Type: multipart/mixed"), std::string::npos);
    EXPECT_NE(r.bytes.find("Content-Type: multipart/alternative"), std::string::npos);
    auto m = mime::parse(r.bytes);
    ASSERT_TRUE(m.html);
    ASSERT_EQ(m.attachments.size(), 2u);
    EXPECT_EQ(m.attachments[0].filename, "photo_AQADphoto.jpg");
    EXPECT_EQ(m.attachments[0].content_type, "image/jpeg");
    EXPECT_EQ(m.attachments[0].data, kPhoto);
    EXPECT_EQ(m.attachments[1].filename, "transcript.json");
    EXPECT_EQ(m.attachments[1].content_type, "application/json");
}

TEST(ChatRecord, TextTranscriptLines) {
    auto m = mime::parse(composeChatRecord(transcript(), addressing(), kNow).bytes);
    const std::string& text = m.text;
    EXPECT_NE(text.find("Chat:         " + kTitle + " (id -1001234567890, supergroup, topic 17)\n"), std::string::npos) << text;
    EXPECT_NE(text.find("Participants: Ivan Petrov (@ivanp, customer, id 333)\n"
                        "              Anna (agent, id 111)\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("Period:       2025-03-04T14:05:12Z to 2025-03-04T14:07:40Z (UTC)"), std::string::npos) << text;
    EXPECT_NE(text.find("[2025-03-04 14:05:12Z] Ivan Petrov (@ivanp, customer, id 333) #1365 ↩1360: "
                        "Hello <script>alert('x')</script> & bye\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("  [file photo_AQADphoto.jpg, 17 bytes: attached, sha256 " + mime::sha256Hex(m.attachments[0].data) + "]\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("  [file video.mp4, 34 MB: not retrievable, Telegram bots can download ≤ 20 MB]\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("[2025-03-04 14:06:12Z] Anna (agent, id 111) #1366: Hi Ivan\n  second line\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("✎ edited 14:07:40Z #1365: new text\n"), std::string::npos) << text;
}

TEST(ChatRecord, HtmlTranscriptEscapesWhatTheChatSaid) {
    ChatTranscript t = transcript();
    t.chat_title = "Acme <b>\"quoted\"</b>";
    auto m = mime::parse(composeChatRecord(t, addressing(), kNow).bytes);
    ASSERT_TRUE(m.html);
    const std::string& html = *m.html;
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_EQ(html.find("<b>\"quoted"), std::string::npos);
    EXPECT_NE(html.find("Hello &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; bye"), std::string::npos) << html;
    EXPECT_NE(html.find("Acme &lt;b&gt;&quot;quoted&quot;&lt;/b&gt;"), std::string::npos) << html;
    EXPECT_NE(html.find("<b>Ivan Petrov</b>"), std::string::npos);
    EXPECT_NE(html.find("Hi Ivan<br>\nsecond line"), std::string::npos) << html;
}

TEST(ChatRecord, TranscriptJsonIsTheMachineCheckableRecord) {
    auto m = mime::parse(composeChatRecord(transcript(), addressing(), kNow).bytes);
    const mime::Attachment* json = attachment(m, "transcript.json");
    ASSERT_NE(json, nullptr);
    Poco::JSON::Parser parser;
    auto root = parser.parse(json->data).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(root->getValue<std::string>("format"), "postdesk.chat-transcript.v1");
    EXPECT_EQ(root->getValue<std::string>("kind"), "record");
    auto chat = root->getObject("chat");
    EXPECT_EQ(chat->getValue<std::int64_t>("id"), -1001234567890);
    EXPECT_EQ(chat->getValue<std::string>("title"), kTitle);
    EXPECT_EQ(chat->getValue<std::int64_t>("thread"), 17);
    EXPECT_EQ(root->getValue<std::int64_t>("ticket"), 42);

    auto people = root->getArray("participants");
    ASSERT_EQ(people->size(), 2u);
    EXPECT_EQ(people->getObject(0)->getValue<std::int64_t>("id"), 333);
    EXPECT_EQ(people->getObject(0)->getValue<std::string>("username"), "ivanp");
    EXPECT_EQ(people->getObject(0)->getValue<std::string>("role"), "customer");
    EXPECT_EQ(people->getObject(1)->getValue<std::string>("role"), "agent");

    auto entries = root->getArray("entries");
    ASSERT_EQ(entries->size(), 3u);
    auto first = entries->getObject(0);
    EXPECT_EQ(first->getValue<std::string>("type"), "message");
    EXPECT_EQ(first->getValue<std::int64_t>("message_id"), 1365);
    EXPECT_EQ(first->getValue<std::string>("date"), "2025-03-04T14:05:12Z");
    EXPECT_EQ(first->getValue<std::int64_t>("date_unix"), kT0);
    EXPECT_EQ(first->getValue<std::int64_t>("reply_to"), 1360);
    EXPECT_EQ(first->getValue<std::string>("text"), "Hello <script>alert('x')</script> & bye");
    auto files = first->getArray("files");
    ASSERT_EQ(files->size(), 2u);
    EXPECT_EQ(files->getObject(0)->getValue<std::string>("status"), "attached");
    EXPECT_EQ(files->getObject(0)->getValue<std::string>("sha256"), mime::sha256Hex(m.attachments[0].data));
    EXPECT_EQ(files->getObject(1)->getValue<std::string>("status"), "not_retrievable");
    EXPECT_TRUE(entries->getObject(1)->isNull("reply_to"));
    auto edit = entries->getObject(2);
    EXPECT_EQ(edit->getValue<std::string>("type"), "edit");
    EXPECT_EQ(edit->getValue<std::string>("edit_date"), "2025-03-04T14:07:40Z");
    EXPECT_EQ(edit->getValue<std::string>("text"), "new text");

    auto attached = root->getArray("attachments");
    ASSERT_EQ(attached->size(), 1u);
    EXPECT_EQ(attached->getObject(0)->getValue<std::string>("sha256"), mime::sha256Hex(m.attachments[0].data));
    EXPECT_EQ(attached->getObject(0)->getValue<std::int64_t>("size"), 17);
    EXPECT_EQ(root->getArray("not_retrievable")->getObject(0)->getValue<std::int64_t>("size"), 34 * 1024 * 1024);
}

TEST(ChatRecord, SameInputGivesTheSameBytes) {
    auto a = composeChatRecord(transcript(), addressing(), kNow);
    auto b = composeChatRecord(transcript(), addressing(), kNow);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a.bytes, b.bytes);
}

TEST(ChatRecord, FollowUpThreadsUnderTheOpeningRecord) {
    ChatTranscript t = transcript();
    t.entries.erase(t.entries.begin());  // the digest: Anna's answer and the edit
    t.participants = {{anna(), ChatRole::Agent}, {ivan(), ChatRole::Customer}};
    ChatMailAddressing a = addressing();
    a.message_id = "tg.-1001234567890.7.2@support.example";
    a.in_reply_to = "tg.-1001234567890.7.1@support.example";
    a.references = {"tg.-1001234567890.7.0@support.example"};
    auto r = composeChatFollowUp(t, a, kNow);
    ASSERT_TRUE(r.ok()) << r.error;
    auto m = mime::parse(r.bytes);
    EXPECT_EQ(m.subject, "Re: [#42] [Telegram] " + kTitle + ": Printer on fire");
    EXPECT_EQ(m.in_reply_to, "tg.-1001234567890.7.1@support.example");
    EXPECT_EQ(m.references, (std::vector<std::string>{"tg.-1001234567890.7.0@support.example",
                                                      "tg.-1001234567890.7.1@support.example"}));
    EXPECT_EQ(m.from.name, "Ivan Petrov via Telegram");
    EXPECT_EQ(header(m, "X-Chat-Message-Range"), "1365-1366");
    EXPECT_NE(m.text.find("Telegram chat follow-up"), std::string::npos);
    // An edit first in a digest carries its full date.
    ChatTranscript onlyEdit = transcript();
    onlyEdit.entries = {transcript().entries[2]};
    EXPECT_NE(chatTranscriptText(onlyEdit, true).find("✎ edited 2025-03-04 14:07:40Z #1365: new text"), std::string::npos);
    EXPECT_NE(chatTranscriptJson(onlyEdit, true).find("\"kind\": \"follow-up\""), std::string::npos)
        << chatTranscriptJson(onlyEdit, true);
}

TEST(ChatRecord, FollowUpWithoutInReplyToIsRefused) {
    auto r = composeChatFollowUp(transcript(), addressing(), kNow);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.bytes.empty());
}

TEST(ChatRecord, BadDomainIsReportedNotThrown) {
    ChatMailAddressing a = addressing();
    a.bridge_domain = "bad domain";
    EXPECT_FALSE(composeChatRecord(transcript(), a, kNow).ok());
}

TEST(ChatRecord, EntryFromAnEvent) {
    rules::ChatEvent e;
    e.kind = rules::ChatEvent::Kind::Edit;
    e.message_id = 9;
    e.date = kT0;
    e.edit_date = kT0 + 5;
    e.reply_to = 3;
    e.text = "v2";
    e.from = ivan();
    ChatEntry entry = chatEntry(e, ChatRole::Customer);
    EXPECT_EQ(entry.kind, ChatEntry::Kind::Edit);
    EXPECT_EQ(entry.time, kT0 + 5);
    EXPECT_EQ(entry.reply_to, 0);
    EXPECT_EQ(entry.text, "v2");
}

TEST(ChatRecord, BridgeAddresses) {
    EXPECT_EQ(chatBridgeAddress("telegram", 42, "x.example"), "chat+tg-42@x.example");
    EXPECT_EQ(chatBridgeAddress("Slack!", -5, "x.example"), "chat+slack--5@x.example");
}

}  // namespace
}  // namespace postdesk::replies
