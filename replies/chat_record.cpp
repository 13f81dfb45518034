#include "replies/chat_record.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "mime/date.h"
#include "mime/digest.h"

namespace postdesk::replies {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kJsonFormat = "postdesk.chat-transcript.v1";

// ---- small formatting helpers -------------------------------------------------------------

std::string sourceLabel(std::string_view source) {
    if (source == "telegram" || source.empty()) return "Telegram";
    std::string s(source);
    if (s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

std::string stamp(std::int64_t t) {  // "2025-03-04 14:05:12Z"
    std::string iso = mime::formatIsoUtc(t);
    if (iso.size() > 10 && iso[10] == 'T') iso[10] = ' ';
    return iso;
}

std::string timeOfDay(std::int64_t t) { return mime::formatIsoUtc(t).substr(11); }  // "14:07:40Z"
bool sameUtcDay(std::int64_t a, std::int64_t b) { return mime::formatIsoUtc(a).substr(0, 10) == mime::formatIsoUtc(b).substr(0, 10); }

std::string sizeText(std::int64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " bytes";
    if (bytes < 1024 * 1024) return std::to_string((bytes + 512) / 1024) + " KB";
    double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
    char buf[32];
    std::snprintf(buf, sizeof buf, mb < 10 ? "%.1f MB" : "%.0f MB", mb);
    return buf;
}

// The transcript with each fetched file's digest computed once (files run to 20 MB).
struct Record {
    const ChatTranscript& t;
    bool followUp = false;
    std::vector<std::string> sha256;  // parallel to t.fetched
    Record(const ChatTranscript& transcript, bool isFollowUp) : t(transcript), followUp(isFollowUp) {
        for (const auto& f : t.fetched) sha256.push_back(mime::sha256Hex(f.data));
    }
    std::string digest(const FetchedChatFile* f) const { return sha256[static_cast<std::size_t>(f - t.fetched.data())]; }
};

std::string escapeHtml(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::vector<std::string> textLines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.emplace_back(line);
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
}

// ---- who said it ----------------------------------------------------------------------------

struct Label {
    std::string name;    // "Ivan Petrov", or "@ivanp" when that is all we know
    std::string detail;  // "(@ivanp, customer, id 333)"
};

Label label(const rules::ChatUser& u, rules::ChatRole role) {
    Label l{rules::chatUserName(u), "("};
    bool nameIsUsername = !u.username.empty() && l.name == "@" + u.username;
    if (!u.username.empty() && !nameIsUsername) l.detail += "@" + u.username + ", ";
    l.detail += std::string(rules::toString(role)) + ", id " + std::to_string(u.id) + ")";
    return l;
}

// ---- files ----------------------------------------------------------------------------------

template <typename T>
const T* findFile(const std::vector<T>& list, const rules::ChatFile& f) {
    for (const T& x : list)
        if (!f.file_unique_id.empty() && x.file_unique_id == f.file_unique_id) return &x;
    for (const T& x : list)
        if (f.file_unique_id.empty() && !f.file_name.empty() && x.file_name == f.file_name) return &x;
    return nullptr;
}

std::string fileNote(const Record& r, const rules::ChatFile& f) {
    const ChatTranscript& t = r.t;
    if (const auto* got = findFile(t.fetched, f)) {
        return "[file " + got->file_name + ", " + sizeText(static_cast<std::int64_t>(got->data.size())) +
               ": attached, sha256 " + r.digest(got) + "]";
    }
    std::string name = f.file_name.empty() ? f.kind : f.file_name;
    if (const auto* lost = findFile(t.unretrievable, f)) {
        if (!lost->file_name.empty()) name = lost->file_name;
        std::int64_t size = lost->size ? lost->size : f.file_size;
        return "[file " + name + (size ? ", " + sizeText(size) : "") + ": not retrievable, " + lost->reason + "]";
    }
    return "[file " + name + (f.file_size ? ", " + sizeText(f.file_size) : "") + ": not fetched]";
}

// ---- one entry, rendered twice --------------------------------------------------------------

struct EntryView {
    bool edit = false;
    std::string head;                 // "[stamp] " for a message, "✎ edited <time> " for an edit
    Label who;                        // messages only
    std::string ids;                  // "#1365 ↩1360"
    std::vector<std::string> body;    // text lines
    std::vector<std::string> files;   // file notes
};

std::vector<EntryView> entryViews(const Record& r) {
    const ChatTranscript& t = r.t;
    std::vector<EntryView> views;
    std::int64_t previous = 0;
    for (const ChatEntry& e : t.entries) {
        EntryView v;
        v.edit = e.kind == ChatEntry::Kind::Edit;
        if (v.edit) {
            bool timeOnly = previous != 0 && sameUtcDay(previous, e.time);
            v.head = "✎ edited " + (timeOnly ? timeOfDay(e.time) : stamp(e.time));
        } else {
            v.head = "[" + stamp(e.time) + "]";
            v.who = label(e.author, e.role);
        }
        v.ids = "#" + std::to_string(e.message_id);
        if (!v.edit && e.reply_to != 0) v.ids += " ↩" + std::to_string(e.reply_to);
        v.body = textLines(e.text);
        if (!v.edit)
            for (const auto& f : e.files) v.files.push_back(fileNote(r, f));
        views.push_back(std::move(v));
        previous = e.time;
    }
    return views;
}

std::string entryText(const EntryView& v) {
    std::string out = v.head + " ";
    if (!v.edit) out += v.who.name + " " + v.who.detail + " ";
    out += v.ids + ":";
    std::vector<std::string> parts = v.body;
    parts.insert(parts.end(), v.files.begin(), v.files.end());
    if (parts.empty()) parts.push_back(v.edit ? "(text removed)" : "(no text)");
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i == 0) out += " " + parts[i];
        else out += parts[i].empty() ? "\n" : "\n  " + parts[i];
    }
    return out + "\n";
}

std::string entryHtml(const EntryView& v) {
    std::string out = v.edit ? "<p style=\"margin:0 0 .5em 2em;color:#555\">" : "<p style=\"margin:0 0 .5em 0\">";
    out += "<span style=\"color:#777\">" + escapeHtml(v.head) + "</span> ";
    if (!v.edit) out += "<b>" + escapeHtml(v.who.name) + "</b> " + escapeHtml(v.who.detail) + " ";
    out += escapeHtml(v.ids) + ":";
    if (v.body.empty() && v.files.empty()) out += " <i>" + std::string(v.edit ? "(text removed)" : "(no text)") + "</i>";
    for (std::size_t i = 0; i < v.body.size(); ++i) out += (i == 0 ? " " : "<br>\n") + escapeHtml(v.body[i]);
    for (const auto& f : v.files) out += "<br>\n<i>" + escapeHtml(f) + "</i>";
    return out + "</p>\n";
}

// ---- the header block -----------------------------------------------------------------------

struct Overview {
    std::string heading;                   // "Telegram chat record" / "… follow-up"
    std::vector<std::pair<std::string, std::vector<std::string>>> rows;  // label, lines
};

std::pair<std::int64_t, std::int64_t> messageRange(const ChatTranscript& t) {
    std::int64_t lo = 0, hi = 0;
    for (const auto& e : t.entries) {
        if (e.message_id == 0) continue;
        lo = lo == 0 ? e.message_id : std::min(lo, e.message_id);
        hi = std::max(hi, e.message_id);
    }
    return {lo, hi};
}

std::pair<std::int64_t, std::int64_t> period(const ChatTranscript& t) {
    std::int64_t lo = 0, hi = 0;
    for (const auto& e : t.entries) {
        lo = lo == 0 ? e.time : std::min(lo, e.time);
        hi = std::max(hi, e.time);
    }
    return {lo, hi};
}

std::string chatLine(const ChatTranscript& t) {
    std::string s = (t.chat_title.empty() ? std::string("(untitled)") : t.chat_title) + " (id " + std::to_string(t.chat_id);
    if (!t.chat_type.empty()) s += ", " + t.chat_type;
    if (t.thread_key != 0) s += ", topic " + std::to_string(t.thread_key);
    return s + ")";
}

Overview overview(const ChatTranscript& t, bool followUp) {
    Overview o;
    o.heading = sourceLabel(t.source) + (followUp ? " chat follow-up" : " chat record");
    if (t.ticket != 0) o.rows.push_back({"Ticket", {"#" + std::to_string(t.ticket)}});
    if (!t.subject.empty()) o.rows.push_back({"Subject", {t.subject}});
    o.rows.push_back({"Chat", {chatLine(t)}});
    std::vector<std::string> people;
    for (const auto& p : t.participants) {
        Label l = label(p.user, p.role);
        people.push_back(l.name + " " + l.detail);
    }
    if (!people.empty()) o.rows.push_back({"Participants", people});
    auto [from, to] = period(t);
    if (from != 0) o.rows.push_back({"Period", {mime::formatIsoUtc(from) + " to " + mime::formatIsoUtc(to) + " (UTC)"}});
    auto [lo, hi] = messageRange(t);
    if (lo != 0) o.rows.push_back({"Messages", {"#" + std::to_string(lo) + " to #" + std::to_string(hi)}});
    if (!t.fetched.empty() || !t.unretrievable.empty())
        o.rows.push_back({"Files", {std::to_string(t.fetched.size()) + " attached, " + std::to_string(t.unretrievable.size()) +
                                    " not retrievable"}});
    return o;
}

// ---- JSON -----------------------------------------------------------------------------------

Object::Ptr newObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }
Poco::Dynamic::Var idOrNull(std::int64_t id) { return id ? Poco::Dynamic::Var(id) : Poco::Dynamic::Var(); }

