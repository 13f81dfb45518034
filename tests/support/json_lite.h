// Test support — a minimal JSON reader for the corpus expectation files (*.jsonl).
//
// Reads objects, arrays, strings (with \uXXXX escapes and surrogate pairs, emitted as UTF-8),
// numbers (as double), true/false/null. No JSON library is installed on the build machines,
// and the tests need nothing more. Malformed input yields a null value, never an exception.
#pragma once

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace postdesk::test {

struct Json {
    enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
    Type type = Type::kNull;
    bool boolean = false;
    double number = 0;
    std::string string;
    std::vector<Json> array;
    std::map<std::string, Json, std::less<>> object;

    bool has(std::string_view key) const { return object.find(key) != object.end(); }
    // A missing key reads as null, so tests can probe optional fields.
    const Json& operator[](std::string_view key) const {
        static const Json kNull;
        auto it = object.find(key);
        return it == object.end() ? kNull : it->second;
    }
    const std::string& str() const { return string; }
};

class JsonReader {
public:
    static Json parse(std::string_view text) {
        JsonReader r(text);
        return r.value();
    }

private:
    explicit JsonReader(std::string_view t) : t_(t) {}

    void skipSpace() {
        while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
    }

    bool eat(char c) {
        skipSpace();
        if (i_ < t_.size() && t_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }

    Json value() {
        skipSpace();
        Json v;
        if (i_ >= t_.size()) return v;
        char c = t_[i_];
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"') {
            v.type = Json::Type::kString;
            v.string = string();
        } else if (t_.substr(i_, 4) == "true" || t_.substr(i_, 5) == "false") {
            v.type = Json::Type::kBool;
            v.boolean = c == 't';
            i_ += v.boolean ? 4 : 5;
        } else if (t_.substr(i_, 4) == "null") {
            i_ += 4;
        } else {
            v.type = Json::Type::kNumber;
            std::string num;
            while (i_ < t_.size() && std::string_view("+-.eE0123456789").find(t_[i_]) != std::string_view::npos) num += t_[i_++];
            v.number = std::strtod(num.c_str(), nullptr);
        }
        return v;
    }

    Json object() {
        Json v;
        v.type = Json::Type::kObject;
        ++i_;
        if (eat('}')) return v;
        do {
            skipSpace();
            if (i_ >= t_.size() || t_[i_] != '"') return v;
            std::string key = string();
            if (!eat(':')) return v;
            v.object[key] = value();
        } while (eat(','));
        eat('}');
        return v;
    }

    Json array() {
        Json v;
        v.type = Json::Type::kArray;
        ++i_;
        if (eat(']')) return v;
        do {
            v.array.push_back(value());
        } while (eat(','));
        eat(']');
        return v;
    }

    unsigned hex4() {
        unsigned cp = 0;
        for (int k = 0; k < 4 && i_ < t_.size(); ++k, ++i_) {
            char c = t_[i_];
            cp = cp * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return cp;
    }

    static void appendUtf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    unsigned codePoint() {
        unsigned cp = hex4();
        if (cp >= 0xD800 && cp < 0xDC00 && t_.substr(i_, 2) == "\\u") {
            i_ += 2;
            unsigned low = hex4();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        return cp;
    }

    std::string string() {
        std::string out;
        ++i_;
        while (i_ < t_.size() && t_[i_] != '"') {
            char c = t_[i_++];
            if (c != '\\' || i_ >= t_.size()) {
                out += c;
                continue;
            }
            char e = t_[i_++];
            switch (e) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'u': appendUtf8(out, codePoint()); break;
                default: out += e; break;
            }
        }
        ++i_;
        return out;
    }

    std::string_view t_;
    std::size_t i_ = 0;
};

}  // namespace postdesk::test
