#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include <wirewatch/plugin.h>

#include "core/error.h"

namespace ww::sink {

// The ABI versions this host speaks, newest first.
inline constexpr std::uint32_t kHostAbiVersions[] = {WW_PLUGIN_ABI_VERSION};

// A dlopen'ed plugin module whose version was negotiated. Move-only; dlclose on destruction,
// which must come after every instance made from it was cleaned up (SinkPlugin holds a
// shared_ptr to its library for that reason).
class PluginLibrary {
public:
    // A missing file, a missing entry point or a refused version is an error naming the file
    // and both sides' versions.
    static Result<PluginLibrary> open(const std::filesystem::path& file,
                                      std::span<const std::uint32_t> offered = kHostAbiVersions);
    PluginLibrary(PluginLibrary&& other) noexcept;
    PluginLibrary& operator=(PluginLibrary&& other) noexcept;
    PluginLibrary(const PluginLibrary&) = delete;
    PluginLibrary& operator=(const PluginLibrary&) = delete;
    ~PluginLibrary();

    std::uint32_t abi_version() const { return version_; }
    const std::filesystem::path& file() const { return file_; }
    ww_plugin_init_fn init() const { return init_; }
    ww_plugin_cleanup_fn cleanup() const { return cleanup_; }

private:
    PluginLibrary() = default;
    void* handle_ = nullptr;
    std::filesystem::path file_;
    std::uint32_t version_ = 0;
    ww_plugin_init_fn init_ = nullptr;
    ww_plugin_cleanup_fn cleanup_ = nullptr;
};

// Refuses a plugin that someone other than root or the running user could have written: the
// file (after symbolic links) or its directory writable by group or others, or owned by
// another user. The error names the path, its mode and its owner. PluginLibrary::open checks
// this before dlopen, so the daemon, the bridge and check-config --load-plugins all do.
Result<void> check_plugin_trust(const std::filesystem::path& file);

// What check-config needs without running any of the plugin's code (dlopen runs its
// constructors): trusted as above, an ELF shared object for this machine whose dynamic symbol
// table defines ww_plugin_version, ww_plugin_init and ww_plugin_cleanup. The ABI version is
// only known by calling the plugin, so it is not checked here.
Result<void> inspect_plugin(const std::filesystem::path& file);

// "<dir>/<plugin>.so"; a plugin given as a path (containing '/') is used as it is.
std::filesystem::path plugin_file(const std::filesystem::path& dir, std::string_view plugin);

}  // namespace ww::sink
