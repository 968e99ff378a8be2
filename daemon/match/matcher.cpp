#include "match/matcher.h"

#include <algorithm>
#include <cstdlib>
#include <utf8proc.h>

namespace ww::match {
namespace {

// First increment (issue 2): every bare word of the query occurs as a whole word,
// case-insensitively, in title, summary, content or categories.
struct Token {
    std::string text;
    std::size_t begin = 0;  // byte offsets in the original field
    std::size_t end = 0;
};

std::string fold(std::string_view s) {
    utf8proc_uint8_t* out = nullptr;
    auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                          static_cast<utf8proc_ssize_t>(s.size()), &out,
                          static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                         UTF8PROC_CASEFOLD));
    std::string r;
    if (n >= 0) r.assign(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
    std::free(out);
    return r;
}

bool is_word_char(utf8proc_int32_t cp) {
    switch (utf8proc_category(cp)) {
        case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
        case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
            return true;
        default:
            return false;
    }
}

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0, start = std::string_view::npos;
    while (i <= s.size()) {
        utf8proc_int32_t cp = -1;
        utf8proc_ssize_t len = 1;
        if (i < s.size()) {
            len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                   static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
            if (len <= 0) { len = 1; cp = -1; }
        }
        const bool word = cp >= 0 && is_word_char(cp);
        if (word && start == std::string_view::npos) start = i;
        if (!word && start != std::string_view::npos) {
            out.push_back({fold(s.substr(start, i - start)), start, i});
            start = std::string_view::npos;
        }
        i += static_cast<std::size_t>(len);
    }
    return out;
}

std::string snippet_around(std::string_view text, std::size_t begin, std::size_t end) {
    const std::size_t from = begin > 60 ? begin - 60 : 0;
    std::size_t to = std::min(text.size(), end + 60);
    while (from > 0 && from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) break;
    std::string_view cut = text.substr(from, to - from);
    // Keep whole UTF-8 characters at both ends.
    while (!cut.empty() && (static_cast<unsigned char>(cut.front()) & 0xC0) == 0x80) cut.remove_prefix(1);
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0x80) != 0) {
        // drop a possibly truncated trailing sequence
        std::size_t k = cut.size() - 1;
        while (k > 0 && (static_cast<unsigned char>(cut[k]) & 0xC0) == 0x80) --k;
        const auto lead = static_cast<unsigned char>(cut[k]);
        const std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (cut.size() - k == need) break;
        cut = cut.substr(0, k);
    }
    std::string r;
    if (from > 0) r += "…";
    r += cut;
    if (to < text.size()) r += "…";
    for (auto& c : r) if (c == '\n') c = ' ';
    return r;
}

struct Compiled {
    Watchlist watchlist;
    std::vector<std::string> words;
};

class SimpleIndex final : public Index {
public:
    explicit SimpleIndex(std::vector<Compiled> queries) : queries_(std::move(queries)) {}

    std::vector<Hit> match(const ItemView& item) const override {
        struct Field { const char* name; std::string_view text; std::vector<Token> tokens; };
        std::vector<Field> fields{{"title", item.title, tokenize(item.title)},
                                  {"summary", item.summary, tokenize(item.summary)},
                                  {"content", item.content, tokenize(item.content)}};
        for (const auto& c : item.categories) fields.push_back({"category", c, tokenize(c)});
        std::vector<Hit> hits;
        for (const auto& q : queries_) {
            if (!q.watchlist.enabled) continue;
            if (!q.watchlist.feeds.empty() &&
                std::ranges::find(q.watchlist.feeds, item.feed_name) == q.watchlist.feeds.end())
                continue;
            MatchExplanation ex;
            bool all = true;
            for (const auto& w : q.words) {
                bool found = false;
                for (const auto& f : fields) {
                    for (const auto& t : f.tokens) {
                        if (t.text != w) continue;
                        if (!found) ex.terms.push_back(w);
                        found = true;
                        if (std::ranges::find(ex.fields, f.name) == ex.fields.end())
                            ex.fields.emplace_back(f.name);
                        if (ex.snippet.empty()) ex.snippet = snippet_around(f.text, t.begin, t.end);
                        break;
                    }
                }
                if (!found) { all = false; break; }
            }
            if (all && !q.words.empty()) hits.push_back({q.watchlist.name, std::move(ex)});
        }
        return hits;
    }
    std::size_t size() const override { return queries_.size(); }

private:
    std::vector<Compiled> queries_;
};

}  // namespace

std::vector<WatchlistError> check_query(const Watchlist& watchlist) {
    if (tokenize(watchlist.query).empty())
        return {{watchlist.name, "match: watchlist \"" + watchlist.name + "\": column 1: expected a word"}};
    return {};
}

BuildResult build_index(std::span<const Watchlist> watchlists) {
    BuildResult result;
    std::vector<Compiled> compiled;
    for (const auto& w : watchlists) {
        auto errors = check_query(w);
        if (!errors.empty()) {
            result.errors.insert(result.errors.end(), errors.begin(), errors.end());
            continue;
        }
        Compiled c{w, {}};
        for (auto& t : tokenize(w.query)) c.words.push_back(std::move(t.text));
        compiled.push_back(std::move(c));
    }
    result.index = std::make_shared<SimpleIndex>(std::move(compiled));
    return result;
}

}  // namespace ww::match
