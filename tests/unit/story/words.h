#pragma once

// Test and bench helper: an item's text -> the words the story sketch takes, through the real
// match analyzer (tokenize, fold, per-script Snowball stemming with the shipped override
// table), the same recipe the pipeline is asked to use (docs/stories.md, "Wiring").

#include <string>
#include <string_view>
#include <vector>

#include "match/analyzer.h"
#include "match/stemmer.h"

namespace ww::story::testing {

inline std::vector<std::string> analysed_words(std::string_view text, std::string_view language) {
    using namespace ww::match;
    static const Stemming stemming(default_stem_overrides());
    std::string stripped;
    if (has_markup(text)) {
        stripped = strip_markup(text);
        text = stripped;
    }
    std::vector<Token> tokens;
    TokenCursor cursor;
    tokenize(text, Field::title, cursor, tokens, /*surfaces=*/false);
    const bool given = !language.empty();
    const auto lang = stem_language_of(language);
    std::vector<std::string> words;
    words.reserve(tokens.size());
    for (const auto& t : tokens) {
        // Parts of "co-operation" are left out: the joined word stands for them, and either
        // spelling folds to the same joined word.
        if (t.part) continue;
        words.push_back(stemming.stem(stem_language_for(t.script, lang, given), t.word));
    }
    return words;
}

}  // namespace ww::story::testing
