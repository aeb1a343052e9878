#include "analysis/kernels/calibrate_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "models/calibration/calibration_file.h"
#include "models/calibration/op_harness.h"

namespace prepsim::analysis {
namespace {

struct CommandResult {
  int code;
  std::string out;
  std::string err;
};

CommandResult calibrate(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = run_calibrate_command(args, out, err);
  return {code, out.str(), err.str()};
}

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("prepsim_calibrate_" + std::to_string(::getpid())) / name;
}

TEST(CalibrateCommand, QuickRunWritesAReadableFileWithEveryKernel) {
  auto path = temp_file("host.json");
  CommandResult r = calibrate({"--quick", "-o", path.string()});
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.find('\r'), std::string::npos) << "not a terminal: plain lines only";
  EXPECT_NE(r.out.find("wrote " + path.string()), std::string::npos) << r.out;

  calibration::CalibrationFile file = calibration::read_calibration_file(path);
  CostTable table = calibration::to_cost_table(file, path.string());
  std::vector<std::string> ops = calibration::harnessed_ops();
  ASSERT_FALSE(ops.empty());
  EXPECT_EQ(table.ops.size(), ops.size());
  for (const std::string& op : ops) {
    const OpCostCoefficients* c = table.find(op);
    ASSERT_NE(c, nullptr) << op;
    EXPECT_EQ(c->terms.size(), find_op(op)->signature.size()) << op;
    for (const auto& [term, coef] : c->terms) EXPECT_GE(coef, 0.0) << op << " " << to_string(term);
    EXPECT_GT(c->output_bytes_per_input_element, 0.0) << op;
    EXPECT_GT(table.seconds(op, OpWork{1024, 8192, 8192, 15}), 0.0) << op;
    EXPECT_NE(r.out.find("] " + op + " "), std::string::npos) << "one result line per op: " << op;
  }
  EXPECT_EQ(file.provenance.logical_cores > 0, true);
  std::filesystem::remove_all(path.parent_path());
}

TEST(CalibrateCommand, OpsSubsetCalibratesOnlyThoseOps) {
  std::vector<std::string> have = calibration::harnessed_ops();
  ASSERT_FALSE(have.empty());
  auto path = temp_file("subset.json");
  CommandResult r = calibrate({"--quick", "--ops", have.front(), "-o", path.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  calibration::CalibrationFile file = calibration::read_calibration_file(path);
  ASSERT_EQ(file.ops.size(), 1u);
  EXPECT_EQ(file.ops[0].op, have.front());
  std::filesystem::remove_all(path.parent_path());
}

TEST(CalibrateCommand, HelpPrintsUsageAndSucceeds) {
  CommandResult r = calibrate({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--output"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--quick"), std::string::npos);
}

TEST(CalibrateCommand, BadArgumentsReturnTwoWithAMessage) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--bogus"}, {"-o"}, {"extra_word"}, {"--quick", "--ops", "no_such_op", "-o", "/dev/null/x.json"},
           {"--ops", "read", "-o", "/dev/null/x.json"}, {"-o", ""}}) {
    CommandResult r = calibrate(args);
    EXPECT_EQ(r.code, 2) << args.front();
    EXPECT_FALSE(r.err.empty()) << args.front();
  }
  CommandResult unknown = calibrate({"--quick", "--ops", "no_such_op"});
  EXPECT_NE(unknown.err.find("unknown op 'no_such_op'"), std::string::npos) << unknown.err;
}

TEST(CalibrateCommand, UnwritableOutputFailsWithOne) {
  std::vector<std::string> have = calibration::harnessed_ops();
  ASSERT_FALSE(have.empty());
  CommandResult r = calibrate({"--quick", "--ops", have.front(), "-o", "/proc/prepsim_no/host.json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("/proc/prepsim_no"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace prepsim::analysis
