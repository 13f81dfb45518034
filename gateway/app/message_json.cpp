#include "gateway/app/message_json.h"

#include <Poco/JSON/Array.h>

#include <sstream>

#include "mime/digest.h"

namespace postdesk::app {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr newObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Poco::Dynamic::Var optional(const std::optional<std::string>& v) {
    return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var();
}

Object::Ptr address(const mime::Address& a) {
    Object::Ptr o = newObject();
    o->set("name", a.name);
    o->set("address", a.address);
    return o;
}

Array::Ptr addresses(const std::vector<mime::Address>& list) {
    Array::Ptr arr = new Array;
    for (const auto& a : list) arr->add(address(a));
    return arr;
}

Array::Ptr attachments(const std::vector<mime::Attachment>& list) {
    Array::Ptr arr = new Array;
    for (const auto& a : list) {
        Object::Ptr o = newObject();
        o->set("filename", a.filename);
        o->set("content_type", a.content_type);
        o->set("size", a.size);
        o->set("sha256", mime::sha256Hex(a.data));
        o->set("inline", a.inline_);
        o->set("content_id", a.content_id.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(a.content_id));
        arr->add(o);
    }
    return arr;
}

Array::Ptr warnings(const std::vector<mime::Warning>& list) {
    Array::Ptr arr = new Array;
    for (const auto& w : list) {
        Object::Ptr o = newObject();
        o->set("code", w.code);
        o->set("detail", w.detail);
        arr->add(o);
    }
    return arr;
}

}  // namespace

Object::Ptr messageToJson(const mime::Message& m, const std::string& file) {
    Object::Ptr o = newObject();
    o->set("file", file);
    o->set("message_id", optional(m.message_id));
    o->set("in_reply_to", optional(m.in_reply_to));
    Array::Ptr refs = new Array;
    for (const auto& r : m.references) refs->add(r);
    o->set("references", refs);
    o->set("date", optional(m.date));
    o->set("subject", m.subject);
    o->set("from", address(m.from));
    o->set("to", addresses(m.to));
    o->set("cc", addresses(m.cc));
    o->set("reply_to", addresses(m.reply_to));
    o->set("auto", std::string(mime::toString(m.auto_kind)));
    o->set("text", m.text);
    o->set("html", optional(m.html));
    o->set("reply_text", m.reply_text);
    o->set("attachments", attachments(m.attachments));
    o->set("warnings", warnings(m.warnings));
    if (m.error) o->set("error", *m.error);
    return o;
}

std::string toJsonLine(const Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
}

std::string toJsonPretty(const Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out, 2);
    return out.str();
}

}  // namespace postdesk::app
