#include "models/calibration/calibration_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "build_info.h"
#include "models/host_info.h"

namespace prepsim::calibration {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;  // written in a readable order: schema first, terms in signature order

ordered_json number_or_null(double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); }

// Strict reader of one JSON object, reporting problems as "<source>: <pointer>: <message>".
class ObjectReader {
 public:
  ObjectReader(const json& j, std::string source, std::string pointer)
      : j_(j), source_(std::move(source)), pointer_(std::move(pointer)) {
    if (!j_.is_object()) fail(pointer_, "expected an object");
  }

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw std::runtime_error(fmt::format("{}: {}: {}", source_, pointer.empty() ? "/" : pointer, message));
  }
  std::string at(const std::string& key) const { return pointer_ + "/" + key; }

  const json& field(const std::string& key) {
    seen_.insert(key);
    auto it = j_.find(key);
    if (it == j_.end()) fail(at(key), "missing field");
    return *it;
  }
  std::string string(const std::string& key) {
    const json& v = field(key);
    if (!v.is_string()) fail(at(key), "expected a string");
    return v.get<std::string>();
  }
  double number(const std::string& key, double min, double max) {
    const json& v = field(key);
    if (!v.is_number()) fail(at(key), "expected a number");
    double d = v.get<double>();
    if (!(d >= min && d <= max)) fail(at(key), fmt::format("{} is outside [{}, {}]", d, min, max));
    return d;
  }
  long integer(const std::string& key, long min) {
    const json& v = field(key);
    if (!v.is_number_integer()) fail(at(key), "expected an integer");
    long i = v.get<long>();
    if (i < min) fail(at(key), fmt::format("{} is less than {}", i, min));
    return i;
  }
  // Rejects keys nobody asked for (so a typo does not silently leave a default in place).
  void no_other_fields() const {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      if (!seen_.count(it.key())) fail(at(it.key()), "unknown field");
    }
  }

 private:
  const json& j_;
  std::string source_;
  std::string pointer_;
  std::set<std::string> seen_;
};

CostTerm term_at(const ObjectReader& r, const json& v, const std::string& pointer) {
  if (!v.is_string()) r.fail(pointer, "expected a term name");
  CostTerm t{};
  if (!parse_cost_term(v.get<std::string>(), &t)) {
    r.fail(pointer, "unknown cost term '" + v.get<std::string>() +
                        "' (known: constant, rows, elements, output_elements, elements_log2_borders)");
  }
  return t;
}

std::vector<CostTerm> term_list(ObjectReader& r, const std::string& key) {
  const json& v = r.field(key);
  if (!v.is_array()) r.fail(r.at(key), "expected an array of term names");
  std::vector<CostTerm> out;
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(term_at(r, v[i], r.at(key) + "/" + std::to_string(i)));
  return out;
}

std::string signature_text(const std::vector<CostTerm>& sig) {
  std::string s;
  for (CostTerm t : sig) s += (s.empty() ? "" : ", ") + std::string(to_string(t));
  return "[" + s + "]";
}

