#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "sink/cursor_store.h"

namespace ww::sink {

// A CursorStore in plain files under one directory, for `wirewatch bridge` (which has no state
// database): `<sink>.cursor` holds the last seq as decimal text and is replaced by fsync +
// atomic rename, so that it is either the old or the new value after a crash;
// `<sink>.failed` gets one line per failed alert (`seq<TAB>time<TAB>message`), appended and
// fsynced.
class FileCursorStore final : public CursorStore {
public:
    // Creates the directory when missing.
    static Result<FileCursorStore> open(const std::filesystem::path& dir);

    FileCursorStore(FileCursorStore&& other) noexcept : dir_(std::move(other.dir_)) {}

    Result<std::int64_t> load(std::string_view sink) override;
    Result<void> save(std::string_view sink, std::int64_t seq) override;
    Result<void> record_failure(std::string_view sink, std::int64_t seq, std::string_view message) override;

    // The failed records of a sink, oldest first: (seq, message).
    Result<std::vector<std::pair<std::int64_t, std::string>>> failures(std::string_view sink) const;

private:
    explicit FileCursorStore(std::filesystem::path dir) : dir_(std::move(dir)) {}
    std::filesystem::path file_for(std::string_view sink, std::string_view ext) const;

    std::filesystem::path dir_;
    mutable std::mutex mutex_;  // serialises appends to the .failed files
};

}  // namespace ww::sink
