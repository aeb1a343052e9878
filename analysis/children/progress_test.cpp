// The progress line (progress.h): plain lines when not on a terminal, one redrawn line on a terminal that is
// cleared by done(), and nothing when disabled.
#include "analysis/children/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace prepsim::analysis {
namespace {

TEST(Progress, PlainLinesOffATerminal) {
  std::ostringstream out;
  {
    Progress p(out, true, false);
    p.line("one");
    p.line("two");
    p.done();
  }
  EXPECT_EQ(out.str(), "one\ntwo\n");
}

TEST(Progress, OneRedrawnLineOnATerminal) {
  std::ostringstream out;
  {
    Progress p(out, true, true);
    p.line("one");
    p.line("two");
  }  // the destructor clears it
  EXPECT_EQ(out.str(), "\r\033[Kone\r\033[Ktwo\r\033[K");
}

TEST(Progress, DisabledPrintsNothing) {
  std::ostringstream out;
  Progress p(out, false, true);
  p.line("one");
  p.done();
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace prepsim::analysis
