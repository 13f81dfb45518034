#include "mime/detail/iconv_convert.h"

#include <algorithm>
#include <cerrno>
#include <iconv.h>
#include <unordered_map>

#include "mime/detail/utf8.h"

namespace postdesk::mime::detail {
namespace {

const iconv_t kNoConverter = reinterpret_cast<iconv_t>(-1);

// Per-thread cache: iconv_t is stateful and not shareable, and opening one costs a gconv module
// lookup. A failed open is cached too, so a mail full of bogus labels does not retry it.
class ConverterCache {
public:
    ConverterCache() = default;
    ConverterCache(const ConverterCache&) = delete;
    ConverterCache& operator=(const ConverterCache&) = delete;
    ~ConverterCache() {
        for (auto& [name, cd] : open_)
            if (cd != kNoConverter) iconv_close(cd);
    }
    iconv_t get(const std::string& charset) {
        auto it = open_.find(charset);
        if (it == open_.end()) it = open_.emplace(charset, open(charset)).first;
        if (it->second != kNoConverter) iconv(it->second, nullptr, nullptr, nullptr, nullptr);
        return it->second;
    }

private:
    static iconv_t open(const std::string& charset) {
        iconv_t cd = iconv_open("UTF-8", charset.c_str());
        // "X-FOO" private names are often just FOO with a prefix.
        if (cd == kNoConverter && charset.starts_with("X-"))
            cd = iconv_open("UTF-8", charset.c_str() + 2);
        return cd;
    }
    std::unordered_map<std::string, iconv_t> open_;
};

iconv_t converterFor(const std::string& charset) {
    thread_local ConverterCache cache;
    return cache.get(charset);
}

// Runs iconv over all of `in`. On a rejected byte: strict mode stops (returns npos), lossy mode
// writes U+FFFD and skips one byte. Returns the number of replacements.
constexpr std::size_t kFailed = static_cast<std::size_t>(-1);

std::size_t run(iconv_t cd, std::string& out, std::string_view in, bool lossy) {
    std::size_t start = out.size(), replaced = 0;
    char* src = const_cast<char*>(in.data());
    std::size_t srcLeft = in.size();
    out.resize(start + in.size() * 2 + 16);
    std::size_t used = start;
    for (bool flushing = false;;) {
        char* dst = out.data() + used;
        std::size_t dstLeft = out.size() - used;
        std::size_t rc = flushing ? iconv(cd, nullptr, nullptr, &dst, &dstLeft)
                                  : iconv(cd, &src, &srcLeft, &dst, &dstLeft);
        used = out.size() - dstLeft;
        if (rc != static_cast<std::size_t>(-1)) {
            if (flushing) break;
            flushing = true;  // emit the shift-back sequence of stateful charsets
            continue;
        }
        if (errno == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        if (!lossy) {
            out.resize(start);
            return kFailed;
        }
        out.resize(std::max(out.size(), used + 3 + srcLeft * 2 + 16));
        out.replace(used, 3, kReplacement);
        used += 3;
        ++replaced;
        ++src;
        --srcLeft;
    }
    out.resize(used);
    return replaced;
}

// iconv should only ever produce valid UTF-8, but a gconv module bug must not break the
// "every string is UTF-8" promise; this is off the fast path, so check.
std::size_t ensureValid(std::string& out, std::size_t start) {
    std::string_view added(out.data() + start, out.size() - start);
    if (firstInvalidUtf8(added) == added.size()) return 0;
    std::string copy(added);
    out.resize(start);
    return appendUtf8Repaired(out, copy);
}

}  // namespace

bool iconvKnows(const std::string& charset) { return converterFor(charset) != kNoConverter; }

bool convertStrict(std::string& out, std::string_view bytes, const std::string& charset) {
    iconv_t cd = converterFor(charset);
    if (cd == kNoConverter) return false;
    std::size_t start = out.size();
    if (run(cd, out, bytes, false) == kFailed) return false;
    ensureValid(out, start);
    return true;
}

std::optional<std::size_t> convertLossy(std::string& out, std::string_view bytes, const std::string& charset) {
    iconv_t cd = converterFor(charset);
    if (cd == kNoConverter) return std::nullopt;
    std::size_t start = out.size();
    std::size_t replaced = run(cd, out, bytes, true);
    return replaced + ensureValid(out, start);
}

}  // namespace postdesk::mime::detail
