#include "rules/detail/sieve_signature.h"

#include <array>

namespace postdesk::rules::detail {
namespace {

constexpr std::string_view kTicket = "vnd.postdesk.ticket";
constexpr unsigned kMatching = kTagsComparator | kTagsMatch;

constexpr std::array kSignatures = {
    // Control commands, RFC 5228 §3.
    SieveSignature{"require", "", false, kTagsNone, "L"},
    SieveSignature{"if", "", false, kTagsNone, "", SieveTests::One, true},
    SieveSignature{"elsif", "", false, kTagsNone, "", SieveTests::One, true},
    SieveSignature{"else", "", false, kTagsNone, "", SieveTests::None, true},
    SieveSignature{"stop", "", false, kTagsNone, ""},
    // Actions, RFC 5228 §4 and RFC 5229 §4.
    SieveSignature{"keep", "", false, kTagsNone, ""},
    SieveSignature{"discard", "", false, kTagsNone, ""},
    SieveSignature{"fileinto", "fileinto", false, kTagsNone, "S"},
    SieveSignature{"set", "variables", false, kTagsSetModifier, "SS"},
    // Ticketing actions (vnd.postdesk.ticket).
    SieveSignature{"queue", kTicket, false, kTagsNone, "S"},
    SieveSignature{"priority", kTicket, false, kTagsNone, "S"},
    SieveSignature{"tag", kTicket, false, kTagsNone, "S"},
    SieveSignature{"assign", kTicket, false, kTagsNone, "S"},
    SieveSignature{"noack", kTicket, false, kTagsNone, ""},
    SieveSignature{"ack", kTicket, false, kTagsNone, "S"},
    SieveSignature{"sla", kTicket, false, kTagsNone, "S"},
    SieveSignature{"quarantine", kTicket, false, kTagsNone, "S"},
    SieveSignature{"ignore", kTicket, false, kTagsNone, ""},
    // Tests, RFC 5228 §5.
    SieveSignature{"true", "", true, kTagsNone, ""},
    SieveSignature{"false", "", true, kTagsNone, ""},
    SieveSignature{"not", "", true, kTagsNone, "", SieveTests::One},
    SieveSignature{"allof", "", true, kTagsNone, "", SieveTests::List},
    SieveSignature{"anyof", "", true, kTagsNone, "", SieveTests::List},
    SieveSignature{"header", "", true, kMatching, "LL"},
    SieveSignature{"address", "", true, kMatching | kTagsAddressPart, "LL"},
    SieveSignature{"envelope", "envelope", true, kMatching | kTagsAddressPart, "LL"},
    SieveSignature{"exists", "", true, kTagsNone, "L"},
    SieveSignature{"size", "", true, kTagsSize, "N"},
    // Ticketing tests: match a fact of the mail against the keys.
    SieveSignature{"auto", kTicket, true, kMatching, "L"},
    SieveSignature{"customer", kTicket, true, kMatching, "L"},
    SieveSignature{"ticket", kTicket, true, kMatching, "L"},
};

constexpr std::array<std::string_view, 7> kExtensions = {
    "fileinto", "envelope", "regex", "variables", "vnd.postdesk.ticket",
    "comparator-i;octet", "comparator-i;ascii-casemap",
};

}  // namespace

const SieveSignature* findSieveSignature(std::string_view name, bool isTest) {
    for (const auto& s : kSignatures) {
        if (s.name == name && s.is_test == isTest) return &s;
    }
    return nullptr;
}

bool isKnownSieveExtension(std::string_view name) {
    for (auto e : kExtensions) {
        if (e == name) return true;
    }
    return false;
}

}  // namespace postdesk::rules::detail
