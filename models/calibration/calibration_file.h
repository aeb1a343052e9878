// The calibration file: what `prepsim calibrate` measured on a host, and how the cpu model reads it back.
//
// JSON, schema "prepsim-calibration/v1" (full description in docs/calibration.md):
//   { "schema": "prepsim-calibration/v1",
//     "provenance": { "cpu_model", "logical_cores", "compiler", "cxx_flags", "build_type", "date_utc",
//                     "prepsim_version", "git_commit", "load_average_1min" },
//     "ops": { "<op>": { "signature": ["constant", "rows", ...],
//                        "seconds_per_term": { "constant": 1.2e-7, "rows": 3e-9, ... },
//                        "output_bytes_per_input_element": 8.0,
//                        "fit": { "grid_points", "r_squared", "worst_relative_residual", "rms_relative_residual",
//                                 "condition_number" (null = infinite), "zero_terms": [...] } } } }
// The reader is strict: a wrong schema, an unknown op or term, a signature other than the op's declared one, a
// missing or mistyped field all throw std::runtime_error naming the file and the JSON pointer of the problem.
// One exception: a signature that is a leading part of the declared one was written before the op's signature
// grew; it is read as the older model it is, the newer terms at 0, and listed in OpCalibration::missing_terms.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "models/calibration/fit.h"
#include "models/op_cost.h"

namespace prepsim::calibration {

inline constexpr const char* kCalibrationSchema = "prepsim-calibration/v1";

// Where and with what the numbers were measured.
struct Provenance {
  std::string cpu_model;  // "model name" of /proc/cpuinfo
  int logical_cores = 0;
  std::string compiler;
  std::string cxx_flags;
  std::string build_type;
  std::string date_utc;  // ISO 8601, e.g. 2024-05-01T12:00:00Z
  std::string prepsim_version;
  std::string git_commit;
  double load_average = 0;  // 1-minute load average when the run started (> cores: timings were disturbed)
};

// This host and this build, now.
Provenance current_provenance();

// One op's result: the fit of its declared signature and what it outputs per input element.
struct OpCalibration {
  std::string op;
  FitResult fit;  // fit.terms is the signature; fit.coefficients are seconds per term unit
  double output_bytes_per_input_element = 0;
  std::vector<CostTerm> missing_terms;  // declared terms the file predates (read as 0); empty for a current file
};

struct CalibrationFile {
  Provenance provenance;
  std::vector<OpCalibration> ops;  // in the order of all_ops()

  // nullptr when `op` was not calibrated.
  const OpCalibration* find(const std::string& op) const;
  // "decode (columns, stored_bytes, raw_bytes), dedup (lists)": the ops calibrated before their signature grew;
  // empty when the file is current.
  std::string outdated_ops() const;
};

// Serialization. `to_json_text` is what `write_calibration_file` writes (pretty printed, trailing newline).
std::string to_json_text(const CalibrationFile& file);
// Writes atomically (temporary file then rename); creates missing parent directories. Throws std::runtime_error.
void write_calibration_file(const CalibrationFile& file, const std::filesystem::path& path);

// Parses and validates; `source_name` prefixes error messages (usually the file name).
CalibrationFile parse_calibration(const std::string& text, const std::string& source_name);
CalibrationFile read_calibration_file(const std::filesystem::path& path);

// The table the cpu model reads. Its `source` names the file and the provenance in one line.
CostTable to_cost_table(const CalibrationFile& file, const std::string& source_name);

}  // namespace prepsim::calibration
