// A sweep file (schema prepsim-sweep/v1) and its expansion into points. Pure: no processes, no database.
//
//   schema: prepsim-sweep/v1
//   base: ../examples/undersized.yaml        # relative to the sweep file
//   seed: 1                                  # optional: the base scenario's otherwise
//   set: {run.duration: 5s}                  # optional: overrides applied to every point
//   axes:                                    # cartesian product, first axis slowest
//     - {key: pools.cpu.workers_per_host, values: [1, 2, 4]}
//     - {key: trainers.dlrm.step_time, range: {from: 30, to: 60, step: 10}, unit: ms}
//     - zip: [{key: a.b, values: [1, 2]}, {key: c.d, values: [x, y]}]      # equal lengths, one axis
//   random: {samples: 4, seed: 7, axes: [{key: k, uniform: {lo: 1, hi: 8, unit: ms}}]}  # one more axis
//
// A value is written into the scenario as a `--set key=value` override (read back as YAML by the scenario).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/config/yaml_doc.h"

namespace prepsim::sweep {

// One point: the axis values, in axis order (key, value text).
using Params = std::vector<std::pair<std::string, std::string>>;

struct SweepSpec {
  std::string file;                   // the sweep file
  std::string base;                   // the base scenario, absolute or relative to the current directory
  std::int64_t seed = -1;             // -1: the base scenario's
  std::vector<std::string> fixed;     // "key=value" overrides of `set:`
  std::vector<std::vector<Params>> axes;  // each axis: its list of choices (a zip or random axis sets several keys)
  std::vector<std::string> keys;      // every swept key, in order
  std::vector<int> key_lines;         // the sweep file's line of each key
  std::vector<int> fixed_lines;       // the line of each `set:` override
  double points = 1;                  // the product of the axes' lengths (expand() makes this many)
};

// Reads a sweep file. Throws InputError (file:line: key: message), also for a sweep of more than
// limits::kMaxSweepPoints points (refused before any point is made).
SweepSpec load_sweep(const std::string& path);
SweepSpec parse_sweep(config::Node root, const std::string& path);

// The cartesian product of the axes (one empty point when there are none).
std::vector<Params> expand(const SweepSpec& spec);

// A node's text as an override value: scalars as they are, sequences of scalars as "[a, b]".
std::string value_text(const config::Node& node);
// A number as the shortest text that reads back the same after rounding to 12 significant digits.
std::string number_text(double v);

}  // namespace prepsim::sweep