Object::Ptr userJson(const rules::ChatUser& u, rules::ChatRole role) {
    Object::Ptr o = newObject();
    o->set("id", u.id);
    o->set("name", rules::chatUserName(u));
    o->set("first_name", u.first_name);
    o->set("last_name", u.last_name);
    o->set("username", u.username);
    o->set("is_bot", u.is_bot);
    o->set("role", std::string(rules::toString(role)));
    return o;
}

Object::Ptr fileJson(const Record& r, const rules::ChatFile& f) {
    const ChatTranscript& t = r.t;
    Object::Ptr o = newObject();
    o->set("kind", f.kind);
    o->set("file_unique_id", f.file_unique_id);
    o->set("file_name", f.file_name);
    o->set("mime_type", f.mime_type);
    o->set("size", f.file_size);
    if (const auto* got = findFile(t.fetched, f)) {
        o->set("status", std::string("attached"));
        o->set("attachment", got->file_name);
        o->set("sha256", r.digest(got));
    } else if (const auto* lost = findFile(t.unretrievable, f)) {
        o->set("status", std::string("not_retrievable"));
        o->set("reason", lost->reason);
    } else {
        o->set("status", std::string("not_fetched"));
    }
    return o;
}

Object::Ptr entryJson(const Record& r, const ChatEntry& e) {
    Object::Ptr o = newObject();
    bool edit = e.kind == ChatEntry::Kind::Edit;
    o->set("type", std::string(edit ? "edit" : "message"));
    o->set("message_id", e.message_id);
    o->set(edit ? "edit_date" : "date", mime::formatIsoUtc(e.time));
    o->set(edit ? "edit_date_unix" : "date_unix", e.time);
    o->set("author_id", e.author.id);
    o->set("role", std::string(rules::toString(e.role)));
    if (!edit) o->set("reply_to", idOrNull(e.reply_to));
    o->set("text", e.text);
    if (!edit) {
        Array::Ptr files = new Array;
        for (const auto& f : e.files) files->add(fileJson(r, f));
        o->set("files", files);
    }
    return o;
}

