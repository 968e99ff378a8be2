#include "match/stemmer.h"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <optional>
#include <atomic>
#include <sstream>

#include "match/flat_map.h"
#include "match/lexicon.h"
#include "match/lines.h"

namespace ww::match {

std::size_t StringHash::operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
}

void SnowballStemmer::Deleter::operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }

SnowballStemmer::SnowballStemmer(const char* language)
    : handle_(sb_stemmer_new(language, "UTF_8")) {}

std::string_view SnowballStemmer::stem(std::string_view word) {
    const sb_symbol* r = sb_stemmer_stem(handle_.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
    if (r == nullptr) return word;
    return {reinterpret_cast<const char*>(r), static_cast<std::size_t>(sb_stemmer_length(handle_.get()))};
}

namespace {

constexpr std::array<StemLanguage, 23> kLanguages{{
    {"", Script::other},  // none
    {"en", Script::latin}, {"fr", Script::latin}, {"de", Script::latin}, {"es", Script::latin},
    {"it", Script::latin}, {"pt", Script::latin}, {"nl", Script::latin}, {"sv", Script::latin},
    {"da", Script::latin}, {"no", Script::latin}, {"fi", Script::latin}, {"hu", Script::latin},
    {"ro", Script::latin}, {"tr", Script::latin}, {"id", Script::latin}, {"ca", Script::latin},
    {"ga", Script::latin}, {"lt", Script::latin}, {"eu", Script::latin},
    {"ru", Script::cyrillic}, {"el", Script::greek}, {"ar", Script::arabic},
}};

static_assert(kLanguages.size() == kStemLanguageCount);

std::size_t default_for_script(Script s) {
    switch (s) {
        case Script::latin: return 1;      // en
        case Script::cyrillic: return 20;  // ru
        case Script::greek: return 21;
        case Script::arabic: return 22;
        default: return 0;
    }
}

// Per thread: one Snowball stemmer per language and a cache of stems. The cache belongs to one
// override table; a different table (a reload with a new file) starts a fresh cache.
// Where a cached stem lies in ThreadStemmers::stems.
struct StemRef {
    std::uint32_t off = 0, len = 0;
};

struct ThreadStemmers {
    std::uint64_t owner = 0;
    std::array<std::unique_ptr<SnowballStemmer>, kLanguages.size()> stemmers;
    // Per language, word -> stem, with the stems' bytes in one arena: no allocation per word,
    // and when the cache starts afresh it keeps its memory instead of freeing 65,536 nodes to
    // allocate them again (which fragmented the heap of the store thread).
    std::array<FlatStringMap<StemRef>, kLanguages.size()> cache;
    std::string stems;
    std::size_t cached = 0;
};

ThreadStemmers& this_thread_stemmers() {
    thread_local ThreadStemmers t;
    return t;
}

ThreadStemmers& thread_stemmers(std::uint64_t owner) {
    auto& t = this_thread_stemmers();
    if (t.owner != owner || t.cached >= Stemming::kCacheWords) {
        for (auto& c : t.cache) c.clear();
        t.stems.clear();
        t.cached = 0;
        t.owner = owner;
    }
    return t;
}

}  // namespace

std::span<const StemLanguage> stem_languages() { return kLanguages; }

std::size_t stem_language_of(std::string_view tag) {
    const auto primary = tag.substr(0, tag.find_first_of("-_"));
    if (primary.size() < 2 || primary.size() > 3) return 0;
    std::string p(primary);
    for (auto& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (p == "nb" || p == "nn") p = "no";
    for (std::size_t i = 1; i < kLanguages.size(); ++i)
        if (p == kLanguages[i].code) return i;
    return 0;
}

std::size_t stem_language_for(Script script, std::size_t item_lang, bool item_lang_given) {
    if (script == Script::segmented || script == Script::other) return 0;
    if (item_lang_given && item_lang == 0) return 0;  // Snowball has none for this language
    if (item_lang != 0 && kLanguages[item_lang].script == script) return item_lang;
    return default_for_script(script);
}

Result<StemOverrides> StemOverrides::parse(std::string_view text, std::string_view origin) {
    static std::atomic<std::uint64_t> generations{0};
    StemOverrides o;
    o.generation_ = ++generations;
    o.by_language_.resize(kLanguages.size());
    std::optional<Error> error;  // the first bad line; the rest is not read
    for_each_line(text, [&](std::string_view line, std::size_t line_no) {
        if (error || line.empty() || line.front() == '#') return;
        const auto t1 = line.find('\t');
        const auto t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
        const auto where = std::string(origin) + ":" + std::to_string(line_no) + ": ";
        if (t2 == std::string_view::npos) {
            error = Error{"config", "match: " + where + "expected lang<TAB>stem<TAB>forms"};
            return;
        }
        const auto lang = stem_language_of(line.substr(0, t1));
        if (lang == 0) {
            error = Error{"config", "match: " + where + "no Snowball stemmer for language \"" +
                                        std::string(line.substr(0, t1)) + "\""};
            return;
        }
        const std::string stem = fold_word(line.substr(t1 + 1, t2 - t1 - 1));
        std::istringstream forms{std::string(line.substr(t2 + 1))};
        std::string form;
        bool any = false;
        while (forms >> form) {
            o.by_language_[lang][fold_word(form)] = stem;
            ++o.size_;
            any = true;
        }
        if (stem.empty() || !any) error = Error{"config", "match: " + where + "expected a stem and at least one form"};
    });
    if (error) return std::unexpected(std::move(*error));
    return o;
}

Result<StemOverrides> StemOverrides::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("config", "match: cannot read stem overrides file " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), path);
}

