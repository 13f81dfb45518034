// postdesk::rules — the syntax tree of a Sieve script (RFC 5228 §8.2 grammar), as parseSieve
// returns it. A plain value: commands own their arguments, tests and blocks.
//
// Guarantees: a SieveScript that came back from parseSieve with no errors is valid for the
// supported set (sieve_parser.h), nests at most kSieveMaxDepth deep, and every string in it is
// at most kSieveMaxString bytes. The tree carries line:column for every node so the evaluator
// can say which rule fired.
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

struct SieveTest {
    std::string name;  // lower-case identifier
    std::vector<SieveArgument> args;
    std::vector<SieveTest> tests;  // allof/anyof/not
    SievePosition at;
};

struct SieveCommand {
    std::string name;  // lower-case identifier
    std::vector<SieveArgument> args;
    std::vector<SieveTest> tests;  // if/elsif: exactly one
    std::vector<SieveCommand> block;
    bool has_block = false;
    SievePosition at;
};

struct SieveScript {
    std::string file;
    std::set<std::string> extensions;  // from require, lower-case
    std::vector<SieveCommand> commands;
};

}  // namespace postdesk::rules
