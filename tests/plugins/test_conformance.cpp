// Every plugin folder follows the convention (source, README.md, sample.toml, a test, a
// CMakeLists.txt), and every built plugin loads, negotiates the ABI and accepts its own
// sample.toml.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>

#include "sink/plugin_library.h"
#include "sink_harness.h"

namespace ww::test {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> plugin_folders() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(WW_PLUGIN_SOURCE_DIR))
        if (e.is_directory() && e.path().filename() != "include") out.push_back(e.path());
    std::ranges::sort(out);
    return out;
}

TEST(PluginConformance, EveryFolderHasCodeReadmeSampleAndTests) {
    const auto folders = plugin_folders();
    ASSERT_FALSE(folders.empty());
    for (const auto& dir : folders) {
        const std::string name = dir.filename().string();
        SCOPED_TRACE(name);
        EXPECT_TRUE(fs::exists(dir / "CMakeLists.txt"));
        EXPECT_TRUE(fs::exists(dir / (name + ".cpp")) || fs::exists(dir / (name + ".c")));
        EXPECT_TRUE(fs::exists(dir / "README.md"));
        EXPECT_TRUE(fs::exists(dir / "sample.toml"));
        EXPECT_TRUE(fs::exists(dir / ("test_" + name + ".cpp")));
        EXPECT_TRUE(fs::exists(fs::path(WW_PLUGIN_BUILD_DIR) / (name + ".so"))) << "not built";
    }
}

// The [[sink]] tables of a sample.toml as the config module would pass them on.
std::vector<sink::SinkSpec> sample_specs(const fs::path& file) {
    std::vector<sink::SinkSpec> out;
    const auto doc = toml::parse_file(file.string());
    const auto* sinks = doc["sink"].as_array();
    if (!sinks) return out;
    for (const auto& node : *sinks) {
        const auto& t = *node.as_table();
        sink::SinkSpec s;
        for (const auto& [k, v] : t) {
            const std::string key(k.str());
            std::string text;
            if (auto sv = v.value<std::string>()) text = *sv;
            else if (auto i = v.value<std::int64_t>()) text = std::to_string(*i);
            else if (auto b = v.value<bool>()) text = *b ? "true" : "false";
            else if (const auto* arr = v.as_array(); arr && key != "watchlists")  // joined, as config.cpp does
                for (const auto& e : *arr) text += (text.empty() ? "" : ", ") + e.value_or(std::string());
            if (key == "name") s.name = text;
            else if (key == "plugin") s.plugin = text;
            else if (key == "url") s.url = text;
            else if (key == "watchlists") {
                for (const auto& w : *v.as_array()) s.watchlists.push_back(*w.value<std::string>());
            } else s.options[key] = text;
        }
        out.push_back(s);
    }
    return out;
}

TEST(PluginConformance, EveryPluginLoadsWithItsSampleConfig) {
    for (const auto& dir : plugin_folders()) {
        const std::string name = dir.filename().string();
        SCOPED_TRACE(name);
        auto lib = sink::PluginLibrary::open(fs::path(WW_PLUGIN_BUILD_DIR) / (name + ".so"));
        ASSERT_TRUE(lib.has_value()) << lib.error().message;
        EXPECT_EQ(lib->abi_version(), std::uint32_t{WW_PLUGIN_ABI_VERSION});
        auto specs = sample_specs(dir / "sample.toml");
        ASSERT_FALSE(specs.empty()) << "sample.toml has no [[sink]] table";
        for (auto& s : specs) {
            // The sample's secrets live in files the test machine does not have.
            for (auto it = s.options.begin(); it != s.options.end();)
                it = it->first.ends_with("_file") ? s.options.erase(it) : std::next(it);
        }
        MemoryCursorStore cursors;
        sink::HostServices services;
        services.plugin_dir = WW_PLUGIN_BUILD_DIR;
        services.http = [](const sink::HttpRequest&) -> Result<sink::HttpResponse> {
            return fail("http", "no network in the conformance test");
        };
        std::vector<std::string> logs;
        services.log = [&](sink::LogLevel, std::string_view l) { logs.emplace_back(l); };
        auto host = sink::SinkHost::start(specs, services, cursors);
        ASSERT_TRUE(host.has_value()) << host.error().message;
        const auto status = (*host)->status();
        ASSERT_EQ(status.size(), specs.size());
        EXPECT_EQ(status[0].plugin, name) << "the sample's first sink must use this plugin";
        (*host)->stop();
    }
}

TEST(PluginConformance, AMissingPluginIsAClearError) {
    MemoryCursorStore cursors;
    sink::HostServices services;
    services.plugin_dir = WW_PLUGIN_BUILD_DIR;
    sink::SinkSpec s;
    s.name = "ghost";
    s.plugin = "no-such-plugin";
    s.where = "bridge.toml:4:1";
    auto host = sink::SinkHost::start({s}, services, cursors);
    ASSERT_FALSE(host.has_value());
    EXPECT_NE(host.error().message.find("no-such-plugin.so"), std::string::npos) << host.error().message;
    EXPECT_NE(host.error().message.find("bridge.toml:4:1"), std::string::npos) << host.error().message;
}

TEST(PluginConformance, AVersionRefusalNamesBothSides) {
    const std::uint32_t future[] = {99};
    auto lib = sink::PluginLibrary::open(fs::path(WW_PLUGIN_BUILD_DIR) / "webhook.so", future);
    ASSERT_FALSE(lib.has_value());
    EXPECT_NE(lib.error().message.find("host: 99"), std::string::npos) << lib.error().message;
    EXPECT_NE(lib.error().message.find("webhook.so"), std::string::npos) << lib.error().message;
}

TEST(PluginConformance, ANonPluginLibraryIsRefused) {
    auto lib = sink::PluginLibrary::open("/lib/x86_64-linux-gnu/libm.so.6");
    ASSERT_FALSE(lib.has_value());
    EXPECT_NE(lib.error().message.find("is not a wirewatch plugin"), std::string::npos) << lib.error().message;
    lib = sink::PluginLibrary::open("/lib/x86_64-linux-gnu/libm.so.6");
    ASSERT_FALSE(lib.has_value());
}

}  // namespace
}  // namespace ww::test
