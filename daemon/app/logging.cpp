#include "app/logging.h"

#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace ww::app {
namespace {

// systemd sets JOURNAL_STREAM for services whose stderr goes to the journal.
bool under_journal() { return std::getenv("JOURNAL_STREAM") != nullptr; }

int priority_of(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::trace:
        case spdlog::level::debug: return 7;     // LOG_DEBUG
        case spdlog::level::info: return 6;      // LOG_INFO
        case spdlog::level::warn: return 4;      // LOG_WARNING
        case spdlog::level::err: return 3;       // LOG_ERR
        case spdlog::level::critical: return 2;  // LOG_CRIT
        default: return 6;
    }
}

std::string field_name(std::string_view key) {
    std::string name = "WW_";
    for (const char c : key) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u))
            name += static_cast<char>(std::toupper(u));
        else if (c == '_' || c == '-')
            name += '_';
    }
    return name;
}

bool needs_escape(std::string_view text) {
    return std::ranges::any_of(text, [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f || u == 0xc2;  // 0xc2 may open a C1 control
    });
}

// Escapes the message before the wrapped sink formats it: one place for every sink.
class EscapingSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit EscapingSink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        const std::string_view text(msg.payload.data(), msg.payload.size());
        if (!needs_escape(text)) return inner_->log(msg);
        const auto escaped = escape_log_text(text);
        auto copy = msg;
        copy.payload = spdlog::string_view_t(escaped.data(), escaped.size());
        inner_->log(copy);
    }
    void flush_() override { inner_->flush(); }

private:
    std::shared_ptr<spdlog::sinks::sink> inner_;
};

// Sends each line to the journal with its priority and its key=value pairs as fields.
class JournalSink final : public spdlog::sinks::base_sink<std::mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        const std::string_view text(msg.payload.data(), msg.payload.size());
        std::vector<std::string> fields;
        fields.push_back("MESSAGE=" + std::string(text));
        fields.push_back("PRIORITY=" + std::to_string(priority_of(msg.level)));
        fields.push_back("SYSLOG_IDENTIFIER=wirewatchd");
        for (auto& [key, value] : journal_fields(text)) fields.push_back(key + "=" + value);
        std::vector<iovec> iov;
        iov.reserve(fields.size());
        for (auto& f : fields) iov.push_back({f.data(), f.size()});
        sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
    }
    void flush_() override {}
};

}  // namespace

std::string escape_log_text(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto u = static_cast<unsigned char>(text[i]);
        if (u == '\r') {
            out += "\\r";
        } else if (u == '\n') {
            out += "\\n";
        } else if (u == '\t') {
            out += "\\t";
        } else if (u < 0x20 || u == 0x7f) {
            out += {'\\', 'x', kHex[u >> 4], kHex[u & 15]};
        } else if (u == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
            const auto c1 = static_cast<unsigned char>(text[++i]);
            out += {'\\', 'u', '0', '0', kHex[c1 >> 4], kHex[c1 & 15]};
        } else {
            out += static_cast<char>(u);
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> journal_fields(std::string_view line) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t i = 0;
    if (const auto colon = line.find(": "); colon != std::string_view::npos &&
                                            line.substr(0, colon).find(' ') == std::string_view::npos) {
        out.emplace_back("WW_MODULE", std::string(line.substr(0, colon)));
        i = colon + 2;
    }
    while (i < line.size()) {
        const auto end_of_word = line.find(' ', i);
        const auto eq = line.find('=', i);
        if (eq == std::string_view::npos) break;
        if (end_of_word != std::string_view::npos && end_of_word < eq) {  // a bare word
            i = end_of_word + 1;
            continue;
        }
        const auto key = line.substr(i, eq - i);
        std::string value;
        std::size_t j = eq + 1;
        if (j < line.size() && line[j] == '"') {
            for (++j; j < line.size() && line[j] != '"'; ++j) {
                if (line[j] == '\\' && j + 1 < line.size()) ++j;
                value += line[j];
            }
            ++j;  // the closing quote
        } else {
            const auto stop = line.find(' ', j);
            value = std::string(line.substr(j, stop == std::string_view::npos ? line.size() - j : stop - j));
            j = stop == std::string_view::npos ? line.size() : stop;
        }
        if (!key.empty() && field_name(key).size() > 3) out.emplace_back(field_name(key), std::move(value));
        i = j + 1;
    }
    return out;
}

bool set_log_level(std::string_view level) {
    const auto lvl = spdlog::level::from_str(std::string(level));
    if (lvl == spdlog::level::off && level != "off") return false;
    spdlog::set_level(lvl);
    return true;
}

bool init_logging(std::string_view level) {
    std::shared_ptr<spdlog::sinks::sink> sink;
    if (under_journal()) {
        sink = std::make_shared<JournalSink>();
    } else {
        sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
    }
    auto logger = std::make_shared<spdlog::logger>("wirewatchd", std::make_shared<EscapingSink>(std::move(sink)));
    spdlog::set_default_logger(logger);
    spdlog::flush_on(spdlog::level::info);
    return set_log_level(level);
}

}  // namespace ww::app
