// `prepsim plot`: recognises the input, checks the arguments, then runs analysis/plot/prepsim_plot.py under the
// first Python that can import matplotlib. The script reads the input itself (sqlite3, csv, json modules) and
// writes the figure only when everything is valid, so a rejected input leaves nothing behind.
#include "analysis/plot/plot_command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/cli_parse.h"
#include "models/config/input_error.h"

extern char** environ;

namespace prepsim::analysis {

namespace fs = std::filesystem;

namespace {

const char* kAccepted =
    "accepted: a sweep database (DIR/sweep.db of `prepsim sweep`) or its CSV export (`prepsim sweep --csv`), a run "
    "report (DIR/report.json of `prepsim run -o DIR`, schema prepsim-report/v1), a plan JSON (schema "
    "prepsim-plan/v1) or a validation document (prepsim-validation/v2, `prepsim validate -o DIR`)";

const char* kNoMatplotlib =
    "install Debian's python3-matplotlib (apt-get install python3-matplotlib), or set PREPSIM_PYTHON to a Python "
    "that can import matplotlib";

std::string plot_script() { return std::string(PREPSIM_SOURCE_DIR) + "/analysis/plot/prepsim_plot.py"; }

// Runs argv (PATH searched when argv[0] has no slash) with stdout and stderr captured. Returns the exit code,
// or -1 when it could not be started or was killed.
int spawn_capture(const std::vector<std::string>& args, std::string& captured) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc == 0) {
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
      if (n > 0) captured.append(buf, static_cast<std::size_t>(n));
    }
  }
  close(fds[0]);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The last non-blank line of a child's output: the script's one-line error (after any warnings).
std::string last_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  std::size_t nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

// A bad command-line argument (not about the input file's content).
struct ArgError : std::runtime_error {
  ArgError(const std::string& option, const std::string& msg) : std::runtime_error(option + ": " + msg) {}
};

bool uses(const std::string& kind, const std::string& option) {
  if (option == "--x" || option == "--y") return kind == "axis" || kind == "pareto";
  return kind == "validation";  // --tolerance
}

}  // namespace

std::string plot_input_name(PlotInput input) {
  switch (input) {
    case PlotInput::SweepDb: return "sweep-db";
    case PlotInput::SweepCsv: return "sweep-csv";
    case PlotInput::Report: return "report";
    case PlotInput::Plan: return "plan";
    case PlotInput::Validation: return "validation";
  }
  return "?";
}

std::optional<PlotInput> classify_plot_input(const std::string& head, const std::string& filename) {
  static const std::string kSqlite("SQLite format 3\0", 16);
  if (head.compare(0, kSqlite.size(), kSqlite) == 0) return PlotInput::SweepDb;
  std::size_t first = head.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (head[first] == '{' || head[first] == '[')) {
    nlohmann::json j = nlohmann::json::parse(head, nullptr, false);
    if (j.is_discarded()) throw InputError(filename, 0, "", "not valid JSON (a plot input in JSON is a run report, "
                                                            "a plan or a validation list)");
    if (j.is_object()) {
      std::string schema = j.contains("schema") && j["schema"].is_string() ? j["schema"].get<std::string>() : "";
      if (schema == "prepsim-report/v1") return PlotInput::Report;
      if (schema == "prepsim-plan/v1") return PlotInput::Plan;
      if (schema == "prepsim-validation/v2") return PlotInput::Validation;
      throw InputError(filename, 0, "schema",
                       fmt::format("'{}' is not a schema prepsim plot reads: prepsim-report/v1 (prepsim run -o DIR), "
                                   "prepsim-plan/v1 (prepsim plan --json) or prepsim-validation/v2 (prepsim "
                                   "validate -o DIR: DIR/validation.json)", schema));
    }
    throw InputError(filename, 0, "", "a JSON list is no plot input (a run report, a plan or a validation document "
                                      "is a JSON object with a schema)");
  }
  if (head.rfind("key,status,", 0) == 0) return PlotInput::SweepCsv;
  if (fs::path(filename).extension() == ".csv") {
    throw InputError(filename, 1, "", "not a `prepsim sweep --csv` export: its header starts with key,status,");
  }
  return std::nullopt;
}

