#include "mime/detail/line_ends.h"

#include <cstring>
#include <emmintrin.h>

namespace postdesk::mime::detail {
namespace {

// Copies n bytes from r to w (w <= r: the same buffer may be read ahead of where it is written),
// dropping each CR that a LF follows; returns the end of what was written. Sixteen bytes at a time
// (SSE2, in every x86-64) while they hold no CR; a block with one is copied up to its CR by hand.
// The old memchr + memmove per line cost a call pair per 70 bytes, and the 8-bit check was a pass
// of its own. By hand because no libc call drops one byte of a pair.
char* copyCrlfToLf(char* w, const char* r, std::size_t n, TextScan& scan) {
    const char* end = r + n;
    const __m128i cr = _mm_set1_epi8('\r'), escByte = _mm_set1_epi8(0x1B);
    __m128i wide = _mm_setzero_si128(), wideEsc = _mm_setzero_si128();
    while (end - r >= 16) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r));
        wide = _mm_or_si128(wide, v);
        wideEsc = _mm_or_si128(wideEsc, _mm_cmpeq_epi8(v, escByte));
        int crs = _mm_movemask_epi8(_mm_cmpeq_epi8(v, cr));
        if (crs == 0) {
            // Writes [w, w + 16) <= [r, r + 16): only bytes already loaded are overwritten.
            _mm_storeu_si128(reinterpret_cast<__m128i*>(w), v);
            w += 16;
            r += 16;
            continue;
        }
        auto k = static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(crs)));
        if (w != r) std::memmove(w, r, k);
        w += k;
        r += k + 1;  // past the CR
        if (r == end || *r != '\n') *w++ = '\r';
    }
    unsigned char narrow = 0;
    bool esc = false;
    while (r < end) {
        char c = *r++;
        narrow |= static_cast<unsigned char>(c);
        esc = esc || c == '\x1B';
        if (c == '\r' && r < end && *r == '\n') continue;  // the LF is copied next
        *w++ = c;
    }
    scan.high = scan.high || _mm_movemask_epi8(wide) != 0 || narrow >= 0x80;
    scan.esc = scan.esc || _mm_movemask_epi8(wideEsc) != 0 || esc;
    return w;
}

}  // namespace

void crlfToLf(std::string& s, TextScan& scan) {
    char* end = copyCrlfToLf(s.data(), s.data(), s.size(), scan);
    s.resize(static_cast<std::size_t>(end - s.data()));
}

void appendCrlfToLf(std::string& out, std::string_view in, TextScan& scan) {
    std::size_t start = out.size();
    out.append(in);  // a copy without resize()'s zero fill, then the pass in place
    char* end = copyCrlfToLf(out.data() + start, out.data() + start, in.size(), scan);
    out.resize(static_cast<std::size_t>(end - out.data()));
}

}  // namespace postdesk::mime::detail