const std::string* StemOverrides::find(std::size_t language, std::string_view word) const {
    if (language >= by_language_.size()) return nullptr;
    const auto& m = by_language_[language];
    if (m.empty()) return nullptr;
    const auto it = m.find(word);
    return it == m.end() ? nullptr : &it->second;
}

std::shared_ptr<const StemOverrides> default_stem_overrides() {
    static const std::shared_ptr<const StemOverrides> table = [] {
        const std::array<std::string, 3> candidates{
            "/etc/wirewatch/stem-overrides.tsv", "/usr/share/wirewatch/stem-overrides.tsv",
#ifdef WW_STEM_OVERRIDES_SOURCE
            WW_STEM_OVERRIDES_SOURCE,
#else
            "",
#endif
        };
        for (const auto& path : candidates) {
            std::error_code ec;
            if (path.empty() || !std::filesystem::exists(path, ec)) continue;
            if (auto loaded = StemOverrides::load(path))
                return std::make_shared<const StemOverrides>(std::move(*loaded));
        }
        return std::make_shared<const StemOverrides>(*StemOverrides::parse("", "(none)"));
    }();
    return table;
}

Stemming::Stemming(std::shared_ptr<const StemOverrides> overrides, std::shared_ptr<const Lexicon> lexicon)
    : overrides_(overrides ? std::move(overrides) : default_stem_overrides()), lexicon_(std::move(lexicon)) {
    owner_ = overrides_->generation() ^ (lexicon_ ? lexicon_->generation() << 32 : 0);
}

// English words meet their American spelling after Snowball, so that items and query words
// normalise alike (irregular forms are the index's business: Ns::lemma).
std::string Stemming::snowball(std::size_t language, std::string_view word) const {
    auto& s = thread_stemmers(owner_).stemmers[language];
    if (!s) s = std::make_unique<SnowballStemmer>(kLanguages[language].code);
    if (!s->valid()) return std::string(word);
    if (lexicon_ == nullptr || language != 1) return std::string(s->stem(word));
    std::string stem(s->stem(word));
    if (const auto american = lexicon_->american_stem(stem); !american.empty()) stem.assign(american);
    return stem;
}

bool Stemming::normalised(std::size_t language, std::string_view word) const {
    if (lexicon_ == nullptr || language != 1) return false;
    auto& s = thread_stemmers(owner_).stemmers[language];
    if (!s) s = std::make_unique<SnowballStemmer>(kLanguages[language].code);
    return s->valid() && !lexicon_->american_stem(s->stem(word)).empty();
}

std::string Stemming::stem(std::size_t language, std::string_view word) const {
    if (language == 0 || language >= kLanguages.size()) return std::string(word);
    auto& t = thread_stemmers(owner_);
    auto& cache = t.cache[language];
    if (const auto* hit = cache.find(word)) return t.stems.substr(hit->off, hit->len);
    std::string result;
    if (const auto* o = overrides_->find(language, word)) {
        result = *o;
    } else {
        result = snowball(language, word);
    }
    cache.insert(word, StemRef{static_cast<std::uint32_t>(t.stems.size()),
                               static_cast<std::uint32_t>(result.size())});
    t.stems += result;
    ++t.cached;
    return result;
}

std::size_t Stemming::cached_on_this_thread() {
    std::size_t n = 0;
    for (const auto& c : this_thread_stemmers().cache) n += c.size();
    return n;
}

std::vector<std::pair<std::size_t, std::string>> Stemming::query_stems(std::string_view word,
                                                                        Script script) const {
    std::vector<std::pair<std::size_t, std::string>> out{{0, std::string(word)}};
    for (std::size_t i = 1; i < kLanguages.size(); ++i)
        if (kLanguages[i].script == script) out.emplace_back(i, stem(i, word));
    return out;
}

}  // namespace ww::match
