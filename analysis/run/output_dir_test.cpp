#include "analysis/run/output_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "models/config/input_error.h"

namespace prepsim::analysis {
namespace {

namespace fs = std::filesystem;

class OutputDir : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / "prepsim_output_dir_test";
    fs::remove_all(root_);
    fs::create_directories(root_);
    std::ofstream(root_ / "file") << "x";
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(OutputDir, FilesAndPathsUnderFilesAreRefusedBeforeTheRun) {
  EXPECT_THROW(check_output_dir((root_ / "file").string()), InputError);
  EXPECT_THROW(check_output_dir((root_ / "file" / "sub").string()), InputError);
  EXPECT_THROW(check_output_dir(""), InputError);
  EXPECT_NO_THROW(check_output_dir((root_ / "new" / "deeper").string()));
  EXPECT_NO_THROW(check_output_dir(root_.string()));
  EXPECT_FALSE(fs::exists(root_ / "new"));  // checking creates nothing
}

TEST_F(OutputDir, AFailedWriteLeavesNothing) {
  fs::path out = root_ / "out";
  EXPECT_THROW(write_output_dir(out.string(),
                                [](const std::string& d) {
                                  std::ofstream(d + "/report.json") << "{}";
                                  throw std::runtime_error("disk full");
                                }),
               std::runtime_error);
  EXPECT_FALSE(fs::exists(out));
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(root_)) ++entries;
  EXPECT_EQ(entries, 1u);  // only "file": the temporary folder is gone
}

TEST_F(OutputDir, WritesANewFolderOrReplacesFilesInAnOldOne) {
  fs::path out = root_ / "a" / "out";
  write_output_dir(out.string(), [](const std::string& d) { std::ofstream(d + "/report.json") << "1"; });
  std::ifstream in(out / "report.json");
  std::string v;
  in >> v;
  EXPECT_EQ(v, "1");
  std::ofstream(out / "mine.txt") << "kept";
  write_output_dir(out.string(), [](const std::string& d) { std::ofstream(d + "/report.json") << "2"; });
  std::ifstream again(out / "report.json");
  again >> v;
  EXPECT_EQ(v, "2");
  EXPECT_TRUE(fs::exists(out / "mine.txt"));
}

}  // namespace
}  // namespace prepsim::analysis
