// Progress line: see progress.h.
#include "analysis/children/progress.h"

#include <unistd.h>

#include <iostream>

namespace prepsim::analysis {

Progress::Progress(std::ostream& plain, bool enabled)
    : Progress(plain, enabled, enabled && isatty(STDERR_FILENO) == 1) {
  if (tty_) tty_out_ = &std::cerr;
}

Progress::Progress(std::ostream& plain, bool enabled, bool tty)
    : plain_(plain), tty_out_(&plain), enabled_(enabled), tty_(enabled && tty) {}

Progress::~Progress() { done(); }

void Progress::line(const std::string& text) {
  if (!enabled_) return;
  if (tty_) {
    *tty_out_ << "\r\033[K" << text << std::flush;
    dirty_ = true;
  } else {
    plain_ << text << "\n" << std::flush;
  }
}

void Progress::done() {
  if (tty_ && dirty_) *tty_out_ << "\r\033[K" << std::flush;
  dirty_ = false;
}

}  // namespace prepsim::analysis
