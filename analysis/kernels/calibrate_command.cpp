#include "analysis/kernels/calibrate_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <stdexcept>

#include "analysis/cli_parse.h"
#include "models/calibration/host_load.h"
#include "models/calibration/runner.h"
#include "models/cpu_costs.h"
#include "models/validation/sentinel.h"

namespace prepsim::analysis {
namespace {

// Fit quality below which the line says so (see docs/calibration.md, "How accurate is this?").
constexpr double kPoorRSquared = 0.95;
constexpr double kPoorRmsResidual = 0.10;
constexpr double kIllConditioned = 1e6;
constexpr double kBusyLoad = 1.0;  // 1-minute load average from which the run warns

std::string human_seconds(double s) {
  if (s == 0) return "0";
  double a = std::abs(s);
  if (a >= 1) return fmt::format("{:.3g} s", s);
  if (a >= 1e-3) return fmt::format("{:.3g} ms", s * 1e3);
  if (a >= 1e-6) return fmt::format("{:.3g} us", s * 1e6);
  if (a >= 1e-9) return fmt::format("{:.3g} ns", s * 1e9);
  return fmt::format("{:.3g} ps", s * 1e12);
}

std::string condition_text(double c) { return std::isfinite(c) ? fmt::format("{:.3g}", c) : "inf"; }

}  // namespace

std::string calibration_refit_line(const calibration::CalibrationRun& run) {
  if (run.refitted.empty()) return "";
  return fmt::format("refitted against the run's fastest host state (rounds judged again by the sentinel): {}\n",
                     fmt::join(run.refitted, ", "));
}

std::string calibration_result_lines(const calibration::OpProgress& p) {
  const calibration::OpCalibration& c = *p.result;
  const calibration::FitResult& f = c.fit;
  std::string line =
      fmt::format("[{:>2}/{}] {:<12} {:>3} points {:>5.1f} s  R^2 {:.4f}  rms {:.1f}%  worst {:.1f}%  cond {}",
                  p.op_index + 1, p.op_count, c.op, f.samples, p.op_seconds, f.r_squared,
                  100 * f.rms_relative_residual, 100 * f.worst_relative_residual, condition_text(f.condition_number));
  std::vector<std::string> notes;
  if (f.r_squared < kPoorRSquared || f.rms_relative_residual > kPoorRmsResidual) notes.push_back("poor fit");
  if (!(f.condition_number < kIllConditioned)) notes.push_back("ill-conditioned grid");
  if (p.disturbed > 0) {
    notes.push_back(fmt::format("{} points never timed clean (host in its slow state, or a core lost): "
                                "their fastest kept", p.disturbed));
  }
  for (const std::string& n : notes) line += "  (" + n + ")";
  line += "\n        ";
  for (std::size_t k = 0; k < f.terms.size(); ++k) {
    bool zero = std::find(f.zero_terms.begin(), f.zero_terms.end(), f.terms[k]) != f.zero_terms.end();
    line += fmt::format("{} {}{}  ", to_string(f.terms[k]), human_seconds(f.coefficients[k]), zero ? " (pinned)" : "");
  }
  line += fmt::format("| out {:.3g} B/elem\n", c.output_bytes_per_input_element);
  return line;
}

int run_calibrate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"Time this host's op kernels over a grid of sizes, fit each op's cost signature, and write the "
               "calibration file the cpu model reads (docs/calibration.md).",
               "prepsim calibrate"};
  std::string output = kHostCalibrationPath;
  std::vector<std::string> ops;
  bool quick = false;
  app.add_option("-o,--output", output, "calibration file to write (parent directories are created)")
      ->type_name("FILE")
      ->capture_default_str();
  app.add_option("--ops", ops, "only these ops (comma-separated); default: every op with a kernel")
      ->type_name("OP,...")
      ->delimiter(',');
  app.add_flag("--quick", quick, "tiny grid and few repetitions (seconds; for tests, not for use)");
  if (int code = parse_subcommand(app, "calibrate", args, out, err); code >= 0) return code;
  if (output.empty()) {
    err << "prepsim calibrate: -o needs a file name\n";
    return 2;
  }

  calibration::RunnerOptions options;
  options.quick = quick;
  options.ops = ops;
  validation::HostSentinel sentinel;  // rounds count only while the host is in its fast state (runner.h)
  options.host_sentinel = [&sentinel] { return sentinel.measure(); };
  const bool tty = &out == &std::cout && ::isatty(STDOUT_FILENO) == 1;

  calibration::CalibrationRun run;
  calibration::keep_freed_memory();  // the allocator regime `prepsim validate` measures in too
  try {
    std::vector<std::string> have = calibration::harnessed_ops();
    out << fmt::format("prepsim calibrate: {} ops with kernels{}\n", have.size(), quick ? " (quick grid)" : "");
    const calibration::Provenance host = calibration::current_provenance();
    if (host.load_average >= kBusyLoad) {
      out << fmt::format("note: load average {:.2f} on {} logical cores: other work on this host disturbs the "
                         "timings; calibrate on a quiet machine\n",
                         host.load_average, host.logical_cores);
    }
    run = calibration::run_calibration(options, [&](const calibration::OpProgress& p) {
      if (p.result != nullptr) {
        out << (tty ? "\r\033[K" : "") << calibration_result_lines(p) << std::flush;
      } else if (tty) {
        out << fmt::format("\r\033[K[{:>2}/{}] {:<12} {}/{} points {:.1f} s", p.op_index + 1, p.op_count, p.op,
                           p.point, p.points, p.op_seconds)
            << std::flush;
      }
    });
  } catch (const std::invalid_argument& e) {
    err << "prepsim calibrate: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "prepsim calibrate: calibration failed: " << e.what() << "\n";
    return 1;
  }

  std::vector<std::string> missing;
  for (const std::string& op : run.skipped) {
    if (find_op(op)->cpu_cost) missing.push_back(op);
  }
  if (!missing.empty() && ops.empty()) {
    out << "not calibrated (no kernel): " << fmt::format("{}", fmt::join(missing, ", ")) << "\n";
  }
  try {
    calibration::write_calibration_file(run.file, output);
  } catch (const std::exception& e) {
    err << "prepsim calibrate: " << e.what() << "\n";
    return 1;
  }
  out << calibration_refit_line(run);
  out << fmt::format("wrote {} ({} ops, {:.1f} s)\n", output, run.file.ops.size(), run.seconds);
  return 0;
}

}  // namespace prepsim::analysis
