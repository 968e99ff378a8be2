#include "match/frequencies.h"

#include <algorithm>
#include <vector>

#include "match/engine.h"

namespace ww::match {

struct TermFrequencies::Impl {
    explicit Impl(std::shared_ptr<const StemOverrides> overrides) : stemming(std::move(overrides)) {}
    Stemming stemming;
    // Key: the namespace as one byte, then the term.
    FlatStringMap<std::uint32_t> counts;
    AnalyzedItem item;
    std::vector<std::string> keys;
};

namespace {

std::string key_of(Ns ns, std::string_view term) {
    std::string key(1, static_cast<char>(ns));
    key += term;
    return key;
}

}  // namespace

TermFrequencies::TermFrequencies(std::shared_ptr<const StemOverrides> overrides)
    : impl_(std::make_unique<Impl>(std::move(overrides))) {}
TermFrequencies::~TermFrequencies() = default;
TermFrequencies::TermFrequencies(TermFrequencies&&) noexcept = default;
TermFrequencies& TermFrequencies::operator=(TermFrequencies&&) noexcept = default;

void TermFrequencies::add(const ItemView& item) {
    Impl& m = *impl_;
    analyze_item(item, false, m.item);
    m.keys.clear();
    for (const auto& t : m.item.tokens) {
        m.keys.push_back(key_of(Ns::stem, m.stemming.stem(t.lang, t.word)));
        m.keys.push_back(key_of(Ns::exact, t.word));
    }
    std::ranges::sort(m.keys);
    m.keys.erase(std::unique(m.keys.begin(), m.keys.end()), m.keys.end());
    for (const auto& k : m.keys) ++m.counts.insert(k, 0);
    ++items_;
}

std::uint32_t TermFrequencies::count(Ns ns, std::string_view term) const {
    const auto* found = impl_->counts.find(key_of(ns, term));
    return found == nullptr ? 0 : *found;
}

}  // namespace ww::match
