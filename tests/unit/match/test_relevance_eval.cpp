// The relevance evaluation set (issue 15): every labelled query/item pair of
// tests/fixtures/relevance/{eval,holdout}.tsv goes through the production engine as the daemon uses it
// (one index built from all the set's queries as watchlists, with the default options the
// daemon's default config ends up with, and match_ids, the daemon's hot path). Recall and
// precision are reported per rule and overall, as a markdown table for docs/query-language.md,
// with every wrong pair and its note; the test fails below the targets.
#include "match/matcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "feed/parse.h"

namespace ww::match {
namespace {

namespace fs = std::filesystem;

constexpr double kTarget = 0.95;     // issue 15: recall and precision overall
constexpr double kRuleFloor = 0.75;  // per rule: see RuleFloorsHold

const std::vector<std::string> kRules{"entity-name",   "entity-adjective", "abbreviation", "combining-form",
                                      "foreign-name",  "proper-common",    "acronym-word", "lemma",
                                      "spelling",      "exact",            "case",         "control"};

struct Case {
    std::string file;  // eval.tsv or holdout.tsv
    int line = 0;
    std::string rule, query, source, lang, title, summary, note;
    bool expect = false;
};

struct EvalSet {
    std::vector<Case> cases;
    std::map<std::string, std::string> aliases;  // corpus alias -> path under the corpus
    std::vector<std::string> errors;             // "eval.tsv:12: ..."
};

// eval.tsv is the set the engine was tuned on; holdout.tsv was written afterwards and kept
// apart, so that the report also says how the engine does on cases it has not seen.
const std::vector<std::string> kSetFiles{"eval.tsv", "holdout.tsv"};

std::string set_path(const std::string& file) { return std::string(WW_FIXTURES_DIR) + "/relevance/" + file; }

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, '\t')) out.push_back(field == "-" ? "" : field);
    return out;
}

std::optional<Case> case_of(const std::vector<std::string>& f, int line, std::string& error) {
    if (f.size() != 8) {
        error = "expected 8 tab-separated fields, found " + std::to_string(f.size());
        return std::nullopt;
    }
    if (std::ranges::find(kRules, f[0]) == kRules.end()) error = "unknown rule \"" + f[0] + "\"";
    else if (f[1] != "yes" && f[1] != "no") error = "expect must be yes or no, found \"" + f[1] + "\"";
    else if (f[2].empty()) error = "empty query";
    else if (f[3].empty() && f[5].empty() && f[6].empty()) error = "a written item needs a title or a summary";
    if (!error.empty()) return std::nullopt;
    return Case{{}, line, f[0], f[2], f[3], f[4], f[5], f[6], f[7], f[1] == "yes"};
}

void load_file(const std::string& file, EvalSet& set) {
    std::ifstream in(set_path(file));
    if (!in) set.errors.push_back(set_path(file) + ": cannot be read");
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.empty() || line.starts_with('#')) continue;
        const auto fields = split_tabs(line);
        const auto where = file + ":" + std::to_string(n) + ": ";
        std::string error;
        if (line.starts_with('@')) {
            if (fields.size() == 2) set.aliases[fields[0].substr(1)] = fields[1];
            else set.errors.push_back(where + "expected @ALIAS<TAB>PATH");
        } else if (auto c = case_of(fields, n, error)) {
            c->file = file;
            set.cases.push_back(std::move(*c));
        } else {
            set.errors.push_back(where + error);
        }
    }
}

EvalSet load_set() {
    EvalSet set;
    for (const auto& file : kSetFiles) load_file(file, set);
    return set;
}

std::optional<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The founding article as a feed item: its headline (the first line of six words or more; the
// lines before it are page chrome) is the title, every other line a paragraph of the content
// (tests/integration/test_relevance.py serves it the same way).
Item seed_item(const std::string& text) {
    Item item;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto words = std::ranges::count(line, ' ') + 1;
        if (item.title.empty() && words >= 6) item.title = line;
        else if (line != item.title) item.content += line + "\n";  // the page repeats its headline
    }
    return item;
}

