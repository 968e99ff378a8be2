// read_well_formed (the one-pass reader) against pugixml's DOM as copied by tree_of: for what the
// reader accepts, the trees must be the same node for node; what needs pugixml's judgement it
// must decline; and whole parses through either path must give the same output.
#include <pugixml.hpp>

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <string>

#include "feed/json_out.h"
#include "feed/parse.h"
#include "feed/xml_tree.h"

namespace ww::feed {
namespace {

void dump(XmlNode n, std::string& out) {
    switch (n.type()) {
        case NodeType::pcdata: out += "T[" + std::string(n.value()) + "]"; return;
        case NodeType::cdata: out += "C[" + std::string(n.value()) + "]"; return;
        case NodeType::document: out += "?"; return;
        case NodeType::element: break;
    }
    out += "<" + std::string(n.name());
    for (std::uint32_t i = 0; i < n.attribute_count(); ++i) {
        const auto a = n.attribute_at(i);
        out += " " + std::string(a.name()) + "=[" + std::string(a.value()) + "]";
    }
    out += ">";
    for (auto c : n.children()) dump(c, out);
    out += "</>";
}

std::string dump(const XmlTree& t) {
    std::string out;
    dump(t.document_element(), out);
    return out;
}

// What the lenient path makes of the same bytes.
std::string pugixml_dump(std::string_view doc) {
    pugi::xml_document d;
    const auto r = d.load_buffer(doc.data(), doc.size(), pugi::parse_cdata | pugi::parse_escapes, pugi::encoding_utf8);
    EXPECT_TRUE(r) << r.description() << " in " << doc;
    XmlTree t;
    tree_of(d, t);
    return dump(t);
}

TEST(XmlReader, ReadsWhatPugixmlReads) {
    const char* cases[] = {
        "<rss/>",
        "<?xml version='1.0' encoding='utf-8'?>\n<!-- generator -->\n<!DOCTYPE rss>\n"
        "<rss version=\"2.0\"><channel/></rss>\n<!-- end -->\n",
        "<a>  <b> x </b>\n\t<c/>   </a>",
        "<a>one<!-- c -->two<!-- d -->  </a>",
        "<a><![CDATA[<p>html &amp; raw</p>]]><![CDATA[]]>tail</a>",
        "<a>&lt;p&gt;Tom &amp; Jerry&quot;&apos;</a>",
        "<a>&#65;&#x42;&#x10FFFF;&#233;&#x20AC; &#10;</a>",
        "<a x='1' y = \"two\" z='&lt;&amp;&#x41;' w='it\"s'  v=\"\"/>",
        "<a x='1' x='2'/>",
        "<dc:creator xmlns:dc='http://purl.org/dc/elements/1.1/'>J\xc3\xa9r\xc3\xb4me</dc:creator>",
        "<a>]]> and > are text</a>",
        "<a>\r\n line\r\n</a>",
        "<a b='\t\n'>x</a >",
        "<_x.y-z:w/>",
        "<?xml-stylesheet href='s.xsl' type='text/xsl'?><a/><?after it?>",
    };
    for (const char* c : cases) {
        XmlTree t;
        ASSERT_TRUE(read_well_formed(c, 256, 1000, t)) << c;
        EXPECT_EQ(dump(t), pugixml_dump(c)) << c;
    }
}

TEST(XmlReader, DeclinesWhatNeedsPugixmlsJudgement) {
    const char* cases[] = {
        "",
        "text only",
        "<a>&nbsp;</a>",                        // undefined entity: bozo
        "<a>Tom & Jerry</a>",                   // bare '&'
        "<a>&amp</a>",
        "<a>&#X41;</a>",                        // pugixml leaves it as text
        "<a>&#;</a>",
        "<a>&#0;</a>",
        "<a>&#xD800;</a>",
        "<a>&#x110000;</a>",
        "<a x='&foo;'/>",
        "<a><b></a>",                           // mismatched
        "<a><b>text",                           // truncated
        "<a>text</a",
        "<a x=1/>",                             // unquoted attribute
        "<a x='1'y='2'/>",
        "<a x='<'/>",
        "<a><?pi data?></a>",
        "<? x?><a/>",                           // a processing instruction without a target
        "<a/><? x?>",
        "<a/><?x!y?>",
        "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
        "<a/><b/>",                             // a second root
        "<a/>trailing text",
        "<a><!-- unterminated </a>",
        "<a><![CDATA[unterminated</a>",
        "<1a/>",
    };
    for (const char* c : cases) {
        XmlTree t;
        EXPECT_FALSE(read_well_formed(c, 256, 1000, t)) << c;
    }
    // pugixml takes a NUL for the end of its buffer, wherever it stands.
    for (const std::string_view c : {std::string_view("<a>nul\0byte</a>", 15),
                                     std::string_view("<a><![CDATA[x\0y]]></a>", 22),
                                     std::string_view("<a><!-- \0 --></a>", 17),
                                     std::string_view("<a x='\0'/>", 10),
                                     std::string_view("<!DOCTYPE a\0><a/>", 17)}) {
        XmlTree t;
        EXPECT_FALSE(read_well_formed(c, 256, 1000, t)) << c.size();
    }
}

TEST(XmlReader, LeavesDeepOrLargeDocumentsToTheLimitsOfTheLenientPath) {
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "<a>";
    for (int i = 0; i < 100; ++i) deep += "</a>";
    XmlTree t;
    EXPECT_TRUE(read_well_formed(deep, 1000, 1000, t));
    EXPECT_FALSE(read_well_formed(deep, 256, 1000, t));  // a quarter of max_depth
    std::string wide = "<a>";
    for (int i = 0; i < 300; ++i) wide += "<b/>";
    wide += "</a>";
    EXPECT_TRUE(read_well_formed(wide, 256, 2000, t));
    EXPECT_FALSE(read_well_formed(wide, 256, 1000, t));  // a quarter of max_elements
}

TEST(XmlReader, MarkupIsWrittenBackAsPugixmlWritesIt) {
    const std::string doc =
        "<d><p class='x&amp;y' q='a\"b'>Tom &amp; <b>Jerry</b> &lt;3 &#1;<br/><![CDATA[a]]>b]]></p>x</d>";
    XmlTree t;
    ASSERT_TRUE(read_well_formed(doc, 256, 1000, t));
    std::string ours;
    append_markup(t.document_element(), ours);
    pugi::xml_document d;
    ASSERT_TRUE(d.load_buffer(doc.data(), doc.size(), pugi::parse_cdata | pugi::parse_escapes));
    struct Writer : pugi::xml_writer {
        std::string s;
        void write(const void* data, std::size_t size) override { s.append(static_cast<const char*>(data), size); }
    } w;
    for (auto c : d.document_element().children()) c.print(w, "", pugi::format_raw, pugi::encoding_utf8);
    EXPECT_EQ(ours, w.s);
}

// Whole parses, one-pass reader against the lenient path, over every feed fixture and, where it
// is present, every file of ../shared/corpus: the output must be the same byte for byte. The
// reader must also take most of them (else the comparison proves nothing and the speed is lost).
TEST(XmlReader, BothPathsGiveTheSameFeeds) {
    namespace fs = std::filesystem;
    std::vector<fs::path> roots = {fs::path(WW_FIXTURES_DIR) / "feed"};
    if (fs::exists(WW_CORPUS_DIR)) roots.emplace_back(WW_CORPUS_DIR);
    else std::printf("[ SKIPPED  ] %s absent: fixtures only\n", WW_CORPUS_DIR);
    int compared = 0, fast = 0;
    for (const auto& root : roots) {
        for (const auto& e : fs::recursive_directory_iterator(root)) {
            if (!e.is_regular_file() || e.file_size() > (32u << 20)) continue;
            std::ifstream in(e.path(), std::ios::binary);
            const std::string bytes{std::istreambuf_iterator<char>(in), {}};
            ParseOptions fast_opts, dom_opts;
            dom_opts.fast_xml = false;
            const auto a = parse(bytes, fast_opts);
            const auto b = parse(bytes, dom_opts);
            ASSERT_EQ(a.has_value(), b.has_value()) << e.path();
            if (!a) {
                EXPECT_EQ(a.error().message, b.error().message) << e.path();
                continue;
            }
            ++compared;
            EXPECT_EQ(feed_to_json(*a), feed_to_json(*b)) << e.path();
            if (bytes.find('<') != std::string::npos) {
                XmlTree t;
                const auto start = bytes.find('<');
                if (read_well_formed(std::string_view(bytes).substr(start), 256, 2'000'000, t)) ++fast;
            }
        }
    }
    std::printf("compared %d feeds; the one-pass reader took %d of them as they are\n", compared, fast);
    EXPECT_GE(compared, 8);
    // Real feeds are mostly well-formed: the comparison above must have gone through the reader
    // for most of the corpus, and for each of the well-formed fixtures.
    if (roots.size() > 1) {
        EXPECT_GE(fast, compared / 2);
    }
    for (const char* name : {"rss2_world.xml", "atom_world.xml", "rdf_world.xml"}) {
        std::ifstream in(fs::path(WW_FIXTURES_DIR) / "feed" / name, std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), {}};
        XmlTree t;
        EXPECT_TRUE(read_well_formed(std::string_view(bytes).substr(bytes.find('<')), 256, 2'000'000, t)) << name;
    }
}

}  // namespace
}  // namespace ww::feed
