#include "sink/file_cursor_store.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/time.h"

namespace ww::sink {

namespace {

// Owns a file descriptor; closes it once.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

std::string os_error(std::string_view what, const std::filesystem::path& p) {
    return "sink: " + std::string(what) + " " + p.string() + ": " + std::strerror(errno);
}

Result<void> write_all(int fd, std::string_view data, const std::filesystem::path& p) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail("io", os_error("cannot write", p));
        data.remove_prefix(std::size_t(n));
    }
    return {};
}

bool valid_sink_name(std::string_view s) {
    if (s.empty() || s.size() > 100) return false;
    for (char c : s)
        if (!(std::isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.') ) return false;
    return s.front() != '.';
}

}  // namespace

Result<FileCursorStore> FileCursorStore::open(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail("io", "sink: cannot create state directory " + dir.string() + ": " + ec.message());
    return FileCursorStore(dir);
}

std::filesystem::path FileCursorStore::file_for(std::string_view sink, std::string_view ext) const {
    return dir_ / (std::string(sink) + std::string(ext));
}

Result<std::int64_t> FileCursorStore::load(std::string_view sink) {
    if (!valid_sink_name(sink)) return fail("config", "sink: name \"" + std::string(sink) + "\" cannot name a cursor file");
    const auto p = file_for(sink, ".cursor");
    std::ifstream in(p);
    if (!in) return std::int64_t{0};
    std::string text;
    std::getline(in, text);
    std::int64_t seq = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
    if (ec != std::errc{} || seq < 0)
        return fail("io", "sink: cursor file " + p.string() + " is corrupt: \"" + text + "\"");
    return seq;
}

Result<void> FileCursorStore::save(std::string_view sink, std::int64_t seq) {
    if (!valid_sink_name(sink)) return fail("config", "sink: name \"" + std::string(sink) + "\" cannot name a cursor file");
    const auto final_path = file_for(sink, ".cursor");
    const auto tmp = file_for(sink, ".cursor.tmp");
    {
        Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        if (fd.get() < 0) return fail("io", os_error("cannot create", tmp));
        if (auto w = write_all(fd.get(), std::to_string(seq) + "\n", tmp); !w) return w;
        if (::fsync(fd.get()) != 0) return fail("io", os_error("cannot fsync", tmp));
        if (::close(fd.release()) != 0) return fail("io", os_error("cannot close", tmp));
    }
    if (::rename(tmp.c_str(), final_path.c_str()) != 0) return fail("io", os_error("cannot rename onto", final_path));
    // The rename is durable only once the directory entry is.
    Fd dir(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0) ::fsync(dir.get());
    return {};
}

Result<void> FileCursorStore::record_failure(std::string_view sink, std::int64_t seq, std::string_view message) {
    if (!valid_sink_name(sink)) return fail("config", "sink: name \"" + std::string(sink) + "\" cannot name a cursor file");
    const auto p = file_for(sink, ".failed");
    std::string line = std::to_string(seq) + "\t" + format_rfc3339(now_seconds()) + "\t";
    for (char c : message) line.push_back(c == '\n' || c == '\t' ? ' ' : c);
    line.push_back('\n');
    std::lock_guard lock(mutex_);
    Fd fd(::open(p.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (fd.get() < 0) return fail("io", os_error("cannot open", p));
    if (auto w = write_all(fd.get(), line, p); !w) return w;
    if (::fsync(fd.get()) != 0) return fail("io", os_error("cannot fsync", p));
    return {};
}

Result<std::vector<std::pair<std::int64_t, std::string>>> FileCursorStore::failures(std::string_view sink) const {
    std::vector<std::pair<std::int64_t, std::string>> out;
    std::ifstream in(file_for(sink, ".failed"));
    std::string line;
    while (std::getline(in, line)) {
        const auto t1 = line.find('\t');
        const auto t2 = line.find('\t', t1 + 1);
        if (t1 == std::string::npos || t2 == std::string::npos) continue;
        std::int64_t seq = 0;
        std::from_chars(line.data(), line.data() + t1, seq);
        out.emplace_back(seq, line.substr(t2 + 1));
    }
    return out;
}

}  // namespace ww::sink
