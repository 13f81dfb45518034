// postdesk::rules::detail — the table of supported Sieve commands and tests: what each one
// takes and which `require` it needs. One table, so the validator and the evaluator agree.
#pragma once

#include <string_view>

namespace postdesk::rules::detail {

// Tag groups a command or test accepts (RFC 5228 §2.7, RFC 5229 §4).
enum SieveTagGroup : unsigned {
    kTagsNone = 0,
    kTagsComparator = 1u << 0,   // :comparator "i;octet" | "i;ascii-casemap"
    kTagsMatch = 1u << 1,        // :is :contains :matches :regex
    kTagsAddressPart = 1u << 2,  // :all :localpart :domain
    kTagsSize = 1u << 3,         // :over :under (exactly one)
    kTagsSetModifier = 1u << 4,  // :lower :upper :lowerfirst :upperfirst :quotewildcard :length
};

enum class SieveTests { None, One, List };

struct SieveSignature {
    std::string_view name;
    std::string_view extension;  // "" = always available
    bool is_test = false;
    unsigned tags = kTagsNone;
    std::string_view positional;  // 'S' one string, 'L' string list, 'N' number
    SieveTests tests = SieveTests::None;
    bool block = false;
};

// nullptr when `name` is not a supported command (isTest = false) or test.
const SieveSignature* findSieveSignature(std::string_view name, bool isTest);

bool isKnownSieveExtension(std::string_view name);

}  // namespace postdesk::rules::detail
