// Plugin files are trusted only when nobody else could have written them, and check-config
// reads them without running their code (issue 16, item 17).
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "sink/plugin_library.h"

namespace ww::sink {
namespace {

namespace fs = std::filesystem;

class PluginTrust : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "ww-trust-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        dir = pattern;
        ::chmod(dir.c_str(), 0755);
        plugin = dir / "webhook.so";
        fs::copy_file(WW_PLUGIN_BUILD_DIR "/webhook.so", plugin);
        ::chmod(plugin.c_str(), 0755);
        mark = dir / "mark";
        ::setenv("WW_CTOR_MARK", mark.c_str(), 1);
    }
    void TearDown() override {
        ::unsetenv("WW_CTOR_MARK");
        ::chmod(dir.c_str(), 0700);
        fs::remove_all(dir);
    }
    fs::path dir, plugin, mark;
};

TEST_F(PluginTrust, AProperPluginPassesBothChecks) {
    auto inspected = inspect_plugin(plugin);
    EXPECT_TRUE(inspected) << inspected.error().message;
    auto lib = PluginLibrary::open(plugin);
    EXPECT_TRUE(lib) << lib.error().message;
}

TEST_F(PluginTrust, AWorldWritableFileIsRefusedNamingItsMode) {
    ::chmod(plugin.c_str(), 0666);
    for (const auto& r : {inspect_plugin(plugin), check_plugin_trust(plugin)}) {
        ASSERT_FALSE(r);
        EXPECT_NE(r.error().message.find(plugin.string()), std::string::npos) << r.error().message;
        EXPECT_NE(r.error().message.find("0666"), std::string::npos) << r.error().message;
    }
    auto lib = PluginLibrary::open(plugin);
    ASSERT_FALSE(lib);
    EXPECT_NE(lib.error().message.find("writable by group or others"), std::string::npos) << lib.error().message;
}

TEST_F(PluginTrust, AGroupWritableDirectoryIsRefused) {
    ::chmod(dir.c_str(), 0775);
    auto lib = PluginLibrary::open(plugin);
    ASSERT_FALSE(lib);
    EXPECT_NE(lib.error().message.find("directory " + dir.string()), std::string::npos) << lib.error().message;
    EXPECT_NE(lib.error().message.find("0775"), std::string::npos) << lib.error().message;
}

TEST_F(PluginTrust, AFileOwnedByAnotherUserIsRefused) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file away";
    ASSERT_EQ(::chown(plugin.c_str(), 65534, 65534), 0);
    auto lib = PluginLibrary::open(plugin);
    ASSERT_FALSE(lib);
    EXPECT_NE(lib.error().message.find("owned by uid 65534"), std::string::npos) << lib.error().message;
}

TEST_F(PluginTrust, InspectionKnowsAPluginFromOtherFiles) {
    const auto text = dir / "text.so";
    std::ofstream(text) << "not a plugin\n";
    auto r = inspect_plugin(text);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("is not an ELF shared object"), std::string::npos) << r.error().message;

    // A position-independent executable is an ELF shared object too, without the entry points.
    const auto exe = dir / "exe.so";
    fs::copy_file("/proc/self/exe", exe);
    ::chmod(exe.c_str(), 0755);
    r = inspect_plugin(exe);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("does not export ww_plugin_"), std::string::npos) << r.error().message;
}

TEST_F(PluginTrust, InspectionRunsNoCodeLoadingDoes) {
    const auto marker = dir / "ctor_mark.so";
    fs::copy_file(WW_TEST_PLUGIN_DIR "/ctor_mark.so", marker);
    ::chmod(marker.c_str(), 0755);
    auto inspected = inspect_plugin(marker);
    ASSERT_TRUE(inspected) << inspected.error().message;
    EXPECT_FALSE(fs::exists(mark)) << "inspect_plugin ran the plugin's constructor";
    auto lib = PluginLibrary::open(marker);
    ASSERT_TRUE(lib) << lib.error().message;
    EXPECT_TRUE(fs::exists(mark)) << "the test plugin's constructor did not run: this test proves nothing";
}

}  // namespace
}  // namespace ww::sink
