#include "feed/detect.h"

#include <gtest/gtest.h>

namespace ww::feed {
namespace {

struct Case {
    const char* name;
    const char* text;
    Format format;
    bool junk;
};

class DetectFormat : public testing::TestWithParam<Case> {};

TEST_P(DetectFormat, ByContent) {
    const auto d = detect_format(GetParam().text);
    EXPECT_EQ(d.format, GetParam().format);
    EXPECT_EQ(d.junk, GetParam().junk);
}

INSTANTIATE_TEST_SUITE_P(
    Table, DetectFormat,
    testing::Values(
        Case{"rss", "<?xml version='1.0'?>\n<!-- c --><rss version='2.0'/>", Format::rss, false},
        Case{"rdf", "<rdf:RDF xmlns:rdf='x'/>", Format::rdf, false},
        Case{"atom", "  <feed xmlns='http://www.w3.org/2005/Atom'/>", Format::atom, false},
        Case{"atom_entry", "<entry xmlns='http://www.w3.org/2005/Atom'/>", Format::atom, false},
        Case{"json", " {\"version\": \"https://jsonfeed.org/version/1.1\"}", Format::json, false},
        Case{"doctype_subset", "<!DOCTYPE rss [<!ENTITY a 'b'>]><rss/>", Format::rss, false},
        Case{"html_doctype", "<!DOCTYPE html><html></html>", Format::html, false},
        Case{"html_root", "<html><body/></html>", Format::html, false},
        Case{"junk_then_rss", "PHP Notice: x\n<rss/>", Format::rss, true},
        Case{"unknown_root", "<note/>", Format::unknown, false},
        Case{"empty", "", Format::unknown, false}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace ww::feed