Object::Ptr transcriptJson(const Record& r) {
    const ChatTranscript& t = r.t;
    Object::Ptr o = newObject();
    o->set("format", std::string(kJsonFormat));
    o->set("kind", std::string(r.followUp ? "follow-up" : "record"));
    o->set("source", t.source);
    Object::Ptr chat = newObject();
    chat->set("id", t.chat_id);
    chat->set("type", t.chat_type);
    chat->set("title", t.chat_title);
    chat->set("thread", t.thread_key);
    o->set("chat", chat);
    o->set("ticket", idOrNull(t.ticket));
    o->set("subject", t.subject);
    auto [from, to] = period(t);
    Object::Ptr when = newObject();
    when->set("from", from ? Poco::Dynamic::Var(mime::formatIsoUtc(from)) : Poco::Dynamic::Var());
    when->set("to", to ? Poco::Dynamic::Var(mime::formatIsoUtc(to)) : Poco::Dynamic::Var());
    o->set("period", when);
    Array::Ptr people = new Array;
    for (const auto& p : t.participants) people->add(userJson(p.user, p.role));
    o->set("participants", people);
    Array::Ptr entries = new Array;
    for (const auto& e : t.entries) entries->add(entryJson(r, e));
    o->set("entries", entries);
    Array::Ptr attached = new Array;
    for (std::size_t i = 0; i < t.fetched.size(); ++i) {
        const FetchedChatFile& f = t.fetched[i];
        Object::Ptr a = newObject();
        a->set("file_unique_id", f.file_unique_id);
        a->set("file_name", f.file_name);
        a->set("mime_type", f.mime_type);
        a->set("size", static_cast<std::int64_t>(f.data.size()));
        a->set("sha256", r.sha256[i]);
        attached->add(a);
    }
    o->set("attachments", attached);
    Array::Ptr lost = new Array;
    for (const auto& f : t.unretrievable) {
        Object::Ptr a = newObject();
        a->set("file_unique_id", f.file_unique_id);
        a->set("file_name", f.file_name);
        a->set("size", f.size);
        a->set("reason", f.reason);
        lost->add(a);
    }
    o->set("not_retrievable", lost);
    return o;
}

