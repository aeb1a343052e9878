#include "models/validation/tolerance.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "models/config/input_error.h"

namespace prepsim::validation {
namespace {

namespace fs = std::filesystem;

std::string write_temp(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("prepsim_tolerance_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

TEST(ToleranceFile, TheRepositorysFileReads) {
  const Tolerance t = read_tolerance_file(std::string(PREPSIM_SOURCE_DIR) + "/tests/validation/tolerance.yaml");
  EXPECT_GT(t.tolerance, 0.0);
  EXPECT_LE(t.tolerance, 0.20);  // the starting point; it may only get tighter
  ASSERT_TRUE(t.goal.has_value());
  EXPECT_LE(*t.goal, t.tolerance);
}

TEST(ToleranceFile, ReadsAFractionAndAnOptionalGoal) {
  const Tolerance t =
      read_tolerance_file(write_temp("a.yaml", "schema: prepsim-validation-tolerance/v1\ntolerance: 0.15\n"));
  EXPECT_DOUBLE_EQ(t.tolerance, 0.15);
  EXPECT_FALSE(t.goal.has_value());
}

// Each bad file is an InputError naming the file and the key.
TEST(ToleranceFile, RefusesBadFiles) {
  const std::string schema = "schema: prepsim-validation-tolerance/v1\n";
  const std::vector<std::pair<std::string, std::string>> bad = {
      {schema + "tolerance: 20%\n", "tolerance"},          // the unit parser takes plain fractions
      {schema + "tolerance: 0\n", "tolerance"},            // must be > 0
      {schema + "tolerance: 1.5\n", "tolerance"},          // and < 1
      {schema, "tolerance"},                               // required
      {schema + "tolerance: 0.2\ntolerence: 0.1\n", "tolerence"},  // unknown key
      {"schema: other/v1\ntolerance: 0.2\n", "schema"},
  };
  for (std::size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE(bad[i].first);
    const std::string path = write_temp("bad" + std::to_string(i) + ".yaml", bad[i].first);
    try {
      read_tolerance_file(path);
      ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(bad[i].second), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(read_tolerance_file("/nonexistent/tolerance.yaml"), InputError);
}

}  // namespace
}  // namespace prepsim::validation
