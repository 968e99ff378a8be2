#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "core/error.h"

namespace ww::publish {

// The durable cursor of a resumable subscriber (`wirewatch sub --resume STATEFILE`), as JSON:
// {"v":1,"seq":N,"output_bytes":M}. `output_bytes` is the size of the output file once the
// alerts up to `seq` were written to it (absent when the output is not a regular file): a
// subscriber killed between writing an alert and saving the cursor cuts the file back to it
// on restart, so the file holds every alert exactly once.
struct CursorFile {
    std::int64_t seq = 0;
    std::optional<std::int64_t> output_bytes;
};

// nullopt when the file does not exist (a fresh subscriber); an error when it is unreadable.
Result<std::optional<CursorFile>> read_cursor_file(const std::filesystem::path& file);
// Write to a temporary file, fsync it, rename it over the old one, fsync the directory: a
// crash leaves either the old cursor or the new one, never a torn file.
Result<void> write_cursor_file(const std::filesystem::path& file, const CursorFile& cursor);

}  // namespace ww::publish
