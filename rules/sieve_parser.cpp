#include "rules/sieve_parser.h"

#include "rules/detail/sieve_compile.h"
#include "rules/detail/sieve_validate.h"
#include "rules/sieve_lexer.h"

namespace postdesk::rules {
namespace {

// Recursive descent over RFC 5228 §8.2. Every descent into a block or a test goes through
// enter(), which refuses depth kSieveMaxDepth: 10,000 nested ifs cost 64 frames and an error.
// After the first error the parse stops (failed_), so one mistake gives one message.
class Parser {
public:
    Parser(std::string_view source, std::string_view file, std::vector<SieveError>& errors)
        : lexer_(source), file_(file), errors_(errors) {
        tok_ = lexer_.next();
    }

    std::vector<SieveCommand> commands(bool inBlock);
    bool failed() const { return failed_; }

private:
    bool command(SieveCommand& out);
    bool arguments(std::vector<SieveArgument>& args, std::vector<SieveTest>& tests);
    bool stringList(SieveArgument& arg);
    bool test(SieveTest& out);
    bool testList(std::vector<SieveTest>& tests);
    bool enter(SievePosition at);
    bool expect(SieveTokenKind kind, const char* what);
    void fail(SievePosition at, std::string message);
    void shift() { tok_ = lexer_.next(); }
    bool at(SieveTokenKind kind) const { return tok_.kind == kind; }

    SieveLexer lexer_;
    std::string_view file_;
    std::vector<SieveError>& errors_;
    SieveToken tok_;
    int depth_ = 0;
    bool failed_ = false;
};

struct DepthGuard {
    int& depth;
    ~DepthGuard() { --depth; }
};

void Parser::fail(SievePosition where, std::string message) {
    if (failed_) return;
    failed_ = true;
    errors_.push_back({std::string(file_), where.line, where.column, std::move(message)});
}

bool Parser::enter(SievePosition where) {
    if (depth_ >= kSieveMaxDepth) {
        fail(where, "nesting deeper than " + std::to_string(kSieveMaxDepth) + " levels");
        return false;
    }
    ++depth_;
    return true;
}

bool Parser::expect(SieveTokenKind kind, const char* what) {
    if (at(SieveTokenKind::Error)) {
        fail(tok_.at, tok_.text);
        return false;
    }
    if (!at(kind)) {
        fail(tok_.at, std::string("expected ") + what + ", found " + toString(tok_.kind));
        return false;
    }
    shift();
    return true;
}

std::vector<SieveCommand> Parser::commands(bool inBlock) {
    std::vector<SieveCommand> out;
    while (!failed_) {
        if (at(SieveTokenKind::Error)) {
            fail(tok_.at, tok_.text);
            break;
        }
        if (at(SieveTokenKind::End)) {
            if (inBlock) fail(tok_.at, "unbalanced braces: '{' is not closed");
            break;
        }
        if (at(SieveTokenKind::RightBrace)) {
            if (!inBlock) fail(tok_.at, "unbalanced braces: '}' without '{'");
            break;
        }
        SieveCommand cmd;
        if (!command(cmd)) break;
        out.push_back(std::move(cmd));
    }
    return out;
}

bool Parser::command(SieveCommand& out) {
    out.at = tok_.at;
    out.name = tok_.text;
    if (!expect(SieveTokenKind::Identifier, "a command")) return false;
    if (!arguments(out.args, out.tests)) return false;
    if (at(SieveTokenKind::Semicolon)) {
        shift();
        return true;
    }
    if (!at(SieveTokenKind::LeftBrace)) return expect(SieveTokenKind::Semicolon, "';' or '{'");
    if (!enter(tok_.at)) return false;
    DepthGuard guard{depth_};
    shift();
    out.has_block = true;
    out.block = commands(true);
    return !failed_ && expect(SieveTokenKind::RightBrace, "'}'");
}

bool Parser::arguments(std::vector<SieveArgument>& args, std::vector<SieveTest>& tests) {
    while (!failed_) {
        SieveArgument arg;
        arg.at = tok_.at;
        if (at(SieveTokenKind::Tag)) {
            arg.kind = SieveArgument::Kind::Tag;
            arg.tag = tok_.text;
            shift();
        } else if (at(SieveTokenKind::Number)) {
            arg.kind = SieveArgument::Kind::Number;
            arg.number = tok_.number;
            shift();
        } else if (at(SieveTokenKind::String) || at(SieveTokenKind::LeftBracket)) {
            if (!stringList(arg)) return false;
        } else {
            break;
        }
        args.push_back(std::move(arg));
    }
    if (at(SieveTokenKind::LeftParen)) return testList(tests);
    if (at(SieveTokenKind::Identifier)) {
        tests.emplace_back();
        return test(tests.back());
    }
    return !failed_;
}

bool Parser::stringList(SieveArgument& arg) {
    arg.kind = SieveArgument::Kind::StringList;
    if (at(SieveTokenKind::String)) {
        arg.single = true;
        arg.strings.push_back(std::move(tok_.text));
        shift();
        return true;
    }
    shift();  // '['
    do {
        if (!at(SieveTokenKind::String)) return expect(SieveTokenKind::String, "a string in the list");
        arg.strings.push_back(std::move(tok_.text));
        shift();
    } while (at(SieveTokenKind::Comma) && (shift(), true));
    return expect(SieveTokenKind::RightBracket, "',' or ']'");
}

bool Parser::test(SieveTest& out) {
    if (!enter(tok_.at)) return false;
    DepthGuard guard{depth_};
    out.at = tok_.at;
    out.name = tok_.text;
    if (!expect(SieveTokenKind::Identifier, "a test")) return false;
    return arguments(out.args, out.tests);
}

bool Parser::testList(std::vector<SieveTest>& tests) {
    shift();  // '('
    do {
        tests.emplace_back();
        if (!test(tests.back())) return false;
    } while (at(SieveTokenKind::Comma) && (shift(), true));
    return expect(SieveTokenKind::RightParen, "',' or ')'");
}

}  // namespace

SieveScript parseSieve(std::string_view source, std::string_view fileName, std::vector<SieveError>& errors) {
    SieveScript script;
    script.file = std::string(fileName);
    if (source.size() > kSieveMaxScriptBytes) {
        errors.push_back({script.file, 1, 1, "script larger than " + std::to_string(kSieveMaxScriptBytes) + " bytes"});
        return script;
    }
    Parser parser(source, fileName, errors);
    script.commands = parser.commands(false);
    if (parser.failed()) return script;
    const std::size_t before = errors.size();
    detail::validateSieve(script, errors);
    if (errors.size() == before) detail::compileSieve(script);
    return script;
}

}  // namespace postdesk::rules
