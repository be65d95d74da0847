// Writing the jobs' output files: whole, or not at all.
#pragma once

#include <filesystem>
#include <string>

namespace costcover::jobs {

// Writes `content` to `path` atomically: into PATH.tmp (creating the folders), then
// renamed over `path`, so a reader sees the old file or the new one, never a part.
// Throws std::runtime_error naming the file when it cannot be written.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace costcover::jobs
