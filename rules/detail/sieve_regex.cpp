#include "rules/detail/sieve_regex.h"

#include <regex.h>

#include <cctype>
#include <memory>
#include <string>
#include <unordered_map>

namespace postdesk::rules::detail {
namespace {

// Owns a compiled regex_t; compiled() is false when regcomp failed.
class PosixRegex {
public:
    PosixRegex(const std::string& pattern, bool ignoreCase) {
        int flags = REG_EXTENDED | (ignoreCase ? REG_ICASE : 0);
        status_ = regcomp(&re_, pattern.c_str(), flags);
    }
    ~PosixRegex() {
        if (status_ == 0) regfree(&re_);
    }
    PosixRegex(const PosixRegex&) = delete;
    PosixRegex& operator=(const PosixRegex&) = delete;

    bool compiled() const { return status_ == 0; }
    std::string error() const {
        char buf[256];
        regerror(status_, &re_, buf, sizeof buf);
        return buf;
    }
    const regex_t* get() const { return &re_; }

private:
    regex_t re_{};
    int status_ = -1;
};

struct Group {
    bool inner_quantifier = false;  // a quantifier or '|' somewhere inside
};

// Is the text at `i` a repeating quantifier: '*', '+', or '{n,}' / '{n,m}' with m > 1?
bool repeatsAt(std::string_view p, std::size_t i) {
    if (i >= p.size()) return false;
    if (p[i] == '*' || p[i] == '+') return true;
    if (p[i] != '{') return false;
    std::size_t close = p.find('}', i);
    if (close == std::string_view::npos) return false;
    std::string_view body = p.substr(i + 1, close - i - 1);
    std::size_t comma = body.find(',');
    if (comma == std::string_view::npos) return body != "0" && body != "1";
    std::string_view upper = body.substr(comma + 1);
    return upper.empty() || (upper != "0" && upper != "1");
}

bool isQuantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }

std::size_t skipBracket(std::string_view p, std::size_t i) {
    std::size_t j = i + 1;
    if (j < p.size() && p[j] == '^') ++j;
    if (j < p.size() && p[j] == ']') ++j;
    while (j < p.size() && p[j] != ']') ++j;
    return j;  // at ']' or end
}

std::string nestedQuantifier(std::string_view p) {
    std::vector<Group> stack{Group{}};
    for (std::size_t i = 0; i < p.size(); ++i) {
        char c = p[i];
        if (c == '\\') {
            if (i + 1 < p.size() && std::isdigit(static_cast<unsigned char>(p[i + 1]))) return "back-references are not allowed";
            ++i;
        } else if (c == '[') {
            i = skipBracket(p, i);
        } else if (c == '(') {
            stack.push_back(Group{});
        } else if (c == ')' && stack.size() > 1) {
            Group inner = stack.back();
            stack.pop_back();
            if (inner.inner_quantifier && repeatsAt(p, i + 1)) return "nested quantifier (a repeated group containing a quantifier or '|')";
            stack.back().inner_quantifier |= inner.inner_quantifier;
        } else if (isQuantifier(c) || c == '|') {
            stack.back().inner_quantifier = true;
        }
    }
    return {};
}

}  // namespace

std::string checkSieveRegex(std::string_view pattern) {
    if (pattern.size() > kSieveMaxRegexPattern) return "regex longer than " + std::to_string(kSieveMaxRegexPattern) + " characters";
    if (std::string why = nestedQuantifier(pattern); !why.empty()) return why;
    PosixRegex re(std::string(pattern), false);
    if (!re.compiled()) return "bad regex: " + re.error();
    return {};
}

namespace {

// Compiled patterns, per thread, keyed by case flag and pattern; nullptr for a refused or broken
// one. Rules are few and fixed between reloads, so regcomp runs once per pattern, not per mail;
// the cache is emptied when it grows past kCacheSize (keys built from variables can vary).
const PosixRegex* compiledRegex(std::string_view pattern, bool ignoreCase) {
    constexpr std::size_t kCacheSize = 1024;
    thread_local std::unordered_map<std::string, std::unique_ptr<PosixRegex>> cache;
    thread_local std::string key;
    key.assign(1, ignoreCase ? 'i' : 'c');
    key.append(pattern);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second.get();
    if (cache.size() >= kCacheSize) cache.clear();
    std::unique_ptr<PosixRegex> re;
    if (pattern.size() <= kSieveMaxRegexPattern && nestedQuantifier(pattern).empty()) {
        re = std::make_unique<PosixRegex>(std::string(pattern), ignoreCase);
        if (!re->compiled()) re.reset();
    }
    return cache.emplace(key, std::move(re)).first->second.get();
}

}  // namespace

bool matchSieveRegex(std::string_view pattern, std::string_view value, bool ignoreCase, std::vector<std::string>* captures) {
    const PosixRegex* re = compiledRegex(pattern, ignoreCase);
    if (!re) return false;
    std::string_view subject = value.substr(0, kSieveMaxRegexValue);
    regmatch_t groups[10];
    groups[0].rm_so = 0;  // REG_STARTEND: the subject is [rm_so, rm_eo), no NUL needed
    groups[0].rm_eo = static_cast<regoff_t>(subject.size());
    // Without captures, nmatch 0 lets glibc stop at the first match instead of working out the
    // longest one and every group's span; whether it matches is the same.
    if (regexec(re->get(), subject.data(), captures ? 10 : 0, groups, REG_STARTEND) != 0) return false;
    if (captures) {
        captures->clear();
        for (const auto& g : groups) {
            if (g.rm_so < 0) {
                captures->emplace_back();
            } else {
                captures->emplace_back(subject.substr(static_cast<std::size_t>(g.rm_so), static_cast<std::size_t>(g.rm_eo - g.rm_so)));
            }
        }
    }
    return true;
}

}  // namespace postdesk::rules::detail
