#include "mime/date.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <limits>
#include <vector>

namespace postdesk::mime {
namespace {

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (lowerAscii(s[i]) != prefix[i]) return false;
    return true;
}

// At most 16 tokens, held in place: a date field needs no allocation.
class Tokens {
public:
    void push_back(std::string_view t) { items_[size_++] = t; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::string_view back() const { return items_[size_ - 1]; }
    const std::string_view* begin() const { return items_.data(); }
    const std::string_view* end() const { return items_.data() + size_; }

private:
    std::array<std::string_view, 16> items_;
    std::size_t size_ = 0;
};

// Tokens: runs of digits, runs of letters, and signs glued to digits ("+0100").
Tokens tokenize(std::string_view s) {
    Tokens out;
    std::size_t i = 0;
    int commentDepth = 0;
    while (i < s.size() && out.size() < 16) {
        char c = s[i];
        if (c == '(') ++commentDepth;
        if (c == ')' && commentDepth > 0) { --commentDepth; ++i; continue; }
        if (commentDepth > 0) { ++i; continue; }
        std::size_t start = i;
        if ((c == '+' || c == '-') && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])) &&
            (out.empty() || out.back().find(':') != std::string_view::npos || out.size() >= 4)) {
            ++i;
            while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == ':' || s[i] == '.')) ++i;
        } else if (std::isalpha(static_cast<unsigned char>(c))) {
            while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
        } else {
            ++i;
            continue;
        }
        out.push_back(s.substr(start, i - start));
    }
    return out;
}

int monthIndex(std::string_view t) {
    static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; ++i)
        if (startsWithNoCase(t, kMonths[static_cast<std::size_t>(i)])) return i + 1;
    return 0;
}

// RFC 5322 §4.3 zone names; military letters other than Z are ambiguous in practice and read as
// UTC, as the RFC recommends.
std::optional<int> zoneMinutes(std::string_view t) {
    struct Z { std::string_view name; int minutes; };
    static constexpr std::array<Z, 12> kZones = {{{"ut", 0}, {"utc", 0}, {"gmt", 0}, {"z", 0},
                                                  {"est", -300}, {"edt", -240}, {"cst", -360}, {"cdt", -300},
                                                  {"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420}}};
    std::string low;
    for (char c : t) low.push_back(lowerAscii(c));
    for (const auto& z : kZones)
        if (low == z.name) return z.minutes;
    if (low.size() == 1) return 0;
    return std::nullopt;
}

std::int64_t daysFromCivil(int y, int m, int d) {  // proleptic Gregorian, Howard Hinnant's formula
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

// One "%d" of sscanf over a token of digits, ':' and '.': false without a digit; otherwise the
// value as glibc stores it (read as a long that saturates at LONG_MAX, then cut to int).
bool scanInt(std::string_view t, std::size_t& i, int& v) {
    std::size_t start = i;
    std::uint64_t acc = 0;
    bool saturated = false;
    constexpr std::uint64_t kLongMax = static_cast<std::uint64_t>(std::numeric_limits<long>::max());
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
        auto d = static_cast<std::uint64_t>(t[i] - '0');
        if (!saturated && acc > (kLongMax - d) / 10) saturated = true;
        if (!saturated) acc = acc * 10 + d;
    }
    if (i == start) return false;
    v = static_cast<int>(static_cast<long>(saturated ? kLongMax : acc));
    return true;
}

// sscanf(t, "%d:%d:%d") by hand (it was a third of parseDate, with a string copy for its NUL).
bool parseTime(std::string_view t, int& h, int& mi, int& s) {
    h = mi = s = 0;
    std::size_t i = 0;
    int n = 0;
    if (scanInt(t, i, h)) {
        n = 1;
        if (i < t.size() && t[i] == ':' && scanInt(t, ++i, mi)) {
            n = 2;
            if (i < t.size() && t[i] == ':' && scanInt(t, ++i, s)) n = 3;
        }
    }
    return n >= 2 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s <= 60;
}

void putDigits(char* at, std::int64_t v, int width) {
    for (int k = width - 1; k >= 0; --k, v /= 10) at[k] = static_cast<char>('0' + v % 10);
}

int toInt(std::string_view t) {
    int v = 0;
    for (char c : t) {
        if (c < '0' || c > '9' || v > 100000) return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

std::optional<DateTime> parseDate(std::string_view text) {
    int day = 0, month = 0, year = -1, h = -1, mi = 0, s = 0, tz = 0;
    bool haveZone = false;
    for (std::string_view t : tokenize(text)) {
        char c = t.front();
        if (t.find(':') != std::string_view::npos) {
            if (h < 0 && !parseTime(t, h, mi, s)) return std::nullopt;
        } else if ((c == '+' || c == '-') && !haveZone) {
            int v = toInt(t.substr(1));
            if (v < 0 || t.size() != 5) continue;
            tz = (v / 100 * 60 + v % 100) * (c == '-' ? -1 : 1);
            haveZone = true;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            int v = toInt(t);
            if (day == 0 && t.size() <= 2 && v >= 1 && v <= 31) day = v;
            else if (year < 0) year = t.size() <= 2 ? (v < 50 ? 2000 + v : 1900 + v) : (t.size() == 3 ? 1900 + v : v);
        } else if (int m = monthIndex(t); m && month == 0 && t.size() <= 9) {
            month = m;
        } else if (!haveZone && h >= 0) {
            if (auto z = zoneMinutes(t)) { tz = *z; haveZone = true; }
        }
    }
    if (day == 0 || month == 0 || year < 1900 || year > 9999 || h < 0) return std::nullopt;
    std::int64_t epoch = daysFromCivil(year, month, day) * 86400 + h * 3600 + mi * 60 + std::min(s, 59);
    return DateTime{epoch - tz * 60, tz};
}

std::string formatIsoUtc(std::int64_t epoch) {
    std::int64_t days = epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400;
    std::int64_t secs = epoch - days * 86400;
    // civil_from_days (Hinnant)
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t doe = days - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = yoe + era * 400;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y >= 0 && y <= 9999) {  // every date a mail can carry; snprintf below for the rest
        std::string out = "0000-00-00T00:00:00Z";
        putDigits(&out[0], y, 4);
        putDigits(&out[5], m, 2);
        putDigits(&out[8], d, 2);
        putDigits(&out[11], secs / 3600, 2);
        putDigits(&out[14], secs / 60 % 60, 2);
        putDigits(&out[17], secs % 60, 2);
        return out;
    }
    char buf[128];  // room for any int64 year, so GCC sees no truncation (-Wformat-truncation)
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", static_cast<long long>(y),
                  static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
    return buf;
}

}  // namespace postdesk::mime
