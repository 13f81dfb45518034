#include "mime/detail/find_bytes.h"

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "mime/detail/cpu_features.h"

namespace postdesk::mime::detail {
namespace {

// Candidates are block positions where the first and the last byte of the needle both match.
// Returns the offset of the first confirmed match, or `n` when none starts before `n - k + 1`
// within the whole 32-byte steps; `scanned` says where the caller's scalar tail starts.
__attribute__((target("avx2"))) std::size_t findAvx2(const char* s, std::size_t n, const char* needle, std::size_t k,
                                                     std::size_t& scanned) {
    const __m256i first = _mm256_set1_epi8(needle[0]);
    const __m256i last = _mm256_set1_epi8(needle[k - 1]);
    std::size_t i = 0;
    for (; i + k - 1 + 32 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
        __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i + k - 1));
        auto mask = static_cast<std::uint32_t>(
            _mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last))));
        while (mask != 0) {
            std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(mask));
            if (std::memcmp(s + at + 1, needle + 1, k - 2) == 0) return at;
            mask &= mask - 1;
        }
    }
    scanned = i;
    return n;
}

}  // namespace

std::size_t findBytes(std::string_view haystack, std::string_view needle, std::size_t from) {
    if (from > haystack.size()) return std::string_view::npos;
    if (needle.empty()) return from;
    const char* s = haystack.data() + from;
    std::size_t n = haystack.size() - from;
    if (needle.size() > n) return std::string_view::npos;
    std::size_t scanned = 0;
    if (needle.size() >= 2 && hasAvx2()) {
        std::size_t at = findAvx2(s, n, needle.data(), needle.size(), scanned);
        if (at != n) return from + at;
    }
    const void* hit = memmem(s + scanned, n - scanned, needle.data(), needle.size());
    return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - haystack.data()) : std::string_view::npos;
}

}  // namespace postdesk::mime::detail
