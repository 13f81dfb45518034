#include "replies/lint.h"

#include <algorithm>
#include <tuple>

#include "replies/detail/mustache_tags.h"
#include "replies/detail/template_source.h"
#include "replies/detail/utf8.h"
#include "replies/placeholders.h"

namespace postdesk::replies {

namespace {

using detail::TagKind;
using detail::TemplateSource;

struct Phrase {
    std::string_view text;    // lower-case
    std::string_view advice;
};

constexpr Phrase kForbiddenAnywhere[] = {
    {"inconvenience", "acknowledge the request, do not apologise for it"},
    {"неудобств", "не извиняйтесь за обращение клиента"},
    {"we apologize", "acknowledge the request, do not apologise for it"},
    {"we apologise", "acknowledge the request, do not apologise for it"},
    {"приносим извинения", "не извиняйтесь за обращение клиента"},
    {"приносим свои извинения", "не извиняйтесь за обращение клиента"},
    {"dear customer", "greet by name: {{greeting}}"},
    {"valued customer", "greet by name: {{greeting}}"},
    {"уважаемый клиент", "обращайтесь по имени: {{greeting}}"},
    {"уважаемый покупатель", "обращайтесь по имени: {{greeting}}"},
    {"do not reply", "replies are welcome: {{reply_hint}}"},
    {"do-not-reply", "replies are welcome: {{reply_hint}}"},
    {"no-reply", "replies are welcome: {{reply_hint}}"},
    {"noreply", "replies are welcome: {{reply_hint}}"},
    {"не отвечайте на это письмо", "ответы приветствуются: {{reply_hint}}"},
    {"the support team", "sign as a person: {{signature}}"},
    {"customer service team", "sign as a person: {{signature}}"},
};

// A line that starts with these is a team signature; inside a sentence they are fine
// ("служба поддержки работает круглосуточно").
constexpr Phrase kForbiddenSignatureLines[] = {
    {"команда поддержки", "подписывайтесь именем: {{signature}}"},
    {"служба поддержки", "подписывайтесь именем: {{signature}}"},
    {"support team", "sign as a person: {{signature}}"},
    {"customer support team", "sign as a person: {{signature}}"},
    {"your support team", "sign as a person: {{signature}}"},
};

// One checked text (a subject or a body) and where it sits in its file.
struct Text {
    const std::string& path;
    const std::string& content;
    int line;
    int column;
};

LintFinding findingAt(const Text& t, std::size_t offset, std::string message, LintSeverity severity) {
    const auto [line, column] = detail::lineColumn(t.content, offset, t.line, t.column);
    return {t.path, line, column, std::move(message), severity};
}

void checkPlaceholders(const Text& t, std::vector<LintFinding>& out) {
    std::vector<std::string> open;  // enclosing sections
    for (const auto& tag : detail::scanTags(t.content)) {
        if (tag.kind == TagKind::Comment || tag.kind == TagKind::Partial || tag.kind == TagKind::SetDelimiter) continue;
        if (tag.kind == TagKind::Close) {
            if (!open.empty()) open.pop_back();
            continue;
        }
        if (tag.kind == TagKind::Section || tag.kind == TagKind::Inverted) open.push_back(tag.name);
        if (tag.name == ".") continue;
        const Placeholder* known = findPlaceholder(tag.name);
        if (known == nullptr) {
            out.push_back(findingAt(t, tag.offset, "unknown placeholder {{" + tag.name + "}}: it would render as nothing",
                                    LintSeverity::Error));
            continue;
        }
        const bool isValue = tag.kind == TagKind::Variable || tag.kind == TagKind::Unescaped;
        const bool guarded = std::find(open.begin(), open.end(), tag.name) != open.end();
        if (!known->has_fallback && isValue && !guarded) {
            out.push_back(findingAt(t, tag.offset,
                                    "{{" + tag.name + "}} has no fallback and may render empty (\"Hi ,\"): use "
                                    "{{customer.first_name}} or {{greeting}}, or guard it with {{#" + tag.name + "}}",
                                    LintSeverity::Warning));
        }
    }
}

// Tags are blanked out so a placeholder name never reads as a phrase; byte offsets stay valid.
std::string foldedProse(const std::string& content) {
    std::string folded = detail::toLowerUtf8(content);
    for (const auto& tag : detail::scanTags(content)) {
        const auto end = content.find("}}", tag.offset);
        std::fill(folded.begin() + tag.offset, folded.begin() + std::min(end + 2, folded.size()), ' ');
    }
    return folded;
}

void checkPhrases(const Text& t, std::vector<LintFinding>& out) {
    const std::string folded = foldedProse(t.content);
    for (const auto& phrase : kForbiddenAnywhere) {
        for (auto at = folded.find(phrase.text); at != std::string::npos; at = folded.find(phrase.text, at + 1)) {
            out.push_back(findingAt(t, at, "forbidden phrase \"" + std::string(phrase.text) + "\": " + std::string(phrase.advice),
                                    LintSeverity::Error));
        }
    }
    for (std::size_t start = 0; start < folded.size();) {
        const auto end = std::min(folded.find('\n', start), folded.size());
        const auto first = folded.find_first_not_of(" \t-—–", start);
        for (const auto& phrase : kForbiddenSignatureLines) {
            if (first < end && std::string_view(folded).substr(first, end - first).starts_with(phrase.text)) {
                out.push_back(findingAt(t, first, "signed as a team (\"" + std::string(phrase.text) + "\"): " +
                                                      std::string(phrase.advice), LintSeverity::Error));
                break;
            }
        }
        start = end + 1;
    }
}

void lintText(const Text& t, std::vector<LintFinding>& out) {
    checkPlaceholders(t, out);
    checkPhrases(t, out);
}

void checkDefaults(const std::vector<TemplateFile>& files, const std::vector<TemplateSource>& sources,
                   std::vector<LintFinding>& out) {
    for (TemplateKind kind : {TemplateKind::Ack, TemplateKind::Notify}) {
        const auto sameKind = [&](const TemplateSource& s) { return s.kind == kind; };
        const auto isDefault = [&](const TemplateSource& s) { return sameKind(s) && s.queue.empty() && s.language == "en"; };
        if (std::any_of(sources.begin(), sources.end(), sameKind) && std::none_of(sources.begin(), sources.end(), isDefault)) {
            const char* file = kind == TemplateKind::Ack ? "ack.en.mustache" : "notify.en.mustache";
            out.push_back({file, 0, 0, std::string("missing ") + file + ": other languages and queues fall back to it",
                           LintSeverity::Error});
        }
    }
}

}  // namespace

std::vector<LintFinding> lintTemplates(const std::vector<TemplateFile>& files) {
    std::vector<LintFinding> out;
    std::vector<TemplateError> loadErrors;
    loadTemplates(files, loadErrors);
    for (const auto& e : loadErrors) out.push_back({e.path, e.line, e.column, e.message, LintSeverity::Error});

    std::vector<TemplateSource> sources;
    for (const auto& file : files) {
        std::vector<TemplateError> ignored;  // already reported by loadTemplates
        auto source = detail::parseTemplateSource(file, ignored);
        if (!source) continue;
        if (source->subject) lintText({file.path, *source->subject, source->subject_line, source->subject_column}, out);
        lintText({file.path, source->body, source->body_line, 1}, out);
        sources.push_back(std::move(*source));
    }
    checkDefaults(files, sources, out);
    std::stable_sort(out.begin(), out.end(), [](const LintFinding& a, const LintFinding& b) {
        return std::tie(a.path, a.line, a.column) < std::tie(b.path, b.line, b.column);
    });
    return out;
}

std::string toString(const LintFinding& f) {
    return f.path + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + ": " +
           (f.severity == LintSeverity::Error ? "error: " : "warning: ") + f.message;
}

}  // namespace postdesk::replies
