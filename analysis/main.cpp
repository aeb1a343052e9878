// prepsim: command-line front end. Each subcommand lives in its own file; this only parses and dispatches.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <iostream>

#include "analysis/run/bench_command.h"
#include "analysis/kernels/calibrate_command.h"
#include "analysis/kernels/op_command.h"
#include "analysis/plan/plan_command.h"
#include "analysis/reproduce/reproduce_command.h"
#include "analysis/plot/plot_command.h"
#include "analysis/run/run_command.h"
#include "analysis/sweep/sweep_command.h"
#include "analysis/validate/validate_command.h"
#include "build_info.h"

int main(int argc, char** argv) {
  CLI::App app{"prepsim " PREPSIM_VERSION
               ": discrete-event simulator and cost/energy model for ML training-data preprocessing"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", "prepsim " PREPSIM_VERSION " (" PREPSIM_GIT_COMMIT ")");

  prepsim::analysis::RunArgs run;
  CLI::App* run_cmd = app.add_subcommand("run", "simulate a scenario and print a summary (default: the shipped "
                                                "default scenario)");
  run_cmd->add_option("scenario", run.scenario, "scenario YAML (schema prepsim/v1)")
      ->default_str(prepsim::analysis::default_scenario_path());
  run_cmd->add_option("-o,--out", run.out_dir, "write report.json, CSV tables and the resolved scenario here")
      ->default_str("(none: console only)");
  run_cmd->add_option("--set", run.overrides, "override a scenario key: key.path=value (repeatable)")
      ->default_str("(none)");
  run_cmd->add_option("--seed", run.seed, "random seed (overrides the scenario's), 0 to 2^53")
      ->default_str("(scenario's)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{9007199254740992}));
  run_cmd->add_option("--cfg", run.cfg, "SimGrid configuration item:value (repeatable)")
      ->default_str("network/model:CM02 network/crosstraffic:0");
  run_cmd->add_flag("--force", run.force, "run even when the run is estimated to take over an hour");

  std::string bench_scenario = prepsim::analysis::default_bench_scenario();
  CLI::App* bench_cmd = app.add_subcommand("bench", "measure simulator speed on a scaled scenario (activities per "
                                                    "second, wall seconds per simulated second)");
  bench_cmd->add_option("scenario", bench_scenario, "scenario to time")->capture_default_str();

  // `op` and `calibrate` parse their own arguments (negative values after `--`, list arguments).
  CLI::App* op_cmd = app.add_subcommand("op", "run one real kernel on values: prepsim op NAME [--PARAM v ...] "
                                              "[--] VALUES... (prepsim op --help)");
  op_cmd->prefix_command()->set_help_flag();
  CLI::App* calibrate_cmd = app.add_subcommand("calibrate", "measure the op kernels on this host and fit their cost "
                                                            "signatures: prepsim calibrate [-o FILE] (--help)");
  calibrate_cmd->prefix_command()->set_help_flag();

  CLI::App* validate_cmd = app.add_subcommand("validate", "check the model against the same pipeline run for real "
                                                          "on this host (prepsim validate --help)");
  validate_cmd->prefix_command()->set_help_flag();

  CLI::App* sweep_cmd = app.add_subcommand("sweep", "run a scenario over the points of a sweep file into a SQLite "
                                                    "database: prepsim sweep SWEEP.yaml [-j N] [-o DIR] [--csv FILE] "
                                                    "[--force] (prepsim sweep --help)");
  sweep_cmd->prefix_command()->set_help_flag();

  CLI::App* plot_cmd = app.add_subcommand("plot", "draw a sweep, run report, plan or validation result with "
                                                  "matplotlib: prepsim plot INPUT [-o FILE.png|.svg] [--kind K] "
                                                  "(prepsim plot --help)");
  plot_cmd->prefix_command()->set_help_flag();

  CLI::App* reproduce_cmd = app.add_subcommand("reproduce", "run a published study's scenarios and compare with the "
                                                            "paper: prepsim reproduce presto [--json] (--help)");
  reproduce_cmd->prefix_command()->set_help_flag();

  CLI::App* plan_cmd = app.add_subcommand("plan", "the cheapest fleet per placement option that meets a stall or "
                                                  "throughput goal: prepsim plan SCENARIO... [--json] (--help)");
  plan_cmd->prefix_command()->set_help_flag();

  // Parse errors: one line, exit 2 (CLI11's own exit codes are 100 and up, its messages unprefixed).
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    for (char& c : what) c = c == '\n' ? ' ' : c;
    std::cerr << "prepsim: " << what << " (prepsim --help)\n";
    return 2;
  }
  if (plan_cmd->parsed()) return prepsim::analysis::run_plan_command(plan_cmd->remaining(), std::cout, std::cerr);
  if (reproduce_cmd->parsed()) {
    return prepsim::analysis::run_reproduce_command(reproduce_cmd->remaining(), std::cout, std::cerr);
  }
  if (plot_cmd->parsed()) return prepsim::analysis::run_plot_command(plot_cmd->remaining(), std::cout, std::cerr);
  if (sweep_cmd->parsed()) return prepsim::analysis::run_sweep_command(sweep_cmd->remaining(), std::cout, std::cerr);
  if (validate_cmd->parsed()) {
    return prepsim::analysis::run_validate_command(validate_cmd->remaining(), std::cout, std::cerr);
  }
  if (op_cmd->parsed()) return prepsim::analysis::run_op_command(op_cmd->remaining(), std::cout, std::cerr);
  if (calibrate_cmd->parsed()) {
    return prepsim::analysis::run_calibrate_command(calibrate_cmd->remaining(), std::cout, std::cerr);
  }
  if (run_cmd->parsed()) return prepsim::analysis::run_command(run, std::cout, std::cerr);
  if (bench_cmd->parsed()) return prepsim::analysis::bench_command(bench_scenario, std::cout, std::cerr);
  std::cout << app.help();
  return 0;
}
