#include "config/toml_guard.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace ww::config {
namespace {

struct CodePoint {
    char32_t value = 0;
    std::size_t length = 1;
    bool valid = false;
};

// Lenient on purpose (overlong forms are decoded too): the guard must see every code point that
// toml++'s stricter decoder could produce, and refusing a little more is harmless because toml++
// rejects malformed UTF-8 anyway.
CodePoint decode(std::string_view s, std::size_t i) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (lead < 0x80) return {lead, 1, true};
    if ((lead & 0xE0) == 0xC0) len = 2, cp = lead & 0x1F;
    else if ((lead & 0xF0) == 0xE0) len = 3, cp = lead & 0x0F;
    else if ((lead & 0xF8) == 0xF0) len = 4, cp = lead & 0x07;
    else return {};
    if (i + len > s.size()) return {};
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return {};
        cp = (cp << 6) | (b & 0x3F);
    }
    return {cp, len, true};
}

bool is_toml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Walks the text the way toml++'s parser splits it (code, comments, the four string kinds),
// tracking line and column in code points as toml++ counts them.
class Scanner {
public:
    Scanner(std::string_view text, const std::string& file) : text_(text), file_(file) {}

    std::optional<Problem> run() {
        while (i_ < text_.size()) {
            if (auto p = step()) return p;
        }
        return std::nullopt;
    }

private:
    enum class In { code, comment, basic, literal, ml_basic, ml_literal };

    std::optional<Problem> step() {
        const char c = text_[i_];
        switch (in_) {
            case In::code:
                if (c == '#') in_ = In::comment;
                else if (c == '"') return open('"', In::basic, In::ml_basic);
                else if (c == '\'') return open('\'', In::literal, In::ml_literal);
                else if (auto p = unsafe_here("outside a string or comment is not valid TOML")) return p;
                break;
            case In::comment:
                if (c == '\n') in_ = In::code;
                break;
            case In::basic:
                if (c == '\\') {
                    advance();
                    if (i_ < text_.size()) advance();  // the escaped character, whatever it is
                    return std::nullopt;
                }
                if (c == '"' || c == '\n') in_ = In::code;  // toml++ stops at the line break
                break;
            case In::literal:
                if (c == '\'' || c == '\n') in_ = In::code;
                break;
            case In::ml_basic:
                if (c == '\\') return after_ml_backslash();
                if (c == '"') return close('"');
                break;
            case In::ml_literal:
                if (c == '\'') return close('\'');
                break;
        }
        advance();
        return std::nullopt;
    }

    std::size_t run_of(char q) const {
        std::size_t n = 0;
        while (i_ + n < text_.size() && text_[i_ + n] == q) ++n;
        return n;
    }

    std::optional<Problem> open(char q, In single, In multi) {
        if (run_of(q) >= 3) {
            in_ = multi;
            advance(3);
        } else {
            in_ = single;
            advance();
        }
        return std::nullopt;
    }

    // Three to five quotes end a multi-line string (up to two belong to its content).
    std::optional<Problem> close(char q) {
        const std::size_t n = run_of(q);
        if (n < 3) {
            advance(n);
            return std::nullopt;
        }
        advance(std::min<std::size_t>(n, 5));
        in_ = In::code;
        return std::nullopt;
    }

    // toml++ asks "is this whitespace?" of the character after the backslash and, after a
    // line-ending backslash, of every character up to the first one that is not whitespace.
    std::optional<Problem> after_ml_backslash() {
        advance();
        if (i_ >= text_.size()) return std::nullopt;
        constexpr const char* why = "right after a backslash in a multi-line string cannot be read "
                                    "safely by toml++ 3.3: write it as an escape (\\uXXXX)";
        if (auto p = unsafe_here(why)) return p;
        if (!is_toml_space(text_[i_])) {
            advance();  // an ordinary escape such as \" or \\ .
            return std::nullopt;
        }
        while (i_ < text_.size() && is_toml_space(text_[i_])) advance();
        if (i_ < text_.size()) return unsafe_here(why);
        return std::nullopt;
    }

    std::optional<Problem> unsafe_here(const char* why) const {
        const auto cp = decode(text_, i_);
        if (!cp.valid || !toml_whitespace_check_is_undefined(cp.value)) return std::nullopt;
        char code[16];
        std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp.value));
        return Problem{{file_, line_, column_}, "character " + std::string(code) + " " + why};
    }

    // Moves over `n` code points.
    void advance(std::size_t n = 1) {
        for (std::size_t k = 0; k < n && i_ < text_.size(); ++k) {
            if (text_[i_] == '\n') {
                ++line_;
                column_ = 1;
            } else {
                ++column_;
            }
            i_ += decode(text_, i_).length;
        }
    }

    std::string_view text_;
    const std::string& file_;
    In in_ = In::code;
    std::size_t i_ = 0;
    int line_ = 1;
    int column_ = 1;
};

}  // namespace

bool toml_whitespace_check_is_undefined(char32_t c) {
    // Mirrors the generated function: U+00A0..U+FEFF in blocks of 0x3FA code points; a clear bit
    // of its mask sends a block to the switch, which handles blocks 5 and 7 and three single
    // code points, and is undefined for the rest of blocks 0, 11 and 63.
    if (c < 0xA0 || c > 0xFEFF) return false;
    if (c == 0xA0 || c == 0x3000 || c == 0xFEFF) return false;
    const auto block = (c - 0xA0) / 0x3FA;
    return block == 0 || block == 11 || block == 63;
}

std::optional<Problem> find_unsafe_toml_character(std::string_view text, const std::string& file) {
    return Scanner(text, file).run();
}

}  // namespace ww::config
