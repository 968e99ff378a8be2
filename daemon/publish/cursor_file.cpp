#include "publish/cursor_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ww::publish {

namespace {

Error io_error(const std::string& what, const std::filesystem::path& file) {
    return Error{"io", "publish: " + what + " " + file.string() + ": " + std::strerror(errno)};
}

}  // namespace

Result<std::optional<CursorFile>> read_cursor_file(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        if (errno == ENOENT) return std::optional<CursorFile>{};
        return std::unexpected(io_error("cannot read state file", file));
    }
    std::stringstream text;
    text << in.rdbuf();
    const auto j = nlohmann::json::parse(text.str(), nullptr, false);
    if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_integer() || j["seq"].get<std::int64_t>() < 0)
        return fail("state", "publish: state file " + file.string() +
                                 " is not {\"seq\":N,...}; remove it to start over");
    CursorFile cursor{j["seq"].get<std::int64_t>(), std::nullopt};
    if (j.contains("output_bytes") && j["output_bytes"].is_number_integer())
        cursor.output_bytes = j["output_bytes"].get<std::int64_t>();
    return cursor;
}

Result<void> write_cursor_file(const std::filesystem::path& file, const CursorFile& cursor) {
    nlohmann::json j = {{"v", 1}, {"seq", cursor.seq}};
    if (cursor.output_bytes) j["output_bytes"] = *cursor.output_bytes;
    const std::string text = j.dump() + "\n";
    const std::filesystem::path tmp = file.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return std::unexpected(io_error("cannot create", tmp));
    const bool written = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
    const bool synced = written && ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) return std::unexpected(io_error("cannot write", tmp));
    if (::rename(tmp.c_str(), file.c_str()) != 0)
        return std::unexpected(io_error("cannot rename onto", file));
    // The rename itself is durable only once the directory entry is on disk.
    const auto dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return std::unexpected(io_error("cannot open directory of", file));
    const bool dir_synced = ::fsync(dfd) == 0;
    ::close(dfd);
    if (!dir_synced) return std::unexpected(io_error("cannot sync directory of", file));
    return {};
}

}  // namespace ww::publish
