#include "feed/encoding.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <random>

#include "feed/parse.h"

namespace ww::feed {
namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(WW_FIXTURES_DIR) + "/feed/" + name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(CharsetParam, ReadsQuotedAndBare) {
    EXPECT_EQ(charset_param("text/xml; charset=KOI8-R"), "koi8-r");
    EXPECT_EQ(charset_param("application/rss+xml;charset=\"windows-1251\""), "windows-1251");
    EXPECT_EQ(charset_param("text/xml"), "");
    EXPECT_EQ(charset_param(""), "");
}

TEST(DeclaredCharset, ReadsXmlDeclaration) {
    EXPECT_EQ(declared_charset("<?xml version='1.0' encoding='ISO-8859-1'?><rss/>"), "iso-8859-1");
    EXPECT_EQ(declared_charset("<?xml version=\"1.0\"?><rss/>"), "");
    EXPECT_EQ(declared_charset("<rss encoding='x'/>"), "");
}

TEST(Bom, Detects) {
    EXPECT_EQ(detect_bom("\xEF\xBB\xBF<rss/>").charset, "utf-8");
    EXPECT_EQ(detect_bom("\xFF\xFE<\0").charset, "utf-16le");
    EXPECT_EQ(detect_bom("\xFE\xFF\0<").length, 2u);
    EXPECT_EQ(detect_bom("<rss/>").charset, "");
    EXPECT_EQ(sniff_wide_charset(std::string_view("<\0?\0x\0", 6)), "utf-16le");
    EXPECT_EQ(sniff_wide_charset(std::string_view("\0<\0r\0s", 6)), "utf-16be");
}

TEST(Ebcdic, SniffsAndReadsTheDeclaration) {
    EXPECT_EQ(sniff_ebcdic_charset(fixture("rss_ebcdic_ibm500.xml")), "ibm500");
    // "<?xml?>" in CP037 without an encoding: CP037, the EBCDIC default.
    EXPECT_EQ(sniff_ebcdic_charset("\x4C\x6F\xA7\x94\x93\x6F\x6E"), "cp037");
    EXPECT_EQ(sniff_ebcdic_charset("<?xml version='1.0'?>"), "");
}

TEST(IconvName, MacAndIbmLabels) {
    EXPECT_EQ(iconv_name("x-mac-cyrillic"), "MACCYRILLIC");
    EXPECT_EQ(iconv_name("x-mac-ce"), "MAC-CENTRALEUROPE");
    EXPECT_EQ(iconv_name("ibm-37"), "CP037");
    EXPECT_EQ(iconv_name("cp875"), "CP875");  // iconv's own name: upper-cased only
}

struct ChoiceCase {
    const char* name;
    const char* bom;
    const char* http;
    const char* xml;
    const char* charset;
    const char* source;
};

class ChooseCharset : public testing::TestWithParam<ChoiceCase> {};

TEST_P(ChooseCharset, FollowsRfc7303) {
    const auto& c = GetParam();
    const auto got = choose_charset(c.bom, c.http, c.xml);
    EXPECT_EQ(got.charset, c.charset);
    EXPECT_EQ(got.source, c.source);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ChooseCharset,
    testing::Values(ChoiceCase{"bom_wins", "utf-16le", "koi8-r", "utf-8", "utf-16le", "bom"},
                    ChoiceCase{"http_over_xml", "", "koi8-r", "windows-1251", "koi8-r", "http"},
                    ChoiceCase{"xml_when_no_http", "", "", "windows-1251", "windows-1251", "xml"},
                    ChoiceCase{"default_utf8", "", "", "", "utf-8", "default"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(IsUtf8, NeverReadsPastTheEndOfWholeAsciiBlocks) {
    // A view of 64 or 128 ASCII bytes followed, outside the view, by a byte that is never UTF-8:
    // found by fuzz_parse, the 64-byte ASCII step once left the reader at the end and read on.
    for (const std::size_t n : {16u, 64u, 128u, 192u}) {
        std::string buffer(n, 'a');
        buffer += '\xFF';
        EXPECT_TRUE(is_utf8(std::string_view(buffer.data(), n))) << n;
    }
}

TEST(IsUtf8, RejectsMalformed) {
    EXPECT_TRUE(is_utf8("plain ascii text that is longer than sixteen bytes"));
    EXPECT_TRUE(is_utf8("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xE4\xB8\xAD \xF0\x9F\x98\x80"));
    EXPECT_FALSE(is_utf8("\xC0\xAF"));          // overlong
    EXPECT_FALSE(is_utf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(is_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
    EXPECT_FALSE(is_utf8("abc\xE2\x82"));       // truncated
    EXPECT_FALSE(is_utf8("\xFF"));
}

TEST(CopyIfUtf8, CopiesAndAgreesWithIsUtf8WhereverTheSequenceFalls) {
    // A multi-byte sequence, good or broken, at every offset around the 64-byte stretches the
    // copy validates in, into a buffer that held something longer and then something short.
    const std::string_view pieces[] = {"\xD0\x9F", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xC0\xAF",
                                       "\xED\xA0\x80", "\xE2\x82", "\xFF", "\xF4\x90\x80\x80"};
    std::string out(300, '#');
    for (const auto piece : pieces) {
        for (std::size_t at = 0; at < 140; ++at) {
            for (const std::size_t tail : {0u, 1u, 70u}) {
                const std::string s = std::string(at, 'a') + std::string(piece) + std::string(tail, 'b');
                EXPECT_EQ(copy_if_utf8(s, out), is_utf8(s)) << at << " " << tail;
                EXPECT_EQ(out, s) << at << " " << tail;
            }
        }
    }
    EXPECT_TRUE(copy_if_utf8("", out));
    EXPECT_EQ(out, "");
    std::string small;  // growing out of the small-string buffer
    EXPECT_TRUE(copy_if_utf8(R"({"hello": "world"})", small));
    EXPECT_EQ(small, R"({"hello": "world"})");
}

TEST(CopyIfUtf8, AgreesWithIsUtf8OnMixedText) {
    // The copy settles common 64-byte stretches (two-byte and plain three-byte sequences) from
    // bit masks and leaves the rest to the sequence-by-sequence check that is_utf8 uses:
    // both must answer the same for text mixing them with broken and four-byte sequences.
    const std::string_view pieces[] = {"a", "bc", " ", "\xD0\xBF", "\xC3\xA9", "\xE2\x80\x99", "\xE4\xB8\xAD",
                                       "\xE0\xA4\x95", "\xED\x9F\xBF", "\xF0\x9F\x98\x80", "\x80", "\xBF",
                                       "\xC2", "\xE2\x80", "\xC0\x80", "\xED\xA0\x80", "\xE0\x80\x80", "\xF8",
                                       "\xDF\xBF", "\xEF\xBF\xBF", "\xC1\xBF"};
    std::mt19937 rng(20261127);
    std::string out;
    int valid = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string s;
        const bool mostly_good = round % 2 == 0;  // else any piece at all
        for (int k = static_cast<int>(rng() % 120); k > 0; --k) {
            const auto pick = rng() % (mostly_good ? 8 : std::size(pieces));
            s += pieces[mostly_good && rng() % 50 == 0 ? rng() % std::size(pieces) : pick];
        }
        const bool expected = is_utf8(s);
        valid += expected;
        ASSERT_EQ(copy_if_utf8(s, out), expected) << testing::PrintToString(s);
        ASSERT_EQ(out, s);
    }
    EXPECT_GT(valid, 5000);   // both answers were exercised
    EXPECT_LT(valid, 19000);
}

TEST(Decode, ReusedBufferHoldsOnlyTheNewText) {
    Decoded d;
    decode_to_utf8(std::string(5000, 'x'), "", d);
    decode_to_utf8("<rss/>", "", d);
    EXPECT_EQ(d.text, "<rss/>");
    decode_to_utf8("<rss>\xE9</rss>", "", d);  // not UTF-8: windows-1252
    EXPECT_EQ(d.text, "<rss>\xC3\xA9</rss>");
}

TEST(Decode, Koi8rByDeclaration) {
    const auto d = decode_to_utf8(fixture("rss_koi8r.xml"), "");
    EXPECT_EQ(d.encoding, "koi8-r");
    EXPECT_NE(d.text.find("\xD0\x9D\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x81\xD1\x82\xD0\xB8"), std::string::npos);  // Новости
    EXPECT_TRUE(d.lenient.empty());
}

TEST(Decode, HttpCharsetBeatsDeclaration) {
    // windows-1251 bytes for "Мир" declared as koi8-r in the document, but HTTP says 1251.
    const std::string body = "<?xml version='1.0' encoding='koi8-r'?><rss><channel><title>\xCC\xE8\xF0</title></channel></rss>";
    const auto d = decode_to_utf8(body, "text/xml; charset=windows-1251");
    EXPECT_EQ(d.encoding, "windows-1251");
    EXPECT_NE(d.text.find("\xD0\x9C\xD0\xB8\xD1\x80"), std::string::npos);
}

TEST(Decode, LyingDeclarationLosesToValidUtf8) {
    const std::string body = "<?xml version='1.0' encoding='iso-8859-1'?><rss><channel><title>\xD0\x9C\xD0\xB8\xD1\x80</title></channel></rss>";
    const auto d = decode_to_utf8(body, "");
    EXPECT_EQ(d.encoding, "utf-8");
    EXPECT_FALSE(d.lenient.empty());
}

TEST(Decode, UndeclaredLatin1FallsBackToWindows1252) {
    const auto d = decode_to_utf8("<rss><channel><title>Caf\xE9</title></channel></rss>", "");
    EXPECT_EQ(d.encoding, "windows-1252");
    EXPECT_NE(d.text.find("Caf\xC3\xA9"), std::string::npos);
}

TEST(Decode, InvalidBytesAreReplacedNotFatal) {
    const auto d = decode_to_utf8("<?xml version='1.0' encoding='shift_jis'?><rss>\x81</rss>", "");
    EXPECT_TRUE(is_utf8(d.text));
    EXPECT_NE(d.text.find("\xEF\xBF\xBD"), std::string::npos);
}

// glibc's iconv opens a label such as "utf-8" followed by high bytes as UTF-8 and passes sequences
// past U+10FFFF (F6 ..) through; what decode hands pugixml must still be UTF-8 (fuzz_parse).
TEST(Decode, WhatIconvLetsThroughIsStillMadeUtf8) {
    const auto d = decode_to_utf8(
        "<?xml version='1.0' encoding='utf-8\xD7\xCF\xD3 \xCD'?><rss>\xF6\x8D\x8C\x8C\xE9</rss>", "");
    EXPECT_TRUE(is_utf8(d.text));
    EXPECT_NE(d.text.find("\xEF\xBF\xBD"), std::string::npos);
    EXPECT_FALSE(d.lenient.empty());
}

TEST(Decode, Utf16WithBomThroughParse) {
    const auto feed = parse(fixture("rss_utf16le_bom.xml"), {});
    ASSERT_TRUE(feed) << feed.error().message;
    EXPECT_EQ(feed->encoding, "utf-16le");
    EXPECT_EQ(feed->title, "Wide world");
    ASSERT_EQ(feed->items.size(), 1u);
    EXPECT_EQ(feed->items[0].title, "\xC3\x9C" "ber alles");
}

}  // namespace
}  // namespace ww::feed
