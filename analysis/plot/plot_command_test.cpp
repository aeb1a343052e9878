// `prepsim plot` without Python: recognising inputs, kinds per input, default output names, interpreter order and
// the argument errors that must stop before anything runs (tests/plot_check.sh draws the figures).
#include "analysis/plot/plot_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/config/input_error.h"

namespace prepsim::analysis {
namespace {

namespace fs = std::filesystem;

const std::string kPlan = R"({"schema": "prepsim-plan/v1", "options": []})";
const std::string kValidation =
    R"({"schema": "prepsim-validation/v2", "points": [{"scenario": "s", "threads": 1, "measured": 2, "predicted": 3}]})";

TEST(PlotCommand, ClassifiesEachInputByContent) {
  EXPECT_EQ(classify_plot_input(std::string("SQLite format 3\0\x10\x00", 18), "x.bin"), PlotInput::SweepDb);
  EXPECT_EQ(classify_plot_input("key,status,a,throughput_samples_per_s\n", "t.txt"), PlotInput::SweepCsv);
  EXPECT_EQ(classify_plot_input(R"({"schema": "prepsim-report/v1"})", "r.json"), PlotInput::Report);
  EXPECT_EQ(classify_plot_input("\n  " + kPlan, "p.json"), PlotInput::Plan);
  EXPECT_EQ(classify_plot_input(kValidation, "v.json"), PlotInput::Validation);
  EXPECT_EQ(classify_plot_input("schema: prepsim-sweep/v1\n", "s.yaml"), std::nullopt);
  EXPECT_THROW(classify_plot_input(R"([{"measured": 2, "predicted": 3}])", "old.json"), InputError);
}

TEST(PlotCommand, RejectsLookalikesNamingWhatIsAccepted) {
  auto message = [](const std::string& head, const std::string& file) -> std::string {
    try {
      classify_plot_input(head, file);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(accepted)";
  };
  EXPECT_NE(message(R"({"schema": "prepsim/v1"})", "a.json").find("prepsim-plan/v1"), std::string::npos);
  EXPECT_NE(message("{\"schema\": ", "b.json").find("b.json: not valid JSON"), std::string::npos);
  EXPECT_NE(message(R"([{"x": 1}])", "c.json").find("a JSON list is no plot input"), std::string::npos);
  EXPECT_NE(message("a,b\n1,2\n", "d.csv").find("d.csv:1: not a `prepsim sweep --csv` export"), std::string::npos);
}

TEST(PlotCommand, KindsPerInputDefaultFirst) {
  EXPECT_EQ(plot_kinds(PlotInput::SweepDb), (std::vector<std::string>{"axis", "pareto"}));
  EXPECT_EQ(plot_kinds(PlotInput::SweepCsv), plot_kinds(PlotInput::SweepDb));
  EXPECT_EQ(plot_kinds(PlotInput::Report), (std::vector<std::string>{"energy"}));
  EXPECT_EQ(plot_kinds(PlotInput::Plan), (std::vector<std::string>{"plan", "pareto"}));
  EXPECT_EQ(plot_kinds(PlotInput::Validation), (std::vector<std::string>{"validation"}));
}

TEST(PlotCommand, DefaultOutputIsBesideTheInput) {
  EXPECT_EQ(default_plot_output("/w/ex.sweep/sweep.db", "pareto"), "/w/ex.sweep/sweep-pareto.png");
  EXPECT_EQ(default_plot_output("out/report.json", "energy"), "out/report-energy.png");
  EXPECT_EQ(default_plot_output("plan.json", "plan"), "plan-plan.png");
}

TEST(PlotCommand, PrepsimPythonAloneWhenSet) {
  EXPECT_EQ(python_candidates(nullptr), (std::vector<std::string>{"/usr/bin/python3", "python3"}));
  EXPECT_EQ(python_candidates(""), python_candidates(nullptr));
  EXPECT_EQ(python_candidates("/opt/py/bin/python3"), (std::vector<std::string>{"/opt/py/bin/python3"}));
}

class PlotArgs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("prepsim_plot_test_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "plan.json") << kPlan;
    std::ofstream(dir_ / "validate.json") << kValidation;
  }
  void TearDown() override { fs::remove_all(dir_); }
  int run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return run_plot_command(args, out_, err_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
  std::ostringstream out_, err_;
};

TEST_F(PlotArgs, DirectoryInputResolvesToTheFileInside) {
  std::ofstream(dir_ / "report.json") << R"({"schema": "prepsim-report/v1"})";
  std::string resolved;
  EXPECT_EQ(detect_plot_input(dir_.string(), resolved), PlotInput::Report);
  EXPECT_EQ(resolved, path("report.json"));
}

TEST_F(PlotArgs, BadArgumentsExit2WithOneLineAndWriteNothing) {
  EXPECT_EQ(run({path("plan.json"), "-o", path("plan.pdf")}), 2);
  EXPECT_NE(err_.str().find(".png or .svg"), std::string::npos) << err_.str();
  EXPECT_EQ(run({path("plan.json"), "--kind", "energy"}), 2);
  EXPECT_NE(err_.str().find("valid: plan, pareto"), std::string::npos) << err_.str();
  EXPECT_EQ(run({path("validate.json"), "--tolerance", "0"}), 2);
  EXPECT_NE(err_.str().find("--tolerance: 0 is not a fraction"), std::string::npos) << err_.str();
  EXPECT_EQ(run({path("validate.json"), "--y", "throughput_samples_per_s"}), 2);
  EXPECT_NE(err_.str().find("--y: not used by kind validation"), std::string::npos) << err_.str();
  EXPECT_EQ(run({path("plan.json"), "-o", path("missing/plan.png")}), 2);
  EXPECT_NE(err_.str().find("does not exist"), std::string::npos) << err_.str();
  EXPECT_EQ(run({path("nothing.json")}), 2);
  EXPECT_NE(err_.str().find("no such file; accepted:"), std::string::npos) << err_.str();
  const std::string last = err_.str();
  EXPECT_EQ(std::count(last.begin(), last.end(), '\n'), 1) << last;
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 2);  // the two inputs only
}

TEST_F(PlotArgs, HelpListsTheOptions) {
  EXPECT_EQ(run({"--help"}), 0);
  for (const char* opt : {"--kind", "--x", "--y", "--tolerance", "-o,--out"}) {
    EXPECT_NE(out_.str().find(opt), std::string::npos) << opt;
  }
}

}  // namespace
}  // namespace prepsim::analysis
