#include "feed/xml_tree.h"

#include <pugixml.hpp>

#include <array>
#include <cstring>
#include <tuple>

namespace ww::feed {

// ---- XmlTree ----

void XmlTree::clear() {
    nodes_.clear();
    attrs_.clear();
    values_used_ = 0;
    nodes_.push_back({});  // index 0: the document, which doubles as the null node
}

XmlNode XmlTree::document_element() const {
    for (auto i = nodes_[0].first_child; i != 0; i = nodes_[i].next_sibling)
        if (nodes_[i].type == NodeType::element) return {this, i};
    return {};
}

void XmlTree::reserve_values(std::size_t bytes) {
    values_used_ = 0;
    if (values_capacity_ < bytes) {
        // Uninitialised on purpose: only what the reader writes is ever read.
        values_.reset(new char[bytes]);
        values_capacity_ = bytes;
    }
}

void XmlTree::shrink_if_larger_than(std::size_t bytes) {
    if (values_capacity_ > bytes) {
        values_.reset();
        values_capacity_ = 0;
    }
    if (nodes_.capacity() * sizeof(Node) > bytes) {
        std::vector<Node>().swap(nodes_);
    }
    if (attrs_.capacity() * sizeof(Attr) > bytes) std::vector<Attr>().swap(attrs_);
    clear();
}

// ---- XmlNode ----

XmlNode XmlNode::child(std::string_view name) const {
    for (auto c = first_child(); c; c = c.next_sibling())
        if (c.type() == NodeType::element && c.name() == name) return c;
    return {tree_, 0};
}

XmlNode XmlNode::next_sibling(std::string_view name) const {
    for (auto c = next_sibling(); c; c = c.next_sibling())
        if (c.type() == NodeType::element && c.name() == name) return c;
    return {tree_, 0};
}

XmlAttr XmlNode::attribute(std::string_view name) const {
    if (!index_) return {};
    const auto& n = tree_->node(index_);
    for (std::uint32_t i = 0; i < n.attr_count; ++i) {
        const auto& a = tree_->attr(n.first_attr + i);
        // Sizes first: most attributes an element has are not the one asked for.
        if (a.name.size() == name.size() && std::memcmp(a.name.data(), name.data(), name.size()) == 0)
            return {a.name, a.value};
    }
    return {};
}

std::uint32_t XmlNode::attribute_count() const { return index_ ? tree_->node(index_).attr_count : 0; }

XmlAttr XmlNode::attribute_at(std::uint32_t i) const {
    const auto& a = tree_->attr(tree_->node(index_).first_attr + i);
    return {a.name, a.value};
}

// ---- from pugixml ----

void tree_of(const pugi::xml_node& root, XmlTree& tree) {
    tree.clear();
    auto copy = [&](pugi::xml_node n, std::uint32_t parent) -> std::uint32_t {
        switch (n.type()) {
            case pugi::node_element: {
                const auto i = tree.add(NodeType::element, n.name(), parent);
                for (auto a = n.first_attribute(); a; a = a.next_attribute())
                    tree.add_attribute(i, a.name(), a.value());
                return i;
            }
            case pugi::node_pcdata: return tree.add(NodeType::pcdata, n.value(), parent);
            case pugi::node_cdata: return tree.add(NodeType::cdata, n.value(), parent);
            default: return 0;
        }
    };
    // Depth-first in document order without recursion (pugixml's tree may be as deep as the
    // limits allow); the stack holds the elements being copied and their parents' indices.
    std::vector<std::pair<pugi::xml_node, std::uint32_t>> open;
    std::uint32_t parent = root.type() == pugi::node_document ? 0 : copy(root, 0);
    pugi::xml_node at = root.first_child();
    for (;;) {
        if (at) {
            const auto i = copy(at, parent);
            if (i && at.type() == pugi::node_element && at.first_child()) {
                open.emplace_back(at, parent);
                parent = i;
                at = at.first_child();
            } else {
                at = at.next_sibling();
            }
        } else {
            if (open.empty()) break;
            std::tie(at, parent) = open.back();
            open.pop_back();
            at = at.next_sibling();
        }
    }
}

// ---- serialising ----

namespace {

// pugixml's raw printer: '&', '<', '>' and control characters escaped in text; in attribute
// values '&', '<', '"' and every control character.
// The bytes the raw printer escapes: '&', '<' and control characters everywhere, '>' in text,
// '"' in attribute values, where tab, CR and LF are escaped as well.
constexpr std::array<bool, 256> escaped_table(bool attribute) {
    std::array<bool, 256> t{};
    for (int c = 0; c < 32; ++c) t[static_cast<std::size_t>(c)] = attribute || (c != '\t' && c != '\r' && c != '\n');
    t['&'] = t['<'] = true;
    t['>'] = !attribute;
    t['"'] = attribute;
    return t;
}
constexpr auto kEscapedInText = escaped_table(false);
constexpr auto kEscapedInAttribute = escaped_table(true);

void escape_into(std::string_view s, bool attribute, std::string& out) {
    const auto& escaped = attribute ? kEscapedInAttribute : kEscapedInText;
    std::size_t run = 0;  // start of the bytes copied as they are
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (!escaped[c]) continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: {
                const char ref[5] = {'&', '#', static_cast<char>('0' + c / 10), static_cast<char>('0' + c % 10), ';'};
                out.append(ref, 5);
            }
        }
    }
    out.append(s.data() + run, s.size() - run);
}

void append_cdata(std::string_view v, std::string& out) {
    // "]]>" cannot stand inside a CDATA section: it is split across two.
    out += "<![CDATA[";
    for (std::size_t pos = 0;;) {
        const auto end = v.find("]]>", pos);
        if (end == std::string_view::npos) {
            out += v.substr(pos);
            break;
        }
        out += v.substr(pos, end + 2 - pos);
        out += "]]><![CDATA[";
        pos = end + 2;
    }
    out += "]]>";
}

void append_start(XmlNode n, std::string& out) {
    out += '<';
    out += n.name();
    for (std::uint32_t i = 0, k = n.attribute_count(); i < k; ++i) {
        const auto a = n.attribute_at(i);
        out += ' ';
        out += a.name();
        out += "=\"";
        escape_into(a.value(), true, out);
        out += '"';
    }
}

void append_node(XmlNode top, std::string& out) {
    // Without recursion: markup inside a description may nest as deep as the limits allow.
    XmlNode n = top;
    for (;;) {
        if (n.type() == NodeType::element && n.first_child()) {
            append_start(n, out);
            out += '>';
            n = n.first_child();
            continue;
        }
        switch (n.type()) {
            case NodeType::pcdata: escape_into(n.value(), false, out); break;
            case NodeType::cdata: append_cdata(n.value(), out); break;
            case NodeType::element:
                append_start(n, out);
                out += "/>";
                break;
            case NodeType::document: break;
        }
        // On to the next node in document order, closing the elements left on the way up.
        for (;;) {
            if (n == top) return;
            if (const auto s = n.next_sibling()) {
                n = s;
                break;
            }
            n = n.parent();
            out += "</";
            out += n.name();
            out += '>';
        }
    }
}

}  // namespace

void append_markup(XmlNode n, std::string& out) {
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == NodeType::cdata) out += c.value();  // the raw text, not re-wrapped
        else append_node(c, out);
    }
}

}  // namespace ww::feed
