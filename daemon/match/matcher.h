#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.h"
#include "core/watchlist.h"

namespace ww::match {

// What the matcher may see of an item: a narrow view, not the model class.
struct ItemView {
    std::string_view title;
    std::string_view summary;
    std::string_view content;
    std::string_view link;
    std::string_view language;  // BCP 47 tag or ""; guessed from the script when empty
    std::span<const std::string> categories;
    std::span<const std::string> authors;
    std::string_view feed_name;  // for watchlists restricted with feeds = [...]
};

struct Hit {
    std::string watchlist;
    MatchExplanation explanation;
};

struct WatchlistError {
    std::string watchlist;
    std::string message;  // 'watchlist "x": column 17: expected ...'
};

// An immutable, thread-safe snapshot of all watchlists, built once and shared.
class Index {
public:
    virtual ~Index() = default;
    // Every enabled watchlist the item matches, in watchlist order.
    virtual std::vector<Hit> match(const ItemView& item) const = 0;
    virtual std::size_t size() const = 0;
};

struct BuildResult {
    std::shared_ptr<const Index> index;  // holds every watchlist that compiled
    std::vector<WatchlistError> errors;  // the ones that did not
};

BuildResult build_index(std::span<const Watchlist> watchlists);

// Checks one query without building an index.
std::vector<WatchlistError> check_query(const Watchlist& watchlist);

}  // namespace ww::match
