#include "replies/ack.h"

#include "replies/subject.h"

namespace postdesk::replies {

namespace {

// A section that renders nothing leaves its line empty, and template files end with blank lines:
// the mail gets no trailing spaces, no runs of blank lines, no leading or trailing blank lines.
std::string tidyBody(const std::string& rendered) {
    std::string out;
    std::size_t start = 0;
    bool pendingBlank = false;
    while (start < rendered.size()) {
        auto end = rendered.find('\n', start);
        if (end == std::string::npos) end = rendered.size();
        std::string line = rendered.substr(start, end - start);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
        start = end + 1;
        if (line.empty()) {
            pendingBlank = !out.empty();
            continue;
        }
        if (pendingBlank) out += '\n';
        pendingBlank = false;
        out += line;
        out += '\n';
    }
    return out;
}

std::string oneLine(const std::string& s) {
    std::string out;
    for (char c : s) out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
    const auto first = out.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

RenderedReply render(const Template& t, const ReplyContext& context) {
    const auto data = placeholderData(context, t.language);
    RenderedReply reply;
    if (t.subject) reply.subject = oneLine(t.subject->render(data));
    if (reply.subject.empty()) reply.subject = ticketSubject(context.ticket_number, context.ticket_subject, t.language);
    reply.text = tidyBody(t.body.render(data));
    if (t.html) reply.html = t.html->render(data);
    reply.template_path = t.path;
    return reply;
}

std::optional<RenderedReply> renderIf(const Template* t, const ReplyContext& context) {
    if (t == nullptr) return std::nullopt;
    return render(*t, context);
}

}  // namespace

std::optional<RenderedReply> renderAck(const TemplateSet& templates, const ReplyContext& context) {
    return renderIf(templates.ack(context.queue, context.language), context);
}

std::optional<RenderedReply> renderSaved(const TemplateSet& templates, std::string_view name, const ReplyContext& context) {
    return renderIf(templates.savedReply(name, context.language), context);
}

std::optional<RenderedReply> renderNotify(const TemplateSet& templates, const ReplyContext& context) {
    return renderIf(templates.notify(context.language), context);
}

}  // namespace postdesk::replies
