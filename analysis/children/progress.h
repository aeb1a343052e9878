// A progress line for commands that run many simulations in child processes (plan; reproduce and sweep could
// share it). On a terminal the line is redrawn in place on stderr; otherwise every update is a plain line on the
// given stream, so logs and CI output stay readable.
#pragma once

#include <ostream>
#include <string>

namespace prepsim::analysis {

class Progress {
 public:
  // `enabled` false: nothing is printed. The terminal test is on stderr, where the redrawn line goes.
  Progress(std::ostream& plain, bool enabled);
  // Progress(plain, enabled, tty) for tests: `tty` forces the redrawn form onto `plain`.
  Progress(std::ostream& plain, bool enabled, bool tty);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void line(const std::string& text);
  // Clears a redrawn line (call before printing results); idempotent.
  void done();

 private:
  std::ostream& plain_;
  std::ostream* tty_out_;
  bool enabled_, tty_, dirty_ = false;
};

}  // namespace prepsim::analysis
