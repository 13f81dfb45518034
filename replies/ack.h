// postdesk::replies — composing the mails we send: the acknowledgment of a new ticket, a saved
// reply, and the notification to agents.
//
// Each render picks the template (TemplateSet selection rules), fills every placeholder in the
// template's own language (placeholders.h: nothing renders blank), and sets the subject from the
// template's "Subject:" line, else "[#N] subject" (subject.h). Bodies end with exactly one
// newline and carry no trailing blanks on lines. nullopt means there is no template to render:
// a configuration problem the shell reports (lint catches a missing ack.en / notify.en).
// html is reserved for HTML templates, which are not supported yet: it is always nullopt.
// The acknowledgment must be sent with "Auto-Submitted: auto-replied" (RFC 3834 §5): that header is
// what lets loop_policy.h on the other side — ours or anyone's — stay silent.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "replies/placeholders.h"
#include "replies/templates.h"

namespace postdesk::replies {

struct RenderedReply {
    std::string subject;
    std::string text;
    std::optional<std::string> html;
    std::string template_path;  // which file was used, for the log
};

std::optional<RenderedReply> renderAck(const TemplateSet& templates, const ReplyContext& context);
std::optional<RenderedReply> renderSaved(const TemplateSet& templates, std::string_view name, const ReplyContext& context);
std::optional<RenderedReply> renderNotify(const TemplateSet& templates, const ReplyContext& context);

}  // namespace postdesk::replies
