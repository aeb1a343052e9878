#include "models/calibration/calibration_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace prepsim::calibration {
namespace {

using T = CostTerm;

CalibrationFile sample_file() {
  CalibrationFile f;
  f.provenance = current_provenance();
  OpCalibration b;
  b.op = "bucketize";
  b.fit.terms = {T::Constant, T::Rows, T::Elements, T::ElementsLog2Borders};
  b.fit.coefficients = {1.2345678901234567e-7, 0.0, 1.1e-9, 3.0000000000000004e-10};
  b.fit.zero_terms = {T::Rows};
  b.fit.r_squared = 0.99987;
  b.fit.worst_relative_residual = 0.0421;
  b.fit.rms_relative_residual = 0.0123;
  b.fit.condition_number = 37.5;
  b.fit.samples = 48;
  b.output_bytes_per_input_element = 8.0;
  OpCalibration l;
  l.op = "log";
  l.fit.terms = {T::Constant, T::Rows, T::Elements};
  l.fit.coefficients = {2e-7, 1e-10, 4.5e-9};
  l.fit.r_squared = 0.9991;
  l.fit.worst_relative_residual = 0.08;
  l.fit.rms_relative_residual = 0.03;
  l.fit.condition_number = std::numeric_limits<double>::infinity();
  l.fit.samples = 3;
  l.output_bytes_per_input_element = 5.0;
  f.ops = {b, l};
  return f;
}

std::string error_of(const std::string& text) {
  try {
    parse_calibration(text, "host.json");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

nlohmann::json sample_json() { return nlohmann::json::parse(to_json_text(sample_file())); }

TEST(CalibrationFile, ProvenanceDescribesThisBuild) {
  Provenance p = current_provenance();
  EXPECT_FALSE(p.cpu_model.empty());
  EXPECT_GT(p.logical_cores, 0);
  EXPECT_FALSE(p.compiler.empty());
  EXPECT_EQ(p.date_utc.size(), 20u);
  EXPECT_EQ(p.date_utc.back(), 'Z');
}

TEST(CalibrationFile, RoundTripGivesTheSameTable) {
  CalibrationFile f = sample_file();
  auto path = std::filesystem::temp_directory_path() /
              ("prepsim_calib_rt_" + std::to_string(::getpid())) / "sub" / "host.json";
  write_calibration_file(f, path);
  CalibrationFile back = read_calibration_file(path);
  std::filesystem::remove_all(path.parent_path().parent_path());

  EXPECT_EQ(back.provenance.cpu_model, f.provenance.cpu_model);
  EXPECT_EQ(back.provenance.git_commit, f.provenance.git_commit);
  EXPECT_EQ(back.provenance.date_utc, f.provenance.date_utc);
  CostTable a = to_cost_table(f, "x.json"), b = to_cost_table(back, "x.json");
  EXPECT_EQ(a.source, b.source);
  ASSERT_EQ(a.ops.size(), 2u);
  ASSERT_EQ(b.ops.size(), 2u);
  for (const auto& [op, coef] : a.ops) {
    const OpCostCoefficients* other = b.find(op);
    ASSERT_NE(other, nullptr) << op;
    EXPECT_EQ(other->terms, coef.terms) << op;  // bit-exact doubles
    EXPECT_EQ(other->output_bytes_per_input_element, coef.output_bytes_per_input_element);
  }
  OpWork w{1000, 8000, 8000, 15};
  EXPECT_EQ(a.seconds("bucketize", w), b.seconds("bucketize", w));
  EXPECT_TRUE(std::isinf(back.find("log")->fit.condition_number));
  EXPECT_EQ(back.find("bucketize")->fit.zero_terms, std::vector<CostTerm>{T::Rows});
  EXPECT_EQ(back.find("bucketize")->fit.samples, 48u);
  EXPECT_EQ(back.find("bucketize")->fit.r_squared, 0.99987);
  EXPECT_EQ(to_json_text(back), to_json_text(f));
}

TEST(CalibrationFile, CostTableSecondsFollowTheSignature) {
  CostTable t = to_cost_table(sample_file(), "host.json");
  OpWork w{100, 400, 400, 0};
  EXPECT_DOUBLE_EQ(t.seconds("log", w), 2e-7 + 100 * 1e-10 + 400 * 4.5e-9);
  EXPECT_NE(t.source.find("host.json"), std::string::npos);
}

TEST(CalibrationFile, WrongSchemaIsRejected) {
  auto j = sample_json();
  j["schema"] = "prepsim-calibration/v0";
  std::string e = error_of(j.dump());
  EXPECT_NE(e.find("host.json: /schema:"), std::string::npos) << e;
}

TEST(CalibrationFile, UnknownOpIsRejected) {
  auto j = sample_json();
  j["ops"]["bucketise"] = j["ops"]["bucketize"];
  std::string e = error_of(j.dump());
  EXPECT_NE(e.find("host.json: /ops/bucketise: unknown op 'bucketise'"), std::string::npos) << e;
}

TEST(CalibrationFile, UnknownTermIsRejected) {
  auto j = sample_json();
  j["ops"]["log"]["signature"][1] = "rowz";
  std::string e = error_of(j.dump());
  EXPECT_NE(e.find("host.json: /ops/log/signature/1: unknown cost term 'rowz'"), std::string::npos) << e;
}

TEST(CalibrationFile, SignatureOtherThanDeclaredIsRejected) {
  auto j = sample_json();
  j["ops"]["log"]["signature"] = {"constant", "elements"};
  std::string e = error_of(j.dump());
  EXPECT_NE(e.find("/ops/log/signature: signature [constant, elements] differs"), std::string::npos) << e;
}

// decode's signature grew (columns, stored_bytes, raw_bytes): a file written before reads as the older model, the
// new terms at 0 and listed; the same file with a term dropped from the middle is stale and refused.
TEST(CalibrationFile, SignatureThatPredatesNewTermsReadsAsTheOlderModel) {
  auto j = sample_json();
  j["ops"]["decode"] = j["ops"]["log"];
  j["ops"]["decode"]["fit"]["grid_points"] = 40;
  const CalibrationFile f = parse_calibration(j.dump(), "host.json");
  const OpCalibration* d = f.find("decode");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->fit.terms, find_op("decode")->signature);
  EXPECT_EQ(d->missing_terms, (std::vector<CostTerm>{T::Columns, T::StoredBytes, T::RawBytes}));
  EXPECT_EQ(d->fit.coefficients, (std::vector<double>{2e-7, 1e-10, 4.5e-9, 0, 0, 0}));
  EXPECT_EQ(f.outdated_ops(), "decode (columns, stored_bytes, raw_bytes)");
  EXPECT_EQ(f.find("log")->missing_terms.size(), 0u);
  EXPECT_EQ(parse_calibration(to_json_text(sample_file()), "host.json").outdated_ops(), "");
  // Written back, it is a current file with explicit zeros.
  EXPECT_EQ(parse_calibration(to_json_text(f), "host.json").outdated_ops(), "");

  j["ops"]["decode"]["signature"] = {"constant", "elements"};
  j["ops"]["decode"]["seconds_per_term"] = {{"constant", 1e-6}, {"elements", 1e-9}};
  std::string e = error_of(j.dump());
  EXPECT_NE(e.find("/ops/decode/signature: signature [constant, elements] differs"), std::string::npos) << e;
}

TEST(CalibrationFile, MissingFieldsAreRejectedWithTheirPath) {
  auto j = sample_json();
  j["ops"]["bucketize"]["seconds_per_term"].erase("elements_log2_borders");
  EXPECT_NE(error_of(j.dump()).find("/ops/bucketize/seconds_per_term/elements_log2_borders: missing field"),
            std::string::npos);
  j = sample_json();
  j["ops"]["log"]["fit"].erase("r_squared");
  EXPECT_NE(error_of(j.dump()).find("/ops/log/fit/r_squared: missing field"), std::string::npos);
  j = sample_json();
  j["provenance"].erase("git_commit");
  EXPECT_NE(error_of(j.dump()).find("host.json: /provenance/git_commit: missing field"), std::string::npos);
}

TEST(CalibrationFile, WrongTypesValuesAndExtraFieldsAreRejected) {
  auto j = sample_json();
  j["ops"]["log"]["seconds_per_term"]["rows"] = "fast";
  EXPECT_NE(error_of(j.dump()).find("/ops/log/seconds_per_term/rows: expected a number"), std::string::npos);
  j = sample_json();
  j["ops"]["log"]["seconds_per_term"]["rows"] = -1e-9;
  EXPECT_NE(error_of(j.dump()).find("/ops/log/seconds_per_term/rows: -1e-09 is outside"), std::string::npos);
  j = sample_json();
  j["ops"]["log"]["seconds_per_term"]["output_elements"] = 1e-9;
  EXPECT_NE(error_of(j.dump()).find("/ops/log/seconds_per_term/output_elements: unknown field"), std::string::npos);
  j = sample_json();
  j["ops"]["log"]["fit"]["rms_relative_residual"] = 0.5;  // above the worst residual
  EXPECT_NE(error_of(j.dump()).find("/ops/log/fit/rms_relative_residual: 0.5 is outside"), std::string::npos);
  j = sample_json();
  j["ops"]["log"]["notes"] = "hi";
  EXPECT_NE(error_of(j.dump()).find("/ops/log/notes: unknown field"), std::string::npos);
  EXPECT_NE(error_of("{ not json").find("host.json: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("[]").find("host.json: /: expected an object"), std::string::npos);
}

TEST(CalibrationFile, MissingFileNamesThePath) {
  try {
    read_calibration_file("/nonexistent/prepsim/host.json");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/prepsim/host.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace prepsim::calibration