// ---- the three renderings -----------------------------------------------------------------

std::string transcriptText(const Record& r) {
    Overview o = overview(r.t, r.followUp);
    std::string out = o.heading + "\n\n";
    for (const auto& [name, lines] : o.rows) {
        std::string pad(14 - std::min<std::size_t>(13, name.size() + 1), ' ');
        for (std::size_t i = 0; i < lines.size(); ++i)
            out += (i == 0 ? name + ":" + pad : std::string(14, ' ')) + lines[i] + "\n";
    }
    out += "\n";
    for (const auto& v : entryViews(r)) out += entryText(v);
    return out;
}

std::string transcriptHtml(const Record& r) {
    Overview o = overview(r.t, r.followUp);
    std::string out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escapeHtml(chatRecordSubject(r.t)) +
                      "</title></head>\n<body style=\"font-family:sans-serif\">\n<h2>" + escapeHtml(o.heading) +
                      "</h2>\n<table>\n";
    for (const auto& [name, lines] : o.rows) {
        out += "<tr><th align=\"left\" valign=\"top\">" + escapeHtml(name) + "</th><td>";
        for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "<br>" : "") + escapeHtml(lines[i]);
        out += "</td></tr>\n";
    }
    out += "</table>\n<hr>\n";
    for (const auto& v : entryViews(r)) out += entryHtml(v);
    return out + "</body></html>\n";
}

std::string transcriptJsonText(const Record& r) {
    std::ostringstream out;
    transcriptJson(r)->stringify(out, 2);
    return out.str() + "\n";
}

// ---- the mail -------------------------------------------------------------------------------

std::string fromName(const ChatTranscript& t) {
    for (const auto& p : t.participants)
        if (p.role == rules::ChatRole::Customer) return rules::chatUserName(p.user);
    return t.chat_title.empty() ? "Chat " + std::to_string(t.chat_id) : t.chat_title;
}

