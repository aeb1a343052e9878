// `prepsim calibrate`: measure this host's real op kernels and write the calibration file the cpu model reads.
//
//   prepsim calibrate [-o FILE] [--ops bucketize,log,...] [--quick]
//
// Times each op's kernel over its grid (models/calibration/runner.h), fits the op's cost signature, prints one
// line per op (fit quality included) and writes FILE, by default calibration/host.json under the current
// directory. Method, grid, file format and accuracy: docs/calibration.md.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "models/calibration/runner.h"

namespace prepsim::analysis {

// The lines printed when an op is fitted (p.result set): its fit quality and coefficients. Also used by
// `prepsim validate --calibrate`, which calibrates while it validates.
std::string calibration_result_lines(const calibration::OpProgress& p);
// One line naming the ops refitted at the end of the run against its fastest host state (runner.h); "" if none.
std::string calibration_refit_line(const calibration::CalibrationRun& run);

// `args` are the words after `prepsim calibrate`. Returns 0 on success, 2 for bad arguments (message on `err`),
// 1 when the run or the write fails. Progress redraws one line when `out` is std::cout on a terminal, and prints
// plain lines otherwise.
int run_calibrate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
