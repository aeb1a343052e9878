// Scenario: what one simulation run is (docs/inputs.md): the dataset, the preprocessing DAG of stages, the
// pools of devices that run them, the trainer jobs, and run options. Read from a `schema: prepsim/v1` YAML file
// with `include:` and `--set` overrides; every default is written back into the resolved tree.
//
// All quantities are SI (bytes, seconds, watts, dollars); names carry the unit where it is not obvious.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/config/yaml_doc.h"

namespace prepsim {

struct DenseGroup {
  std::string name;
  int count = 0;
  double null_fraction = 0;
};

struct SparseGroup {
  std::string name;
  int count = 0;
  double mean_length = 1;
  std::string length_distribution = "fixed";  // fixed | poisson
  double duplication = 0;                      // d = 1 - unique rows / rows in a batch
};

struct Dataset {
  double samples = 0;            // rows in the dataset
  std::int64_t batch_size = 0;   // samples per chunk (one mini-batch)
  double compression_ratio = 1;  // raw columnar bytes / stored bytes
  std::vector<DenseGroup> dense;
  std::vector<SparseGroup> sparse;
  int line = 0;
};

// A node of the DAG: one op over one feature group (or over the whole chunk for I/O and format ops).
struct Stage {
  std::string name;
  std::string op;
  std::string features;  // group name; empty for whole-chunk ops
  int count = 0;         // features of the group this stage touches (resolved: never 0 for group ops)
  std::vector<std::string> after;
  std::string pool;
  std::map<std::string, double> params;  // numeric parameters; list parameters are stored by their length
  std::string file;
  int line = 0;
};

struct Pool {
  std::string name;
  std::string kind;  // cpu | storage | a device kind (models/devices/device_kinds.h)
  std::vector<std::string> hosts;
  int workers_per_host = 0;  // cpu: 0 means one per core; a device: chunks at once, 0 means its buffers
  double skew = 0;           // a kind that stores the dataset (isp): linear skew of the dataset's partitions
                             // across devices, in [0, 1)
  std::string file;
  int line = 0;
  std::string hosts_file;  // where `hosts` was written
  int hosts_line = 0;
};

struct TrainerJob {
  std::string name;
  bool sync = true;
  std::vector<std::string> hosts;  // one replica per host
  double step_time = 0;            // s per step with data ready
  double step_time_cv = 0;         // coefficient of variation of the step time
  int prefetch = 2;                // batches buffered per replica
  std::string file;
  int line = 0;
  std::string hosts_file;  // where `hosts` was written
  int hosts_line = 0;
};

// Another software stack than prepsim's kernels (TorchArrow in PreSto): per-op efficiency factors, each the
// ratio of our kernel's time to theirs (0.25: their op takes 4x ours), with the source of the numbers.
struct CpuSoftware {
  std::string name;    // empty: prepsim's own kernels
  std::string source;
  std::map<std::string, double> efficiency;
  int line = 0;
};

struct RunOptions {
  double warmup = 0;
  double duration = 0;
  double pue = 1;
  double electricity_price = 0;  // $/J
  double cost_horizon = 0;       // s: the duration of PreSto's cost-efficiency (3 years in its model)
};

struct Scenario {
  std::string name;
  std::string description;
  std::string file;          // the scenario file
  std::string platform;      // absolute path of the SimGrid XML
  std::string catalog;       // absolute path of the catalog YAML
  std::string cpu_costs;     // a cost table of the catalog, or "host" (this machine's calibration if present)
  CpuSoftware cpu_software;
  std::uint64_t seed = 1;
  Dataset dataset;
  std::vector<Stage> stages;  // in file order
  std::vector<Pool> pools;
  std::vector<TrainerJob> jobs;
  RunOptions run;
  config::Node resolved;  // the resolved input tree

  const Pool* find_pool(const std::string& name) const;
  const DenseGroup* find_dense(const std::string& name) const;
  const SparseGroup* find_sparse(const std::string& name) const;
};

// Where `section.key` was written in the resolved scenario (file, line): for errors about values read together
// (the section's line when the key is a default, line 0 when neither is known).
std::pair<std::string, int> written_at(const Scenario& scenario, const std::string& section, const std::string& key);

struct LoadOptions {
  std::vector<std::string> overrides;  // "key.path=value"
  std::int64_t seed = -1;              // >= 0 overrides the scenario's seed
};

// Loads, merges includes, fills defaults, applies overrides and validates the scenario and its DAG (not the
// platform: hosts are checked by the engine once the platform is loaded). Throws InputError.
Scenario load_scenario(const std::string& path, const LoadOptions& options = {});
// The same from `text`, read as if it were the file `path` (whose folder relative paths start from): for tests and
// fuzzing, which have no file.
Scenario load_scenario_text(const std::string& text, const std::string& path, const LoadOptions& options = {});

}  // namespace prepsim
