#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ww {

using SysSeconds = std::chrono::sys_seconds;

struct Enclosure {
    std::string url;
    std::string type;
    std::uint64_t length = 0;
};

// One entry of a feed. Text fields are plain UTF-8 text (HTML already reduced); block
// boundaries inside summary and content are kept as '\n' so that phrases never span them.
struct Item {
    std::string key;  // stable identity, see feed/identify.h
    std::string guid;
    std::string title;
    std::string link;
    // The publisher's own address of the article when the feed names one besides `link`
    // (feedburner:origLink, a rel="canonical" link): what stories compare links by.
    std::string origin_link;
    std::optional<SysSeconds> published;
    std::optional<SysSeconds> updated;
    std::vector<std::string> authors;
    std::vector<std::string> categories;
    std::string summary;
    std::string content;
    std::vector<Enclosure> enclosures;
    std::string language;
};

// Scheduling hints a feed may publish about itself.
struct FeedHints {
    std::int64_t ttl_seconds = 0;           // RSS ttl or sy:updatePeriod/Frequency, 0 = none
    std::vector<int> skip_hours;            // 0..23, UTC
    std::vector<std::string> skip_days;     // "Monday".."Sunday"
    std::vector<std::string> hubs;          // WebSub hubs
    std::string self_url;                   // rel="self"
};

struct Feed {
    std::string format;   // "rss", "atom", "rdf", "json"
    std::string version;  // "2.0", "1.0", ...
    bool bozo = false;    // parsed leniently
    std::string bozo_reason;
    std::string encoding;  // the charset the bytes were read as
    std::string title;
    std::string link;
    std::string description;
    std::string language;
    std::optional<SysSeconds> updated;
    FeedHints hints;
    std::vector<Item> items;
    std::size_t bad_dates = 0;  // dates present but unreadable (left absent on their items)
};

}  // namespace ww
