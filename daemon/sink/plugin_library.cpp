#include "sink/plugin_library.h"

#include <dlfcn.h>
#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace ww::sink {

namespace {

std::string versions_text(std::span<const std::uint32_t> v) {
    std::string s;
    for (auto x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
    return s;
}

constexpr const char* kEntryPoints[] = {"ww_plugin_version", "ww_plugin_init", "ww_plugin_cleanup"};

std::string mode_text(mode_t m) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
    return buf;
}

// One path of the plugin's: not writable by group or others, owned by root or by us.
Result<void> check_owner_and_mode(const std::filesystem::path& p, const std::filesystem::path& file,
                                  std::string_view what) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0)
        return fail("plugin", "sink: cannot check plugin " + file.string() + ": " + p.string() + ": " +
                                  std::strerror(errno));
    const std::string where = "sink: refusing plugin " + file.string() + ": " + std::string(what) + " " + p.string();
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return fail("plugin", where + " is writable by group or others (mode " + mode_text(st.st_mode) +
                                  "); make it chmod go-w");
    if (st.st_uid != 0 && st.st_uid != ::geteuid())
        return fail("plugin", where + " is owned by uid " + std::to_string(st.st_uid) +
                                  ", neither root nor the running user (uid " + std::to_string(::geteuid()) +
                                  ") (mode " + mode_text(st.st_mode) + ")");
    return {};
}

#if defined(__x86_64__)
constexpr int kMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr int kMachine = EM_AARCH64;
#else
constexpr int kMachine = -1;  // not checked: dlopen will say
#endif

template <class T>
bool read_at(std::string_view data, std::uint64_t offset, T& out) {
    if (offset > data.size() || data.size() - offset < sizeof(T)) return false;
    std::memcpy(&out, data.data() + offset, sizeof(T));
    return true;
}

// The defined global or weak functions of the ELF dynamic symbol table (.dynsym).
template <class Ehdr, class Shdr, class Sym>
Result<std::vector<std::string>> exported_functions(std::string_view data, const std::string& name) {
    Ehdr eh;
    if (!read_at(data, 0, eh)) return fail("plugin", "sink: " + name + " is a truncated ELF file");
    if (eh.e_type != ET_DYN) return fail("plugin", "sink: " + name + " is an ELF file but not a shared object");
    if (kMachine >= 0 && eh.e_machine != kMachine)
        return fail("plugin", "sink: " + name + " is a shared object for another machine (e_machine " +
                                  std::to_string(eh.e_machine) + ")");
    std::vector<std::string> out;
    for (unsigned i = 0; i < eh.e_shnum; ++i) {
        Shdr sh, strtab;
        if (!read_at(data, eh.e_shoff + std::uint64_t(i) * sizeof(Shdr), sh) || sh.sh_type != SHT_DYNSYM) continue;
        if (sh.sh_link >= eh.e_shnum || !read_at(data, eh.e_shoff + std::uint64_t(sh.sh_link) * sizeof(Shdr), strtab) ||
            strtab.sh_offset > data.size() || data.size() - strtab.sh_offset < strtab.sh_size)
            return fail("plugin", "sink: " + name + " has a malformed dynamic symbol table");
        const std::string_view names = data.substr(strtab.sh_offset, strtab.sh_size);
        for (std::uint64_t off = sh.sh_offset; off + sizeof(Sym) <= sh.sh_offset + sh.sh_size; off += sizeof(Sym)) {
            Sym sym;
            if (!read_at(data, off, sym)) break;
            const unsigned bind = sym.st_info >> 4, type = sym.st_info & 0xf;
            if (sym.st_shndx == SHN_UNDEF || type != STT_FUNC || (bind != STB_GLOBAL && bind != STB_WEAK) ||
                sym.st_name >= names.size())
                continue;
            const auto rest = names.substr(sym.st_name);
            out.emplace_back(rest.substr(0, rest.find('\0')));
        }
    }
    return out;
}

}  // namespace

Result<void> check_plugin_trust(const std::filesystem::path& file) {
    std::error_code ec;
    const auto real = std::filesystem::canonical(file, ec);
    if (ec) return fail("plugin", "sink: plugin file " + file.string() + " does not exist or cannot be resolved: " + ec.message());
    if (auto ok = check_owner_and_mode(real, file, "file"); !ok) return ok;
    if (auto ok = check_owner_and_mode(real.parent_path(), file, "directory"); !ok) return ok;
    // The directory named in the config too, when a symbolic link leads elsewhere.
    const auto named_dir = std::filesystem::absolute(file, ec).parent_path();
    if (!ec && named_dir != real.parent_path()) return check_owner_and_mode(named_dir, file, "directory");
    return {};
}

Result<void> inspect_plugin(const std::filesystem::path& file) {
    if (auto ok = check_plugin_trust(file); !ok) return ok;
    std::ifstream in(file, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string name = file.string();
    if (!in.good() && !in.eof()) return fail("plugin", "sink: cannot read plugin " + name);
    if (data.size() < EI_NIDENT || std::memcmp(data.data(), ELFMAG, SELFMAG) != 0)
        return fail("plugin", "sink: " + name + " is not an ELF shared object");
    if (data[EI_DATA] != ELFDATA2LSB && data[EI_DATA] != ELFDATA2MSB)
        return fail("plugin", "sink: " + name + " has an unknown ELF byte order");
    const bool native = (data[EI_DATA] == ELFDATA2LSB) == (std::endian::native == std::endian::little);
    if (!native) return fail("plugin", "sink: " + name + " is a shared object of the other byte order");
    auto symbols = data[EI_CLASS] == ELFCLASS64 ? exported_functions<Elf64_Ehdr, Elf64_Shdr, Elf64_Sym>(data, name)
                                                : exported_functions<Elf32_Ehdr, Elf32_Shdr, Elf32_Sym>(data, name);
    if (!symbols) return std::unexpected(symbols.error());
    for (const char* entry : kEntryPoints)
        if (std::ranges::find(*symbols, entry) == symbols->end())
            return fail("plugin", "sink: " + name + " is not a wirewatch plugin (it does not export " + entry +
                                      "; it must export ww_plugin_version, ww_plugin_init and ww_plugin_cleanup)");
    return {};
}

std::filesystem::path plugin_file(const std::filesystem::path& dir, std::string_view plugin) {
    if (plugin.find('/') != std::string_view::npos) return std::filesystem::path(plugin);
    return dir / (std::string(plugin) + ".so");
}

Result<PluginLibrary> PluginLibrary::open(const std::filesystem::path& file,
                                          std::span<const std::uint32_t> offered) {
    PluginLibrary lib;
    lib.file_ = file;
    if (std::error_code ec; !std::filesystem::exists(file, ec))
        return fail("plugin", "sink: plugin file " + file.string() + " does not exist");
    // dlopen runs the module's constructors: never for a file someone else could have written.
    if (auto trusted = check_plugin_trust(file); !trusted) return std::unexpected(trusted.error());
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
