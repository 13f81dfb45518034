#include "replies/templates.h"

#include <algorithm>
#include <charconv>

#include "replies/detail/mustache_tags.h"
#include "replies/detail/template_source.h"
#include "replies/detail/utf8.h"

namespace postdesk::replies {

namespace {

using detail::TemplateSource;

std::string key(TemplateKind kind, std::string_view queueOrName, std::string_view language) {
    const char* prefix = kind == TemplateKind::Ack ? "ack/" : kind == TemplateKind::Notify ? "notify/" : "saved/";
    return prefix + std::string(queueOrName) + "/" + std::string(language);
}

// kainjow ends its messages with "at <byte offset>".
std::size_t offsetInMessage(const std::string& message) {
    const auto at = message.rfind(" at ");
    std::size_t offset = 0;
    if (at != std::string::npos) {
        std::from_chars(message.data() + at + 4, message.data() + message.size(), offset);
    }
    return offset;
}

// kainjow would look partials up in our data, and lint cannot follow changed delimiters.
std::optional<std::size_t> unsupportedTag(const std::string& text, std::string& error) {
    for (const auto& tag : detail::scanTags(text)) {
        if (tag.kind == detail::TagKind::Partial) {
            error = "partials ({{>" + tag.name + "}}) are not supported: templates stand alone";
            return tag.offset;
        }
        if (tag.kind == detail::TagKind::SetDelimiter) {
            error = "changing delimiters is not supported";
            return tag.offset;
        }
    }
    return std::nullopt;
}

std::optional<CompiledText> compileAt(const TemplateFile& file, const std::string& text, int line, int column,
                                      std::vector<TemplateError>& errors, bool html = false) {
    std::string error;
    std::size_t offset = 0;
    auto compiled = html ? CompiledText::compileHtml(text, error, offset) : CompiledText::compile(text, error, offset);
    if (compiled) {
        if (auto at = unsupportedTag(text, error)) {
            offset = *at;
            compiled.reset();
        }
    }
    if (!compiled) {
        const auto [l, c] = detail::lineColumn(text, offset, line, column);
        errors.push_back({file.path, l, c, error});
    }
    return compiled;
}

std::optional<Template> compileSource(const TemplateFile& file, const TemplateSource& source,
                                      std::vector<TemplateError>& errors) {
    Template t;
    t.kind = source.kind;
    t.path = file.path;
    t.language = source.language;
    t.queue = source.queue;
    t.name = source.name;
    t.description = source.description;
    bool ok = true;
    if (source.subject) {
        t.subject = compileAt(file, *source.subject, source.subject_line, source.subject_column, errors);
        ok = t.subject.has_value();
    }
    // "{{! html }}" on a line of its own splits the plain-text body from the HTML one.
    std::string text = source.body, htmlText;
    int htmlLine = 0;
    if (auto at = text.find("\n{{! html }}\n"); at != std::string::npos || text.rfind("{{! html }}\n", 0) == 0) {
        std::size_t sep = at == std::string::npos ? 0 : at + 1;
        htmlLine = source.body_line + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(sep), '\n')) + 1;
        htmlText = text.substr(sep + std::string("{{! html }}\n").size());
        text.resize(sep);
    }
    auto body = compileAt(file, text, source.body_line, 1, errors);
    if (!ok || !body) return std::nullopt;
    t.body = std::move(*body);
    if (htmlLine) {
        t.html = compileAt(file, htmlText, htmlLine, 1, errors, true);
        if (!t.html) return std::nullopt;
    }
    return t;
}

}  // namespace

std::optional<CompiledText> CompiledText::compileAs(const std::string& text, bool html, std::string& error, std::size_t& offset) {
    auto compiled = std::make_shared<kainjow::mustache::mustache>(text);
    if (!compiled->is_valid()) {
        error = compiled->error_message();
        offset = offsetInMessage(error);
        return std::nullopt;
    }
    // Plain-text mail: "&" in a company name must stay "&", not "&amp;". HTML keeps kainjow's
    // default escaping, so a customer's name cannot inject markup.
    if (!html) compiled->set_custom_escape([](const std::string& s) { return s; });
    CompiledText result;
    result.compiled_ = std::move(compiled);
    return result;
}

std::optional<CompiledText> CompiledText::compile(const std::string& text, std::string& error, std::size_t& offset) {
    return compileAs(text, false, error, offset);
}

std::optional<CompiledText> CompiledText::compileHtml(const std::string& text, std::string& error, std::size_t& offset) {
    return compileAs(text, true, error, offset);
}

std::string CompiledText::render(const kainjow::mustache::data& data) const {
    if (!compiled_) return {};
    return compiled_->render(data);
}

const Template* TemplateSet::ack(std::string_view queue, std::string_view language) const {
    for (const auto& k : {key(TemplateKind::Ack, queue, language), key(TemplateKind::Ack, "", language),
                          key(TemplateKind::Ack, "", "en")}) {
        if (auto it = templates_.find(k); it != templates_.end()) return &it->second;
    }
    return nullptr;
}

const Template* TemplateSet::notify(std::string_view language) const {
    for (const auto& k : {key(TemplateKind::Notify, "", language), key(TemplateKind::Notify, "", "en")}) {
        if (auto it = templates_.find(k); it != templates_.end()) return &it->second;
    }
    return nullptr;
}

const Template* TemplateSet::savedReply(std::string_view name, std::string_view language) const {
    const std::string lower = detail::toLowerUtf8(name);
    for (const auto& k : {key(TemplateKind::Saved, lower, language), key(TemplateKind::Saved, lower, "en")}) {
        if (auto it = templates_.find(k); it != templates_.end()) return &it->second;
    }
    const std::string prefix = key(TemplateKind::Saved, lower, "");
    auto it = templates_.lower_bound(prefix);
    if (it != templates_.end() && it->first.starts_with(prefix)) return &it->second;
    return nullptr;
}

std::vector<SavedReplyInfo> TemplateSet::savedReplies() const {
    std::vector<SavedReplyInfo> out;
    for (const auto& [k, t] : templates_) {
        if (t.kind == TemplateKind::Saved) out.push_back({t.name, t.description, t.language, t.path});
    }
    return out;  // the map order is saved/<name>/<language>
}

bool TemplateSet::add(Template t) {
    std::string k = key(t.kind, t.kind == TemplateKind::Saved ? t.name : t.queue, t.language);
    return templates_.emplace(std::move(k), std::move(t)).second;
}

TemplateSet loadTemplates(const std::vector<TemplateFile>& files, std::vector<TemplateError>& errors) {
    TemplateSet set;
    for (const auto& file : files) {
        const auto source = detail::parseTemplateSource(file, errors);
        if (!source) continue;
        auto compiled = compileSource(file, *source, errors);
        if (!compiled) continue;
        const std::string label = compiled->kind == TemplateKind::Saved ? "saved reply \"" + compiled->name + "\"" : "template";
        const std::string language = compiled->language;
        if (!set.add(std::move(*compiled))) {
            errors.push_back({file.path, 0, 0, "duplicate " + label + " for language " + language + ": ignored"});
        }
    }
    return set;
}

}  // namespace postdesk::replies
