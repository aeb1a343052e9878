// The output folder of a run (-o DIR): checked before the run, so an -o that is a file, under a file or not
// writable is refused before minutes of simulation; written through a temporary folder beside it and moved into
// place at the end, so a failure part-way leaves nothing behind.
#pragma once

#include <functional>
#include <string>

namespace prepsim::analysis {

// Throws InputError("-o", dir) when `dir` cannot become a writable folder: it is a file, a path component is a
// file, or the nearest existing folder is not writable.
void check_output_dir(const std::string& dir);

// Creates a temporary folder beside `dir`, calls write(temporary folder), then moves the files into `dir` (the
// folder itself when `dir` does not exist; file by file, replacing, when it does). Whatever write() throws, the
// temporary folder is removed and the exception goes on; `dir` is then as it was.
void write_output_dir(const std::string& dir, const std::function<void(const std::string&)>& write);

}  // namespace prepsim::analysis