PlotInput detect_plot_input(const std::string& path, std::string& resolved) {
  resolved = path;
  if (fs::is_directory(path)) {
    if (fs::is_regular_file(fs::path(path) / "sweep.db")) resolved = (fs::path(path) / "sweep.db").string();
    else if (fs::is_regular_file(fs::path(path) / "report.json")) resolved = (fs::path(path) / "report.json").string();
    else throw InputError(path, 0, "", fmt::format("a directory without sweep.db or report.json; {}", kAccepted));
  }
  std::ifstream in(resolved, std::ios::binary);
  if (!fs::is_regular_file(resolved) || !in) {
    throw InputError(resolved, 0, "", std::string("no such file; ") + kAccepted);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::optional<PlotInput> kind = classify_plot_input(ss.str(), resolved);
  if (!kind) throw InputError(resolved, 0, "", std::string("not an input prepsim plot reads; ") + kAccepted);
  return *kind;
}

std::vector<std::string> plot_kinds(PlotInput input) {
  switch (input) {
    case PlotInput::SweepDb:
    case PlotInput::SweepCsv: return {"axis", "pareto"};
    case PlotInput::Report: return {"energy"};
    case PlotInput::Plan: return {"plan", "pareto"};
    case PlotInput::Validation: return {"validation"};
  }
  return {};
}

std::string default_plot_output(const std::string& input, const std::string& kind) {
  fs::path p(input);
  return (p.parent_path() / (p.stem().string() + "-" + kind + ".png")).string();
}

std::vector<std::string> python_candidates(const char* env) {
  if (env != nullptr && *env != '\0') return {env};
  return {"/usr/bin/python3", "python3"};
}

int run_plot_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"prepsim plot: draw a sweep, run report, plan or validation result with matplotlib (docs/plots.md)",
               "prepsim plot"};
  std::string input, output, kind, x, y;
  double tolerance = 0.2;
  app.add_option("input", input, "sweep.db (or its directory), sweep CSV, report.json (or its run directory), "
                                 "plan JSON or validation JSON")->required();
  app.add_option("-o,--out", output, "figure to write, .png or .svg")
      ->default_str("<input stem>-<kind>.png beside INPUT");
  app.add_option("--kind", kind, "axis|pareto (sweep), energy (report), plan|pareto (plan), validation")
      ->default_str("axis, energy, plan or validation by input");
  CLI::Option* x_opt = app.add_option("--x", x, "axis: the swept axis on x; pareto: the cost metric on x")
      ->default_str("first swept axis; fleet_tco_usd or tco_usd");
  CLI::Option* y_opt = app.add_option("--y", y, "axis: one metric instead of throughput and stall; pareto: the "
                                                "metric to maximize")
      ->default_str("throughput and stall; throughput_samples_per_s");
  CLI::Option* tol_opt = app.add_option("--tolerance", tolerance, "validation: half-width of the band around y=x, "
                                                                  "a fraction (recolours by the band instead of the "
                                                                  "file's verdicts)")
      ->default_str("the tolerance the file was judged at, else 0.2");
  if (int code = parse_subcommand(app, "plot", args, out, err); code >= 0) return code;

  std::string file;
  try {
    PlotInput type = detect_plot_input(input, file);
    std::vector<std::string> kinds = plot_kinds(type);
    if (kind.empty()) kind = kinds.front();
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
      throw InputError(file, 0, "--kind", fmt::format("'{}' cannot be drawn from a {} input; valid: {}", kind,
                                                      plot_input_name(type), fmt::join(kinds, ", ")));
    }
    for (auto [opt, name] : {std::pair{x_opt, "--x"}, std::pair{y_opt, "--y"}, std::pair{tol_opt, "--tolerance"}}) {
      if (opt->count() > 0 && !uses(kind, name)) {
        throw ArgError(name, fmt::format("not used by kind {}; --x and --y go with axis and pareto, --tolerance "
                                         "with validation", kind));
      }
    }
    if (!(tolerance > 0 && tolerance < 1)) {
      throw ArgError("--tolerance", fmt::format("{} is not a fraction between 0 and 1 (e.g. 0.2)", tolerance));
    }
    if (output.empty()) output = default_plot_output(file, kind);
    std::string ext = fs::path(output).extension().string();
    if (ext != ".png" && ext != ".svg") {
      throw InputError(output, 0, "-o", "the figure's format comes from its extension: .png or .svg");
    }
    fs::path dir = fs::path(output).parent_path();
    if (!dir.empty() && !fs::is_directory(dir)) {
      throw InputError(output, 0, "-o", fmt::format("directory {} does not exist", dir.string()));
    }

    std::string script = plot_script();
    if (!fs::is_regular_file(script)) {
      err << "prepsim plot: " << script << " is missing (it ships in the source tree this binary was built from)\n";
      return 1;
    }
    std::vector<std::string> tried;
    for (const std::string& python : python_candidates(std::getenv("PREPSIM_PYTHON"))) {
      std::string probe_out;
      int probe = spawn_capture({python, "-c", "import importlib.util, sys\n"
                                               "sys.exit(importlib.util.find_spec('matplotlib') is None)"},
                                probe_out);
      if (probe != 0) {
        tried.push_back(python + (probe < 0 ? " (cannot run)" : " (no matplotlib)"));
        continue;
      }
      std::vector<std::string> cmd = {python, script, "--type", plot_input_name(type), "--kind", kind,
                                      "--input", file, "--output", output};
      if (!x.empty()) cmd.insert(cmd.end(), {"--x", x});
      if (!y.empty()) cmd.insert(cmd.end(), {"--y", y});
      if (kind == "validation" && tol_opt->count() > 0) {
        cmd.insert(cmd.end(), {"--tolerance", fmt::format("{}", tolerance)});
      }
      std::string captured;
      int rc = spawn_capture(cmd, captured);
      if (rc == 0) {
        out << fmt::format("prepsim plot: wrote {} ({} of {})\n", output, kind, file);
        return 0;
      }
      if (rc == 3) {  // the script could not import matplotlib after all
        tried.push_back(python + " (" + last_line(captured) + ")");
        continue;
      }
      std::string msg = last_line(captured);
      if (msg.rfind("prepsim plot: ", 0) != 0) {  // not the script's own message: a crash of the script
        msg = fmt::format("prepsim plot: {} {} failed (exit code {}): {}", python, script, rc, msg);
      }
      err << msg << "\n";
      return 2;
    }
    err << fmt::format("prepsim plot: no Python that can import matplotlib (tried {}): {}\n", fmt::join(tried, ", "),
                       kNoMatplotlib);
    return 2;
  } catch (const InputError& e) {
    err << "prepsim plot: " << e.what() << "\n";
    return 2;
  } catch (const ArgError& e) {
    err << "prepsim plot: " << e.what() << " (prepsim plot --help)\n";
    return 2;
  }
}

}  // namespace prepsim::analysis
