#include "models/ops/op_params.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "models/op_registry.h"

namespace prepsim::ops {

const std::vector<ParamInfo>& all_params() {
  using T = ParamType;
  static const std::vector<ParamInfo> params = {
      {"borders", T::FloatList, "", "bucket borders, non-decreasing float32"},
      {"n", T::Int, "", "window size (ngram) or number of bins (onehot), >= 1"},
      {"map", T::IntList, "", "id -> new id table: map[v] for 0 <= v < len(map), else 0"},
      {"lower", T::Float, "", "lower end of the first bin"},
      {"upper", T::Float, "", "upper end of the last bin, > lower"},
      {"salt", T::Int, "0", "hash salt"},
      {"max", T::Int, "", "hash range [0, max), >= 1"},
      {"x", T::Int, "", "ids kept at the front of each list, >= 0"},
      {"lo", T::Float, "", "lower bound; ids use ceil(lo)"},
      {"hi", T::Float, "", "upper bound, >= lo; ids use floor(hi)"},
      {"offset", T::Float, "0", "added before the log: log(x + offset)"},
      {"eps", T::Float, "1e-06", "x is clamped to [eps, 1 - eps], 0 <= eps <= 0.5"},
      {"lambda", T::Float, "", "Box-Cox exponent; 0 means log"},
      {"value", T::Float, "0", "what nulls become"},
  };
  return params;
}

const ParamInfo* find_param(std::string_view name) {
  for (const ParamInfo& p : all_params()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string_view type_name(ParamType type) {
  switch (type) {
    case ParamType::Int: return "INT";
    case ParamType::Float: return "FLOAT";
    case ParamType::FloatList: return "[FLOAT,...]";
    case ParamType::IntList: return "[INT,...]";
  }
  return "?";
}

namespace {
std::string_view strip_plus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
  return text;
}
}  // namespace

bool parse_int(std::string_view text, std::int64_t* out) {
  text = strip_plus(text);
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_float(std::string_view text, float* out) {
  text = strip_plus(text);
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_double(std::string_view text, double* out) {
  text = strip_plus(text);
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool split_list(std::string_view text, std::vector<std::string_view>* items) {
  items->clear();
  const bool open = !text.empty() && text.front() == '[';
  const bool close = !text.empty() && text.back() == ']';
  if (open != close || (open && text.size() < 2)) return false;
  if (open) text = text.substr(1, text.size() - 2);
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ',' || text[i] == ' ')) ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ',' && text[j] != ' ') ++j;
    if (j > i) items->push_back(text.substr(i, j - i));
    if (text.substr(i, j - i).find_first_of("[]") != std::string_view::npos) return false;
    i = j;
  }
  return true;
}

namespace {

// Integer bounds of a real interval bound: ceil for lo, floor for hi, saturated to int64.
std::int64_t int_bound(double v, bool upper) {
  const double r = upper ? std::floor(v) : std::ceil(v);
  if (std::isnan(r)) return 0;
  if (r <= -9223372036854775808.0) return std::numeric_limits<std::int64_t>::min();
  if (r >= 9223372036854775808.0) return std::numeric_limits<std::int64_t>::max();
  return static_cast<std::int64_t>(r);
}

}  // namespace

std::string parse_param(std::string_view name, std::string_view text, OpParams& p) {
  const ParamInfo* info = find_param(name);
  if (info == nullptr) return fmt::format("unknown parameter '{}'", name);
  const std::string_view what = type_name(info->type);
  auto bad = [&](std::string_view item) {
    return fmt::format("--{}: '{}' is not {}", name, item,
                       info->type == ParamType::Int || info->type == ParamType::IntList ? "an integer" : "a number");
  };
  switch (info->type) {
    case ParamType::Int: {
      std::int64_t v = 0;
      if (!parse_int(text, &v)) return bad(text);
      if (name == "salt")
        p.salt = v;
      else if (name == "max")
        p.max = v;
      else if (name == "x")
        p.x = v;
      else if (name == "n")
        p.n = v;
      return {};
    }
    case ParamType::Float: {
      float v = 0;
      if (!parse_float(text, &v)) return bad(text);
      if (name == "lo" || name == "hi") {
        std::int64_t as_int = 0;
        double as_double = 0;
        const bool is_int = parse_int(text, &as_int);
        if (!is_int) parse_double(text, &as_double);
        const std::int64_t bound = is_int ? as_int : int_bound(as_double, name == "hi");
        (name == "lo" ? p.lo : p.hi) = v;
        (name == "lo" ? p.lo_id : p.hi_id) = bound;
      } else if (name == "offset")
        p.offset = v;
      else if (name == "eps")
        p.eps = v;
      else if (name == "lambda")
        p.lambda = v;
      else if (name == "lower")
        p.lower = v;
      else if (name == "upper")
        p.upper = v;
      else if (name == "value")
        p.value = v;
      return {};
    }
    case ParamType::FloatList:
    case ParamType::IntList: {
      std::vector<std::string_view> items;
      if (!split_list(text, &items)) return fmt::format("--{}: '{}' is not a list like {}", name, text, what);
      if (info->type == ParamType::FloatList) {
        p.borders.clear();
        for (std::string_view item : items) {
          float v = 0;
          if (!parse_float(item, &v)) return bad(item);
          p.borders.push_back(v);
        }
      } else {
        p.map.clear();
        for (std::string_view item : items) {
          std::int64_t v = 0;
          if (!parse_int(item, &v)) return bad(item);
          p.map.push_back(v);
        }
      }
      return {};
    }
  }
  return {};
}

std::string check_params(std::string_view op, const OpParams& p) {
  const OpInfo* info = find_op(op);
  return info != nullptr && info->check != nullptr ? info->check(p) : std::string();
}

}  // namespace prepsim::ops