mime::ComposeResult compose(const ChatTranscript& t, const ChatMailAddressing& a, std::int64_t now, bool followUp) {
    if (followUp && (!a.in_reply_to || a.in_reply_to->empty()))
        return {"", "a chat follow-up needs in_reply_to (the Message-ID of the opening record)"};
    mime::OutgoingMail m;
    m.from = {fromName(t) + " via " + sourceLabel(t.source), chatBridgeAddress(t.source, t.chat_id, a.bridge_domain)};
    m.to = {a.intake};
    m.subject = chatRecordSubject(t);
    if (followUp) {
        if (t.ticket != 0) m.subject = "[#" + std::to_string(t.ticket) + "] " + m.subject;
        m.subject = mime::replySubject(m.subject);
    }
    m.message_id = a.message_id;
    m.in_reply_to = a.in_reply_to;
    m.references = a.references;
    if (a.in_reply_to && std::find(m.references.begin(), m.references.end(), *a.in_reply_to) == m.references.end())
        m.references.push_back(*a.in_reply_to);
    m.date_epoch = now;
    m.extra_headers = {{"Auto-Submitted", "auto-generated"},
                       {"X-Chat-Source", t.source},
                       {"X-Chat-Id", std::to_string(t.chat_id)},
                       {"X-Chat-Thread", std::to_string(t.thread_key)}};
    auto [lo, hi] = messageRange(t);
    if (lo != 0) m.extra_headers.push_back({"X-Chat-Message-Range", std::to_string(lo) + "-" + std::to_string(hi)});
    Record r(t, followUp);
    m.text = transcriptText(r);
    m.html = transcriptHtml(r);
    for (const auto& f : t.fetched) m.attachments.push_back({f.file_name, f.mime_type, f.data, false, ""});
    m.attachments.push_back({"transcript.json", "application/json", transcriptJsonText(r), false, ""});
    return mime::composeMail(m);
}

}  // namespace

ChatEntry chatEntry(const rules::ChatEvent& event, rules::ChatRole role) {
    ChatEntry e;
    bool edit = event.kind == rules::ChatEvent::Kind::Edit;
    e.kind = edit ? ChatEntry::Kind::Edit : ChatEntry::Kind::Message;
    e.message_id = event.message_id;
    e.time = edit && event.edit_date != 0 ? event.edit_date : event.date;
    e.reply_to = edit ? 0 : event.reply_to;
    e.author = event.from;
    e.role = role;
    e.text = event.text;
    if (!edit) e.files = event.files;
    return e;
}

std::string chatBridgeAddress(std::string_view source, std::int64_t chatId, std::string_view domain) {
    std::string tag;
    if (source == "telegram" || source.empty()) {
        tag = "tg";
    } else {
        for (char c : source) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) tag += c;
        }
        if (tag.empty()) tag = "chat";
    }
    return "chat+" + tag + "-" + std::to_string(chatId) + "@" + std::string(domain);
}

std::string chatRecordSubject(const ChatTranscript& t) {
    std::string s = "[" + sourceLabel(t.source) + "] ";
    if (!t.chat_title.empty()) s += t.chat_title + ": ";
    return s + t.subject;
}

std::string chatTranscriptText(const ChatTranscript& t, bool followUp) { return transcriptText(Record(t, followUp)); }
std::string chatTranscriptHtml(const ChatTranscript& t, bool followUp) { return transcriptHtml(Record(t, followUp)); }
std::string chatTranscriptJson(const ChatTranscript& t, bool followUp) { return transcriptJsonText(Record(t, followUp)); }

mime::ComposeResult composeChatRecord(const ChatTranscript& transcript, const ChatMailAddressing& addressing,
                                      std::int64_t now) {
    return compose(transcript, addressing, now, false);
}

mime::ComposeResult composeChatFollowUp(const ChatTranscript& transcript, const ChatMailAddressing& addressing,
                                        std::int64_t now) {
    return compose(transcript, addressing, now, true);
}

}  // namespace postdesk::replies
