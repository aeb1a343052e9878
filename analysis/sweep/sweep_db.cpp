#include "analysis/sweep/sweep_db.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

namespace prepsim::analysis {

namespace {

class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(fmt::format("sqlite: {}: {}", sql, sqlite3_errmsg(db)));
    }
  }
  ~Stmt() { sqlite3_finalize(st_); }
  void bind(int i, const std::string& s) { sqlite3_bind_text(st_, i, s.c_str(), -1, SQLITE_TRANSIENT); }
  void bind(int i, const std::optional<double>& v) {
    if (v) sqlite3_bind_double(st_, i, *v);
    else sqlite3_bind_null(st_, i);
  }
  bool step() {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(fmt::format("sqlite: {}", sqlite3_errmsg(db_)));
  }
  std::string text(int i) {
    const unsigned char* t = sqlite3_column_text(st_, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  bool null(int i) { return sqlite3_column_type(st_, i) == SQLITE_NULL; }
  int changes() { return sqlite3_changes(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

SweepDb::SweepDb(const std::string& path) : path_(path) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error(fmt::format("cannot open {}: {}", path, msg));
  }
  sqlite3_busy_timeout(db_, 10000);
  exec("PRAGMA journal_mode=WAL");  // a killed writer leaves the last committed transaction intact
  exec("PRAGMA synchronous=FULL");
  exec("CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT)");
  exec("CREATE TABLE IF NOT EXISTS points(key TEXT PRIMARY KEY, params TEXT NOT NULL, status TEXT NOT NULL, "
       "error TEXT, metrics TEXT, throughput_samples_per_s REAL, stall_mean_fraction REAL, fleet_tco_usd REAL, "
       "system_energy_J REAL)");
}

SweepDb::~SweepDb() { sqlite3_close(db_); }

void SweepDb::exec(const std::string& sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : "?";
    sqlite3_free(msg);
    throw std::runtime_error(fmt::format("sqlite ({}): {}: {}", path_, sql, m));
  }
}

std::optional<std::string> SweepDb::meta(const std::string& name) {
  Stmt s(db_, "SELECT value FROM meta WHERE name = ?");
  s.bind(1, name);
  if (s.step()) return s.text(0);
  return std::nullopt;
}

void SweepDb::set_meta(const std::string& name, const std::string& value) {
  Stmt s(db_, "INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)");
  s.bind(1, name);
  s.bind(2, value);
  s.step();
}

std::set<std::string> SweepDb::keys() {
  std::set<std::string> out;
  Stmt s(db_, "SELECT key FROM points");
  while (s.step()) out.insert(s.text(0));
  return out;
}

std::set<std::string> SweepDb::failed_keys() {
  std::set<std::string> out;
  Stmt s(db_, "SELECT key FROM points WHERE status != 'ok'");
  while (s.step()) out.insert(s.text(0));
  return out;
}

bool SweepDb::insert(const PointRow& r) {
  exec("BEGIN IMMEDIATE");
  try {
    Stmt s(db_, "INSERT OR IGNORE INTO points(key, params, status, error, metrics, throughput_samples_per_s, "
                "stall_mean_fraction, fleet_tco_usd, system_energy_J) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, r.key);
    s.bind(2, r.params);
    s.bind(3, r.status);
    s.bind(4, r.error);
    s.bind(5, r.metrics);
    s.bind(6, r.throughput);
    s.bind(7, r.stall_mean);
    s.bind(8, r.fleet_tco_usd);
    s.bind(9, r.system_energy_j);
    s.step();
    bool added = s.changes() > 0;
    exec("COMMIT");
    return added;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::size_t SweepDb::export_csv(const std::string& path) {
  struct Row {
    std::vector<std::string> cells;  // key, status, typed..., error
    nlohmann::ordered_json params;
  };
  std::vector<Row> rows;
  std::vector<std::string> param_cols;
  Stmt s(db_, "SELECT key, status, params, throughput_samples_per_s, stall_mean_fraction, fleet_tco_usd, "
              "system_energy_J, error FROM points ORDER BY rowid");
  while (s.step()) {
    Row r;
    r.params = nlohmann::ordered_json::parse(s.text(2), nullptr, false);
    if (r.params.is_discarded() || !r.params.is_object()) r.params = nlohmann::ordered_json::object();
    for (auto& [k, v] : r.params.items()) {
      if (std::find(param_cols.begin(), param_cols.end(), k) == param_cols.end()) param_cols.push_back(k);
    }
    r.cells = {s.text(0), s.text(1)};
    for (int i = 3; i <= 6; ++i) r.cells.push_back(s.null(i) ? "" : s.text(i));
    r.cells.push_back(s.text(7));
    rows.push_back(std::move(r));
  }
  std::ofstream f(path);
  if (!f) throw std::runtime_error(fmt::format("cannot write {}", path));
  f << "key,status";
  for (const std::string& c : param_cols) f << "," << csv_field(c);
  f << ",throughput_samples_per_s,stall_mean_fraction,fleet_tco_usd,system_energy_J,error\n";
  for (const Row& r : rows) {
    f << r.cells[0] << "," << r.cells[1];
    for (const std::string& c : param_cols) {
      std::string v;
      if (r.params.contains(c)) v = r.params[c].is_string() ? r.params[c].get<std::string>() : r.params[c].dump();
      f << "," << csv_field(v);
    }
    for (int i = 2; i <= 5; ++i) f << "," << r.cells[i];
    f << "," << csv_field(r.cells[6]) << "\n";
  }
  return rows.size();
}

}  // namespace prepsim::analysis