// The items the cases refer to, resolved once: written ones from the set, the others read and
// parsed at test time. A source that is absent (no ../shared) leaves its cases skipped.
class Items {
public:
    explicit Items(const EvalSet& set) : set_(set) {}

    // Null when the case's source is absent; `why` then says what is missing.
    const Item* of(const Case& c, std::string& why) {
        if (c.source.empty()) return &written_.emplace_back(written(c));
        if (c.source == "seed") return seed(why);
        return corpus(c.source, why);
    }

private:
    static Item written(const Case& c) {
        Item item;
        item.title = c.title;
        item.summary = c.summary;
        item.language = c.lang;
        return item;
    }

    const Item* seed(std::string& why) {
        const fs::path path = fs::path(WW_SOURCE_DIR) / ".." / "shared" / "fixtures" / "seed-article.txt";
        if (!seed_) {
            const auto text = read_file(path);
            seed_ = text ? std::optional<Item>(seed_item(*text)) : Item{};
        }
        if (seed_->title.empty()) why = path.string() + " is absent: case skipped";
        return seed_->title.empty() ? nullptr : &*seed_;
    }

    const Item* corpus(const std::string& source, std::string& why);
    const Feed* feed_of(const std::string& alias, std::string& why);

    const EvalSet& set_;
    std::deque<Item> written_;
    std::optional<Item> seed_;
    std::map<std::string, std::pair<std::optional<Feed>, std::string>> feeds_;  // alias -> feed or why not
};

const Feed* Items::feed_of(const std::string& alias, std::string& why) {
    const auto a = set_.aliases.find(alias);
    if (a == set_.aliases.end()) {
        why = "unknown corpus alias \"" + alias + "\"";
        return nullptr;
    }
    auto [it, fresh] = feeds_.try_emplace(alias);
    auto& [feed, failure] = it->second;
    if (fresh) {
        const fs::path path = fs::path(WW_CORPUS_DIR) / a->second;
        const auto body = read_file(path);
        auto parsed = body ? feed::parse(*body, {}) : Result<Feed>(fail("io", "absent"));
        if (parsed) {
            // An item without a language has its feed's, as in the daemon's pipeline.
            for (auto& item : parsed->items)
                if (item.language.empty()) item.language = parsed->language;
            feed = std::move(*parsed);
        } else {
            failure = path.string() + (body ? ": " + parsed.error().message : " is absent: case skipped");
        }
    }
    why = failure;
    return feed ? &*feed : nullptr;
}

