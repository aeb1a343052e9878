// The cpu model follows its calibration: a scenario's predicted CPU time changes exactly as the calibration file
// (or the software efficiency factors) say it should.
#include "models/cpu_costs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "models/calibration/calibration_file.h"
#include "models/config/input_error.h"
#include "models/workload.h"

namespace prepsim {
namespace {

namespace fs = std::filesystem;
const std::string kSrc = PREPSIM_SOURCE_DIR;

// A calibration file with every compute op costing `per_element` seconds per element (and nothing else).
calibration::CalibrationFile uniform_calibration(double per_element) {
  calibration::CalibrationFile f;
  f.provenance = calibration::current_provenance();
  for (const OpInfo& op : all_ops()) {
    if (op.name == "read") continue;
    calibration::OpCalibration c;
    c.op = std::string(op.name);
    c.fit.terms = op.signature;
    for (CostTerm t : op.signature) {
      bool main_term = t == CostTerm::Elements || (t == CostTerm::OutputElements && op.name == "firstx");
      c.fit.coefficients.push_back(main_term ? per_element : 0.0);
    }
    c.fit.samples = 10;
    c.fit.r_squared = 1;
    c.fit.condition_number = 1;
    c.output_bytes_per_input_element = 8;
    f.ops.push_back(c);
  }
  return f;
}

class CpuCosts : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("prepsim_cpu_costs_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    calibration::write_calibration_file(uniform_calibration(1e-9), dir_ / "slow.json");
    calibration::write_calibration_file(uniform_calibration(2e-9), dir_ / "slower.json");
    std::ifstream in(kSrc + "/platforms/catalog.yaml");
    std::string catalog((std::istreambuf_iterator<char>(in)), {});
    // The copy lives elsewhere: its relative calibration path must point back into the checkout.
    const std::string rel = "../calibration/reference.json";
    if (auto at = catalog.find(rel); at != std::string::npos) {
      catalog.replace(at, rel.size(), kSrc + "/calibration/reference.json");
    }
    catalog += "  test_slow:\n    source: test\n    calibration: " + (dir_ / "slow.json").string() + "\n";
    catalog += "  test_slower:\n    source: test\n    calibration: " + (dir_ / "slower.json").string() + "\n";
    std::ofstream(dir_ / "catalog.yaml") << catalog;
  }
  void TearDown() override { fs::remove_all(dir_); }

  double cpu_seconds(const std::string& table, const std::string& scenario = kSrc + "/scenarios/examples/default.yaml") {
    LoadOptions lo;
    lo.overrides = {"catalog=" + (dir_ / "catalog.yaml").string(), "cpu_costs=" + table};
    Scenario sc = load_scenario(scenario, lo);
    Catalog cat = load_catalog(sc.catalog);
    Workload wl(sc, resolve_cpu_costs(sc, cat));
    return wl.mean_chunk().cpu_seconds();
  }

  fs::path dir_;
};

TEST_F(CpuCosts, PredictedTimeFollowsTheCalibrationFile) {
  double slow = cpu_seconds("test_slow");
  double slower = cpu_seconds("test_slower");
  EXPECT_GT(slow, 0);
  EXPECT_DOUBLE_EQ(slower, 2 * slow);
  // By hand: 1 ns per element of every stage. decode sees all values of the chunk; fill_null, log and bucketize the
  // 13 dense features; sigrid_hash the 26 ids (length 1) of 8,192 samples; to_kjt the batch: all values plus the
  // 13 bucketized ids.
  double rows = 8192, all = rows * (13 + 26), dense = rows * 13, ids = rows * 26;
  EXPECT_NEAR(slow, 1e-9 * (all + 3 * dense + ids + all + dense), 1e-12);
}

TEST_F(CpuCosts, SoftwareEfficiencyDividesTheOpTime) {
  double ours = cpu_seconds("test_slow");
  std::ofstream(dir_ / "other_stack.yaml")
      << "schema: prepsim/v1\ninclude: " << kSrc << "/scenarios/examples/default.yaml\n"
      << "cpu_software: {name: other stack, source: test, efficiency: {sigrid_hash: 0.25}}\n";
  double theirs = cpu_seconds("test_slow", (dir_ / "other_stack.yaml").string());
  double hash_ours = 1e-9 * 8192 * 26;
  EXPECT_NEAR(theirs - ours, 3 * hash_ours, 1e-12);  // a quarter as efficient: four times the time
}

TEST_F(CpuCosts, UnknownTableIsAnInputErrorListingValidOnes) {
  try {
    cpu_seconds("nonexistent");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("provisional"), std::string::npos) << e.what();
    EXPECT_GT(e.line(), 0);
  }
}

}  // namespace
}  // namespace prepsim
