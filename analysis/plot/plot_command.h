// `prepsim plot INPUT [-o FILE.png|.svg] [--kind K] [--x AXIS] [--y METRIC] [--tolerance T]`: draws one figure
// of a prepsim output with matplotlib. This side recognises the input (sweep database or its CSV export, run
// report, plan JSON, validation JSON), checks the arguments against it, finds a Python that can import
// matplotlib and runs analysis/plot/prepsim_plot.py with argv (posix_spawn, no shell). docs/plots.md.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace prepsim::analysis {

enum class PlotInput { SweepDb, SweepCsv, Report, Plan, Validation };

// The name passed to the script (`--type`): sweep-db, sweep-csv, report, plan, validation.
std::string plot_input_name(PlotInput input);

// What the file (or directory holding sweep.db or report.json) at `path` is, by content; `resolved` receives the
// file that will be read. Throws InputError naming the accepted formats.
PlotInput detect_plot_input(const std::string& path, std::string& resolved);

// The same decision on the first bytes of a file (`head`, up to the whole file) and its name.
std::optional<PlotInput> classify_plot_input(const std::string& head, const std::string& filename);

// The kinds an input can be drawn as; the first is the default.
std::vector<std::string> plot_kinds(PlotInput input);

// Default output: beside `input`, `<input stem>-<kind>.png`.
std::string default_plot_output(const std::string& input, const std::string& kind);

// Interpreters to try, in order: PREPSIM_PYTHON alone when set (non-empty), else /usr/bin/python3 then `python3`
// on PATH.
std::vector<std::string> python_candidates(const char* prepsim_python_env);

// Exit codes: 0 written, 2 bad arguments or input, no usable matplotlib, or the script failed; 1 the script is
// missing.
int run_plot_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace prepsim::analysis
