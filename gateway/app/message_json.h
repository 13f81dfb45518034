// postdesk::app — a parsed Message as the JSON object `postdesk parse --json` prints (the
// contract in README.md: field names, null for absent values, attachments without their bytes).
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "mime/message.h"

namespace postdesk::app {

Poco::JSON::Object::Ptr messageToJson(const mime::Message& message, const std::string& file);

// One line, keys in contract order.
std::string toJsonLine(const Poco::JSON::Object::Ptr& object);
// Indented two spaces (for golden files a reviewer reads).
std::string toJsonPretty(const Poco::JSON::Object::Ptr& object);

}  // namespace postdesk::app
