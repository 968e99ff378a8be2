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

// "<dir>/<plugin>.so"; a plugin given as a path (containing '/') is used as it is.
std::filesystem::path plugin_file(const std::filesystem::path& dir, std::string_view plugin);

}  // namespace ww::sink
