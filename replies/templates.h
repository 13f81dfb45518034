// postdesk::replies — reply templates, compiled once when the configuration is loaded.
//
// The caller reads etc/replies/ and passes (path, content) pairs; nothing here touches files.
// File names decide what a template is for:
//   ack.<lang>.mustache            the acknowledgment of a new ticket (default queue)
//   ack.<queue>.<lang>.mustache    … for one queue
//   notify.<lang>.mustache         the mail to agents about a customer's message
//   saved/<name>.mustache          a saved reply: a header block of "name:", "description:",
//                                  "language:" lines, a blank line, then the body
// The first body line may be "Subject: …", itself a template for the subject. Files whose names
// do not end in ".mustache" are ignored, so a README can live beside the templates.
// Guarantees: a template in the set compiled without error, uses no partials and no delimiter
// changes, and renders without HTML escaping (mail bodies are text/plain). A broken file becomes
// a TemplateError with path:line:column and is left out; the rest still load, so a reload keeps
// every good template (the shell decides whether errors block start-up).
// A TemplateSet is an immutable value once loaded; rendering from several threads is safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kainjow/mustache.hpp>

namespace postdesk::replies {

struct TemplateFile {
    std::string path;     // as the caller names it; only the last two components matter
    std::string content;  // UTF-8
};

struct TemplateError {
    std::string path;
    int line = 0;    // 1-based; 0 when the error is about the file as a whole
    int column = 0;  // 1-based, in code points; 0 when unknown
    std::string message;
};

enum class TemplateKind { Ack, Notify, Saved };

// A compiled Mustache text. Copies share the compiled form.
class CompiledText {
public:
    // nullopt and `error` set ("Unclosed section \"x\"") with `offset` the byte where it was found.
    static std::optional<CompiledText> compile(const std::string& text, std::string& error, std::size_t& offset);
    // The same for an HTML body: values are HTML-escaped (kainjow's default escaping).
    static std::optional<CompiledText> compileHtml(const std::string& text, std::string& error, std::size_t& offset);
    std::string render(const kainjow::mustache::data& data) const;

private:
    static std::optional<CompiledText> compileAs(const std::string& text, bool html, std::string& error, std::size_t& offset);
    // Rendering is logically const: with partials rejected and no lambdas in our data, kainjow
    // only reads the compiled tree.
    std::shared_ptr<kainjow::mustache::mustache> compiled_;
};

struct Template {
    TemplateKind kind = TemplateKind::Ack;
    std::string path;
    std::string language;     // "en", "ru", …
    std::string queue;        // ack only; "" for the default acknowledgment
    std::string name;         // saved only, lower-case
    std::string description;  // saved only
    std::optional<CompiledText> subject;  // from a "Subject:" first line
    CompiledText body;
    // The HTML alternative: what follows a line `{{! html }}` in the file (a Mustache comment, so
    // the separator itself renders nothing); the mail then goes out as multipart/alternative.
    std::optional<CompiledText> html;
};

struct SavedReplyInfo {
    std::string name;
    std::string description;
    std::string language;
    std::string path;
};

class TemplateSet {
public:
    // queue+language, else default+language, else default+"en"; nullptr when none of them exists.
    const Template* ack(std::string_view queue, std::string_view language) const;
    // language, else "en"; nullptr when neither exists.
    const Template* notify(std::string_view language) const;
    // By name (case-insensitive): the version in `language`, else "en", else any; nullptr if unknown.
    const Template* savedReply(std::string_view name, std::string_view language = "en") const;
    // Sorted by name, then language.
    std::vector<SavedReplyInfo> savedReplies() const;

    // False when a template with the same kind, queue/name and language is already present.
    bool add(Template t);

private:
    std::map<std::string, Template> templates_;  // by key(kind, queue or name, language)
};

TemplateSet loadTemplates(const std::vector<TemplateFile>& files, std::vector<TemplateError>& errors);

}  // namespace postdesk::replies
