// postdesk::rules — the syntax tree of a Sieve script (RFC 5228 §8.2 grammar), as parseSieve
// returns it. A plain value: commands own their arguments, tests and blocks.
//
// Guarantees: a SieveScript that came back from parseSieve with no errors is valid for the
// supported set (sieve_parser.h), nests at most kSieveMaxDepth deep, and every string in it is
// at most kSieveMaxString bytes, and its compiled form (below) is filled in. The tree carries
// line:column for every node so the evaluator can say which rule fired. Build scripts only with
// parseSieve: the evaluator reads the compiled form, not the names and tags.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace postdesk::rules {

// Limits at the door (STYLE.md §1): a rule file is configuration, but a broken or hostile one
// must give an error, never a crash or a stack overflow.
inline constexpr std::size_t kSieveMaxScriptBytes = 1024 * 1024;
inline constexpr std::size_t kSieveMaxString = 64 * 1024;
inline constexpr int kSieveMaxDepth = 64;  // blocks and tests together

// A problem in a rule file, at 1-based line and column (column counts bytes).
struct SieveError {
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;
};

struct SievePosition {
    int line = 0;
    int column = 0;
};

struct SieveArgument {
    enum class Kind { Tag, Number, StringList };
    Kind kind = Kind::StringList;
    std::string tag;                   // Tag: without the colon, lower-case (":Is" -> "is")
    std::uint64_t number = 0;          // Number: K/M/G already applied
    std::vector<std::string> strings;  // StringList: a single string is a list of one
    bool single = false;               // StringList written as one string, not [ ... ]
    SievePosition at;
};

// ---- The compiled form --------------------------------------------------------------------
// What the evaluator would otherwise work out from names, tags and strings on every mail, worked
// out once by parseSieve after the script validated (detail/sieve_compile.h). It is derived from
// the fields above and holds no pointers into them, so a script stays a plain value to copy.

enum class SieveMatchType : std::uint8_t { Is, Contains, Matches, Regex };
enum class SieveComparator : std::uint8_t { AsciiCasemap, Octet };
enum class SieveAddressPart : std::uint8_t { All, Localpart, Domain };
enum class SieveTestKind : std::uint8_t { Unknown, True, False, Not, Allof, Anyof, Size, Exists, Header, Address, Envelope, Auto, Customer, Ticket };
enum class SieveCommandKind : std::uint8_t { Unknown, Require, If, Elsif, Else, Stop, Set, Action };

// What a :matches key without '?' or '\\' reduces to, `literal` being the text between its stars:
// Exact "lit", Prefix "lit*", Suffix "*lit", Infix "*lit*", Any "*"; General for the rest.
enum class SieveWildcardShape : std::uint8_t { General, Exact, Prefix, Suffix, Infix, Any };

// A string argument: a test key, a header name, an action argument.
struct SieveCompiledString {
    std::string text;     // as written
    std::string folded;   // A-Z folded when compared with i;ascii-casemap (keys, header names); else empty
    bool expands = false; // holds "${" in a script that requires "variables": expanded on every mail
    SieveWildcardShape shape = SieveWildcardShape::General;  // :matches keys only
    std::string literal;  // Exact/Prefix/Suffix/Infix: the text between the stars, folded like `folded`
};

struct SieveCompiledTest {
    SieveTestKind kind = SieveTestKind::Unknown;
    SieveMatchType match = SieveMatchType::Is;
    SieveComparator comparator = SieveComparator::AsciiCasemap;
    SieveAddressPart address_part = SieveAddressPart::All;
    bool over = false;                       // size :over (else :under)
    std::uint64_t limit = 0;                 // size
    std::vector<SieveCompiledString> names;  // header, address, envelope, exists
    std::vector<SieveCompiledString> keys;   // header, address, envelope, auto, customer, ticket
};

// :lower :upper :lowerfirst :upperfirst :quotewildcard :length (RFC 5229 §4.1) as bits.
enum SieveSetModifier : unsigned {
    kSetLower = 1u << 0,
    kSetUpper = 1u << 1,
    kSetLowerFirst = 1u << 2,
    kSetUpperFirst = 1u << 3,
    kSetQuoteWildcard = 1u << 4,
    kSetLength = 1u << 5,
};

struct SieveCompiledCommand {
    SieveCommandKind kind = SieveCommandKind::Unknown;
    bool cancels_implicit_keep = false;      // discard, fileinto, ignore, quarantine
    bool recorded_once = false;              // keep, fileinto, discard (RFC 5228 §2.10.3)
    std::vector<SieveCompiledString> args;   // an action's strings, flattened; set: name, value
    unsigned set_modifiers = 0;              // SieveSetModifier bits
};

struct SieveTest {
    std::string name;  // lower-case identifier
    std::vector<SieveArgument> args;
    std::vector<SieveTest> tests;  // allof/anyof/not
    SievePosition at;
    SieveCompiledTest compiled;
};

struct SieveCommand {
    std::string name;  // lower-case identifier
    std::vector<SieveArgument> args;
    std::vector<SieveTest> tests;  // if/elsif: exactly one
    std::vector<SieveCommand> block;
    bool has_block = false;
    SievePosition at;
    SieveCompiledCommand compiled;
};

struct SieveScript {
    std::string file;
    std::set<std::string> extensions;  // from require, lower-case
    std::vector<SieveCommand> commands;
    bool uses_variables = false;       // compiled: extensions holds "variables"
};

}  // namespace postdesk::rules
