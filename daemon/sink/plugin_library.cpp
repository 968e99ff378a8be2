#include "sink/plugin_library.h"

#include <dlfcn.h>

#include <algorithm>
#include <string>
#include <utility>

namespace ww::sink {

namespace {

std::string versions_text(std::span<const std::uint32_t> v) {
    std::string s;
    for (auto x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
    return s;
}

}  // namespace

std::filesystem::path plugin_file(const std::filesystem::path& dir, std::string_view plugin) {
    if (plugin.find('/') != std::string_view::npos) return std::filesystem::path(plugin);
    return dir / (std::string(plugin) + ".so");
}

Result<PluginLibrary> PluginLibrary::open(const std::filesystem::path& file,
                                          std::span<const std::uint32_t> offered) {
    PluginLibrary lib;
    lib.file_ = file;
    if (!std::filesystem::exists(file))
        return fail("plugin", "sink: plugin file " + file.string() + " does not exist");
    // RTLD_LOCAL: two plugins may bundle different versions of the same helper library.
    lib.handle_ = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib.handle_) {
        const char* why = ::dlerror();
        return fail("plugin", "sink: cannot load plugin " + file.string() + ": " + (why ? why : "?"));
    }
    auto version = reinterpret_cast<ww_plugin_version_fn>(::dlsym(lib.handle_, "ww_plugin_version"));
    lib.init_ = reinterpret_cast<ww_plugin_init_fn>(::dlsym(lib.handle_, "ww_plugin_init"));
    lib.cleanup_ = reinterpret_cast<ww_plugin_cleanup_fn>(::dlsym(lib.handle_, "ww_plugin_cleanup"));
    if (!version || !lib.init_ || !lib.cleanup_)
        return fail("plugin", "sink: " + file.string() +
                                  " is not a wirewatch plugin (it must export ww_plugin_version, "
                                  "ww_plugin_init and ww_plugin_cleanup)");
    lib.version_ = version(offered.data(), offered.size());
    if (std::find(offered.begin(), offered.end(), lib.version_) == offered.end())
        return fail("plugin", "sink: plugin " + file.string() + " refused every ABI version the host offers (host: " +
                                  versions_text(offered) + ", plugin answered " + std::to_string(lib.version_) + ")");
    return lib;
}

PluginLibrary::PluginLibrary(PluginLibrary&& o) noexcept
    : handle_(std::exchange(o.handle_, nullptr)), file_(std::move(o.file_)), version_(o.version_),
      init_(o.init_), cleanup_(o.cleanup_) {}

PluginLibrary& PluginLibrary::operator=(PluginLibrary&& o) noexcept {
    if (this != &o) {
        if (handle_) ::dlclose(handle_);
        handle_ = std::exchange(o.handle_, nullptr);
        file_ = std::move(o.file_);
        version_ = o.version_;
        init_ = o.init_;
        cleanup_ = o.cleanup_;
    }
    return *this;
}

PluginLibrary::~PluginLibrary() {
    if (handle_) ::dlclose(handle_);
}

}  // namespace ww::sink
