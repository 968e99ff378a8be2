#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "match/huge_pages.h"

namespace ww::match {

// 64-bit hash of a short string, 8 bytes at a time (words are short; std::hash walks bytes).
inline std::uint64_t hash_bytes(std::string_view s) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xC2B2AE3D27D4EB4Full);
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t k;
        std::memcpy(&k, s.data() + i, 8);
        h = (h ^ (k * 0xFF51AFD7ED558CCDull)) * 0xC4CEB9FE1A85EC53ull;
        h ^= h >> 29;
    }
    // The last 0..7 bytes by hand: a memcpy of variable length is a call into libc, once per
    // word of every item.
    std::uint64_t tail = 0;
    for (std::size_t j = 0; i + j < s.size(); ++j)
        tail |= std::uint64_t{static_cast<unsigned char>(s[i + j])} << (8 * j);
    h = (h ^ (tail * 0xFF51AFD7ED558CCDull)) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 32;
    return h;
}

// Open-addressing map from strings to small values, keys packed in one arena: a lookup is one
// hash and usually one cache line, where std::unordered_map chases a node per key. It is on
// the per-token path of matching (term dictionary, stem and token caches).
template <class V>
class FlatStringMap {
public:
    const V* find(std::string_view key) const { return find(key, hash_bytes(key)); }
    const V* find(std::string_view key, std::uint64_t h) const {
        if (slots_.empty()) return nullptr;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const Slot& s = slots_[i];
            if (s.len == kEmpty) return nullptr;
            if (s.hash == h && s.len == key.size() &&
                std::memcmp(arena_.data() + s.off, key.data(), key.size()) == 0)
                return &s.value;
        }
    }
    // Starts loading the slot a key with this hash lands on: a batch of lookups then waits for
    // memory once instead of once per key.
    void prefetch(std::uint64_t h) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[h & (slots_.size() - 1)]);
    }
    // Inserts when absent; returns the stored value either way.
    V& insert(std::string_view key, const V& value) {
        const std::uint64_t h = hash_bytes(key);
        if ((size_ + 1) * 4 > slots_.size() * 3) grow();
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (s.len == kEmpty) {
                s.hash = h;
                s.off = static_cast<std::uint32_t>(arena_.size());
                s.len = static_cast<std::uint32_t>(key.size());
                s.value = value;
                arena_.append(key);
                ++size_;
                return s.value;
            }
            if (s.hash == h && s.len == key.size() &&
                std::memcmp(arena_.data() + s.off, key.data(), key.size()) == 0)
                return s.value;
        }
    }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    // Empties the map but keeps its table and arena: a cache that starts afresh at its bound
    // refills to the same size, and giving the table back only to grow it again moved resident
    // memory up and down by megabytes on every cycle.
    void clear() {
        std::fill(slots_.begin(), slots_.end(), Slot{});
        arena_.clear();
        size_ = 0;
    }

private:
    static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t off = 0;
        std::uint32_t len = kEmpty;
        V value{};
    };
    void grow() {
        HugeVector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
        const std::size_t mask = slots_.size() - 1;
        for (const Slot& s : old) {
            if (s.len == kEmpty) continue;
            std::size_t i = s.hash & mask;
            while (slots_[i].len != kEmpty) i = (i + 1) & mask;
            slots_[i] = s;
        }
    }
    HugeVector<Slot> slots_;  // the token cache outgrows L2: see huge_pages.h
    std::string arena_;
    std::size_t size_ = 0;
};

}  // namespace ww::match
