// The parameters of the kernel ops (docs/sources.md#op-semantics) in one struct, with their types, defaults and checks, and
// the text syntax that `prepsim op` (and any other front end) uses for them: numbers as C++ from_chars reads them
// ("inf", "nan" allowed for floats), lists as [1,2,3] or 1,2,3. Names are those of op_registry.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace prepsim::ops {

enum class ParamType { Int, Float, FloatList, IntList };

struct ParamInfo {
  std::string_view name;
  ParamType type;
  std::string_view default_text;  // empty: the op cannot run without it
  std::string_view meaning;
};

// Every parameter any op takes, in the op table's order of appearance.
const std::vector<ParamInfo>& all_params();
// nullptr when `name` is not a parameter of any op.
const ParamInfo* find_param(std::string_view name);
// "INT", "FLOAT", "[FLOAT,...]" or "[INT,...]".
std::string_view type_name(ParamType type);

struct OpParams {
  std::int64_t salt = 0;              // sigrid_hash
  std::int64_t max = 1;               // sigrid_hash: hash into [0, max)
  std::vector<float> borders;         // bucketize: non-decreasing
  std::int64_t x = 0;                 // firstx: ids kept per list
  std::int64_t n = 1;                 // ngram: window size; onehot: number of bins
  float lo = 0, hi = 0;               // clamp on float32 values
  std::int64_t lo_id = 0, hi_id = 0;  // clamp on ids: ceil(lo), floor(hi) of the same text
  float offset = 0;                   // log
  float eps = 1e-6f;                  // logit
  float lambda = 0;                   // boxcox
  float lower = 0, upper = 1;         // onehot
  std::vector<std::int64_t> map;      // mapid
  float value = 0;                    // fill_null
};

// Parses `text` as the value of parameter `name` into `params`; "" on success, otherwise what is wrong
// (e.g. "--max: 'abc' is not an integer").
std::string parse_param(std::string_view name, std::string_view text, OpParams& params);

// "" when the parameters `op` uses are valid (max >= 1, sorted borders, n >= 1, lo <= hi, ...), else the reason:
// the op-table row's check (models/op_registry.h); "" for an op without checks or an unknown name.
std::string check_params(std::string_view op, const OpParams& params);

// Number syntax shared by parameters and values: the whole text must be the number (a leading '+' is allowed).
bool parse_int(std::string_view text, std::int64_t* out);
bool parse_float(std::string_view text, float* out);
bool parse_double(std::string_view text, double* out);
// "[1,2,3]", "1,2,3", "[]" or "[1 2 3]" -> the items as text; false on unbalanced brackets.
bool split_list(std::string_view text, std::vector<std::string_view>* items);

}  // namespace prepsim::ops
