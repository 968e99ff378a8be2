#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "match/flat_map.h"
#include "match/matcher.h"

namespace ww::match {

// Term namespaces: a bare word matches by stem, a quoted word exactly, case: by surface,
// word* by prefix of the exact word, site: by host.
enum class Ns : std::uint8_t { stem, exact, surface, prefix, host, entity, lemma };
inline constexpr int kNsCount = 7;

class StemOverrides;

// Document frequencies of stems and words, measured on items: in how many of them each
// occurs. The index anchors every query on its rarest required term, and word length guesses
// rarity badly ("government" is common, "Xi" rare): given these counts (BuildOptions::
// frequencies), the build picks anchors by measured rarity, so that an item reads fewer
// postings. Items of the feeds being watched are the right sample; the counts hold no text
// beyond the terms themselves.
class TermFrequencies {
public:
    explicit TermFrequencies(std::shared_ptr<const StemOverrides> overrides = nullptr);
    ~TermFrequencies();
    TermFrequencies(TermFrequencies&&) noexcept;
    TermFrequencies& operator=(TermFrequencies&&) noexcept;

    // Analyses the item as matching does and counts each distinct stem and word once.
    void add(const ItemView& item);
    std::uint32_t items() const { return items_; }
    // Items in which the term occurs (stem and exact only; 0 when never seen).
    std::uint32_t count(Ns ns, std::string_view term) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::uint32_t items_ = 0;
};

}  // namespace ww::match
