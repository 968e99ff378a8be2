#include "feed/entities.h"

#include <algorithm>
#include <array>
#include <utility>

namespace ww::feed {
namespace {

struct Entity {
    std::string_view name;
    char32_t cp;
};

// HTML 4 entities plus the few HTML5 ones feeds really use. Sorted once at first use; the
// full HTML5 table (2,231 names) buys nothing for news text.
constexpr Entity kEntities[] = {
    {"quot", 34}, {"amp", 38}, {"apos", 39}, {"lt", 60}, {"gt", 62},
    {"nbsp", 160}, {"iexcl", 161}, {"cent", 162}, {"pound", 163}, {"curren", 164},
    {"yen", 165}, {"brvbar", 166}, {"sect", 167}, {"uml", 168}, {"copy", 169},
    {"ordf", 170}, {"laquo", 171}, {"not", 172}, {"shy", 173}, {"reg", 174},
    {"macr", 175}, {"deg", 176}, {"plusmn", 177}, {"sup2", 178}, {"sup3", 179},
    {"acute", 180}, {"micro", 181}, {"para", 182}, {"middot", 183}, {"cedil", 184},
    {"sup1", 185}, {"ordm", 186}, {"raquo", 187}, {"frac14", 188}, {"frac12", 189},
    {"frac34", 190}, {"iquest", 191}, {"Agrave", 192}, {"Aacute", 193}, {"Acirc", 194},
    {"Atilde", 195}, {"Auml", 196}, {"Aring", 197}, {"AElig", 198}, {"Ccedil", 199},
    {"Egrave", 200}, {"Eacute", 201}, {"Ecirc", 202}, {"Euml", 203}, {"Igrave", 204},
    {"Iacute", 205}, {"Icirc", 206}, {"Iuml", 207}, {"ETH", 208}, {"Ntilde", 209},
    {"Ograve", 210}, {"Oacute", 211}, {"Ocirc", 212}, {"Otilde", 213}, {"Ouml", 214},
    {"times", 215}, {"Oslash", 216}, {"Ugrave", 217}, {"Uacute", 218}, {"Ucirc", 219},
    {"Uuml", 220}, {"Yacute", 221}, {"THORN", 222}, {"szlig", 223}, {"agrave", 224},
    {"aacute", 225}, {"acirc", 226}, {"atilde", 227}, {"auml", 228}, {"aring", 229},
    {"aelig", 230}, {"ccedil", 231}, {"egrave", 232}, {"eacute", 233}, {"ecirc", 234},
    {"euml", 235}, {"igrave", 236}, {"iacute", 237}, {"icirc", 238}, {"iuml", 239},
    {"eth", 240}, {"ntilde", 241}, {"ograve", 242}, {"oacute", 243}, {"ocirc", 244},
    {"otilde", 245}, {"ouml", 246}, {"divide", 247}, {"oslash", 248}, {"ugrave", 249},
    {"uacute", 250}, {"ucirc", 251}, {"uuml", 252}, {"yacute", 253}, {"thorn", 254},
    {"yuml", 255}, {"OElig", 338}, {"oelig", 339}, {"Scaron", 352}, {"scaron", 353},
    {"Yuml", 376}, {"fnof", 402}, {"circ", 710}, {"tilde", 732},
    {"Alpha", 913}, {"Beta", 914}, {"Gamma", 915}, {"Delta", 916}, {"Epsilon", 917},
    {"Zeta", 918}, {"Eta", 919}, {"Theta", 920}, {"Iota", 921}, {"Kappa", 922},
    {"Lambda", 923}, {"Mu", 924}, {"Nu", 925}, {"Xi", 926}, {"Omicron", 927}, {"Pi", 928},
    {"Rho", 929}, {"Sigma", 931}, {"Tau", 932}, {"Upsilon", 933}, {"Phi", 934},
    {"Chi", 935}, {"Psi", 936}, {"Omega", 937}, {"alpha", 945}, {"beta", 946},
    {"gamma", 947}, {"delta", 948}, {"epsilon", 949}, {"zeta", 950}, {"eta", 951},
    {"theta", 952}, {"iota", 953}, {"kappa", 954}, {"lambda", 955}, {"mu", 956},
    {"nu", 957}, {"xi", 958}, {"omicron", 959}, {"pi", 960}, {"rho", 961},
    {"sigmaf", 962}, {"sigma", 963}, {"tau", 964}, {"upsilon", 965}, {"phi", 966},
    {"chi", 967}, {"psi", 968}, {"omega", 969}, {"thetasym", 977}, {"upsih", 978},
    {"piv", 982}, {"ensp", 8194}, {"emsp", 8195}, {"thinsp", 8201}, {"zwnj", 8204},
    {"zwj", 8205}, {"lrm", 8206}, {"rlm", 8207}, {"ndash", 8211}, {"mdash", 8212},
    {"lsquo", 8216}, {"rsquo", 8217}, {"sbquo", 8218}, {"ldquo", 8220}, {"rdquo", 8221},
    {"bdquo", 8222}, {"dagger", 8224}, {"Dagger", 8225}, {"bull", 8226}, {"hellip", 8230},
    {"permil", 8240}, {"prime", 8242}, {"Prime", 8243}, {"lsaquo", 8249}, {"rsaquo", 8250},
    {"oline", 8254}, {"frasl", 8260}, {"euro", 8364}, {"image", 8465}, {"weierp", 8472},
    {"real", 8476}, {"trade", 8482}, {"alefsym", 8501}, {"larr", 8592}, {"uarr", 8593},
    {"rarr", 8594}, {"darr", 8595}, {"harr", 8596}, {"crarr", 8629}, {"lArr", 8656},
    {"uArr", 8657}, {"rArr", 8658}, {"dArr", 8659}, {"hArr", 8660}, {"forall", 8704},
    {"part", 8706}, {"exist", 8707}, {"empty", 8709}, {"nabla", 8711}, {"isin", 8712},
    {"notin", 8713}, {"ni", 8715}, {"prod", 8719}, {"sum", 8721}, {"minus", 8722},
    {"lowast", 8727}, {"radic", 8730}, {"prop", 8733}, {"infin", 8734}, {"ang", 8736},
    {"and", 8743}, {"or", 8744}, {"cap", 8745}, {"cup", 8746}, {"int", 8747},
    {"there4", 8756}, {"sim", 8764}, {"cong", 8773}, {"asymp", 8776}, {"ne", 8800},
    {"equiv", 8801}, {"le", 8804}, {"ge", 8805}, {"sub", 8834}, {"sup", 8835},
    {"nsub", 8836}, {"sube", 8838}, {"supe", 8839}, {"oplus", 8853}, {"otimes", 8855},
    {"perp", 8869}, {"sdot", 8901}, {"lceil", 8968}, {"rceil", 8969}, {"lfloor", 8970},
    {"rfloor", 8971}, {"lang", 9001}, {"rang", 9002}, {"loz", 9674}, {"spades", 9824},
    {"clubs", 9827}, {"hearts", 9829}, {"diams", 9830},
    // HTML5 names that show up in feeds.
    {"hyphen", 8208}, {"dash", 8208}, {"horbar", 8213}, {"lsquor", 8218},
    {"rsquor", 8217}, {"ldquor", 8222}, {"rdquor", 8221}, {"nldr", 8229},
    {"mldr", 8230}, {"Hat", 94}, {"grave", 96}, {"lowbar", 95}, {"verbar", 124},
    {"vert", 124}, {"colon", 58}, {"comma", 44}, {"period", 46}, {"excl", 33},
    {"quest", 63}, {"num", 35}, {"dollar", 36}, {"percnt", 37}, {"ast", 42},
    {"plus", 43}, {"equals", 61}, {"sol", 47}, {"bsol", 92}, {"semi", 59}, {"commat", 64},
    {"lpar", 40}, {"rpar", 41}, {"lsqb", 91}, {"rsqb", 93}, {"lcub", 123}, {"rcub", 125},
    {"NewLine", 10}, {"Tab", 9}, {"ZeroWidthSpace", 8203}, {"NonBreakingSpace", 160},
    {"centerdot", 183}, {"half", 189}, {"check", 10003}, {"star", 9734}, {"starf", 9733},
};

using Table = std::array<Entity, std::size(kEntities)>;

const Table& sorted_table() {
    static const Table table = [] {
        Table t;
        std::ranges::copy(kEntities, t.begin());
        std::ranges::sort(t, {}, &Entity::name);
        return t;
    }();
    return table;
}

// HTML5 maps these C1 references to what Windows-1252 puts there: real feeds use them so.
constexpr char32_t kC1[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

char32_t cp1252_char(unsigned char b) {
    if (b < 0x80) return b;
    if (b >= 0xA0) return b;
    return kC1[b - 0x80] == 0xFFFD ? 0 : kC1[b - 0x80];
}

char32_t named_entity(std::string_view name) {
    // The names escaped HTML is made of, before the search over the whole table.
    switch (name.size()) {
        case 2:
            if (name == "lt") return 60;
            if (name == "gt") return 62;
            break;
        case 3:
            if (name == "amp") return 38;
            break;
        case 4:
            if (name == "quot") return 34;
            if (name == "nbsp") return 160;
            if (name == "apos") return 39;
            break;
        default:
            break;
    }
    const auto& t = sorted_table();
    const auto it = std::ranges::lower_bound(t, name, {}, &Entity::name);
    return it != t.end() && it->name == name ? it->cp : 0;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::size_t decode_reference(std::string_view s, std::string& out) {
    if (s.size() < 3 || s[0] != '&') return 0;
    if (s[1] == '#') {
        const bool hex = s.size() > 2 && (s[2] == 'x' || s[2] == 'X');
        std::size_t i = hex ? 3 : 2;
        const std::size_t start = i;
        std::uint32_t cp = 0;
        for (; i < s.size() && i - start < 8; ++i) {
            const char c = s[i];
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else break;
            cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
        }
        if (i == start) return 0;
        // A missing ';' is tolerated, as browsers do.
        const std::size_t used = i < s.size() && s[i] == ';' ? i + 1 : i;
        if (cp >= 0x80 && cp < 0xA0) cp = kC1[cp - 0x80];
        append_utf8(out, cp);
        return used;
    }
    std::size_t i = 1;
    while (i < s.size() && i < 34 && is_alnum(s[i])) ++i;
    if (i == 1 || i >= s.size() || s[i] != ';') return 0;
    const char32_t cp = named_entity(s.substr(1, i - 1));
    if (cp == 0) return 0;
    append_utf8(out, cp);
    return i + 1;
}

}  // namespace ww::feed
