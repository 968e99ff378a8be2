#include "feed/dtd.h"

#include <optional>
#include <utility>
#include <vector>

namespace ww::feed {
namespace {

constexpr int kMaxNesting = 8;  // entity inside entity: real feeds use one level

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

struct Entity {
    std::string_view name;
    std::string_view literal;  // as declared, between its quotes
    bool external = false;
    std::optional<std::string> expanded;  // filled on first use
    bool expanding = false;               // on the current chain: a second visit is a cycle
};

// The internal subset: between the '[' after <!DOCTYPE and the "]" that closes it.
std::string_view internal_subset(std::string_view prolog) {
    const auto doctype = prolog.find("<!DOCTYPE");
    if (doctype == std::string_view::npos) return {};
    const auto open = prolog.find_first_of("[>", doctype);
    if (open == std::string_view::npos || prolog[open] != '[') return {};
    const auto close = prolog.rfind(']');
    if (close == std::string_view::npos || close < open) return {};
    return prolog.substr(open + 1, close - open - 1);
}

// The <!ENTITY name "value"> declarations of `subset`; the first declaration of a name wins,
// as XML requires. Parameter entities (<!ENTITY % ...>) are skipped.
std::vector<Entity> declarations(std::string_view subset) {
    std::vector<Entity> out;
    for (std::size_t pos = 0; (pos = subset.find("<!", pos)) != std::string_view::npos;) {
        if (subset.compare(pos, 4, "<!--") == 0) {
            const auto end = subset.find("-->", pos + 4);
            if (end == std::string_view::npos) break;
            pos = end + 3;
            continue;
        }
        pos += 2;
        if (subset.compare(pos, 6, "ENTITY") != 0) continue;
        std::size_t i = pos + 6;
        while (i < subset.size() && is_space(subset[i])) ++i;
        if (i >= subset.size() || subset[i] == '%') continue;
        const std::size_t name_at = i;
        while (i < subset.size() && is_name_char(subset[i])) ++i;
        Entity e{subset.substr(name_at, i - name_at), {}, false, std::nullopt, false};
        while (i < subset.size() && is_space(subset[i])) ++i;
        if (e.name.empty() || i >= subset.size()) continue;
        if (subset[i] == '"' || subset[i] == '\'') {
            const auto end = subset.find(subset[i], i + 1);
            if (end == std::string_view::npos) break;
            e.literal = subset.substr(i + 1, end - i - 1);
        } else {
            e.external = true;  // SYSTEM or PUBLIC: never fetched, never read
        }
        bool seen = false;
        for (const auto& d : out) seen = seen || d.name == e.name;
        if (!seen) out.push_back(e);
    }
    return out;
}

class Expander {
public:
    Expander(std::vector<Entity> entities, std::size_t max_bytes)
        : entities_(std::move(entities)), max_bytes_(max_bytes) {}

    // Appends `text` to `out` with references to internal entities replaced. False (and
    // `reason` set) past the limits.
    bool expand(std::string_view text, std::string& out, int depth) {
        for (std::size_t i = 0; i < text.size();) {
            const auto amp = text.find('&', i);
            if (amp == std::string_view::npos) {
                out.append(text.substr(i));
                break;
            }
            out.append(text.substr(i, amp - i));
            i = amp + 1;
            if (!reference(text, i, out, depth)) return false;
            if (out.size() > limit_) return fail("the expanded text would pass " + std::to_string(max_bytes_) + " bytes");
        }
        return true;
    }

    void set_limit(std::size_t limit) { limit_ = limit; }
    const std::string& reason() const { return reason_; }

private:
    // At text[i], after an '&': a declared internal entity's expansion, or the '&' as written.
    bool reference(std::string_view text, std::size_t& i, std::string& out, int depth) {
        std::size_t end = i;
        while (end < text.size() && is_name_char(text[end])) ++end;
        Entity* e = end > i && end < text.size() && text[end] == ';' ? find(text.substr(i, end - i)) : nullptr;
        if (!e || e->external) {
            out.push_back('&');
            return true;
        }
        if (!e->expanded) {
            if (e->expanding) return fail("entity &" + std::string(e->name) + "; refers to itself");
            if (depth >= kMaxNesting) return fail("entities nested deeper than " + std::to_string(kMaxNesting));
            e->expanding = true;
            std::string value;
            const auto saved = limit_;
            limit_ = max_bytes_;
            const bool ok = expand(e->literal, value, depth + 1);
            limit_ = saved;
            e->expanding = false;
            if (!ok) return false;
            e->expanded = std::move(value);
        }
        out.append(*e->expanded);
        i = end + 1;
        return true;
    }

    Entity* find(std::string_view name) {
        for (auto& e : entities_)
            if (e.name == name) return &e;
        return nullptr;
    }

    bool fail(std::string why) {
        reason_ = std::move(why);
        return false;
    }

    std::vector<Entity> entities_;
    std::size_t max_bytes_;
    std::size_t limit_ = 0;
    std::string reason_;
};

// Copies `body` into `out` with the references in text and attribute values expanded;
// comments, CDATA sections and processing instructions are copied as they are.
bool expand_body(std::string_view body, Expander& x, std::string& out) {
    for (std::size_t i = 0; i < body.size();) {
        const auto lt = body.find('<', i);
        const auto stop = lt == std::string_view::npos ? body.size() : lt;
        if (!x.expand(body.substr(i, stop - i), out, 0)) return false;
        if (stop == body.size()) break;
        const auto rest = body.substr(stop);
        const char* close = rest.starts_with("<![CDATA[") ? "]]>" : rest.starts_with("<!--") ? "-->"
                            : rest.starts_with("<?")      ? "?>" : nullptr;
        if (!close) {
            out.push_back('<');
            i = stop + 1;
            continue;
        }
        const auto end = body.find(close, stop + 2);
        const auto next = end == std::string_view::npos ? body.size() : end + std::string_view(close).size();
        out.append(body.substr(stop, next - stop));
        i = next;
    }
    return true;
}

}  // namespace

ExpansionResult expand_internal_entities(std::string_view prolog, std::string_view body,
                                         std::size_t max_bytes, std::string& out) {
    auto entities = declarations(internal_subset(prolog));
    bool internal = false;
    for (const auto& e : entities) internal = internal || !e.external;
    if (!internal) return {};
    Expander x(std::move(entities), max_bytes);
    x.set_limit(body.size() + max_bytes);
    out.clear();
    out.reserve(body.size());
    if (!expand_body(body, x, out)) {
        out.clear();
        return {EntityExpansion::refused, "dtd: entities not expanded: " + x.reason()};
    }
    return {EntityExpansion::expanded, {}};
}

}  // namespace ww::feed
