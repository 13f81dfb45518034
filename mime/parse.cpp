#include "mime/parse.h"

#include "mime/address.h"
#include "mime/auto_kind.h"
#include "mime/date.h"
#include "mime/detail/body_collector.h"
#include "mime/detail/entity.h"
#include "mime/encoded_word.h"
#include "mime/html_text.h"
#include "mime/reply_text.h"

namespace postdesk::mime {
namespace {

using detail::Field;

std::optional<std::string> firstId(const Field* f) {
    if (!f) return std::nullopt;
    auto ids = parseMessageIds(f->value);
    if (ids.empty()) return std::nullopt;
    return std::move(ids.front());
}

// Return-Path as the final MTA wrote it: "" for the null reverse path "<>".
std::optional<std::string> returnPath(const Field* f, Warnings& w) {
    if (!f) return std::nullopt;
    std::string_view v = f->value;
    std::size_t lt = v.find('<'), gt = v.find('>');
    if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
        std::string_view inside = v.substr(lt + 1, gt - lt - 1);
        while (!inside.empty() && inside.front() == ' ') inside.remove_prefix(1);
        if (inside.empty()) return std::string();
    }
    return parseMailbox(v, w).address;
}

void fillDate(Message& m, const Field* f, Warnings& w) {
    if (!f) return;
    if (auto dt = parseDate(f->value)) {
        m.date_epoch = dt->epoch;
        m.date = formatIsoUtc(dt->epoch);
        m.date_tz_minutes = dt->tz_minutes;
    } else {
        w.add(warn::kBadDate, f->value.substr(0, 60));
    }
}

// The first From that holds an address: spam sometimes carries a garbage From before the real
// one (Zammad mail017), and the sender's address is what a ticket is keyed on.
Address fromMailbox(const std::vector<Field>& fields, Warnings& w) {
    Address first;
    bool seen = false;
    for (const auto& f : fields) {
        if (!detail::iequals(f.name, "From")) continue;
        Address a = parseMailbox(f.value, w);
        if (a.address.find('@') != std::string::npos) return a;
        if (!seen) first = std::move(a), seen = true;
    }
    return first;
}

// The first field of each name the envelope reads, found in one pass (a findField() per name was
// ten passes over a mail's ~20 fields). A field's length picks the names to compare.
struct EnvelopeFields {
    const Field* subject = nullptr;
    const Field* sender = nullptr;
    const Field* to = nullptr;
    const Field* cc = nullptr;
    const Field* replyTo = nullptr;
    const Field* messageId = nullptr;
    const Field* inReplyTo = nullptr;
    const Field* references = nullptr;
    const Field* returnPath = nullptr;
    const Field* date = nullptr;
};

EnvelopeFields findEnvelopeFields(const std::vector<Field>& fields) {
    EnvelopeFields e;
    auto take = [](const Field*& slot, const Field& f, std::string_view name) {
        if (!slot && detail::iequalsSameSize(f.name, name)) slot = &f;
    };
    for (const Field& f : fields) {
        switch (f.name.size()) {
            case 2: take(e.to, f, "To"), take(e.cc, f, "Cc"); break;
            case 4: take(e.date, f, "Date"); break;
            case 6: take(e.sender, f, "Sender"); break;
            case 7: take(e.subject, f, "Subject"); break;
            case 8: take(e.replyTo, f, "Reply-To"); break;
            case 10: take(e.messageId, f, "Message-ID"), take(e.references, f, "References"); break;
            case 11: take(e.inReplyTo, f, "In-Reply-To"), take(e.returnPath, f, "Return-Path"); break;
            default: break;
        }
    }
    return e;
}

void fillEnvelope(Message& m, const std::vector<Field>& fields, Warnings& w) {
    m.headers.reserve(fields.size());
    for (const auto& f : fields) m.headers.push_back({std::string(f.name), std::string(f.value), decodeHeaderText(f.value, w)});
    const EnvelopeFields e = findEnvelopeFields(fields);
    if (e.subject) m.subject = m.headers[static_cast<std::size_t>(e.subject - fields.data())].value;
    m.from = fromMailbox(fields, w);
    if (e.sender) m.sender = parseMailbox(e.sender->value, w);
    if (e.to) m.to = parseAddressList(e.to->value, w);
    if (e.cc) m.cc = parseAddressList(e.cc->value, w);
    if (e.replyTo) m.reply_to = parseAddressList(e.replyTo->value, w);
    m.message_id = firstId(e.messageId);
    m.in_reply_to = firstId(e.inReplyTo);
    if (e.references) m.references = parseMessageIds(e.references->value);
    m.return_path = returnPath(e.returnPath, w);
    fillDate(m, e.date, w);
}

// A mail over the size limit: its header fields are still read (for the quarantine listing), its
// body is not looked at.
Message parseOversized(std::string_view raw, const Limits& limits, Warnings& w) {
    Message m;
    m.raw_size = raw.size();
    w.add(warn::kTooLarge, std::to_string(raw.size()) + " bytes > " + std::to_string(limits.max_raw_bytes));
    m.error = warn::kTooLarge;
    fillEnvelope(m, detail::splitHeader(raw.substr(0, limits.max_header_block_bytes), limits, w).fields, w);
    m.warnings = w.take();
    return m;
}

}  // namespace

Message parse(std::string_view raw, const Limits& limits) {
    Warnings w;
    if (raw.size() > limits.max_raw_bytes) return parseOversized(raw, limits, w);
    Message m;
    m.raw_size = raw.size();
    detail::Entity root = detail::parseEntityTree(raw, limits, w);
    fillEnvelope(m, root.fields, w);

    detail::CollectedBody body = detail::collectBody(root, limits, w);
    m.html = std::move(body.html);
    if (body.text) m.text = std::move(*body.text);
    else if (m.html) m.text = htmlToText(*m.html);
    m.attachments = std::move(body.attachments);
    m.original_message_id = std::move(body.originalMessageId);

    AutoDecision decision = classifyAuto(m, root.type.value, root.type.get("report-type").value_or(""));
    m.auto_kind = decision.kind;
    m.auto_reason = std::move(decision.reason);
    m.reply_text = extractReplyText(m.text);
    m.warnings = w.take();
    return m;
}

}  // namespace postdesk::mime