OpCalibration read_op(const json& j, const std::string& name, const std::string& source) {
  const std::string pointer = "/ops/" + name;
  ObjectReader r(j, source, pointer);
  const OpInfo* info = find_op(name);
  if (info == nullptr) r.fail(pointer, "unknown op '" + name + "' (known: " + op_names_joined() + ")");
  OpCalibration op;
  op.op = name;
  op.fit.terms = term_list(r, "signature");
  // A signature that is a leading part of the declared one predates the terms added since: it is the older model,
  // read with those terms at 0. Any other difference means the file is stale.
  const std::vector<CostTerm>& declared = info->signature;
  const bool older = op.fit.terms.size() < declared.size() &&
                     std::equal(op.fit.terms.begin(), op.fit.terms.end(), declared.begin());
  if (op.fit.terms != declared && !older) {
    r.fail(r.at("signature"), "signature " + signature_text(op.fit.terms) + " differs from the declared " +
                                  signature_text(declared) + " of '" + name + "'; recalibrate");
  }
  ObjectReader coef(r.field("seconds_per_term"), source, r.at("seconds_per_term"));
  for (CostTerm t : op.fit.terms) {
    op.fit.coefficients.push_back(coef.number(std::string(to_string(t)), 0.0, 1e6));
  }
  coef.no_other_fields();
  const std::size_t read_terms = op.fit.terms.size();
  op.output_bytes_per_input_element = r.number("output_bytes_per_input_element", 0.0, 1e12);

  ObjectReader fit(r.field("fit"), source, r.at("fit"));
  op.fit.samples = static_cast<std::size_t>(fit.integer("grid_points", static_cast<long>(op.fit.terms.size())));
  op.fit.r_squared = fit.number("r_squared", -std::numeric_limits<double>::max(), 1.0 + 1e-9);
  op.fit.worst_relative_residual = fit.number("worst_relative_residual", 0.0, std::numeric_limits<double>::max());
  op.fit.rms_relative_residual = fit.number("rms_relative_residual", 0.0, op.fit.worst_relative_residual);
  const json& cond = fit.field("condition_number");
  if (cond.is_null()) {
    op.fit.condition_number = std::numeric_limits<double>::infinity();
  } else {
    op.fit.condition_number = fit.number("condition_number", 1.0 - 1e-9, std::numeric_limits<double>::max());
  }
  op.fit.zero_terms = term_list(fit, "zero_terms");
  fit.no_other_fields();
  r.no_other_fields();
  for (std::size_t k = read_terms; k < declared.size(); ++k) {
    op.fit.terms.push_back(declared[k]);
    op.fit.coefficients.push_back(0.0);
    op.missing_terms.push_back(declared[k]);
  }
  return op;
}

}  // namespace

Provenance current_provenance() {
  Provenance p;
  p.cpu_model = cpu_model();
  p.logical_cores = static_cast<int>(std::thread::hardware_concurrency());
  p.compiler = PREPSIM_COMPILER;
  p.cxx_flags = PREPSIM_CXX_FLAGS;
  p.build_type = PREPSIM_BUILD_TYPE;
  p.date_utc = utc_now();
  p.prepsim_version = PREPSIM_VERSION;
  p.git_commit = PREPSIM_GIT_COMMIT;
  p.load_average = load_average_1min();
  return p;
}

std::string CalibrationFile::outdated_ops() const {
  std::string out;
  for (const OpCalibration& c : ops) {
    if (c.missing_terms.empty()) continue;
    std::string terms;
    for (CostTerm t : c.missing_terms) terms += (terms.empty() ? "" : ", ") + std::string(to_string(t));
    out += (out.empty() ? "" : ", ") + c.op + " (" + terms + ")";
  }
  return out;
}

const OpCalibration* CalibrationFile::find(const std::string& op) const {
  for (const OpCalibration& c : ops) {
    if (c.op == op) return &c;
  }
  return nullptr;
}

std::string to_json_text(const CalibrationFile& file) {
  const Provenance& p = file.provenance;
  ordered_json ops = ordered_json::object();
  for (const OpCalibration& c : file.ops) {
    ordered_json sig = ordered_json::array(), coef = ordered_json::object(), zero = ordered_json::array();
    for (std::size_t k = 0; k < c.fit.terms.size(); ++k) {
      sig.push_back(to_string(c.fit.terms[k]));
      coef[std::string(to_string(c.fit.terms[k]))] = c.fit.coefficients.at(k);
    }
    for (CostTerm t : c.fit.zero_terms) zero.push_back(to_string(t));
    ops[c.op] = {{"signature", sig},
                 {"seconds_per_term", coef},
                 {"output_bytes_per_input_element", c.output_bytes_per_input_element},
                 {"fit",
                  {{"grid_points", c.fit.samples},
                   {"r_squared", c.fit.r_squared},
                   {"worst_relative_residual", c.fit.worst_relative_residual},
                   {"rms_relative_residual", c.fit.rms_relative_residual},
                   {"condition_number", number_or_null(c.fit.condition_number)},
                   {"zero_terms", zero}}}};
  }
  ordered_json j = {{"schema", kCalibrationSchema},
            {"provenance",
             {{"cpu_model", p.cpu_model},
              {"logical_cores", p.logical_cores},
              {"compiler", p.compiler},
              {"cxx_flags", p.cxx_flags},
              {"build_type", p.build_type},
              {"date_utc", p.date_utc},
              {"prepsim_version", p.prepsim_version},
              {"git_commit", p.git_commit},
              {"load_average_1min", p.load_average}}},
            {"ops", ops}};
  return j.dump(2) + "\n";
}