// "corpus:ALIAS#N": item N of the feed.
const Item* Items::corpus(const std::string& source, std::string& why) {
    const auto hash = source.find('#');
    if (!source.starts_with("corpus:") || hash == std::string::npos) {
        why = "source must be -, seed or corpus:ALIAS#N, found \"" + source + "\"";
        return nullptr;
    }
    const Feed* feed = feed_of(source.substr(7, hash - 7), why);
    if (!feed) return nullptr;
    std::size_t index = 0;
    const auto digits = std::string_view(source).substr(hash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (ec != std::errc() || end != digits.data() + digits.size() || index >= feed->items.size()) {
        why = source + ": no such item (the feed has " + std::to_string(feed->items.size()) + ")";
        return nullptr;
    }
    return &feed->items[index];
}

ItemView view_of(const Item& item) {
    return ItemView{.title = item.title,
                    .summary = item.summary,
                    .content = item.content,
                    .link = item.link,
                    .language = item.language,
                    .categories = item.categories,
                    .authors = item.authors,
                    .feed_name = {}};
}

struct Outcome {
    const Case* c = nullptr;
    const Item* item = nullptr;
    bool matched = false;
};

struct Tally {
    int cases = 0, tp = 0, fp = 0, fn = 0, tn = 0;
    void add(bool expect, bool got) {
        ++cases;
        (expect ? (got ? tp : fn) : (got ? fp : tn)) += 1;
    }
    // Undefined ratios (no positive case, nothing matched) are reported as absent, not as 1.
    std::optional<double> recall() const { return tp + fn ? std::optional(double(tp) / (tp + fn)) : std::nullopt; }
    std::optional<double> precision() const { return tp + fp ? std::optional(double(tp) / (tp + fp)) : std::nullopt; }
};

struct Evaluation {
    std::vector<Outcome> outcomes;
    std::vector<std::string> skipped;  // "eval.tsv:12: <why>"
    std::map<std::string, Tally> per_rule;
    std::map<std::string, Tally> per_file;
    Tally overall;
};

// One index for the whole set, as the daemon builds it: every distinct query is a watchlist,
// default options (the shipped stem overrides, found as the daemon's default config finds them).
std::shared_ptr<const Index> index_of(const std::vector<Case>& cases, std::map<std::string, std::uint32_t>& ids) {
    std::vector<Watchlist> lists;
    std::map<std::string, std::string> name_of;  // query -> watchlist name
    for (const auto& c : cases)
        if (name_of.try_emplace(c.query, "q" + std::to_string(lists.size())).second)
            lists.push_back({name_of.at(c.query), c.query, {}, true});
    auto built = build_index(lists, BuildOptions{});
    for (const auto& e : built.errors) ADD_FAILURE() << "query does not compile: " << e.message;
    std::map<std::string, std::uint32_t> number_of;
    for (std::uint32_t n = 0; n < built.index->size(); ++n) number_of[built.index->watchlist_name(n)] = n;
    for (const auto& [query, name] : name_of)
        if (const auto it = number_of.find(name); it != number_of.end()) ids[query] = it->second;
    return built.index;
}

Evaluation evaluate(const EvalSet& set, Items& items) {
    Evaluation ev;
    std::map<std::string, std::uint32_t> ids;
    const auto index = index_of(set.cases, ids);
    for (const auto& c : set.cases) {
        std::string why;
        const Item* item = items.of(c, why);
        if (!item) {
            ev.skipped.push_back(c.file + ":" + std::to_string(c.line) + ": " + why);
            continue;
        }
        MatchStats stats;
        const auto hits = index->match_ids(view_of(*item), stats);
        const auto id = ids.find(c.query);  // absent: the query failed to compile (reported)
        const bool got = id != ids.end() && std::ranges::binary_search(hits, id->second);
        ev.outcomes.push_back({&c, item, got});
        ev.per_rule[c.rule].add(c.expect, got);
        ev.per_file[c.file].add(c.expect, got);
        ev.overall.add(c.expect, got);
    }
    return ev;
}

bool absent(const std::string& not_run) { return not_run.find("is absent: case skipped") != std::string::npos; }

std::string ratio(std::optional<double> r) {
    if (!r) return "–";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.3f", *r);
    return buf;
}

std::string table_row(const std::string& name, const Tally& t) {
    return "| " + name + " | " + std::to_string(t.cases) + " | " + std::to_string(t.tp + t.fn) + " | " +
           std::to_string(t.fp + t.tn) + " | " + std::to_string(t.tp) + " | " + std::to_string(t.fp) + " | " +
           std::to_string(t.fn) + " | " + ratio(t.recall()) + " | " + ratio(t.precision()) + " |\n";
}

std::string markdown_table(const Evaluation& ev) {
    std::string out = "| rule | cases | yes | no | found | false alarms | missed | recall | precision |\n"
                      "|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& rule : kRules)
        if (const auto it = ev.per_rule.find(rule); it != ev.per_rule.end()) out += table_row(rule, it->second);
    out += table_row("**overall**", ev.overall);
    for (const auto& [file, t] : ev.per_file) out += table_row("of which `" + file + "`", t);
    return out;
}

std::string wrong_pairs(const Evaluation& ev) {
    std::string out;
    for (const auto& o : ev.outcomes) {
        if (o.matched == o.c->expect) continue;
        const auto& shown = o.item->title.empty() ? o.item->summary : o.item->title;
        out += o.c->file + ":" + std::to_string(o.c->line) + " [" + o.c->rule + "] " +
               (o.c->expect ? "MISSED " : "FALSE ALARM ") + "query=" + o.c->query + " item=\"" +
               shown.substr(0, 100) + "\"" + (o.item->language.empty() ? "" : " lang=" + o.item->language) +
               " note: " + o.c->note + "\n";
    }
    return out;
}

class RelevanceEval : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        set_ = new EvalSet(load_set());
        items_ = new Items(*set_);
        ev_ = new Evaluation(evaluate(*set_, *items_));
        std::printf("\n%s\n", wrong_pairs(*ev_).c_str());
        for (const auto& s : ev_->skipped)
            std::printf("%s %s\n", absent(s) ? "[ SKIPPED  ]" : "[ BAD CASE ]", s.c_str());
        std::printf("\n<!-- relevance evaluation: %zu cases run, %zu skipped -->\n%s\n", ev_->outcomes.size(),
                    ev_->skipped.size(), markdown_table(*ev_).c_str());
    }
    static void TearDownTestSuite() {
        delete ev_;
        delete items_;
        delete set_;
    }
    static EvalSet* set_;
    static Items* items_;
    static Evaluation* ev_;
};

