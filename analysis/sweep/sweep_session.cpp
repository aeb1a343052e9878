// The shared pieces of `prepsim sweep` (sweep_session.h): points and their keys, a point's child job and
// database row, and the session that holds the database and draws the progress line.
#include "analysis/sweep/sweep_session.h"

#include <unistd.h>

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "models/config/input_error.h"
#include "models/config/overrides.h"
#include "models/data/rng.h"
#include "models/limits.h"
#include "models/scenario.h"
#include "models/sweep/sweep_spec.h"

namespace prepsim::analysis {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

std::string hex(std::uint64_t v) { return fmt::format("{:016x}", v); }

std::string params_json(const sweep::Params& p) {
  json j = json::object();
  for (const auto& [k, v] : p) {
    char* end = nullptr;
    double d = std::strtod(v.c_str(), &end);
    if (!v.empty() && end == v.c_str() + v.size()) {
      if (d == std::floor(d) && std::abs(d) < 9e15) j[k] = static_cast<std::int64_t>(d);
      else j[k] = d;
    } else {
      j[k] = v;
    }
  }
  return j.dump();
}

std::string last_line(const std::string& path) {
  std::ifstream f(path);
  std::string line, last;
  while (std::getline(f, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  }
  return last;
}

// Every key the sweep sets must exist in its base scenario (with the `set:` overrides applied): checked before
// any point runs, at the sweep file's line, instead of every point failing alike.
void check_keys(const sweep::SweepSpec& spec) {
  config::Node tree = load_scenario(spec.base).resolved;
  for (std::size_t i = 0; i < spec.fixed.size(); ++i) {
    std::string key = spec.fixed[i].substr(0, spec.fixed[i].find('='));
    config::check_override_key(tree, key, spec.file, spec.fixed_lines[i]);
  }
  LoadOptions with_set;
  with_set.overrides = spec.fixed;
  tree = load_scenario(spec.base, with_set).resolved;
  for (std::size_t i = 0; i < spec.keys.size(); ++i) {
    config::check_override_key(tree, spec.keys[i], spec.file, spec.key_lines[i]);
  }
}

std::string fmt_duration(double s) {
  if (s < 90) return fmt::format("{:.0f}s", s);
  if (s < 5400) return fmt::format("{:.0f}min", s / 60);
  return fmt::format("{:.1f}h", s / 3600);
}

}  // namespace

std::string sweep_dir(const SweepOptions& o) {
  return o.out_dir.empty() ? fs::path(o.sweep).stem().string() + ".sweep" : o.out_dir;
}

ChildJob point_job(const SweepPoint& p, const std::string& dir) {
  std::string pd = dir + "/points/" + p.key;
  fs::remove_all(pd);
  fs::create_directories(dir + "/points");  // an MPI worker on another node may not have it yet
  ChildJob job;
  job.args = p.args;
  job.args.insert(job.args.end(), {"-o", pd});
  job.out = ChildOutput::discard();
  job.err = ChildOutput::file(pd + ".stderr");
  return job;
}

PointRow point_row(const SweepPoint& p, const ChildResult& r, const std::string& dir) {
  std::string pd = dir + "/points/" + p.key;
  PointRow row;
  row.key = p.key;
  row.params = p.params;
  if (r.ok()) {
    std::ifstream f(pd + "/report.json");
    json j = json::parse(f, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      row.status = "failed";
      row.error = "no readable report.json";
      return row;
    }
    j.erase("provenance");
    j.erase("timing");
    row.status = "ok";
    row.metrics = j.dump();
    auto num = [](const json& v) -> std::optional<double> {
      if (v.is_number()) return v.get<double>();
      return std::nullopt;
    };
    row.throughput = num(j.value("throughput_samples_per_s", json()));
    if (j.contains("jobs") && j["jobs"].is_array() && !j["jobs"].empty()) {
      row.stall_mean = num(j["jobs"][0].value("stall_mean_fraction", json()));
    }
    if (j.contains("fleet")) row.fleet_tco_usd = num(j["fleet"].value("tco_usd", json()));
    if (j.contains("system")) row.system_energy_j = num(j["system"].value("energy_J", json()));
    return row;
  }
  row.status = "failed";
  std::string last = last_line(pd + ".stderr");
  if (r.signal != 0 || r.exit_code < 0) row.error = r.describe() + (last.empty() ? "" : ": " + last);
  else row.error = last.empty() ? r.describe() : last;
  return row;
}

SweepSession::SweepSession(const SweepOptions& o, std::ostream& out, const std::string& dir)
    : o_(o), out_(out), dir_(dir), tty_(o.redraw && isatty(STDOUT_FILENO)), t0_(std::chrono::steady_clock::now()) {}

std::unique_ptr<SweepSession> SweepSession::open(const SweepOptions& o, std::ostream& out, std::ostream& err,
                                                 int* code) {
  *code = 0;
  sweep::SweepSpec spec;
  std::string sweep_hash;
  try {
    spec = sweep::load_sweep(o.sweep);
    std::ifstream f(o.sweep, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    sweep_hash = hex(data::fnv1a64(ss.str()));
    check_keys(spec);
    double wall = spec.points * limits::kSweepPointOverheadSeconds / o.jobs;
    if (!o.force && wall > limits::kMaxEstimatedWallSeconds) {
      throw InputError(spec.file, 0, "",
                       fmt::format("{:.0f} points would take at least {:.1f} h at -j {} (about {:.0f} ms each before "
                                   "its simulation); at most {:.0f} min runs without --force: use fewer points, more "
                                   "-j, or pass --force",
                                   spec.points, wall / 3600, o.jobs, limits::kSweepPointOverheadSeconds * 1e3,
                                   limits::kMaxEstimatedWallSeconds / 60));
    }
  } catch (const InputError& e) {
    err << "prepsim: " << e.what() << "\n";
    *code = 2;
    return nullptr;
  }
  std::string base_abs = fs::absolute(spec.base).string();
  std::vector<SweepPoint> points;
  for (const sweep::Params& params : sweep::expand(spec)) {
    std::vector<std::string> overrides = spec.fixed;
    for (const auto& [k, v] : params) overrides.push_back(k + "=" + v);
    SweepPoint p;
    p.params = params_json(params);
    p.args = {"run", base_abs};
    for (const std::string& ov : overrides) p.args.insert(p.args.end(), {"--set", ov});
    if (spec.seed >= 0) p.args.insert(p.args.end(), {"--seed", std::to_string(spec.seed)});
    try {
      LoadOptions lo;
      lo.overrides = overrides;
      lo.seed = spec.seed;
      Scenario sc = load_scenario(spec.base, lo);
      p.key = hex(data::fnv1a64(config::emit_yaml(sc.resolved) + "\n#seed " + std::to_string(sc.seed)));
    } catch (const InputError&) {
      // Not a valid scenario: the child will fail and say why; the key names the unresolved input.
      std::string text = "unresolved\n" + base_abs;
      for (const std::string& ov : overrides) text += "\n" + ov;
      p.key = hex(data::fnv1a64(text + "\n#seed " + std::to_string(spec.seed)));
    }
    points.push_back(std::move(p));
  }

  std::string dir = sweep_dir(o);
  fs::create_directories(dir + "/points");
  std::unique_ptr<SweepSession> s(new SweepSession(o, out, dir));
  s->db_ = std::make_unique<SweepDb>(dir + "/sweep.db");
  std::optional<std::string> old = s->db_->meta("sweep_hash");
  if (old && *old != sweep_hash && !o.force) {
    err << fmt::format("prepsim sweep: {}/sweep.db was made from a different version of the sweep file (hash {}, "
                       "now {}): pass --force to add these points to it, or choose another -o DIR\n",
                       dir, *old, sweep_hash);
    *code = 2;
    return nullptr;
  }
  s->db_->set_meta("sweep_hash", sweep_hash);
  s->db_->set_meta("sweep_file", fs::absolute(o.sweep).string());
  s->db_->set_meta("base", base_abs);

  std::set<std::string> have = s->db_->keys();
  std::set<std::string>& seen = s->all_keys_;
  for (SweepPoint& p : points) {
    if (!seen.insert(p.key).second) continue;  // two axis values that resolve to the same scenario run once
    if (have.count(p.key)) {
      ++s->already_;
      continue;
    }
    s->pending_.push_back(std::move(p));
  }
  s->total_ = seen.size();
  if (s->already_) out << fmt::format("sweep: {} of {} points already in {}/sweep.db\n", s->already_, s->total_, dir);
  s->progress(nullptr);
  return s;
}

void SweepSession::record(const PointRow& row) {
  db_->insert(row);
  ++done_now_;
  if (row.status != "ok") ++failed_;
  progress(&row);
}

void SweepSession::progress(const PointRow* row) {
  double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  std::size_t done = already_ + done_now_;
  std::string eta = done_now_ ? fmt_duration(el / static_cast<double>(done_now_) * static_cast<double>(total_ - done))
                              : "?";
  if (tty_) {
    out_ << fmt::format("\r\033[Ksweep: {}/{} done, {} failed, ETA {}", done, total_, failed_, eta) << std::flush;
  } else if (row) {
    out_ << fmt::format("sweep: {}/{} {} {} {}{}\n", done, total_, row->key, row->status, row->params,
                        row->status == "ok" ? "" : " : " + row->error)
         << std::flush;
  }
}

int SweepSession::finish() {
  if (tty_) out_ << "\n";
  if (!o_.csv.empty()) {
    std::size_t n = db_->export_csv(o_.csv);
    out_ << fmt::format("sweep: {} rows exported to {}\n", n, o_.csv);
  }
  out_ << fmt::format("sweep: {} points ({} run now, {} already done), {} failed now; results in {}/sweep.db\n",
                      total_, done_now_, already_, failed_, dir_);
  std::size_t failed = 0;
  for (const std::string& k : db_->failed_keys()) failed += all_keys_.count(k);
  if (failed == 0) return 0;
  out_ << fmt::format("sweep: {} of {} points failed; see their error column (select key, params, error from points "
                      "where status = 'failed') and {}/points/KEY.stderr\n",
                      failed, total_, dir_);
  return 1;
}

}  // namespace prepsim::analysis
