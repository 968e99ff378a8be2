// The pure message builder of the email plugin (message.h), by tables.
#include <gtest/gtest.h>

#include "message.h"

namespace ww::email {
namespace {

TEST(EmailMessage, HeaderTextFoldsLineBreaksAndControls) {
    const struct {
        const char* in;
        const char* out;
    } cases[] = {
        {"plain title", "plain title"},
        {"two\r\nlines", "two lines"},
        {"evil\r\nBcc: x@example.net", "evil Bcc: x@example.net"},
        {"bare\nLF and \rCR", "bare LF and CR"},
        {"  tabs\t\tand   spaces ", "tabs and spaces"},
        {"\x1b[31mred", "[31mred"},
    };
    for (const auto& c : cases) EXPECT_EQ(header_text(c.in), c.out) << c.in;
}

TEST(EmailMessage, EncodedWordsOnlyWhenNeededAndNeverSplitACharacter) {
    EXPECT_EQ(encode_header_word("Ports reopen"), "Ports reopen");
    EXPECT_EQ(encode_header_word("Привет"), "=?UTF-8?B?0J/RgNC40LLQtdGC?=");
    EXPECT_EQ(encode_header_word("a =?x?= b"), "=?UTF-8?B?YSA9P3g/PSBi?=") << "text that looks encoded is encoded";
    // 30 two-byte letters = 60 bytes: two words of whole characters (44 + 16 bytes), each at
    // most 75 characters, folded.
    std::string s;
    for (int i = 0; i < 30; ++i) s += "ж";
    const std::string enc = encode_header_word(s);
    const auto fold = enc.find("\r\n ");
    ASSERT_NE(fold, std::string::npos) << enc;
    EXPECT_LE(fold, 75u);
    EXPECT_LE(enc.size() - fold - 3, 75u);
    EXPECT_EQ(enc.find("\r\n ", fold + 1), std::string::npos);
}

TEST(EmailMessage, QuotedPrintable) {
    const struct {
        std::string in;
        std::string out;
    } cases[] = {
        {"hello", "hello"},
        {"a=b", "a=3Db"},
        {"line\nnext", "line\r\nnext"},
        {"crlf\r\nkept", "crlf\r\nkept"},
        {"trailing space \nx", "trailing space=20\r\nx"},
        {"ж", "=D0=B6"},
        {"=_wirewatch_boundary", "=3D_wirewatch_boundary"},
        {std::string(80, 'x'), std::string(75, 'x') + "=\r\n" + std::string(5, 'x')},
        {std::string(74, 'x') + "ж", std::string(74, 'x') + "=\r\n=D0=B6"},
    };
    for (const auto& c : cases) EXPECT_EQ(quoted_printable(c.in), c.out) << c.in;
}

TEST(EmailMessage, HtmlEscapeAndWebLinks) {
    EXPECT_EQ(html_escape("<b>\"A\" & 'B'</b>"), "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;");
    const struct {
        const char* link;
        bool web;
    } cases[] = {
        {"https://example.org/a?b=1&c=2", true}, {"HTTP://EXAMPLE.ORG/", true},
        {"javascript:alert(1)", false},          {"data:text/html,<script>", false},
        {"https://", false},                     {"https://a.example/x y", false},
        {"https://a.example/\r\nx", false},      {"", false},
        {"ftp://example.org/", false},
    };
    for (const auto& c : cases) EXPECT_EQ(is_web_link(c.link), c.web) << c.link;
}

TEST(EmailMessage, Addresses) {
    const struct {
        const char* in;
        const char* display;  // nullptr: refused
        const char* addr;
    } cases[] = {
        {"desk@example.org", "", "desk@example.org"},
        {"  Night Desk <night@example.org> ", "Night Desk", "night@example.org"},
        {"\"Desk, Night\" <night@example.org>", "Desk, Night", "night@example.org"},
        {"no-at-sign", nullptr, nullptr},
        {"a@b@c", nullptr, nullptr},
        {"x@example.org\r\nBcc: y@example.net", nullptr, nullptr},
        {"x@example.org>", nullptr, nullptr},
        {"Name <x@example.org", nullptr, nullptr},
        {"a b@example.org", nullptr, nullptr},
    };
    for (const auto& c : cases) {
        const auto a = parse_address(c.in);
        if (!c.display) {
            EXPECT_FALSE(a.has_value()) << c.in;
            continue;
        }
        ASSERT_TRUE(a.has_value()) << c.in;
        EXPECT_EQ(a->display, c.display);
        EXPECT_EQ(a->addr, c.addr);
    }
    const auto list = parse_address_list("a@example.org, \"B, Desk\" <b@example.org>,c@example.org");
    ASSERT_TRUE(list.has_value());
    ASSERT_EQ(list->size(), 3u);
    EXPECT_EQ((*list)[1].display, "B, Desk");
    EXPECT_EQ((*list)[1].addr, "b@example.org");
    EXPECT_FALSE(parse_address_list("").has_value());
    EXPECT_FALSE(parse_address_list("a@example.org, oops").has_value());
}

TEST(EmailMessage, DatesAndMessageIds) {
    EXPECT_EQ(rfc5322_date("2026-11-27T14:05:00Z"), "Fri, 27 Nov 2026 14:05:00 +0000");
    EXPECT_EQ(rfc5322_date("2024-02-29T23:59:59Z"), "Thu, 29 Feb 2024 23:59:59 +0000");
    EXPECT_FALSE(rfc5322_date("yesterday").has_value());
    EXPECT_EQ(message_id_for("8c2f6a0d"), "<8c2f6a0d@wirewatch>");
    EXPECT_EQ(message_id_for("a b>c@d"), "<a_b_c_d@wirewatch>");
    EXPECT_EQ(message_id_for(""), "<unknown@wirewatch>");
}

TEST(EmailMessage, SmtpOutcomes) {
    const struct {
        SmtpFailure failure;
        long reply;
        SendOutcome outcome;
    } cases[] = {
        {SmtpFailure::none, 250, SendOutcome::delivered},
        {SmtpFailure::other, 451, SendOutcome::retry},       // greylisting, mailbox busy
        {SmtpFailure::other, 421, SendOutcome::retry},       // service closing
        {SmtpFailure::other, 454, SendOutcome::retry},       // temporary auth failure
        {SmtpFailure::other, 550, SendOutcome::permanent},   // no such mailbox
        {SmtpFailure::other, 535, SendOutcome::permanent},   // bad credentials
        {SmtpFailure::other, 552, SendOutcome::permanent},   // too big
        {SmtpFailure::transport, 0, SendOutcome::retry},     // refused, reset, timed out
        {SmtpFailure::tls_refused, 250, SendOutcome::permanent},  // starttls = "require", none offered
        {SmtpFailure::other, 0, SendOutcome::retry},
    };
    for (const auto& c : cases) EXPECT_EQ(classify_smtp(c.failure, c.reply), c.outcome) << c.reply;
}

MailConfig config() {
    MailConfig c;
    c.from = {"Wirewatch", "ww@example.org"};
    c.to = {{"", "desk@example.org"}, {"Ночная смена", "night@example.org"}};
    c.subject_prefix = "[ww] ";
    return c;
}

MailAlert alert() {
    MailAlert a;
    a.topic = "alert.tariffs";
    a.alert_id = "abc123";
    a.detected_at = "2026-11-27T14:05:00Z";
    a.watchlist = "tariffs";
    a.feed_title = "Wire";
    a.title = "Tariffs <up> & \"down\"";
    a.link = "https://news.example/a?x=1&y=2";
    a.summary = "Summary <script>alert(1)</script>";
    a.terms = {"tariff"};
    a.envelope = "{}";
    return a;
}

std::string headers_of(const std::string& text) { return text.substr(0, text.find("\r\n\r\n") + 2); }

// The decoded body of the part of `type` (quoted-printable undone), so that the checks do not
// depend on where the encoder broke lines.
std::string decoded_part(const std::string& text, const std::string& type) {
    const auto start = text.find("Content-Type: " + type);
    if (start == std::string::npos) return {};
    const auto body = text.find("\r\n\r\n", start) + 4;
    const std::string qp = text.substr(body, text.find("\r\n--=_", body) - body);
    std::string out;
    for (std::size_t i = 0; i < qp.size(); ++i) {
        if (qp.compare(i, 3, "=\r\n") == 0) {
            i += 2;
        } else if (qp[i] == '=' && i + 2 < qp.size()) {
            out.push_back(char(std::stoi(qp.substr(i + 1, 2), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(qp[i]);
        }
    }
    return out;
}

TEST(EmailMessage, BuildsHeadersAndAlternativeParts) {
    const auto m = build_mail(config(), alert());
    EXPECT_EQ(m.message_id, "<abc123@wirewatch>");
    EXPECT_EQ(m.in_reply_to, "");
    const std::string h = headers_of(m.text);
    EXPECT_NE(h.find("Date: Fri, 27 Nov 2026 14:05:00 +0000\r\n"), std::string::npos) << h;
    EXPECT_NE(h.find("From: \"Wirewatch\" <ww@example.org>\r\n"), std::string::npos) << h;
    EXPECT_NE(h.find("To: desk@example.org,\r\n =?UTF-8?B?"), std::string::npos) << h;
    EXPECT_NE(h.find("Subject: [ww] Tariffs <up> & \"down\"\r\n"), std::string::npos) << h;
    EXPECT_NE(h.find("Message-ID: <abc123@wirewatch>\r\n"), std::string::npos) << h;
    EXPECT_EQ(h.find("In-Reply-To"), std::string::npos) << h;
    EXPECT_NE(h.find("Content-Type: multipart/alternative;\r\n boundary=\"=_wirewatch_abc123_wirewatch\""),
              std::string::npos)
        << h;
    EXPECT_NE(m.text.find("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"),
              std::string::npos);
    EXPECT_NE(m.text.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
    const std::string html = decoded_part(m.text, "text/html");
    EXPECT_NE(html.find("<a href=\"https://news.example/a?x=1&amp;y=2\">Tariffs &lt;up&gt; &amp; &quot;down&quot;</a>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("Summary &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << html;
    EXPECT_EQ(html.find("<script>"), std::string::npos) << html;
    const std::string plain = decoded_part(m.text, "text/plain");
    EXPECT_NE(plain.find("Tariffs <up> & \"down\"\r\nhttps://news.example/a?x=1&y=2\r\n"), std::string::npos) << plain;
    EXPECT_NE(plain.find("Watchlist: tariffs (matched: tariff)"), std::string::npos) << plain;
    EXPECT_TRUE(m.text.ends_with("--=_wirewatch_abc123_wirewatch--\r\n"));
    for (std::size_t i = 0; i < m.text.size(); ++i)
        if (m.text[i] == '\n') ASSERT_TRUE(i > 0 && m.text[i - 1] == '\r') << "bare LF at " << i;
}

TEST(EmailMessage, NonWebLinksAreNotLinked) {
    auto a = alert();
    a.link = "javascript:alert(document.cookie)";
    const auto m = build_mail(config(), a);
    EXPECT_EQ(m.text.find("javascript:"), std::string::npos) << m.text;
    EXPECT_EQ(m.text.find("href"), std::string::npos) << m.text;
}

TEST(EmailMessage, StoryEventsReplyToTheStory) {
    auto a = alert();
    a.topic = "story.tariffs";
    a.alert_id = "story0001";
    a.envelope = R"({"type":"story.update","event_id":"event0002","story":{"id":"story0001","sources":2}})";
    const auto m = build_mail(config(), a);
    EXPECT_EQ(m.message_id, "<event0002@wirewatch>");
    EXPECT_EQ(m.in_reply_to, "<story0001@wirewatch>");
    const std::string h = headers_of(m.text);
    EXPECT_NE(h.find("In-Reply-To: <story0001@wirewatch>\r\nReferences: <story0001@wirewatch>\r\n"),
              std::string::npos)
        << h;
    EXPECT_NE(h.find("Subject: Re: [ww] Tariffs"), std::string::npos) << h;
    // An alert that opens a story carries story.id = its own alert_id: it is the thread's root.
    auto opener = alert();
    opener.envelope = R"({"story":{"id":"abc123","sources":1}})";
    EXPECT_EQ(build_mail(config(), opener).in_reply_to, "");
}

TEST(EmailMessage, TitlesCannotInjectHeaders) {
    auto a = alert();
    a.title = "Headline\r\nBcc: victim@example.net\r\n\r\n<html>";
    const std::string h = headers_of(build_mail(config(), a).text);
    EXPECT_EQ(h.find("\r\nBcc:"), std::string::npos) << h;
    EXPECT_NE(h.find("Subject: [ww] Headline Bcc: victim@example.net <html>\r\n"), std::string::npos) << h;
}

}  // namespace
}  // namespace ww::email
