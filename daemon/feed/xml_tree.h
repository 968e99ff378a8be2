#pragma once

// Internal to the feed module: the read-only element tree the format readers walk. Two builders
// fill it: read_well_formed (one pass over a well-formed document, no DOM of pugixml's) and
// tree_of (a copy of pugixml's DOM, for every document the first one declines: lenient input,
// salvaged items). The readers therefore see the same tree whichever built it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pugi {
class xml_node;
}

namespace ww::feed {

// The node kinds that pugixml keeps with our flags (parse_cdata | parse_escapes): comments,
// processing instructions and declarations are not kept by either builder.
enum class NodeType : std::uint8_t { document, element, pcdata, cdata };

class XmlTree;

// An attribute of an element; false when absent (value() is then empty).
class XmlAttr {
public:
    XmlAttr() = default;
    XmlAttr(std::string_view name, std::string_view value) : name_(name), value_(value), present_(true) {}
    explicit operator bool() const { return present_; }
    std::string_view name() const { return name_; }
    std::string_view value() const { return value_; }

private:
    std::string_view name_, value_;
    bool present_ = false;
};

// A node of an XmlTree (a cheap handle); the null node and the document are false. Navigation
// from a null node gives null nodes, like pugixml's, so that readers need no checks in chains.
class XmlNode {
public:
    XmlNode() = default;
    XmlNode(const XmlTree* tree, std::uint32_t index) : tree_(tree), index_(index) {}

    explicit operator bool() const { return index_ != 0; }
    bool operator==(const XmlNode& o) const { return tree_ == o.tree_ && index_ == o.index_; }

    NodeType type() const;
    // An element's qualified name ("dc:creator"); empty for other nodes.
    std::string_view name() const;
    // The text of a pcdata or cdata node, references decoded; empty for elements.
    std::string_view value() const;
    XmlNode parent() const;
    XmlNode first_child() const;
    XmlNode next_sibling() const;
    // The first child (next sibling) element with this qualified name.
    XmlNode child(std::string_view name) const;
    XmlNode next_sibling(std::string_view name) const;
    // The first attribute with this name (a document may repeat one; the first counts).
    XmlAttr attribute(std::string_view name) const;
    std::uint32_t attribute_count() const;
    XmlAttr attribute_at(std::uint32_t i) const;

    // Every child node, for range-for.
    struct Range;
    Range children() const;

private:
    friend struct Range;
    const XmlTree* tree_ = nullptr;
    std::uint32_t index_ = 0;
};

struct XmlNode::Range {
    struct Iterator {
        XmlNode n;
        XmlNode operator*() const { return n; }
        Iterator& operator++() {
            n = n.next_sibling();
            return *this;
        }
        bool operator!=(const Iterator& o) const { return !(n == o.n); }
    };
    XmlNode first;
    Iterator begin() const { return {first}; }
    Iterator end() const { return {XmlNode(first.tree_, 0)}; }
};

inline XmlNode::Range XmlNode::children() const { return {first_child()}; }

// Nodes in document order in one vector, attributes in another; names and values are views into
// the document's bytes or into values_ (text whose references were decoded). Whatever a tree
// views must outlive it: the decoded document for read_well_formed, pugixml's document for
// tree_of.
class XmlTree {
public:
    struct Node {
        std::string_view text;  // element: qualified name; pcdata, cdata: value
        std::uint32_t parent = 0, first_child = 0, next_sibling = 0;
        std::uint32_t first_attr = 0, attr_count = 0;
        std::uint32_t last_child = 0;  // while building: where the next child is linked
        NodeType type = NodeType::document;
    };
    struct Attr {
        std::string_view name, value;
    };

    XmlTree() { clear(); }
    void clear();
    // The first element child of the document (the root), or null.
    XmlNode document_element() const;

    // Building, in document order: add() links the node as the last child of `parent`.
    std::uint32_t add(NodeType type, std::string_view text, std::uint32_t parent) {
        const auto i = static_cast<std::uint32_t>(nodes_.size());
        Node& p = nodes_[parent];
        if (p.last_child) nodes_[p.last_child].next_sibling = i;
        else p.first_child = i;
        p.last_child = i;
        nodes_.push_back({text, parent, 0, 0, static_cast<std::uint32_t>(attrs_.size()), 0, 0, type});
        return i;
    }
    void add_attribute(std::uint32_t element, std::string_view name, std::string_view value) {
        attrs_.push_back({name, value});
        ++nodes_[element].attr_count;
    }
    // Storage for decoded text, sized once per document (decoded text is never longer than its
    // source, so it never has to grow and views into it stay valid): the reader writes at
    // values_end() and then keeps what it wrote with commit_values().
    void reserve_values(std::size_t bytes);
    char* values_end() { return values_.get() + values_used_; }
    void commit_values(std::size_t bytes) { values_used_ += bytes; }
    std::size_t node_count() const { return nodes_.size(); }
    // Returns capacity to the allocator after an unusually large document.
    void shrink_if_larger_than(std::size_t bytes);

    const Node& node(std::uint32_t i) const { return nodes_[i]; }
    const Attr& attr(std::uint32_t i) const { return attrs_[i]; }

private:
    std::vector<Node> nodes_;
    std::vector<Attr> attrs_;
    std::unique_ptr<char[]> values_;
    std::size_t values_capacity_ = 0, values_used_ = 0;
};

inline NodeType XmlNode::type() const { return tree_ ? tree_->node(index_).type : NodeType::document; }

inline std::string_view XmlNode::name() const {
    if (!tree_) return {};
    const auto& n = tree_->node(index_);
    return n.type == NodeType::element ? n.text : std::string_view();
}

inline std::string_view XmlNode::value() const {
    if (!tree_) return {};
    const auto& n = tree_->node(index_);
    return n.type == NodeType::pcdata || n.type == NodeType::cdata ? n.text : std::string_view();
}

inline XmlNode XmlNode::parent() const { return index_ ? XmlNode(tree_, tree_->node(index_).parent) : XmlNode(); }

inline XmlNode XmlNode::first_child() const {
    return index_ ? XmlNode(tree_, tree_->node(index_).first_child) : XmlNode(tree_, 0);
}

inline XmlNode XmlNode::next_sibling() const {
    return index_ ? XmlNode(tree_, tree_->node(index_).next_sibling) : XmlNode(tree_, 0);
}

// Builds `tree` from a document that is well-formed and plain (the usual feed): returns false,
// with the tree in an unspecified state, as soon as anything needs pugixml's judgement (a
// reference XML does not define, a DOCTYPE with an internal subset, a syntax error, a
// truncation, more than a quarter of max_depth levels or of max_elements elements), so that
// the caller parses that document the lenient way instead. One pass over the bytes, which it
// never modifies: the same document can then be given to pugixml.
bool read_well_formed(std::string_view doc, std::size_t max_depth, std::size_t max_elements, XmlTree& tree);

// pugixml's DOM below `root` (a document or an element) copied into `tree`; views point into
// pugixml's document, which must outlive the tree.
void tree_of(const pugi::xml_node& root, XmlTree& tree);

// n's children serialised back to markup the way pugixml's raw printer writes them, appended.
void append_markup(XmlNode n, std::string& out);

}  // namespace ww::feed
