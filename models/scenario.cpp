#include "models/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "models/config/input_error.h"
#include "models/config/map_reader.h"
#include "models/config/overrides.h"
#include "models/dag.h"
#include "models/devices/device_kinds.h"
#include "models/limits.h"
#include "models/op_registry.h"

namespace prepsim {

using config::MapReader;
using config::Node;
using config::Range;
namespace fs = std::filesystem;

const Pool* Scenario::find_pool(const std::string& n) const {
  for (const Pool& p : pools) {
    if (p.name == n) return &p;
  }
  return nullptr;
}
const DenseGroup* Scenario::find_dense(const std::string& n) const {
  for (const DenseGroup& g : dataset.dense) {
    if (g.name == n) return &g;
  }
  return nullptr;
}
const SparseGroup* Scenario::find_sparse(const std::string& n) const {
  for (const SparseGroup& g : dataset.sparse) {
    if (g.name == n) return &g;
  }
  return nullptr;
}

std::pair<std::string, int> written_at(const Scenario& sc, const std::string& section, const std::string& key) {
  const Node* sec = sc.resolved.find(section);
  const Node* n = sec != nullptr ? sec->find(key) : nullptr;
  if (n != nullptr && n->line > 0) return {n->file, n->line};
  if (sec != nullptr && sec->line > 0) return {sec->file, sec->line};
  return {sc.file, 0};
}

namespace {

const std::vector<std::string> kPoolKinds = devices::with_device_kinds({"cpu", "storage"});

// A pool of a device kind whose devices store the dataset (isp): read runs on it.
bool stores_dataset(const std::string& kind) {
  const devices::DeviceKind* k = devices::find_device_kind(kind);
  return k != nullptr && k->stores_dataset;
}
constexpr std::size_t kMaxIncludeDepth = 32;
// PUE: 1 is a perfect facility; the worst data centres measured are about 2.5-3.
constexpr double kMaxPue = 10;

// The absolute path of an include, or the reason it cannot be one (a name too long, a symlink loop ...).
std::string include_target(const fs::path& target, const std::string& file, int line) {
  std::error_code ec;
  fs::file_status st = fs::status(target, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    throw InputError(file, line, "include", fmt::format("'{}': {}", target.string(), ec.message()));
  }
  if (!fs::is_regular_file(st)) {
    throw InputError(file, line, "include",
                     fmt::format("'{}' is {}", target.string(), fs::exists(st) ? "not a regular file" : "no such file"));
  }
  fs::path abs = fs::weakly_canonical(target, ec);
  if (ec) throw InputError(file, line, "include", fmt::format("'{}': {}", target.string(), ec.message()));
  return abs.string();
}

// Reads a document and the files it includes (relative to it); the including file's keys win. `chain` holds the
// absolute paths of the files being read, outermost first.
Node merge_includes(Node doc, const fs::path& path, std::vector<std::string>& chain);

Node load_with_includes(const fs::path& path, std::vector<std::string>& chain) {
  return merge_includes(config::load_yaml_file(path.string()), path, chain);
}

Node merge_includes(Node doc, const fs::path& path, std::vector<std::string>& chain) {
  if (!doc.is_map()) throw InputError(path.string(), doc.line, "<top>", "a scenario is a YAML map of sections");
  Node merged = Node::make_map(path.string(), 1);
  if (Node* inc = doc.find("include")) {
    std::vector<const Node*> files;
    if (inc->is_scalar()) files.push_back(inc);
    else if (inc->is_seq()) for (const Node& n : inc->items) files.push_back(&n);
    else throw InputError(path.string(), inc->line, "include", "expected a file name or a list of file names");
    for (const Node* f : files) {
      if (!f->is_scalar()) throw InputError(path.string(), f->line, "include", "expected a file name");
      std::string abs = include_target(path.parent_path() / f->scalar, path.string(), f->line);
      if (std::find(chain.begin(), chain.end(), abs) != chain.end()) {
        throw InputError(path.string(), f->line, "include",
                         fmt::format("include cycle: {} -> {}", fmt::join(chain, " -> "), abs));
      }
      if (chain.size() >= kMaxIncludeDepth) {
        throw InputError(path.string(), f->line, "include",
                         fmt::format("includes nested deeper than {}: {}", kMaxIncludeDepth, fmt::join(chain, " -> ")));
      }
      chain.push_back(abs);
      config::merge_into(merged, load_with_includes(path.parent_path() / f->scalar, chain));
      chain.pop_back();
    }
    doc.entries.erase(std::remove_if(doc.entries.begin(), doc.entries.end(),
                                     [](const auto& e) { return e.first == "include"; }),
                      doc.entries.end());
  }
  config::merge_into(merged, doc);
  return merged;
}

// A path in the scenario: relative to the file that wrote it; written back absolute.
std::string resolve_path(MapReader& r, const std::string& key) {
  std::string abs = r.file_path(key);
  r.node().find(key)->scalar = abs;
  return abs;
}

void read_dataset(Node& node, Scenario& sc) {
  MapReader r(node, "dataset");
  Dataset& d = sc.dataset;
  d.line = node.line;
  d.samples = r.quantity("samples", Dim::Count, std::nullopt, Range::positive_only().up_to(limits::kMaxSamples));
  d.batch_size = r.integer("batch_size", std::nullopt, Range::positive_only().up_to(limits::kMaxSamples));
  if (static_cast<double>(d.batch_size) > d.samples) {
    r.fail("batch_size", fmt::format("a batch of {} samples is larger than the dataset ({} samples); a batch is at "
                                     "most the whole dataset",
                                     d.batch_size, r.node().find("samples")->scalar));
  }
  d.compression_ratio = r.quantity("compression_ratio", Dim::Ratio, "1", Range::positive_only());
  std::set<std::string> names;
  auto check_name = [&](MapReader& g, const std::string& name) {
    if (!names.insert(name).second) g.fail("name", fmt::format("feature group '{}' is defined twice", name));
  };
  if (Node* dense = r.seq("dense", true)) {
    for (Node& item : dense->items) {
      MapReader g(item, "dataset.dense");
      DenseGroup grp;
      grp.name = g.string("name");
      check_name(g, grp.name);
      grp.count = static_cast<int>(g.integer("count", std::nullopt, Range::positive_only().up_to(limits::kMaxInt)));
      grp.null_fraction = g.quantity("null_fraction", Dim::Ratio, "0", Range::fraction());
      g.finish();
      d.dense.push_back(grp);
    }
  }
  if (Node* sparse = r.seq("sparse", true)) {
    for (Node& item : sparse->items) {
      MapReader g(item, "dataset.sparse");
      SparseGroup grp;
      grp.name = g.string("name");
      check_name(g, grp.name);
      grp.count = static_cast<int>(g.integer("count", std::nullopt, Range::positive_only().up_to(limits::kMaxInt)));
      grp.mean_length = g.quantity("mean_length", Dim::Ratio, std::nullopt, Range::positive_only());
      grp.length_distribution = g.choice("length_distribution", {"fixed", "poisson"}, "fixed");
      grp.duplication =
          g.quantity("duplication", Dim::Ratio, "0", Range::open_fraction());
      g.finish();
      d.sparse.push_back(grp);
    }
  }
  if (d.dense.empty() && d.sparse.empty()) {
    r.fail("", "the dataset has no features: give at least one group under 'dense' or 'sparse'");
  }
  r.finish();
}

// Parameters of `op` under `params`: numbers, or lists (borders, map) stored by their length.
void read_params(Node* node, const OpInfo& op, Stage& st, const std::string& path) {
  Node empty = Node::make_map(st.file, st.line);
  MapReader r(node != nullptr ? *node : empty, path);
  for (std::string_view pv : op.params) {
    std::string p(pv);
    Node* n = r.node().find(p);
    if ((p == "borders" || p == "map") && n != nullptr && n->is_seq()) {
      r.skip(p);
      if (n->items.empty()) r.fail(p, "the list is empty");
      std::vector<double> values;
      for (const Node& it : n->items) {
        try {
          values.push_back(parse_quantity(it.is_scalar() ? it.scalar : "", Dim::Ratio));
        } catch (const UnitError& e) {
          r.fail(p, e.what());
        }
      }
      if (p == "borders" && !std::is_sorted(values.begin(), values.end())) {
        r.fail(p, "borders must be non-decreasing");
      }
      st.params[p] = static_cast<double>(values.size());
      continue;
    }
    if (p == "salt") st.params[p] = static_cast<double>(r.integer(p, "0"));
    else if (p == "max") st.params[p] = static_cast<double>(r.integer(p, std::nullopt, Range::positive_only()));
    else if (p == "borders" || p == "map" || p == "n")
      st.params[p] = static_cast<double>(r.integer(p, std::nullopt, Range::positive_only().up_to(limits::kMaxInt)));
    else if (p == "x")
      st.params[p] = static_cast<double>(r.integer(p, std::nullopt, Range::non_negative_only().up_to(limits::kMaxInt)));
    else if (p == "eps") st.params[p] = r.quantity(p, Dim::Ratio, std::nullopt, Range::positive_below(0.5));
    else st.params[p] = r.quantity(p, Dim::Ratio);
  }
  if (st.params.count("lo") && st.params["lo"] > st.params["hi"]) r.fail("hi", "hi must be at least lo");
  if (st.params.count("lower") && !(st.params["upper"] > st.params["lower"])) {
    r.fail("upper", "upper must be greater than lower");
  }
  r.finish();
}

void read_stage(Node& item, Scenario& sc) {
  MapReader r(item, "pipeline");
  Stage st;
  st.file = item.file;
  st.line = item.line;
  st.name = r.string("name");
  std::string path = "pipeline." + st.name;
  MapReader named(item, path);
  named.skip("name");
  st.op = named.string("op");
  const OpInfo* op = find_op(st.op);
  if (op == nullptr) named.fail("op", fmt::format("unknown op '{}'; known ops: {}", st.op, op_names_joined()));
  st.pool = named.string("on");
  st.after = named.strings("after", std::vector<std::string>{});
  bool group_op = op->input == Domain::Dense || op->input == Domain::Sparse || op->name == "clamp";
  if (group_op) {
    st.features = named.string("features");
    const DenseGroup* dg = sc.find_dense(st.features);
    const SparseGroup* sg = sc.find_sparse(st.features);
    if (dg == nullptr && sg == nullptr) {
      std::vector<std::string> groups;
      for (const auto& g : sc.dataset.dense) groups.push_back(g.name);
      for (const auto& g : sc.dataset.sparse) groups.push_back(g.name);
      named.fail("features", fmt::format("no feature group '{}'; groups are: {}", st.features,
                                         fmt::join(groups, ", ")));
    }
    if (op->input == Domain::Dense && dg == nullptr) {
      named.fail("features", fmt::format("{} works on dense features; '{}' is a sparse group", st.op, st.features));
    }
    if (op->input == Domain::Sparse && sg == nullptr) {
      named.fail("features", fmt::format("{} works on sparse features; '{}' is a dense group", st.op, st.features));
    }
    int group_count = dg != nullptr ? dg->count : sg->count;
    st.count = static_cast<int>(
        named.integer("count", std::to_string(group_count), Range::positive_only().up_to(limits::kMaxInt)));
    if (st.count > group_count) {
      named.fail("count", fmt::format("the stage touches {} features but group '{}' has {}", st.count,
                                      st.features, group_count));
    }
  }
  read_params(named.map("params", true), *op, st, path + ".params");
  named.finish();
  for (const Stage& other : sc.stages) {
    if (other.name == st.name) {
      r.fail("name", fmt::format("stage '{}' is defined twice (first on line {})", st.name, other.line));
    }
  }
  sc.stages.push_back(st);
}

void check_unique(MapReader& r, const std::string& key, const std::vector<std::string>& names) {
  std::set<std::string> seen;
  for (const std::string& n : names) {
    if (!seen.insert(n).second) r.fail(key, fmt::format("'{}' is listed twice; list each host once", n));
  }
}

void read_pools(Node& node, Scenario& sc) {
  MapReader r(node, "pools");
  for (auto& [name, body] : node.entries) {
    r.skip(name);
    MapReader p(body, "pools." + name);
    Pool pool;
    pool.name = name;
    pool.file = body.file;
    pool.line = body.line;
    pool.kind = p.choice("kind", kPoolKinds);
    pool.hosts = p.strings("hosts");
    if (pool.hosts.empty()) p.fail("hosts", "a pool needs at least one host");
    check_unique(p, "hosts", pool.hosts);
    pool.hosts_file = p.node().find("hosts")->file;
    pool.hosts_line = config::line_of(*p.node().find("hosts"), p.node());
    if (pool.kind != "storage") {
      // cpu: 0 = one worker per core; a device: 0 = as many chunks as it buffers (its model's slots()).
      pool.workers_per_host = static_cast<int>(
          p.integer("workers_per_host", "0", Range::non_negative_only().up_to(limits::kMaxWorkersPerHost)));
    }
    if (stores_dataset(pool.kind)) {
      // The smallest of n partitions is (1 - skew) x the mean: skew lies in [0, 1).
      pool.skew = p.quantity("skew", Dim::Ratio, "0", Range::open_fraction());
    }
    p.finish();
    sc.pools.push_back(pool);
  }
  if (sc.pools.empty()) r.fail("", "no pools: define at least a storage pool and a cpu pool");
}

void read_trainers(Node& node, Scenario& sc) {
  for (Node& item : node.items) {
    MapReader r(item, "trainers");
    TrainerJob job;
    job.file = item.file;
    job.line = item.line;
    job.name = r.string("name");
    MapReader j(item, "trainers." + job.name);
    j.skip("name");
    job.sync = j.boolean("sync", true);
    job.hosts = j.strings("hosts");
    if (job.hosts.empty()) j.fail("hosts", "a job needs at least one trainer host");
    check_unique(j, "hosts", job.hosts);
    job.hosts_file = j.node().find("hosts")->file;
    job.hosts_line = config::line_of(*j.node().find("hosts"), j.node());
    job.step_time = j.quantity("step_time", Dim::Time, std::nullopt, Range::positive_only());
    job.step_time_cv = j.quantity("step_time_cv", Dim::Ratio, "0", Range::fraction());
    job.prefetch = static_cast<int>(j.integer("prefetch", "2", Range::positive_only().up_to(limits::kMaxPrefetch)));
    j.finish();
    for (const TrainerJob& other : sc.jobs) {
      if (other.name == job.name) j.fail("", fmt::format("job '{}' is defined twice", job.name));
    }
    sc.jobs.push_back(job);
  }
  if (sc.jobs.empty()) throw InputError(node.file, node.line, "trainers", "no trainer job: give at least one");
}

void check_placement(const Scenario& sc, const Node& pipeline) {
  int reads = 0, computes = 0;
  const Pool* read_pool = nullptr;
  for (const Stage& st : sc.stages) {
    std::string key = "pipeline." + st.name + ".on";
    const Pool* pool = sc.find_pool(st.pool);
    if (pool == nullptr) {
      std::vector<std::string> names;
      for (const Pool& p : sc.pools) names.push_back(p.name);
      throw InputError(st.file, st.line, key,
                       fmt::format("no pool named '{}'; pools are: {}", st.pool, fmt::join(names, ", ")));
    }
    if (st.op == "read") {
      if (++reads > 1) {
        throw InputError(st.file, st.line, "pipeline." + st.name + ".op",
                         "a second read stage; the pipeline has exactly one read, its first stage");
      }
      if (pool->kind != "storage" && !stores_dataset(pool->kind)) {
        std::vector<std::string> readers = devices::kinds_where(&devices::DeviceKind::stores_dataset);
        readers.insert(readers.begin(), "storage");
        throw InputError(st.file, st.line, key,
                         fmt::format("read runs on a {} pool (whose hosts hold the disks); '{}' is a {} pool",
                                     devices::join_or(readers), pool->name, pool->kind));
      }
      if (!st.after.empty()) throw InputError(st.file, st.line, key, "read is the first stage: it has no 'after'");
      read_pool = pool;
    } else {
      if (pool->kind == "storage") {
        throw InputError(st.file, st.line, key,
                         fmt::format("a storage pool cannot run {}: it only runs read; place {} on a {} pool", st.op,
                                     st.op, devices::join_or(devices::with_device_kinds({"cpu"}))));
      }
      if (stores_dataset(pool->kind) && read_pool != nullptr && read_pool != pool) {
        throw InputError(st.file, st.line, key,
                         fmt::format("an {} device only processes the data it stores: '{}' runs on {} pool '{}' "
                                     "but read runs on '{}'; put read on '{}' too",
                                     pool->kind, st.name, pool->kind, pool->name, read_pool->name, pool->name));
      }
      ++computes;
      if (st.after.empty()) {
        throw InputError(st.file, st.line, "pipeline." + st.name + ".after",
                         "every stage but read comes after another stage");
      }
    }
  }
  if (reads != 1) {
    throw InputError(pipeline.file, pipeline.line, "pipeline",
                     "the pipeline has no read stage; its first stage is {op: read, on: <a storage pool>}");
  }
  if (computes == 0) {
    throw InputError(pipeline.file, pipeline.line, "pipeline",
                     "the pipeline has no compute stage after read (add decode)");
  }
}

Scenario parse(Node tree, const std::string& file) {
  Scenario sc;
  sc.file = file;
  MapReader top(tree, "");
  top.expect_schema("prepsim/v1");
  sc.name = top.string("name", fs::path(file).stem().string());
  sc.description = top.string("description", "");
  sc.platform = resolve_path(top, "platform");
  sc.catalog = resolve_path(top, "catalog");
  sc.cpu_costs = top.string("cpu_costs", "provisional");
  if (Node* sw = top.map("cpu_software", true)) {
    MapReader r(*sw, "cpu_software");
    sc.cpu_software.line = sw->line;
    sc.cpu_software.name = r.string("name");
    sc.cpu_software.source = r.string("source");
    if (sc.cpu_software.source.empty()) r.fail("source", "say where the efficiency factors come from");
    Node* eff = r.map("efficiency");
    MapReader re(*eff, "cpu_software.efficiency");
    for (auto& [op, v] : eff->entries) {
      if (find_op(op) == nullptr || op == "read") {
        std::vector<std::string> names;
        for (const OpInfo& info : all_ops()) {
          if (info.name != "read") names.emplace_back(info.name);
        }
        re.fail(op, fmt::format("not an op with a cpu cost; ops: {}", fmt::join(names, ", ")));
      }
      sc.cpu_software.efficiency[op] = re.quantity(op, Dim::Ratio, std::nullopt, Range::positive_only());
    }
    re.finish();
    r.finish();
  }
  sc.seed = static_cast<std::uint64_t>(top.integer("seed", "1", Range::non_negative_only()));
  read_dataset(*top.map("dataset"), sc);
  Node* pipeline = top.seq("pipeline");
  if (pipeline->items.empty()) top.fail("pipeline", "the pipeline has no stages");
  for (Node& item : pipeline->items) read_stage(item, sc);
  read_pools(*top.map("pools"), sc);
  read_trainers(*top.seq("trainers"), sc);
  Node* run = top.map("run");
  MapReader rr(*run, "run");
  sc.run.warmup = rr.quantity("warmup", Dim::Time, "5s", Range::non_negative_only());
  sc.run.duration = rr.quantity("duration", Dim::Time, std::nullopt, Range::positive_only());
  sc.run.pue = rr.quantity("pue", Dim::Ratio, "1.0", Range::positive_only().up_to(kMaxPue));
  if (sc.run.pue < 1) rr.fail("pue", fmt::format("a PUE is at least 1 (facility power / IT power; got {})", sc.run.pue));
  sc.run.electricity_price = rr.quantity("electricity_price", Dim::EnergyPrice, std::nullopt, Range::non_negative_only());
  sc.run.cost_horizon = rr.quantity("cost_horizon", Dim::Time, "3y", Range::positive_only());
  rr.finish();
  top.finish();
  check_placement(sc, *tree.find("pipeline"));
  order_stages(sc.stages);
  sc.resolved = std::move(tree);
  return sc;
}

}  // namespace

namespace {

Scenario load_tree(Node doc, const std::string& path, const LoadOptions& options) {
  std::error_code ec;
  fs::path self = fs::weakly_canonical(path, ec);
  std::vector<std::string> chain = {ec ? path : self.string()};
  Node tree = merge_includes(std::move(doc), path, chain);
  Scenario first = parse(tree, path);  // fills defaults, so overrides may name them
  Node resolved = std::move(first.resolved);
  for (const std::string& o : options.overrides) config::apply_override(resolved, o);
  // Defaults are derived again from the overridden tree (a default of the old settings may be invalid now).
  if (!options.overrides.empty()) config::drop_defaults(resolved);
  if (options.seed >= 0) resolved.set("seed", Node::make_scalar(std::to_string(options.seed), "--seed", 0));
  return parse(std::move(resolved), path);
}

}  // namespace

Scenario load_scenario(const std::string& path, const LoadOptions& options) {
  std::error_code ec;
  if (!fs::exists(path, ec) && !ec) throw InputError(path, 0, "", "no such scenario file");
  return load_tree(config::load_yaml_file(path), path, options);
}

Scenario load_scenario_text(const std::string& text, const std::string& path, const LoadOptions& options) {
  return load_tree(config::load_yaml_string(text, path), path, options);
}

}  // namespace prepsim
