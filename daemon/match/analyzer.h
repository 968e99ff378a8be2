#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ww::match {

// Scripts the analyzer treats differently: diacritics are stripped for Latin and Greek only,
// the stemmer follows the script, and `segmented` scripts (Chinese, Japanese, Thai...) have no
// spaces between words and go through ICU's word break iterator.
enum class Script : std::uint8_t { other, latin, greek, cyrillic, arabic, segmented };

enum class Field : std::uint8_t { title, summary, content, category, author };
inline constexpr int kFieldCount = 5;
const char* field_name(Field f);

// One word of a text. A hyphenated or apostrophe word ("co-operation", "d'Italia") gives its
// parts (part = true) and the joined word, which spans the parts' positions, so that phrases
// match both "co-operation in" and "cooperation in".
struct Token {
    std::string word;     // NFKC, case folded, Latin/Greek diacritics removed, ё -> е
    std::string surface;  // NFKC with case kept (acronym dots removed): what case: compares
    std::uint8_t lang = 0;  // items only: the stemmer (index in stem_languages()) for this token
    std::uint32_t pos = 0;
    std::uint32_t end = 0;  // last position covered (inclusive)
    std::uint32_t block = 0;  // paragraph; phrases and NEAR never cross blocks
    std::uint32_t byte_begin = 0;
    std::uint32_t byte_end = 0;
    Field field = Field::title;
    Script script = Script::other;
    bool part = false;
};

// Running state while several texts are tokenised into one field.
struct TokenCursor {
    std::uint32_t next_pos = 0;
    std::uint32_t block = 0;
};

// Appends the tokens of plain text; '\n' starts a new block. `surfaces` fills Token::surface
// (only case: needs it, and it costs an NFKC pass per word).
void tokenize(std::string_view text, Field field, TokenCursor& cursor, std::vector<Token>& out,
              bool surfaces = true);

// True when the text may hold tags or entities worth removing before tokenising.
bool has_markup(std::string_view text);
// Tags removed (block elements become '\n'), entities decoded. Items should arrive as plain
// text (feed module); this covers JSON Lines input and feeds that leave markup in.
std::string strip_markup(std::string_view text);

// The normalised form of one word (what Token::word holds).
std::string fold_word(std::string_view raw);
// Number of code points (for the prefix minimum and anchor rarity).
std::size_t codepoints(std::string_view s);

}  // namespace ww::match
