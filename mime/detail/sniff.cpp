#include "mime/detail/sniff.h"

#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <uchardet/uchardet.h>

namespace postdesk::mime::detail {
namespace {

// Below this many 8-bit bytes uchardet's single-byte models guess wildly ("café" comes back as
// ISO-8859-2, four GBK characters as ISO-8859-7), so only its multi-byte answers are believed.
constexpr std::size_t kShortText = 24;

struct UchardetDeleter {
    void operator()(uchardet_t u) const { uchardet_delete(u); }
};

std::string askUchardet(std::string_view bytes) {
    thread_local std::unique_ptr<std::remove_pointer_t<uchardet_t>, UchardetDeleter> ud(uchardet_new());
    uchardet_reset(ud.get());
    if (uchardet_handle_data(ud.get(), bytes.data(), bytes.size()) != 0) return {};
    uchardet_data_end(ud.get());
    const char* name = uchardet_get_charset(ud.get());
    return name ? std::string(name) : std::string();
}

bool isMultiByteCjk(std::string_view name) {
    for (std::string_view p : {"GB18030", "BIG5", "SHIFT_JIS", "EUC-", "UHC", "ISO-2022-"})
        if (name.starts_with(p)) return true;
    return false;
}

// uchardet names the base set; decode with the superset mail software actually emits.
std::string widen(std::string name) {
    using Pair = std::pair<std::string_view, std::string_view>;
    static constexpr std::array kWider = {
        Pair{"ISO-8859-1", "CP1252"}, Pair{"WINDOWS-1252", "CP1252"}, Pair{"SHIFT_JIS", "CP932"},
        Pair{"EUC-KR", "CP949"}, Pair{"UHC", "CP949"}, Pair{"BIG5", "BIG5-HKSCS"},
        Pair{"ISO-2022-JP", "ISO-2022-JP-2"}};
    for (const auto& [base, superset] : kWider)
        if (name == base) name.assign(superset);
    return name;
}

// Approximate frequency (per mille) of Russian letters а..я in running text.
constexpr std::array<std::uint8_t, 32> kRussianFrequency = {
    80, 16, 45, 17, 30, 85, 9, 16, 74, 12, 35, 44, 32, 67, 110, 28,
    47, 55, 63, 26, 3, 10, 5, 14, 7, 4, 1, 19, 17, 3, 6, 20};

// KOI8-R puts letters in Latin transliteration order: byte 0xC0 + i is this letter (0 = а).
constexpr std::array<std::uint8_t, 32> kKoi8Letter = {
    30, 0, 1, 22, 4, 5, 20, 3, 21, 8, 9, 10, 11, 12, 13, 14,
    15, 31, 16, 17, 18, 19, 6, 2, 28, 27, 7, 24, 29, 25, 23, 26};

struct HighByteStats {
    std::size_t high = 0;       // bytes >= 0x80
    std::size_t letters = 0;    // bytes >= 0xC0: Cyrillic letters in both KOI8-R and CP1251
    std::size_t inWords = 0;    // high bytes in runs of three or more
    std::uint32_t cp1251 = 0;   // letter-frequency score if read as CP1251
    std::uint32_t koi8 = 0;     // ... and as KOI8-R
};

HighByteStats highByteStats(std::string_view bytes) {
    HighByteStats st;
    std::size_t run = 0;
    for (std::size_t i = 0; i <= bytes.size(); ++i) {
        auto c = i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 0;
        if (c < 0x80) {
            if (run >= 3) st.inWords += run;
            run = 0;
            continue;
        }
        ++st.high;
        ++run;
        if (c < 0xC0) continue;
        ++st.letters;
        st.cp1251 += kRussianFrequency[c & 0x1F];
        st.koi8 += kRussianFrequency[kKoi8Letter[c & 0x1F]];
    }
    return st;
}

// Cyrillic in an 8-bit set is whole words of high bytes, nearly all in 0xC0-0xFF; Western
// European text has isolated accented letters between ASCII ones (at most two in a row, "üß"). Of the two Russian sets, the
// one whose reading gives the more frequent letters (о, е, а, и, н...) wins.
std::string cyrillicOrWestern(std::string_view bytes) {
    HighByteStats st = highByteStats(bytes);
    bool cyrillic = st.high >= 2 && st.letters * 10 >= st.high * 8 && st.inWords * 10 >= st.high * 6;
    if (!cyrillic) return "CP1252";
    return st.koi8 > st.cp1251 ? "KOI8-R" : "CP1251";
}

// Raw Shift_JIS in a header or a mislabelled body (Zammad's mail093, FreeScout#3312): every high
// byte is the lead (0x81-0x9F, 0xE0-0xFC) of a pair with a trail in 0x40-0x7E or 0x80-0xFC, and
// there are at least two pairs. Latin-1 text fails this at its first isolated accented letter,
// 8-bit Cyrillic at its first letter that is not a lead byte; the caller still converts strictly.
bool looksShiftJis(std::string_view bytes) {
    std::size_t pairs = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x80) continue;
        bool lead = (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
        if (!lead || i + 1 >= bytes.size()) return false;
        auto t = static_cast<unsigned char>(bytes[++i]);
        if (t < 0x40 || t == 0x7F || t > 0xFC) return false;
        ++pairs;
    }
    return pairs >= 2;
}

std::size_t countHigh(std::string_view bytes) {
    std::size_t n = 0;
    for (char c : bytes) n += static_cast<unsigned char>(c) >= 0x80;
    return n;
}

}  // namespace

std::string sniffIso2022(std::string_view bytes) {
    struct Escape {
        std::string_view seq;
        std::string_view charset;
    };
    // Designations from RFC 1468 (JP), RFC 1557 (KR) and RFC 1922 (CN).
    static constexpr std::array kEscapes = {
        Escape{"\x1B$B", "ISO-2022-JP-2"}, Escape{"\x1B$@", "ISO-2022-JP-2"},
        Escape{"\x1B(J", "ISO-2022-JP-2"}, Escape{"\x1B$(D", "ISO-2022-JP-2"},
        Escape{"\x1B(I", "ISO-2022-JP-3"}, Escape{"\x1B$)C", "ISO-2022-KR"},
        Escape{"\x1B$)A", "ISO-2022-CN-EXT"}, Escape{"\x1B$)G", "ISO-2022-CN-EXT"}};
    bool halfWidthKana = bytes.find("\x1B(I") != std::string_view::npos;
    for (const auto& e : kEscapes)
        if (bytes.find(e.seq) != std::string_view::npos)
            return std::string(halfWidthKana && e.charset == "ISO-2022-JP-2" ? "ISO-2022-JP-3" : e.charset);
    return {};
}

std::string sniffCharset(std::string_view bytes) {
    std::string guess = widen(askUchardet(bytes));
    bool believed = !(guess.empty() || guess == "ASCII" || guess == "UTF-8") &&
                    (countHigh(bytes) >= kShortText || isMultiByteCjk(guess));
    if (believed) return guess;
    if (looksShiftJis(bytes)) return "CP932";
    return cyrillicOrWestern(bytes);
}

}  // namespace postdesk::mime::detail
