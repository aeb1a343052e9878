// The results database of a sweep (SQLite, DIR/sweep.db): one row per finished point, written in one transaction
// when the point finishes, so a sweep killed at any moment holds each finished point exactly once.
//
//   points(key TEXT PRIMARY KEY, params TEXT (JSON object of the axis values), status TEXT ok|failed, error TEXT,
//          metrics TEXT (report.json minus provenance and timing), throughput_samples_per_s REAL,
//          stall_mean_fraction REAL (first job), fleet_tco_usd REAL, system_energy_J REAL)
//   meta(name TEXT PRIMARY KEY, value TEXT)   -- sweep_file, sweep_hash
#pragma once

#include <optional>
#include <set>
#include <string>

struct sqlite3;

namespace prepsim::analysis {

struct PointRow {
  std::string key;
  std::string params;   // JSON object
  std::string status;   // ok | failed
  std::string error;
  std::string metrics;  // JSON object, empty when failed
  std::optional<double> throughput, stall_mean, fleet_tco_usd, system_energy_j;
};

class SweepDb {
 public:
  // Opens or creates the database and its tables. Throws std::runtime_error.
  explicit SweepDb(const std::string& path);
  ~SweepDb();
  SweepDb(const SweepDb&) = delete;
  SweepDb& operator=(const SweepDb&) = delete;

  std::optional<std::string> meta(const std::string& name);
  void set_meta(const std::string& name, const std::string& value);
  std::set<std::string> keys();
  // Keys of the points recorded as failed.
  std::set<std::string> failed_keys();
  // Inserts one point in its own transaction; a key already present is left as it is (returns false).
  bool insert(const PointRow& row);
  // CSV of every point: key, status, one column per parameter, the typed metrics, error. Returns the row count.
  std::size_t export_csv(const std::string& path);

 private:
  void exec(const std::string& sql);
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace prepsim::analysis