EvalSet* RelevanceEval::set_ = nullptr;
Items* RelevanceEval::items_ = nullptr;
Evaluation* RelevanceEval::ev_ = nullptr;

// The set itself: readable, large enough, every rule with positives and traps, the issue's
// table complete, and every language of the foreign-name rule.
TEST_F(RelevanceEval, SetIsWellFormedAndCoversEveryRule) {
    for (const auto& e : set_->errors) ADD_FAILURE() << e;
    EXPECT_GE(set_->cases.size(), 300u);
    for (const auto& rule : kRules) {
        const auto yes = std::ranges::count_if(set_->cases, [&](const Case& c) { return c.rule == rule && c.expect; });
        const auto no = std::ranges::count_if(set_->cases, [&](const Case& c) { return c.rule == rule && !c.expect; });
        EXPECT_GE(yes, 2) << rule << ": too few positive cases";
        EXPECT_GE(no, 2) << rule << ": too few precision traps";
    }
    const auto table = std::ranges::count_if(set_->cases, [](const Case& c) { return c.note.starts_with("issue table:"); });
    EXPECT_EQ(table, 17) << "the 16 rows of issue 15's table (the CHINA row twice: CHINA and China)";
    for (const std::string lang : {"de", "fr", "es", "ru", "zh"})
        EXPECT_TRUE(std::ranges::any_of(set_->cases, [&](const Case& c) { return c.rule == "foreign-name" && c.lang == lang; }))
            << "no foreign-name case in " << lang;
}

// The written cases always run; corpus and founding-article cases only where ../shared exists.
TEST_F(RelevanceEval, WrittenCasesAlwaysRun) {
    const auto written = std::ranges::count_if(set_->cases, [](const Case& c) { return c.source.empty(); });
    const auto run = std::ranges::count_if(ev_->outcomes, [](const Outcome& o) { return o.c->source.empty(); });
    EXPECT_EQ(run, written);
    // Only an absent source skips; a bad reference (unknown alias, no such item, a file the
    // parser refuses) is an error of the set.
    for (const auto& s : ev_->skipped) EXPECT_TRUE(absent(s)) << s;
}

TEST_F(RelevanceEval, OverallRecallAndPrecisionMeetTheTargets) {
    ASSERT_GT(ev_->overall.cases, 0);
    // The table and every wrong pair are printed above, once.
    EXPECT_GE(ev_->overall.recall().value_or(0), kTarget) << "overall recall";
    EXPECT_GE(ev_->overall.precision().value_or(0), kTarget) << "overall precision";
}

// A per-rule floor: the overall figure can meet its target while a small rule is entirely
// broken (combining forms are 4% of the set). 0.75 rather than 0.95 leaves room for the
// judgement calls the notes mark "decided:": traps the rules alone cannot tell apart
// (a title-case "Turkey Recipes", "Chad Johnson"), a few per rule.
TEST_F(RelevanceEval, RuleFloorsHold) {
    for (const auto& [rule, t] : ev_->per_rule) {
        if (const auto r = t.recall()) {
            EXPECT_GE(*r, kRuleFloor) << rule << " recall";
        }
        if (const auto p = t.precision()) {
            EXPECT_GE(*p, kRuleFloor) << rule << " precision";
        }
        if (t.tp + t.fn > 0) {
            EXPECT_TRUE(t.precision().has_value()) << rule << ": nothing matched at all";
        }
    }
}

}  // namespace
}  // namespace ww::match