void write_calibration_file(const CalibrationFile& file, const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) throw std::runtime_error(path.string() + ": cannot create directory: " + ec.message());
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(tmp.string() + ": cannot open for writing");
    out << to_json_text(file);
    if (!out.flush()) throw std::runtime_error(tmp.string() + ": write failed");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw std::runtime_error(path.string() + ": cannot rename from " + tmp.string() + ": " + ec.message());
}

CalibrationFile parse_calibration(const std::string& text, const std::string& source_name) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw std::runtime_error(source_name + ": not valid JSON: " + e.what());
  }
  ObjectReader top(j, source_name, "");
  std::string schema = top.string("schema");
  if (schema != kCalibrationSchema) {
    top.fail("/schema", "schema '" + schema + "' is not '" + kCalibrationSchema + "'");
  }
  CalibrationFile file;
  ObjectReader p(top.field("provenance"), source_name, "/provenance");
  file.provenance.cpu_model = p.string("cpu_model");
  file.provenance.logical_cores = static_cast<int>(p.integer("logical_cores", 0));
  file.provenance.compiler = p.string("compiler");
  file.provenance.cxx_flags = p.string("cxx_flags");
  file.provenance.build_type = p.string("build_type");
  file.provenance.date_utc = p.string("date_utc");
  file.provenance.prepsim_version = p.string("prepsim_version");
  file.provenance.git_commit = p.string("git_commit");
  file.provenance.load_average = p.number("load_average_1min", 0.0, 1e6);
  p.no_other_fields();

  const json& ops = top.field("ops");
  if (!ops.is_object()) top.fail("/ops", "expected an object keyed by op name");
  for (const OpInfo& info : all_ops()) {  // registry order, whatever the file's order
    auto it = ops.find(std::string(info.name));
    if (it != ops.end()) file.ops.push_back(read_op(*it, std::string(info.name), source_name));
  }
  for (auto it = ops.begin(); it != ops.end(); ++it) {
    if (find_op(it.key()) == nullptr) read_op(*it, it.key(), source_name);  // throws "unknown op"
  }
  top.no_other_fields();
  return file;
}

CalibrationFile read_calibration_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open calibration file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_calibration(text.str(), path.string());
}

CostTable to_cost_table(const CalibrationFile& file, const std::string& source_name) {
  const Provenance& p = file.provenance;
  CostTable table;
  table.source = fmt::format("calibration file {} ({}, {} logical cores, {}, prepsim {} {}, {} build)", source_name,
                             p.cpu_model, p.logical_cores, p.date_utc, p.prepsim_version, p.git_commit,
                             p.build_type);
  for (const OpCalibration& c : file.ops) {
    OpCostCoefficients coef;
    for (std::size_t k = 0; k < c.fit.terms.size(); ++k) coef.terms.emplace_back(c.fit.terms[k], c.fit.coefficients[k]);
    coef.output_bytes_per_input_element = c.output_bytes_per_input_element;
    table.ops[c.op] = std::move(coef);
  }
  return table;
}

}  // namespace prepsim::calibration
