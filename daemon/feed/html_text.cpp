#include "feed/html_text.h"

#include <array>
#include <cstring>

#include "feed/entities.h"

namespace ww::feed {
namespace {

enum CharClass : unsigned char { kPlain, kSpace, kLt, kAmp, kC2, kDrop };

constexpr std::array<unsigned char, 256> make_classes(bool markup) {
    std::array<unsigned char, 256> t{};
    // Controls are illegal in XML text and carry no meaning: dropped, as feedparser and gofeed do.
    for (int c = 0; c < 0x20; ++c) t[c] = kDrop;
    t[' '] = t['\t'] = t['\n'] = t['\r'] = t['\f'] = kSpace;
    t[0x7F] = kDrop;
    t[0xC2] = kC2;  // lead byte of U+00A0 (no-break space), folded like a space
    if (markup) {
        t['<'] = kLt;
        t['&'] = kAmp;
    }
    return t;
}
constexpr auto kHtmlClasses = make_classes(true);
constexpr auto kTextClasses = make_classes(false);

// Collects text with whitespace folded: a pending space or block break is written only before
// the next visible text, so ends are trimmed and breaks never pile up.
class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}
    void text(const char* p, std::size_t n) {
        if (!out_.empty()) {
            if (line_) out_.push_back('\n');
            else if (space_) out_.push_back(' ');
        }
        space_ = line_ = false;
        out_.append(p, n);
    }
    void space() { space_ = true; }
    void block() { line_ = true; }

private:
    std::string& out_;
    bool space_ = false;
    bool line_ = false;
};

enum class TagKind { inl, block, cell, skip };

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

TagKind kind_of(std::string_view name) {
    // Sorted by length would be faster, but tags are short and this is not the hot loop.
    static constexpr std::string_view kBlock[] = {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "pre", "table", "tr", "hr", "section", "article", "header", "footer", "figure",
        "figcaption", "dd", "dt", "dl", "address", "aside", "nav", "main", "form", "fieldset",
        "details", "summary", "center", "caption", "thead", "tbody", "tfoot", "body", "html",
        "iframe", "video", "audio", "picture", "option"};
    static constexpr std::string_view kSkip[] = {"script", "style", "noscript", "template",
                                                 "head", "title", "select", "textarea", "svg",
                                                 "math", "object"};
    if (name == "td" || name == "th" || name == "img") return TagKind::cell;
    for (const auto b : kBlock)
        if (b == name) return TagKind::block;
    for (const auto k : kSkip)
        if (k == name) return TagKind::skip;
    return TagKind::inl;
}

// End of the tag whose '<' is at i: the index after its '>' (quotes respected), or npos.
std::size_t tag_end(std::string_view s, std::size_t i) {
    char quote = 0;
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            // A quote only opens a value right after '='; stray apostrophes in broken markup
            // would otherwise swallow the rest of the text.
            std::size_t k = i;
            while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\n')) --k;
            if (k > 0 && s[k - 1] == '=') quote = c;
        } else if (c == '>') {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

// Position after the closing tag of a skipped element (script, style), or the end.
std::size_t skip_element(std::string_view s, std::size_t from, std::string_view name) {
    for (std::size_t i = from; i + 2 + name.size() <= s.size(); ++i) {
        const void* lt = std::memchr(s.data() + i, '<', s.size() - i);
        if (!lt) break;
        i = static_cast<std::size_t>(static_cast<const char*>(lt) - s.data());
        if (i + 2 + name.size() > s.size() || s[i + 1] != '/') continue;
        bool same = true;
        for (std::size_t k = 0; k < name.size() && same; ++k)
            same = lower(s[i + 2 + k]) == name[k];
        if (!same) continue;
        const auto end = tag_end(s, i);
        return end == std::string_view::npos ? s.size() : end;
    }
    return s.size();
}

void run(std::string_view s, const std::array<unsigned char, 256>& classes, Writer& w);

// Handles the markup starting at s[i] == '<'; returns the index to continue from.
std::size_t markup(std::string_view s, std::size_t i, Writer& w) {
    const std::size_t n = s.size();
    if (i + 1 >= n) {
        w.text("<", 1);
        return n;
    }
    const char c1 = s[i + 1];
    if (c1 == '!') {
        if (s.compare(i, 4, "<!--") == 0) {
            const auto end = s.find("-->", i + 4);
            return end == std::string_view::npos ? n : end + 3;
        }
        if (s.compare(i, 9, "<![CDATA[") == 0) {
            const auto end = s.find("]]>", i + 9);
            const auto inner = s.substr(i + 9, (end == std::string_view::npos ? n : end) - i - 9);
            run(inner, kTextClasses, w);
            return end == std::string_view::npos ? n : end + 3;
        }
    }
    const bool closing = c1 == '/';
    const std::size_t name_at = i + (closing ? 2 : 1);
    if (c1 != '!' && c1 != '?' && !(name_at < n && is_alpha(s[name_at]))) {
        w.text("<", 1);  // a lone '<' in text ("a < b")
        return i + 1;
    }
    const auto end = tag_end(s, i + 1);
    if (end == std::string_view::npos) return n;  // a truncated tag: nothing visible follows
    if (c1 == '!' || c1 == '?') return end;
    char name[12];
    std::size_t len = 0;
    for (std::size_t k = name_at; k < end && len < sizeof name; ++k) {
        const char c = s[k];
        if (!(is_alpha(c) || (c >= '0' && c <= '9') || c == ':' || c == '-')) break;
        name[len++] = lower(c);
    }
    const std::string_view tag{name, len};
    switch (kind_of(tag)) {
        case TagKind::inl: return end;
        case TagKind::cell: w.space(); return end;
        case TagKind::block: w.block(); return end;
        case TagKind::skip:
            if (closing || s[end - 2] == '/') return end;
            return skip_element(s, end, tag);
    }
    return end;
}

void run(std::string_view s, const std::array<unsigned char, 256>& classes, Writer& w) {
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        std::size_t j = i;
        while (j < n && classes[static_cast<unsigned char>(s[j])] == kPlain) ++j;
        if (j > i) {
            w.text(s.data() + i, j - i);
            i = j;
            continue;
        }
        switch (classes[static_cast<unsigned char>(s[i])]) {
            case kSpace:
                w.space();
                ++i;
                break;
            case kC2:
                if (i + 1 < n && s[i + 1] == '\xA0') {
                    w.space();
                    i += 2;
                } else {
                    w.text(s.data() + i, 1);
                    ++i;
                }
                break;
            case kDrop:
                ++i;
                break;
            case kAmp: {
                std::string decoded;
                const auto used = decode_reference(s.substr(i, 40), decoded);
                if (used == 0) {
                    w.text("&", 1);
                    ++i;
                    break;
                }
                i += used;
                if (decoded == "\xC2\xA0" || decoded == "\t" || decoded == "\n") w.space();
                else w.text(decoded.data(), decoded.size());
                break;
            }
            case kLt:
                i = markup(s, i, w);
                break;
            default:
                ++i;
        }
    }
}

}  // namespace

std::string html_to_text(std::string_view html) {
    std::string out;
    out.reserve(html.size());
    Writer w(out);
    run(html, kHtmlClasses, w);
    return out;
}

std::string fold_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    Writer w(out);
    run(text, kTextClasses, w);
    return out;
}

}  // namespace ww::feed
