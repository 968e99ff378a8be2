#pragma once

#include <string>

#include "core/item.h"

namespace ww::feed {

// The `wirewatch parse --json` contract (issue 3): one JSON object with format, version, bozo,
// bozo_reason, encoding, title, link, description, language, updated (RFC 3339 UTC),
// ttl_seconds and items [{key, guid, title, link, published, updated, authors, categories,
// summary, content, enclosures [{url, type, length}], language}]. Empty item strings and
// lists are omitted; feed-level keys are always present.
std::string feed_to_json(const Feed& feed, int indent = -1);

}  // namespace ww::feed
