#include "match/query.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <vector>

namespace ww::match {
namespace {

constexpr int kMaxDepth = 64;
constexpr int kMaxDistance = 1000;

struct Lexeme {
    enum class Kind : std::uint8_t { end, lparen, rparen, op_or, op_and, op_not, minus, near,
                                     field, word, phrase };
    Kind kind = Kind::end;
    std::string text;
    int column = 1;
    int distance = 4;
    bool ordered = false;
    bool prefix = false;
    bool tight = false;  // a field followed directly by its operand
};

struct FieldSpec {
    std::string_view name;
    std::uint8_t bits;
};
constexpr std::array<FieldSpec, 8> kFields{{{"title", kTitle}, {"summary", kSummary},
                                            {"content", kContent}, {"text", kTextFields},
                                            {"category", kCategory}, {"author", kAuthor},
                                            {"site", 0}, {"case", kDefaultFields}}};

const FieldSpec* find_field(std::string_view name) {
    std::string lower(name);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& f : kFields)
        if (f.name == lower) return &f;
    return nullptr;
}

// Edit distance with transpositions (titel -> title is one), for "did you mean".
std::size_t distance(std::string_view a, std::string_view b) {
    const auto at = [&](std::size_t i) { return static_cast<char>(std::tolower(static_cast<unsigned char>(a[i]))); };
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (at(i - 1) == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && at(i - 1) == b[j - 2] && at(i - 2) == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// Why `name:` directly followed by `next` is a field the language does not know, or "" when
// it is an ordinary word: a name close to a field's (titel:, Title:) or of lower-case letters
// only (headline:) followed by its operand. Not fields: 10:30 (digits), https://x (a slash
// after the colon), NYSE:IBM (capitals, far from any field), "Note: x" (a space after it).
std::string unknown_field(std::string_view name, char next) {
    if (next == '/' || next == ':' || name.size() < 2 || name.size() > 16) return {};
    if (!std::ranges::all_of(name, [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; })) return {};
    const FieldSpec* close = nullptr;
    // One slip in a short name, two in a longer one: NYSE is not "case".
    const std::size_t slips = name.size() <= 5 ? 1 : 2;
    for (const auto& f : kFields)
        if (distance(name, f.name) <= slips && (close == nullptr || distance(name, f.name) < distance(name, close->name)))
            close = &f;
    const bool lower = std::ranges::all_of(name, [](char c) { return std::islower(static_cast<unsigned char>(c)) != 0; });
    if (close == nullptr && !lower) return {};
    std::string m = "unknown field \"" + std::string(name) + ":\"";
    if (close != nullptr) return m + "; did you mean \"" + std::string(close->name) + ":\"?";
    return m + " (fields: title, summary, content, text, category, author, site, case); put the word in quotes to "
               "search for it as written";
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Opening and closing quotes: ASCII and the typographic ones people paste.
std::size_t quote_len(std::string_view s, std::size_t i) {
    if (s[i] == '"') return 1;
    if (s.substr(i, 3) == "\u201c" || s.substr(i, 3) == "\u201d" || s.substr(i, 3) == "\u201e") return 3;
    return 0;
}

class Lexer {
public:
    explicit Lexer(std::string_view s) : s_(s) {}

    std::expected<std::vector<Lexeme>, ParseError> run() {
        std::vector<Lexeme> out;
        while (true) {
            while (i_ < s_.size() && is_space(static_cast<unsigned char>(s_[i_]))) ++i_;
            if (i_ >= s_.size()) break;
            Lexeme l;
            l.column = column_of(i_);
            const char c = s_[i_];
            if (c == '(' || c == ')') {
                l.kind = c == '(' ? Lexeme::Kind::lparen : Lexeme::Kind::rparen;
                ++i_;
            } else if (const auto q = quote_len(s_, i_); q > 0) {
                auto r = phrase(l, q);
                if (!r) return std::unexpected(r.error());
            } else if (c == '-' && i_ + 1 < s_.size() && !is_space(static_cast<unsigned char>(s_[i_ + 1])) &&
                       s_[i_ + 1] != ')' && (out.empty() || !out.back().tight)) {
                l.kind = Lexeme::Kind::minus;
                ++i_;
            } else {
                auto r = word(l);
                if (!r) return std::unexpected(r.error());
            }
            out.push_back(std::move(l));
        }
        Lexeme end;
        end.column = column_of(s_.size());
        out.push_back(end);
        return out;
    }

private:
    int column_of(std::size_t byte) const {
        int col = 1;
        for (std::size_t k = 0; k < byte && k < s_.size(); ++k)
            if ((static_cast<unsigned char>(s_[k]) & 0xC0) != 0x80) ++col;
        return col;
    }

    std::expected<void, ParseError> phrase(Lexeme& l, std::size_t open_len) {
        const std::size_t start = i_ + open_len;
        std::size_t k = start;
        std::size_t close_len = 0;
        for (; k < s_.size(); ++k)
            if ((close_len = quote_len(s_, k)) > 0) break;
        if (k >= s_.size())
            return std::unexpected(ParseError{l.column, "unterminated phrase: expected a closing \""});
        l.kind = Lexeme::Kind::phrase;
        l.text = std::string(s_.substr(start, k - start));
        l.distance = 0;
        i_ = k + close_len;
        if (i_ < s_.size() && s_[i_] == '~') {
            const int col = column_of(i_);
            ++i_;
            auto n = number();
            if (!n) return std::unexpected(ParseError{col, "expected a number after \"~\""});
            l.distance = *n;
        }
        return {};
    }

    std::optional<int> number() {
        const std::size_t b = i_;
        long v = 0;
        while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
            v = v * 10 + (s_[i_] - '0');
            if (v > kMaxDistance) v = kMaxDistance;
            ++i_;
        }
        if (i_ == b) return std::nullopt;
        return static_cast<int>(v);
    }

    std::expected<void, ParseError> word(Lexeme& l) {
        const std::size_t b = i_;
        while (i_ < s_.size() && !is_space(static_cast<unsigned char>(s_[i_])) && s_[i_] != '(' &&
               s_[i_] != ')' && quote_len(s_, i_) == 0) {
            if (s_[i_] == ':' && i_ > b) {
                if (const auto* f = find_field(s_.substr(b, i_ - b))) {
                    l.kind = Lexeme::Kind::field;
                    l.text = std::string(f->name);
                    ++i_;
                    l.tight = i_ < s_.size() && !is_space(static_cast<unsigned char>(s_[i_]));
                    return {};
                }
                const bool operand = i_ + 1 < s_.size() && !is_space(static_cast<unsigned char>(s_[i_ + 1]));
                if (const auto why = operand ? unknown_field(s_.substr(b, i_ - b), s_[i_ + 1]) : std::string{};
                    !why.empty())
                    return std::unexpected(ParseError{column_of(b), why});
            }
            if (s_[i_] == '/' && (s_.substr(b, i_ - b) == "NEAR" || s_.substr(b, i_ - b) == "ONEAR")) {
                l.kind = Lexeme::Kind::near;
                l.ordered = s_[b] == 'O';
                const int col = column_of(i_);
                ++i_;
                auto n = number();
                if (!n) return std::unexpected(ParseError{col, "expected a number after \"" +
                                                                    std::string(s_.substr(b, i_ - b)) + "\""});
                l.distance = *n;
                if (i_ < s_.size() && !is_space(static_cast<unsigned char>(s_[i_])) && s_[i_] != '(' &&
                    quote_len(s_, i_) == 0)
                    return std::unexpected(ParseError{column_of(i_), "expected a space after the NEAR distance"});
                return {};
            }
            ++i_;
        }
        const auto w = s_.substr(b, i_ - b);
        if (w == "OR") l.kind = Lexeme::Kind::op_or;
        else if (w == "AND") l.kind = Lexeme::Kind::op_and;
        else if (w == "NOT") l.kind = Lexeme::Kind::op_not;
        else if (w == "NEAR" || w == "ONEAR") {
            l.kind = Lexeme::Kind::near;
            l.ordered = w == "ONEAR";
            l.distance = 4;
        } else {
            l.kind = Lexeme::Kind::word;
            l.text = std::string(w);
            if (l.text.size() > 1 && l.text.back() == '*') {
                l.prefix = true;
                l.text.pop_back();
            }
        }
        return {};
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

std::string describe(const Lexeme& l) {
    switch (l.kind) {
        case Lexeme::Kind::end: return "the end of the query";
        case Lexeme::Kind::rparen: return "\")\"";
        case Lexeme::Kind::op_or: return "OR";
        case Lexeme::Kind::op_and: return "AND";
        case Lexeme::Kind::near: return l.ordered ? "ONEAR" : "NEAR";
        default: return "\"" + l.text + "\"";
    }
}

class Parser {
public:
    explicit Parser(std::vector<Lexeme> lx) : lx_(std::move(lx)) {}

    std::expected<QueryNode, ParseError> run() {
        if (peek().kind == Lexeme::Kind::end) return fail(peek(), "empty query: expected a word, a phrase or \"(\"");
        auto q = conj(0);
        if (!q) return q;
        if (peek().kind == Lexeme::Kind::rparen) return fail(peek(), "unexpected \")\" without a matching \"(\"");
        if (peek().kind != Lexeme::Kind::end) return fail(peek(), "unexpected " + describe(peek()));
        return q;
    }

private:
    using R = std::expected<QueryNode, ParseError>;
    const Lexeme& peek() const { return lx_[pos_]; }
    const Lexeme& take() { return lx_[pos_++]; }
    static R fail(const Lexeme& at, std::string msg) { return std::unexpected(ParseError{at.column, std::move(msg)}); }

    static bool starts_operand(const Lexeme& l) {
        using K = Lexeme::Kind;
        return l.kind == K::lparen || l.kind == K::word || l.kind == K::phrase || l.kind == K::field ||
               l.kind == K::op_not || l.kind == K::minus;
    }
    R expect_operand(const std::string& after, int depth) {
        if (!starts_operand(peek()))
            return fail(peek(), "expected a word, a phrase or \"(\" after " + after + ", found " + describe(peek()));
        return unary(depth);
    }

    R conj(int depth) {
        if (depth > kMaxDepth) return fail(peek(), "the query is nested too deeply");
        if (!starts_operand(peek())) {
            if (peek().kind == Lexeme::Kind::op_or || peek().kind == Lexeme::Kind::op_and ||
                peek().kind == Lexeme::Kind::near)
                return fail(peek(), describe(peek()) + " needs a word, a phrase or \"(\" on its left");
            return fail(peek(), "expected a word, a phrase or \"(\", found " + describe(peek()));
        }
        QueryNode node;
        node.kind = QueryNode::Kind::conj;
        node.column = peek().column;
        while (true) {
            auto g = group(depth);
            if (!g) return g;
            node.children.push_back(std::move(*g));
            if (peek().kind == Lexeme::Kind::op_and) {
                const auto op = take();
                if (!starts_operand(peek()))
                    return fail(peek(), "expected a word, a phrase or \"(\" after AND, found " + describe(peek()));
                (void)op;
                continue;
            }
            if (!starts_operand(peek())) break;
        }
        if (node.children.size() == 1) return std::move(node.children.front());
        return node;
    }

    R group(int depth) {
        auto first = unary(depth);
        if (!first) return first;
        if (peek().kind != Lexeme::Kind::op_or) return first;
        QueryNode node;
        node.kind = QueryNode::Kind::disj;
        node.column = first->column;
        node.children.push_back(std::move(*first));
        while (peek().kind == Lexeme::Kind::op_or) {
            take();
            auto next = expect_operand("OR", depth);
            if (!next) return next;
            node.children.push_back(std::move(*next));
        }
        return node;
    }

    R unary(int depth) {
        if (depth > kMaxDepth) return fail(peek(), "the query is nested too deeply");
        if (peek().kind == Lexeme::Kind::op_not || peek().kind == Lexeme::Kind::minus) {
            const auto op = take();
            auto inner = expect_operand(op.kind == Lexeme::Kind::minus ? "\"-\"" : "NOT", depth + 1);
            if (!inner) return inner;
            QueryNode node;
            node.kind = QueryNode::Kind::negation;
            node.column = op.column;
            node.children.push_back(std::move(*inner));
            return node;
        }
        return near(depth);
    }

    R near(int depth) {
        auto left = primary(depth);
        if (!left) return left;
        while (peek().kind == Lexeme::Kind::near) {
            const auto op = take();
            const std::string name = std::string(op.ordered ? "ONEAR" : "NEAR") + "/" + std::to_string(op.distance);
            if (peek().kind != Lexeme::Kind::lparen && peek().kind != Lexeme::Kind::word &&
                peek().kind != Lexeme::Kind::phrase && peek().kind != Lexeme::Kind::field)
                return fail(peek(), "expected a word, a phrase or \"(\" after " + name + ", found " + describe(peek()));
            auto right = primary(depth);
            if (!right) return right;
            QueryNode node;
            node.kind = QueryNode::Kind::near;
            node.column = op.column;
            node.ordered = op.ordered;
            node.distance = op.distance;
            node.children.push_back(std::move(*left));
            node.children.push_back(std::move(*right));
            left = std::move(node);
        }
        return left;
    }

    R primary(int depth) {
        const Lexeme& l = peek();
        switch (l.kind) {
            case Lexeme::Kind::lparen: {
                const auto open = take();
                if (peek().kind == Lexeme::Kind::rparen)
                    return fail(peek(), "expected a word, a phrase or \"(\" after \"(\", found \")\"");
                auto inner = conj(depth + 1);
                if (!inner) return inner;
                if (peek().kind != Lexeme::Kind::rparen)
                    return fail(peek(), "expected \")\" to close the \"(\" at column " + std::to_string(open.column) +
                                            ", found " + describe(peek()));
                take();
                inner->grouped = true;
                return inner;
            }
            case Lexeme::Kind::field: return field(depth);
            case Lexeme::Kind::word:
            case Lexeme::Kind::phrase: {
                const auto a = take();
                QueryNode node;
                node.kind = a.kind == Lexeme::Kind::word ? QueryNode::Kind::word : QueryNode::Kind::phrase;
                node.text = a.text;
                node.prefix = a.prefix;
                node.distance = a.kind == Lexeme::Kind::phrase ? a.distance : 0;
                node.column = a.column;
                return node;
            }
            default:
                return fail(l, "expected a word, a phrase or \"(\", found " + describe(l));
        }
    }

    R field(int depth) {
        const auto f = take();
        const auto* spec = find_field(f.text);
        const std::string after = f.text + ":";
        if (!f.tight)
            return fail(peek(), "expected a word, a phrase or \"(\" right after " + after + " (no space)");
        if (f.text == "site") {
            if (peek().kind != Lexeme::Kind::word)
                return fail(peek(), "expected a host name after site:, found " + describe(peek()));
            const auto host = take();
            QueryNode node;
            node.kind = QueryNode::Kind::site;
            node.text = host.text + (host.prefix ? "*" : "");
            node.column = f.column;
            node.field_prefix = "site";
            return node;
        }
        if (peek().kind != Lexeme::Kind::lparen && peek().kind != Lexeme::Kind::word &&
            peek().kind != Lexeme::Kind::phrase && peek().kind != Lexeme::Kind::field)
            return fail(peek(), "expected a word, a phrase or \"(\" after " + after + ", found " + describe(peek()));
        auto inner = primary(depth + 1);
        if (!inner) return inner;
        apply_field(*inner, *spec, f.text == "case");
        inner->field_prefix = f.text;
        return inner;
    }

    // An outer field applies where no inner field was written.
    static void apply_field(QueryNode& n, const FieldSpec& spec, bool case_field) {
        if (!n.field_prefix.empty() && n.field_prefix != "case" && !case_field) return;
        if (case_field) {
            n.case_sensitive = true;
        } else {
            n.fields = spec.bits;
        }
        for (auto& c : n.children) apply_field(c, spec, case_field);
    }

    std::vector<Lexeme> lx_;
    std::size_t pos_ = 0;
};

void canonical_into(const QueryNode& n, std::string& out, bool top) {
    const auto prefix = [&] {
        if (!n.field_prefix.empty()) out += n.field_prefix + ":";
    };
    switch (n.kind) {
        case QueryNode::Kind::word:
            prefix();
            out += n.text;
            if (n.prefix) out += '*';
            return;
        case QueryNode::Kind::phrase:
            prefix();
            out += '"' + n.text + '"';
            if (n.distance > 0) out += "~" + std::to_string(n.distance);
            return;
        case QueryNode::Kind::site:
            out += "site:" + n.text;
            return;
        case QueryNode::Kind::negation:
            out += "NOT ";
            canonical_into(n.children[0], out, false);
            return;
        default: break;
    }
    prefix();
    const bool paren = !top || !n.field_prefix.empty();
    if (paren) out += '(';
    for (std::size_t i = 0; i < n.children.size(); ++i) {
        if (i > 0) {
            if (n.kind == QueryNode::Kind::conj) out += " AND ";
            else if (n.kind == QueryNode::Kind::disj) out += " OR ";
            else out += std::string(n.ordered ? " ONEAR/" : " NEAR/") + std::to_string(n.distance) + " ";
        }
        canonical_into(n.children[i], out, false);
    }
    if (paren) out += ')';
}

}  // namespace

std::expected<QueryNode, ParseError> parse_query(std::string_view query) {
    auto lexemes = Lexer(query).run();
    if (!lexemes) return std::unexpected(lexemes.error());
    return Parser(std::move(*lexemes)).run();
}

std::string canonical(const QueryNode& node) {
    std::string out;
    canonical_into(node, out, true);
    return out;
}

bool mixes_and_or(const QueryNode& node) {
    if (node.kind == QueryNode::Kind::conj)
        for (const auto& c : node.children)
            if (c.kind == QueryNode::Kind::disj && !c.grouped) return true;
    for (const auto& c : node.children)
        if (mixes_and_or(c)) return true;
    return false;
}

}  // namespace ww::match
